"""Work orders of "123 instant handling" (measure B2), declared to the kit: a timeline,
attachments, a lifecycle and SLA clocks (app.core.parts). The register brings its own view, API
and dashboard (the hotline form, the clock columns); the kit wires them."""
from flask_babel import lazy_gettext as _

from app.core.parts.attachments import Attachments
from app.core.parts.timeline import Timeline
from app.core.registry import Register, declare
from app.core.scope import Scope
from app.registers.workorders import inbox, service_types
from app.registers.workorders.charts import WorkOrderDashboardView
from app.registers.workorders.commands import WorkOrderCommands
from app.registers.workorders.lifecycle import CLOCK_NAMES, LIFECYCLE, PAUSABLE_STATES
from app.registers.workorders.models import (
    ServiceType,
    WorkOrder,
    WorkOrderAttachment,
    WorkOrderEvent,
)
from app.registers.workorders.service_types import ServiceTypeView
from app.registers.workorders.views import (
    EVENT_LABELS,
    FIELD_VALUES,
    LABELS,
    WorkOrderApi,
    WorkOrderView,
    timeline_note,
)


def _may_attach(scope: Scope, order: WorkOrder) -> bool:
    """The Office, the unit that took the order in, or the unit handling it."""
    return (scope.dispatcher or scope.can_write(order.department_id)
            or (order.handling_department_id is not None
                and scope.can_write(order.handling_department_id)))


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
    },
    values=FIELD_VALUES,
    # dispatching, accepting, resolving … and attaching files (no delete: orders are closed)
    permissions={"write": ("can_transition",)},
    timeline=Timeline(WorkOrderEvent, labels=EVENT_LABELS, note=timeline_note),
    attachments=Attachments(WorkOrderAttachment, who=_may_attach),
    lifecycle=LIFECYCLE,
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
    seeds=[service_types.SEED],
    extra=_extra,
    sample=lambda make: {"subject": make.text("咨询"), "content": make.text("请问申报条件"),
                         "channel": "hotline", "category": "general", "language": "zh",
                         "service_type_id": make.ref(ServiceType, code="policy")},
))
