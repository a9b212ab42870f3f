from flask_babel import lazy_gettext as _

from app.registers.workorders import inbox
from app.registers.workorders.charts import WorkOrderDashboardView
from app.registers.workorders.lifecycle import TRANSITIONS
from app.registers.workorders.models import WorkOrder
from app.registers.workorders.service_types import ServiceTypeView
from app.registers.workorders.views import (
    EVENT_LABELS,
    FIELD_VALUES,
    LABELS,
    WorkOrderApi,
    WorkOrderView,
)

__all__ = ["FIELD_VALUES", "register"]

TABLE = "work_order"
MODEL = WorkOrder
LABEL = _("Work orders")
FIELD_LABELS = {
    **LABELS,
    "department_id": LABELS["department"],
    "handling_department_id": LABELS["handling_department"],
    "handler_id": LABELS["handler"],
    "enterprise_id": LABELS["enterprise"],
    "service_type_id": LABELS["service_type"],
    # What an action brings that no column keeps (app.core.history's ``extra``).
    "reason": _("Reason"),
    "attachment": _("Attachment"),
}
# The history names each lifecycle action as its button does.
ACTION_LABELS = {"attach": EVENT_LABELS["attach"],
                 **{action: t.label for action, t in TRANSITIONS.items()}}


def register(appbuilder) -> None:
    appbuilder.add_view(
        WorkOrderView, "Work orders", label=_("Work orders"), icon="fa-ticket",
        category="Registers", category_label=_("Registers"), category_icon="fa-folder-open",
    )
    appbuilder.add_api(WorkOrderApi)
    inbox.register()
    appbuilder.add_view(ServiceTypeView, "Service types", label=_("Service types"),
                        icon="fa-tags", category="Reference data",
                        category_label=_("Reference data"), category_icon="fa-book")
    appbuilder.add_view(WorkOrderDashboardView, "Work-order dashboard",
                        label=_("Work-order dashboard"), icon="fa-line-chart",
                        category="Dashboards", category_label=_("Dashboards"),
                        category_icon="fa-dashboard")
