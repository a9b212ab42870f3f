"""Work orders of "123 instant handling" (measure B2), declared to the kit. The register brings
its own view, API and dashboard (lifecycle buttons, timeline, clocks); the kit wires them."""
from flask_babel import lazy_gettext as _

from app.core.registry import Register, declare
from app.registers.workorders import inbox
from app.registers.workorders.charts import WorkOrderDashboardView
from app.registers.workorders.commands import WorkOrderCommands
from app.registers.workorders.lifecycle import CLOCK_NAMES, PAUSABLE_STATES, TRANSITIONS
from app.registers.workorders.models import WorkOrder
from app.registers.workorders.service_types import ServiceTypeView
from app.registers.workorders.views import (
    EVENT_LABELS,
    FIELD_VALUES,
    LABELS,
    WorkOrderApi,
    WorkOrderView,
)


def _extra(appbuilder) -> None:
    inbox.register()
    appbuilder.add_view(ServiceTypeView, "Service types", label=_("Service types"),
                        icon="fa-tags", category="Reference data",
                        category_label=_("Reference data"), category_icon="fa-book")


REGISTER = declare(Register(
    model=WorkOrder,
    name="Work orders",
    label=_("Work orders"),
    title=_("Work order"),
    route="/workorders",
    icon="fa-ticket",
    labels={
        **LABELS,
        "department_id": LABELS["department"],
        "handling_department_id": LABELS["handling_department"],
        "handler_id": LABELS["handler"],
        "enterprise_id": LABELS["enterprise"],
        "service_type_id": LABELS["service_type"],
        # What an action brings that no column keeps (app.core.history's ``extra``).
        "reason": _("Reason"),
        "attachment": _("Attachment"),
    },
    values=FIELD_VALUES,
    # The history names each lifecycle action as its button does.
    actions={"attach": EVENT_LABELS["attach"],
             **{action: t.label for action, t in TRANSITIONS.items()}},
    clocks=CLOCK_NAMES,
    pause_states=PAUSABLE_STATES,
    # imports: a row with a ticket updates that order; one without takes in a new order, with
    # its ticket, clocks and timeline (its commands)
    import_key=("ticket",),
    commands=WorkOrderCommands,
    view=WorkOrderView,
    api=WorkOrderApi,
    charts_view=WorkOrderDashboardView,
    charts_name="Work-order dashboard",
    charts_label=_("Work-order dashboard"),
    rollup_columns=("department_id", "handling_department_id"),
    extra=_extra,
))
