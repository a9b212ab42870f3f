"""Registrations of enterprises to events (measures A5, B3, B4), declared once."""
from flask_babel import lazy_gettext as _

from app.core.registry import Register, declare
from app.registers.enterprises.models import Enterprise
from app.registers.events.models import Event
from app.registers.registrations.commands import RegistrationCommands
from app.registers.registrations.models import Registration

REGISTER = declare(Register(
    model=Registration,
    name="Registrations",
    label=_("Event registrations"),
    title=_("Event registration"),
    route="/registrations",
    icon="fa-id-card",
    edit_columns=["event", "enterprise", "contact_name", "contact_phone", "contact_email",
                  "attendees", "attendance", "excuse_reason", "positions_offered",
                  "applicants", "hires"],
    list_columns=["event", "enterprise", "attendees", "status", "attendance", "channel"],
    search_columns=["event", "enterprise", "status", "attendance", "channel", "department"],
    order_columns=["created_on", "status", "attendance"],
    base_order=("created_on", "desc"),
    link_column="enterprise",
    commands=RegistrationCommands,
    import_key=("event", "enterprise"),
    kind_of=lambda registration: registration.event.kind,  # (its job fair's fields)
    sample=lambda make: {"event_id": make.record(Event),
                         "enterprise_id": make.record(Enterprise),
                         "contact_name": make.text("王经理")},
))
