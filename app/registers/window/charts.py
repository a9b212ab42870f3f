"""The window's services by matter and month, by enterprise and by language (charts as
configuration, app.core.charts); the matter filter turns "by month" into one matter's months."""
from flask_babel import lazy_gettext as _

from app.core.charts import Chart, FilterControl, month_label, month_of, reference_label
from app.registers.enterprises.models import Enterprise
from app.registers.window.models import LANGUAGES, MATTERS

SERVICES = _("Services")

FILTERS = [
    FilterControl("department", _("Department")),
    FilterControl("matter", _("Matter"), choices=MATTERS),
    FilterControl("language", _("Language used"), choices=LANGUAGES),
]
CHARTS = [
    Chart("by_month", _("Services by month"), lambda m: month_of(m.served_at), kind="line",
          labels=month_label, value_label=SERVICES),
    Chart("by_matter", _("Services by matter"), "matter", kind="pie", value_label=SERVICES),
    Chart("minutes_by_matter", _("Time spent by matter (minutes)"), "matter",
          lambda m: m.duration_minutes, "sum", value_label=_("Minutes")),
    Chart("by_enterprise", _("Services by enterprise"), lambda m: m.enterprise_id,
          labels=reference_label(Enterprise), value_label=SERVICES),
    Chart("by_language", _("Services by language used"), "language", kind="pie",
          value_label=SERVICES),
]
