"""Events (measures A5, B3, B4): trainings, job fairs, bank–enterprise matchmaking and trade
fairs, declared once."""
from flask_babel import lazy_gettext as _

from app.core.calendars import Calendar
from app.core.parts.attachments import Attachments
from app.core.parts.timeline import Timeline
from app.core.registry import Register, declare
from app.registers.events.models import Event, EventAttachment, EventEvent

REGISTER = declare(Register(
    model=Event,
    name="Events",
    label=_("Events"),
    title=_("Event"),
    route="/events",
    icon="fa-calendar",
    edit_columns=["kind", "name_zh", "name_ja", "name_en", "starts_at", "ends_at", "venue",
                  "capacity", "topic", "fair_scope", "institutions", "description",
                  "department", "co_departments"],
    list_columns=["starts_at", "name", "kind", "venue", "state", "department"],
    search_columns=["name_zh", "name_ja", "name_en", "kind", "state", "venue", "starts_at",
                    "department"],
    order_columns=["starts_at", "name_zh", "kind", "state"],
    base_order=("starts_at", "desc"),
    labels={"name": _("Title"), "department": _("Lead department"),
            "department_id": _("Lead department")},
    link_column="name",
    import_key=("name_zh", "starts_at"),
    timeline=Timeline(EventEvent),
    attachments=Attachments(EventAttachment),
    calendar=Calendar("starts_at", "ends_at", color="kind"),
    sample=lambda make: {"name_zh": make.text("上市辅导培训"), "kind": "training",
                         "topic": "listing", "starts_at": make.instant(days=30)},
))
