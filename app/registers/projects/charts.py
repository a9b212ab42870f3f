"""Project and monthly-report charts, as configuration (app.core.charts): projects by stage and
industry, investment by stage; monthly reports on time by month and by lead department (a month
past without its report counts as not on time)."""
from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _
from sqlalchemy import case, func

from app.core.charts import Chart, FilterControl, department_label, month_label
from app.core.timeutil import display_tz
from app.extensions import db
from app.registers.enterprises.models import INDUSTRIES
from app.registers.projects.models import STAGES

PROJECTS = _("Projects")
ON_TIME = _("Reported on time (percent)")

FILTERS = [
    FilterControl("department", _("Lead department")),
    FilterControl("industry", _("Industry"), choices=INDUSTRIES),
    FilterControl("stage", _("Stage"), choices=STAGES),
]
CHARTS = [
    Chart("stage", _("Projects by stage"), "stage", value_label=PROJECTS),
    Chart("industry", _("Projects by industry"), "industry", kind="pie", value_label=PROJECTS),
    Chart("investment_by_stage", _("Investment by stage (10k CNY)"), "stage",
          lambda m: m.investment, "sum", value_label=_("10k CNY")),
]


def month_of_day(column):
    """'YYYY-MM' of a day column (a day has no time zone to convert)."""
    if db.engine.dialect.name == "postgresql":
        return func.to_char(column, "YYYY-MM")
    return func.strftime("%Y-%m", column)


def _on_time_percent(report):
    return case((report.on_time.is_(True), 100.0), else_=0.0)


def _counted(report):
    """Reported, or due in a month already over (missed)."""
    this_month = dt.datetime.now(display_tz()).date().replace(day=1)
    return report.on_time.isnot(None) | (report.month < this_month)


REPORT_FILTERS = [FilterControl("department", _("Lead department"))]
REPORT_CHARTS = [
    Chart("by_month", _("Monthly reports owed, by month"), lambda m: month_of_day(m.month),
          kind="line", labels=month_label, value_label=_("Monthly reports")),
    Chart("on_time_by_month", _("Monthly reports on time, by month (percent)"),
          lambda m: month_of_day(m.month), _on_time_percent, "avg", kind="line",
          labels=month_label, where=_counted, percent=True, value_label=ON_TIME),
    Chart("on_time_by_department", _("Monthly reports on time, by lead department (percent)"),
          lambda m: m.department_id, _on_time_percent, "avg", labels=department_label,
          where=_counted, percent=True, value_label=ON_TIME),
]
