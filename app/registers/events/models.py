"""Events through which departments serve enterprises (measures A5, B3, B4): trainings, job
fairs, bank–enterprise matchmaking and trade fairs — one register with a kind, each kind with
its own fields. The lead department owns (writes) an event; its co-operating departments read it.
"""
from flask_appbuilder import Model
from flask_babel import lazy_gettext as _
from sqlalchemy import Column, DateTime, Integer, String, Text, or_, select
from sqlalchemy.orm import relationship

from app.core.models import (
    AuditMixin,
    Department,
    DepartmentOwnedMixin,
    LocalizedNameMixin,
    link_table,
    localized,
)
from app.core.parts.attachments import attachments_for
from app.core.parts.timeline import timeline_for
from app.registers.institutions.models import Institution

KINDS = {
    "training": _("Training"),
    "job_fair": _("Job fair"),
    "matchmaking": _("Bank–enterprise matchmaking"),
    "trade_fair": _("Trade fair"),
}
# The measure of the plan each kind serves: its lead and co-operating departments are an
# event's defaults.
MEASURES = {"training": "B3", "job_fair": "A5", "matchmaking": "A5", "trade_fair": "B4"}
TOPICS = {  # of trainings (B3)
    "listing": _("Listing"),
    "rnd": _("Research and development"),
    "statistics": _("Statistics"),
    "tax": _("Tax and fee reduction"),
    "finance": _("Financing"),
    "law": _("Law"),
    "accounting": _("Accounting"),
    "energy": _("Energy saving"),
    "safety": _("Work safety"),
    "other": _("Other"),
}
FAIR_SCOPES = {"international": _("International"), "domestic": _("Domestic")}  # trade fairs

STATES = {
    "planned": _("Planned"),
    "open": _("Open for registration"),
    "held": _("Held"),
    "closed": _("Finished"),  # (not a work order's 已结案)
    "cancelled": _("Cancelled"),
}

event_department = link_table("event", "department")
event_institution = link_table("event", "institution")


class Event(LocalizedNameMixin, AuditMixin, DepartmentOwnedMixin, Model):
    __tablename__ = "event"
    id = Column(Integer, primary_key=True)
    kind = Column(String(16), nullable=False, index=True,
                  info={"label": _("Kind of event"), "choices": KINDS})
    name_zh = Column(String(200), nullable=False, index=True,
                     info={"label": _("Title (Chinese)")})
    name_ja = Column(String(200), info={"label": _("Title (Japanese)")})
    name_en = Column(String(200), info={"label": _("Title (English)")})
    # instants in UTC, shown and entered in Asia/Shanghai
    starts_at = Column(DateTime, nullable=False, index=True, info={"label": _("Starts at")})
    ends_at = Column(DateTime, info={"label": _("Ends at")})
    # typed in Chinese, and in Japanese and English where readers need it (shown in the reader's)
    venue_zh = Column(String(300), info={"label": _("Venue (Chinese)")})
    venue_ja = Column(String(300), info={"label": _("Venue (Japanese)")})
    venue_en = Column(String(300), info={"label": _("Venue (English)")})
    # places (people); none: no limit. Registrations beyond it go on the waiting list.
    capacity = Column(Integer, info={"label": _("Capacity (people)"), "min": 1,
                                     "max": 100000})
    topic = Column(String(16), info={"label": _("Topic"), "choices": TOPICS,
                                     "kinds": ("training",)})
    fair_scope = Column(String(16), info={"label": _("International or domestic"),
                                          "choices": FAIR_SCOPES, "kinds": ("trade_fair",)})
    description_zh = Column(Text, info={"label": _("Description (Chinese)")})
    description_ja = Column(Text, info={"label": _("Description (Japanese)")})
    description_en = Column(Text, info={"label": _("Description (English)")})
    state = Column(String(16), nullable=False, default="planned", index=True,
                   info={"label": _("State"), "choices": STATES})
    cancel_reason = Column(String(500), info={"label": _("Reason for cancelling")})
    co_departments = relationship(
        Department, secondary=event_department, order_by=Department.id,
        info={"label": _("Co-operating departments"), "scope_check": False})
    institutions = relationship(
        Institution, secondary=event_institution, order_by=Institution.name_zh,
        info={"label": _("Partner institutions")})

    @property
    def venue(self) -> str:
        """The venue in the reader's language (falling back to Chinese)."""
        return localized(self, "venue") or ""

    @property
    def description(self) -> str:
        return localized(self, "description") or ""

    @property
    def state_label(self) -> str:
        return str(STATES.get(self.state, self.state or ""))

    @property
    def calendar_title(self) -> str:
        """Its title on the calendar: a cancelled event says so."""
        if self.state == "cancelled":
            return str(_("Cancelled: %(title)s", title=self.name))
        return self.name

    @classmethod
    def visible_clause(cls, scope):
        """The lead department and the co-operating departments read an event."""
        allowed = scope.read or ()
        cooperating = select(event_department.c.event_id).where(
            event_department.c.department_id.in_(allowed))
        return or_(cls.department_id.in_(allowed), cls.id.in_(cooperating))


class OfEventMixin:
    """A record that belongs to an event (a registration, a financing need, a booth subsidy):
    its ``department_id`` follows the event's lead department, and the event's co-operating
    departments read it too."""

    @classmethod
    def visible_clause(cls, scope):
        """As its event: the lead department and the co-operating departments."""
        allowed = scope.read or ()
        cooperating = select(event_department.c.event_id).where(
            event_department.c.department_id.in_(allowed))
        return or_(cls.department_id.in_(allowed), cls.event_id.in_(cooperating))


# Its timeline and attachments (app.core.parts): ``event.events``, ``event.attachments``.
EventEvent = timeline_for(Event, table="event_event", fk="event_id")
EventAttachment = attachments_for(Event, table="event_attachment", fk="event_id")
