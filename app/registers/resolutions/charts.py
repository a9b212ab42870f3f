"""Resolutions by state and by responsible department, and the on-time rate by the month of
the deadline (charts as configuration, app.core.charts), computed live through the scoped
data interface so each reader counts the resolutions their list shows."""
from flask_babel import lazy_gettext as _
from sqlalchemy import case, func

from app.core.charts import Chart, FilterControl, department_label, month_label
from app.extensions import db
from app.registers.resolutions.models import STATES


def month_of_day(column):
    """'YYYY-MM' of a day column (a day has no time zone to convert)."""
    if db.engine.dialect.name == "postgresql":
        return func.to_char(column, "YYYY-MM")
    return func.strftime("%Y-%m", column)


def _on_time_percent(resolution):
    return case((resolution.completed_on <= resolution.deadline, 100.0), else_=0.0)


def _settled(resolution):
    """Completed ones (cancelled and open ones have no answer yet)."""
    return resolution.state == "completed"


RESOLUTIONS = _("Resolutions")

FILTERS = [
    FilterControl("department", _("Keeping department")),
    FilterControl("state", _("State"), choices=STATES),
]
CHARTS = [
    Chart("by_state", _("Resolutions by state"), "state", kind="pie", value_label=RESOLUTIONS),
    Chart("by_department", _("Resolutions by responsible department"),
          lambda m: m.handling_department_id, labels=department_label,
          value_label=RESOLUTIONS),
    Chart("on_time_by_month", _("Completed on time by month of the deadline (percent)"),
          lambda m: month_of_day(m.deadline), _on_time_percent, "avg", kind="line",
          labels=month_label, percent=True, where=_settled,
          value_label=_("Completed on time (percent)")),
]
