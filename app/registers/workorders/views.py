"""Work orders: the hotline's fast entry form, lists, the order page with its action buttons,
timeline and clocks, and the REST API — all through WorkOrderCommands."""
from __future__ import annotations

from flask import url_for
from flask_appbuilder.widgets import ShowWidget
from flask_babel import lazy_gettext as _
from markupsafe import Markup
from wtforms import SelectField

from app.clocks.views import STATES
from app.core.interface import ScopedInterface
from app.core.lookup import LookupField
from app.core.parts.views import (
    AttachmentsViewMixin,
    LifecycleApiMixin,
    LifecycleViewMixin,
    TimelineApiMixin,
    remember_shown,
)
from app.core.scope import may_write
from app.core.timeutil import format_display, format_due
from app.core.views import ScopedModelView, ScopedRestApi, coded, record_columns
from app.registers.enterprises.models import Enterprise
from app.registers.enterprises.views import enterprise_label
from app.registers.workorders.commands import WorkOrderCommands
from app.registers.workorders.lifecycle import CLOCK_NAMES, STATE_LABELS, departments
from app.registers.workorders.models import (
    CATEGORIES,
    CHANNELS,
    LANGUAGES,
    RATINGS,
    WorkOrder,
)

LABELS = {
    "ticket": _("Ticket"), "channel": _("Channel"), "received_at": _("Received at"),
    "enterprise": _("Enterprise"), "contact_name": _("Contact person"),
    "contact_phone": _("Contact phone"), "contact_email": _("Contact e-mail"),
    "language": _("Requester's language"), "subject": _("Subject"), "content": _("Content"),
    "service_type": _("Service type"), "category": _("Category"), "state": _("State"),
    "department": _("Taken in by"), "handling_department": _("Handling department"),
    "handler": _("Handler"), "reply": _("Reply"), "rating": _("Rating"),
    "rating_attitude": _("Attitude"), "rating_quality": _("Quality"),
    "rating_efficiency": _("Efficiency"), "rating_comment": _("Comment"),
    "extension_requested": _("Extension requested (working days)"),
    "extension_reason": _("Reason for the extension"), "external_ref": _("Channel reference"),
    "created_on": _("Created at"), "changed_on": _("Changed at"),
    "clock": _("Clock state"), "clock_due_at": _("Due at"),
}
ENTRY_COLUMNS = [
    "channel", "received_at", "enterprise", "contact_name", "contact_phone", "contact_email",
    "language", "service_type", "category", "subject", "content",
]
FIELD_VALUES = {"channel": CHANNELS, "category": CATEGORIES, "language": LANGUAGES,
                "state": STATE_LABELS, "rating": RATINGS}


def _choices():
    return {
        "channel": SelectField(_("Channel"), choices=list(CHANNELS.items())),
        "category": SelectField(_("Category"), choices=list(CATEGORIES.items()),
                                default="general"),
        "language": SelectField(_("Requester's language"), choices=list(LANGUAGES.items())),
        "enterprise": _enterprise_field(),
    }


def _enterprise_field():
    # Found by name, code or phone over every enterprise the user may read (the hotline desk
    # serves the whole zone), not picked from a list sent with the form.
    return LookupField(_("Enterprise"), interface=ScopedInterface(Enterprise),
                       endpoint="EnterpriseView.lookup", describe=enterprise_label,
                       placeholder=_("Name, unified social credit code or phone"))


# Rows of orders whose promise is overdue or at risk stand out in lists (Bootstrap row classes).
CLOCK_ROW_CLASSES = {"breached": "danger overdue", "warning": "warning at-risk"}
CLOCK_LABEL_CLASSES = {"breached": "label-danger", "warning": "label-warning"}


def clock_state_label(clock) -> str:
    """An order's current promise as a list shows it: its state (as a label when overdue or at
    risk), named when it is the dispatch clock."""
    if clock is None:
        return ""
    code = clock.state_now()
    state = str(STATES.get(code, code))
    if code in CLOCK_LABEL_CLASSES:
        state = Markup('<span class="label {}">{}</span>').format(CLOCK_LABEL_CLASSES[code], state)
    if clock.name == "dispatch":
        return Markup("{} · {}").format(CLOCK_NAMES["dispatch"], state)
    return state


def _nowrap(format_time):
    """A time kept on one line in a narrow column."""
    def formatted(value):
        text = format_time(value)
        return Markup('<span style="white-space:nowrap">{}</span>').format(text) if text else ""

    return formatted


class OrderShowWidget(ShowWidget):
    template = "puwan/widgets/show.html"


class WorkOrderView(LifecycleViewMixin, AttachmentsViewMixin, ScopedModelView):
    route_base = "/workorders"
    datamodel = ScopedInterface(WorkOrder)
    list_title = _("Work orders")
    show_title = _("Work order")
    add_title = _("New work order (hotline entry)")
    edit_title = _("Edit work order")
    label_columns = LABELS
    list_columns = ["ticket", "received_at", "channel", "subject", "category", "state",
                    "handling_department", "clock_due_at", "clock"]
    link_column = "ticket"
    show_columns = ["ticket", "state", "received_at", "channel", "enterprise", "contact_name",
                    "contact_phone", "contact_email", "language", "service_type", "category",
                    "subject", "content", "department", "handling_department", "handler",
                    "reply", "rating", "rating_attitude", "rating_quality",
                    "rating_efficiency", "rating_comment", "extension_requested"]
    add_columns = ENTRY_COLUMNS
    edit_columns = ["enterprise", "contact_name", "contact_phone", "contact_email", "language",
                    "service_type", "subject", "content"]
    search_columns = ["ticket", "subject", "content", "channel", "category", "state",
                      "handling_department", "department", "service_type", "received_at"]
    order_columns = ["ticket", "received_at", "state", "category"]
    base_order = ("received_at", "desc")
    add_form_extra_fields = _choices()
    edit_form_extra_fields = {key: _choices()[key] for key in ("language", "enterprise")}
    formatters_columns = {**{key: coded(mapping) for key, mapping in FIELD_VALUES.items()},
                          "clock": clock_state_label, "clock_due_at": _nowrap(format_due),
                          "received_at": _nowrap(format_display)}
    method_permission_name = {"export": "export", "transition": "transition",
                              "attachment": "show", "upload": "transition"}
    # Work orders are the zone's record of its promises: they are closed, never deleted.
    base_permissions = ["can_list", "can_show", "can_add", "can_edit", "can_export",
                        "can_import", "can_transition"]

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.commands = WorkOrderCommands()
        # The list's clock columns: both clocks come with the page's rows (no query per row).
        self.datamodel.eager_load(self.list_columns + ["dispatch_clock", "resolution_clock"],
                                  record_columns(self))

    def row_class(self, order) -> str:
        clock = order.clock
        return CLOCK_ROW_CLASSES.get(clock.state_now(), "") if clock is not None else ""

    def _get_show_widget(self, pk, item, widgets=None, actions=None, show_fieldsets=None):
        remember_shown(item)  # the order's page shows its parts below FAB's fields
        # Only the fields the order has (an order just taken in has no reply, rating …).
        values = self.datamodel.get_values_item(item, self.show_columns)
        shown = [(column, value) for column, value in zip(self.show_columns, values, strict=True)
                 if value is not None and str(value).strip() != ""]
        may_edit = (self.appbuilder.sm.has_access("can_edit", self.class_permission_name)
                    and may_write(item))
        widgets = widgets or {}
        widgets["show"] = OrderShowWidget(
            pk=pk, label_columns=self.label_columns, include_columns=[c for c, _v in shown],
            value_columns=[v for _c, v in shown], formatters_columns=self.formatters_columns,
            actions=actions or self.actions, fieldsets=None,
            modelview_name=self.__class__.__name__,
            edit_url=url_for(f"{self.endpoint}.edit", pk=pk) if may_edit else None)
        return widgets


# Events of the order's timeline that are not lifecycle actions (an attachment's is the kit's).
EVENT_LABELS = {"receive": _("Received")}


def timeline_note(event) -> str:
    """A dispatch's note names the department in the dispatcher's language: shown in the
    reader's."""
    if event.action == "dispatch" and event.note:
        department = next((d for d in departments()
                           if event.note in (d.name_zh, d.name_ja, d.name_en)), None)
        if department is not None:
            return str(department)
    return event.note or ""


class WorkOrderApi(LifecycleApiMixin, TimelineApiMixin, ScopedRestApi):
    resource_name = "workorder"
    datamodel = ScopedInterface(WorkOrder)
    label_columns = LABELS
    list_columns = ["id", "ticket", "received_at", "channel", "subject", "category", "state",
                    "handling_department.id", "handling_department.code", "service_type.code"]
    show_columns = ["id", "ticket", "state", "received_at", "channel", "enterprise.id",
                    "contact_name", "contact_phone", "contact_email", "language",
                    "service_type.code", "category", "subject", "content", "department.code",
                    "handling_department.code", "handler.username", "reply", "rating",
                    "rating_attitude", "rating_quality", "rating_efficiency",
                    "rating_comment", "extension_requested"]
    add_columns = ENTRY_COLUMNS
    edit_columns = ["enterprise", "contact_name", "contact_phone", "contact_email", "language",
                    "service_type", "subject", "content"]
    search_columns = ["ticket", "subject", "channel", "category", "state",
                      "handling_department", "received_at"]
    order_columns = ["ticket", "received_at", "state"]
    base_order = ("received_at", "desc")
    exclude_route_methods = {"delete"}
    method_permission_name = {
        "get_list": "get", "get": "get", "info": "info", "post": "post", "put": "put",
        "delete": "delete", "transition": "transition", "timeline": "get",
    }

    def __init__(self):
        super().__init__()
        self.commands = WorkOrderCommands()

    def transition_result(self, order) -> dict:
        return {"id": order.id, "ticket": order.ticket, "state": order.state}
