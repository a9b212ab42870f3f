"""Enterprise charts, as configuration (app.core.charts)."""
from flask_babel import lazy_gettext as _

from app.core.charts import Chart, FilterControl
from app.registers.enterprises.models import INDUSTRIES, STAGES

FILTERS = [
    FilterControl("department", _("Department")),
    FilterControl("industry", _("Industry"), choices=INDUSTRIES),
    FilterControl("stage", _("Stage"), choices=STAGES),
    FilterControl("japanese_funded", _("Japanese-funded only")),
    FilterControl("export_enterprise", _("Export enterprises only")),
]
CHARTS = [
    Chart("industry", _("Enterprises by industry"), "industry", value_label=_("Enterprises")),
    Chart("japanese", _("Japanese-funded share"), lambda m: m.japanese_funded, kind="pie",
          labels=lambda v: _("Japanese-funded") if v else _("Other"),
          value_label=_("Enterprises")),
    Chart("stage", _("Enterprises by stage"), "stage", kind="pie", value_label=_("Enterprises")),
]
