"""Events (measures A5, B3, B4): trainings, job fairs, bank–enterprise matchmaking and trade
fairs, declared once: a lifecycle (planned → open → held → closed, or cancelled with a reason),
a month calendar coloured by kind, a dashboard, an .ics file per event, timeline and
attachments."""
from flask_babel import lazy_gettext as _

from app.core.calendars import Calendar
from app.core.parts.attachments import Attachments
from app.core.parts.timeline import Timeline
from app.core.registry import Register, declare
from app.registers.events import charts, views
from app.registers.events.commands import EventCommands
from app.registers.events.lifecycle import LIFECYCLE
from app.registers.events.models import Event, EventAttachment, EventEvent

EDIT_COLUMNS = ["kind", "name_zh", "name_ja", "name_en", "starts_at", "ends_at", "venue_zh",
                "venue_ja", "venue_en", "capacity", "topic", "fair_scope", "institutions",
                "description_zh", "description_ja", "description_en", "department",
                "co_departments"]

REGISTER = declare(Register(
    model=Event,
    name="Events",
    label=_("Events"),
    title=_("Event"),
    route="/events",
    icon="fa-calendar",
    edit_columns=EDIT_COLUMNS,
    list_columns=["starts_at", "name", "kind", "venue", "state", "department"],
    show_columns=["kind", "name_zh", "name_ja", "name_en", "state", "cancel_reason",
                  "starts_at", "ends_at", "venue_zh", "venue_ja", "venue_en", "capacity", "topic",
                  "fair_scope", "institutions", "description_zh", "description_ja",
                  "description_en", "department", "co_departments",
                  "created_on", "changed_on", "created_by", "changed_by"],
    # (the titles in each language, so that an export imports back onto its events)
    export_columns=["starts_at", "ends_at", "name_zh", "name_ja", "name_en", "kind", "topic",
                    "fair_scope", "venue_zh", "venue_ja", "venue_en", "capacity", "description_zh",
                    "description_ja", "description_en", "state", "department"],
    search_columns=["name_zh", "name_ja", "name_en", "kind", "state", "venue_zh", "starts_at",
                    "department"],
    order_columns=["starts_at", "name_zh", "kind", "state"],
    base_order=("starts_at", "desc"),
    labels={"name": _("Title"), "venue": _("Venue"), "department": _("Lead department"),
            "department_id": _("Lead department"), "calendar_title": _("Title")},
    link_column="name",
    import_key=("name_zh", "starts_at"),
    commands=EventCommands,
    # opening, holding, closing and cancelling are the lead department's writes
    permissions={"write": ("can_transition",)},
    lifecycle=LIFECYCLE,
    timeline=Timeline(EventEvent, labels={"plan": _("Event created")}),
    attachments=Attachments(EventAttachment),
    calendar=Calendar("starts_at", "ends_at", title="calendar_title", color="kind"),
    charts=charts.CHARTS,
    chart_filters=charts.FILTERS,
    chart_search_columns=charts.SEARCH_COLUMNS,
    charts_name="Events dashboard",
    charts_label=_("Events dashboard"),
    charts_title=_("Events dashboard"),
    view_base=views.EventViewBase,
    api_base=views.EventApiBase,
    extra=views.install,
    sample=lambda make: {"name_zh": make.text("上市辅导培训"), "kind": "training",
                         "topic": "listing", "starts_at": make.instant(days=30)},
))
