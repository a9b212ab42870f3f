from flask_babel import lazy_gettext as _

from app.registers.enterprises.charts import EnterpriseChartsView
from app.registers.enterprises.models import INDUSTRIES, STAGES, Enterprise
from app.registers.enterprises.views import LABELS, EnterpriseApi, EnterpriseView

TABLE = "enterprise"
MODEL = Enterprise
LABEL = _("Enterprises")
FIELD_LABELS = {
    **LABELS,
    "department_id": LABELS["department"],
    "secretary_id": LABELS["secretary"],
}
# Coded columns -> {code: translated label}, to show stored codes by their names.
FIELD_VALUES = {"industry": INDUSTRIES, "stage": STAGES}


def register(appbuilder) -> None:
    appbuilder.add_view(
        EnterpriseView,
        "Enterprises",
        label=_("Enterprises"),
        icon="fa-building",
        category="Registers",
        category_label=_("Registers"),
        category_icon="fa-folder-open",
    )
    appbuilder.add_api(EnterpriseApi)
    appbuilder.add_view(EnterpriseChartsView, "Enterprise charts", label=_("Enterprise charts"),
                        icon="fa-bar-chart", category="Dashboards",
                        category_label=_("Dashboards"), category_icon="fa-dashboard")
