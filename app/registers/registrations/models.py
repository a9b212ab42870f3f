"""Registrations of enterprises to events (measures A5, B3, B4): taken by staff, by import or by
the enterprise itself on the portal, with a waiting list when the event is full; attendance
(present / absent / excused with a reason); a job fair's outcome for the enterprise; and the
enterprise's feedback once it attended (the same three scores as a work order's 好差评, so that
measure C3 reads them together).

A registration belongs to its event's lead department (``department_id`` follows the event) and
is read by the event's co-operating departments too.
"""
from flask_appbuilder import Model
from flask_babel import lazy_gettext as _
from sqlalchemy import (
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    text,
)
from sqlalchemy.orm import relationship

from app.core.models import AuditMixin, DepartmentOwnedMixin
from app.registers.enterprises.models import Enterprise
from app.registers.events.models import Event, OfEventMixin

CHANNELS = {"staff": _("Staff"), "import": _("Import"), "portal": _("Portal")}
STATUSES = {
    "registered": _("Registered"),
    "waitlisted": _("On the waiting list"),
    "cancelled": _("Cancelled"),
}
ATTENDANCE = {"present": _("Present"), "absent": _("Absent"), "excused": _("Excused")}
SCORES = {n: str(n) for n in range(1, 6)}  # attitude, quality, efficiency (as 好差评)


class Registration(OfEventMixin, AuditMixin, DepartmentOwnedMixin, Model):
    __tablename__ = "event_registration"
    __audit_exclude__ = ("token_hash",)  # (the hash behind the portal's private link)
    __table_args__ = (
        # one registration of an enterprise to an event at a time: a cancelled one stays (the
        # history of the event) and the enterprise may register again
        Index("uq_event_registration_enterprise", "event_id", "enterprise_id", unique=True,
              sqlite_where=text("status != 'cancelled'"),
              postgresql_where=text("status != 'cancelled'")),
        Index("ix_event_registration_event_status", "event_id", "status"),
        # the list's order (newest first, then id): a page of 1,000,000 without sorting them
        Index("ix_event_registration_created_on", "created_on", "id"),
    )
    id = Column(Integer, primary_key=True)
    event_id = Column(Integer, ForeignKey("event.id", ondelete="CASCADE"), nullable=False)
    # (a registration belongs to its event: its department follows the event's)
    event = relationship(Event, info={"label": _("Event"), "parent": True})
    enterprise_id = Column(Integer, ForeignKey("enterprise.id"), nullable=False, index=True)
    # any enterprise the user can see may be registered (the link is checked for reading)
    enterprise = relationship(Enterprise, info={"label": _("Enterprise"), "scope_check": "read"})
    contact_name = Column(String(100), info={"label": _("Contact person")})
    contact_phone = Column(String(40), info={"label": _("Contact phone")})
    contact_email = Column(String(200), info={"label": _("Contact e-mail")})
    attendees = Column(Integer, nullable=False, default=1,
                       info={"label": _("Number of attendees"), "min": 1, "max": 500})
    channel = Column(String(16), nullable=False, default="staff",
                     info={"label": _("Registered through"), "choices": CHANNELS})
    status = Column(String(16), nullable=False, default="registered", index=True,
                    info={"label": _("Registration status"), "choices": STATUSES})
    attendance = Column(String(16), index=True,
                        info={"label": _("Attendance"), "choices": ATTENDANCE})
    excuse_reason = Column(String(300), info={"label": _("Reason for the excuse")})
    checked_in_at = Column(DateTime, info={"label": _("Checked in at")})
    # a job fair's outcome for this enterprise (A5)
    positions_offered = Column(Integer, info={"label": _("Positions offered"), "min": 0,
                                              "max": 100000, "kinds": ("job_fair",)})
    applicants = Column(Integer, info={"label": _("Applicants"), "min": 0, "max": 100000,
                                       "kinds": ("job_fair",)})
    hires = Column(Integer, info={"label": _("Hires"), "min": 0, "max": 100000,
                                  "kinds": ("job_fair",)})
    # the enterprise's feedback after attending (1–5 each)
    attitude = Column(Integer, info={"label": _("Attitude"), "choices": SCORES})
    quality = Column(Integer, info={"label": _("Quality"), "choices": SCORES})
    efficiency = Column(Integer, info={"label": _("Efficiency"), "choices": SCORES})
    feedback_comment = Column(Text, info={"label": _("Feedback comment")})
    feedback_at = Column(DateTime, info={"label": _("Feedback given at")})
    # the enterprise's private link (portal): its sha256, never the token itself
    token_hash = Column(String(64), unique=True)

    def __str__(self) -> str:
        return f"{self.event} · {self.enterprise}"
