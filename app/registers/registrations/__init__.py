"""Registrations of enterprises to events (measures A5, B3, B4), declared once. The register
brings its view and API bases (app.registers.registrations.views), the panels it adds to the
event's and the enterprise's record pages (panels) and how a spreadsheet names an event
(spreadsheet)."""
from flask import Blueprint, current_app
from flask_babel import lazy_gettext as _

from app.core.parts.views import Panel, register_panel
from app.core.registry import Register, declare
from app.core.transfer.cells import register_reference
from app.registers.enterprises.models import Enterprise
from app.registers.events.models import Event
from app.registers.registrations import panels
from app.registers.registrations.commands import ACTIONS, RegistrationCommands
from app.registers.registrations.models import Registration
from app.registers.registrations.spreadsheet import EVENT_REFERENCE
from app.registers.registrations.views import RegistrationApiBase, RegistrationViewBase

# A new registration: the event and the enterprise; then what changes.
ADD_COLUMNS = ["event", "enterprise", "contact_name", "contact_phone", "contact_email",
               "attendees"]
EDIT_COLUMNS = ["contact_name", "contact_phone", "contact_email", "attendees", "attendance",
                "excuse_reason", "positions_offered", "applicants", "hires"]
FEEDBACK_COLUMNS = ["attitude", "quality", "efficiency", "feedback_comment", "feedback_at"]


def _extra(appbuilder) -> None:
    # (the panels' templates live here, with the register)
    app = current_app._get_current_object()
    if "registrations_parts" not in app.blueprints:
        app.register_blueprint(Blueprint("registrations_parts", __name__,
                                         template_folder="templates"))
    register_panel(Panel("registrations", "registrations/event_panel.html",
                         panels.event_registrations, wide=True))
    register_panel(Panel("attendance-figures", "registrations/enterprise_panel.html",
                         panels.enterprise_figures))


register_reference(Event, EVENT_REFERENCE)

REGISTER = declare(Register(
    model=Registration,
    name="Registrations",
    label=_("Event registrations"),
    title=_("Event registration"),
    route="/registrations",
    icon="fa-id-card",
    add_columns=ADD_COLUMNS,
    edit_columns=EDIT_COLUMNS,
    list_columns=["event", "enterprise", "attendees", "status", "attendance", "channel"],
    show_columns=["event", "enterprise", "contact_name", "contact_phone", "contact_email",
                  "attendees", "channel", "status", "attendance", "excuse_reason",
                  "checked_in_at", "positions_offered", "applicants", "hires",
                  *FEEDBACK_COLUMNS, "department", "created_on", "changed_on"],
    # the attendee list: the event by title and start, the enterprise by name and code
    export_columns=["event", "enterprise", "enterprise.uscc", "contact_name", "contact_phone",
                    "contact_email", "attendees", "status", "attendance", "excuse_reason",
                    "positions_offered", "applicants", "hires"],
    api_show_columns=["id", "event.id", "enterprise.id", *ADD_COLUMNS[2:], "channel",
                      "status", "attendance", "excuse_reason", "checked_in_at",
                      "positions_offered", "applicants", "hires", *FEEDBACK_COLUMNS,
                      "created_on", "changed_on"],
    labels={"enterprise.uscc": _("Unified social credit code"), "department": _("Department"),
            "event_id": _("Event"), "enterprise_id": _("Enterprise")},
    search_columns=["event", "enterprise", "status", "attendance", "channel", "department"],
    order_columns=["created_on", "status", "attendance"],
    base_order=("created_on", "desc"),
    link_column="enterprise",
    commands=RegistrationCommands,
    actions=ACTIONS,
    import_key=("event", "enterprise"),
    # (a cancelled registration keeps its key: a row names the enterprise's current one, or
    # registers it again)
    import_matches=lambda model: model.status != "cancelled",
    kind_of=lambda registration: registration.event.kind,  # (its job fair's fields)
    view_base=RegistrationViewBase,
    api_base=RegistrationApiBase,
    extra=_extra,
    sample=lambda make: {"event_id": make.record(Event),
                         "enterprise_id": make.record(Enterprise),
                         "contact_name": make.text("王经理")},
))
