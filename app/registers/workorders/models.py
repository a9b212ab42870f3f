"""Work orders of "123 instant handling" (measure B2): every enterprise request, its handling
department, its clocks and its timeline."""
from __future__ import annotations

from flask_appbuilder import Model
from flask_babel import lazy_gettext as _
from sqlalchemy import Column, DateTime, ForeignKey, Integer, String, Text, and_, or_
from sqlalchemy.orm import foreign, relationship

from app.clocks.models import SlaClock
from app.core.models import AuditMixin, Department, NamedMixin, PuwanUser
from app.core.parts.attachments import attachments_for
from app.core.parts.timeline import timeline_for
from app.core.timeutil import utcnow
from app.registers.enterprises.models import Enterprise

CHANNELS = {
    "hotline": _("Hotline"), "email": _("E-mail"), "wechat": _("WeChat"),
    "portal": _("Web portal"), "walk_in": _("Walk-in"), "office_day": _("Deputy directors' office day"),
    "open311": _("Open311 API"),
}
CATEGORIES = {
    "consultation": _("Consultation"), "general": _("General"), "difficult": _("Difficult"),
}
LANGUAGES = {"zh": _("Chinese"), "ja": _("Japanese"), "en": _("English")}
RATINGS = {
    5: _("Very satisfied"), 4: _("Satisfied"), 3: _("Basically satisfied"),
    2: _("Dissatisfied"), 1: _("Very dissatisfied"),
}
BAD_RATINGS = (1, 2)
SCORES = [(n, str(n)) for n in range(1, 6)]  # attitude, quality, efficiency
# The empty first choice of a rating or score: nothing is chosen for the person rating.
CHOOSE = _("— choose —")


class ServiceType(NamedMixin, Model):
    """The seeded catalogue of request types (policy consultation, approvals, financing …)."""

    __tablename__ = "service_type"
    id = Column(Integer, primary_key=True)
    code = Column(String(32), unique=True, nullable=False)


def _clock_relation(name: str):
    """The order's clock ``name`` (clocks name their subject by table and id, not by a key)."""
    return relationship(SlaClock, uselist=False, viewonly=True, primaryjoin=lambda: and_(
        foreign(SlaClock.subject_id) == WorkOrder.id, SlaClock.subject_type == "work_order",
        SlaClock.name == name))


class WorkOrder(AuditMixin, Model):
    __tablename__ = "work_order"
    __audit_exclude__ = ("tracking_hash",)

    id = Column(Integer, primary_key=True)
    ticket = Column(String(20), unique=True)
    channel = Column(String(16), nullable=False, default="hotline")
    received_at = Column(DateTime, nullable=False, default=utcnow, index=True)
    enterprise_id = Column(Integer, ForeignKey("enterprise.id", ondelete="SET NULL"), index=True)
    enterprise = relationship(Enterprise, info={"scope_check": "read"})
    contact_name = Column(String(100))
    contact_phone = Column(String(40))
    contact_email = Column(String(200))
    language = Column(String(2), nullable=False, default="zh")
    subject = Column(String(200), nullable=False)
    content = Column(Text, nullable=False)
    service_type_id = Column(Integer, ForeignKey("service_type.id"), nullable=False)
    service_type = relationship(ServiceType)
    category = Column(String(16), nullable=False, default="general")
    state = Column(String(16), nullable=False, default="received", index=True)
    # Who took the request in (the Office for public channels) and who handles it.
    department_id = Column(Integer, ForeignKey("department.id"), nullable=False, index=True)
    department = relationship(Department, foreign_keys=[department_id])
    handling_department_id = Column(Integer, ForeignKey("department.id"), index=True)
    handling_department = relationship(Department, foreign_keys=[handling_department_id],
                                       info={"scope_check": False})
    handler_id = Column(Integer, ForeignKey("ab_user.id"))
    handler = relationship(PuwanUser, foreign_keys=[handler_id], info={"scope_check": False})
    reply = Column(Text)
    rating = Column(Integer)
    rating_attitude = Column(Integer)
    rating_quality = Column(Integer)
    rating_efficiency = Column(Integer)
    rating_comment = Column(Text)
    extension_requested = Column(Integer)  # working days asked for, while pending
    extension_reason = Column(Text)
    # Idempotency key of an intake channel (e.g. "wechat:<MsgId>", "email:<Message-ID>").
    external_ref = Column(String(255), unique=True)
    # SHA-256 of the requester's private tracking token (the link holds the token itself).
    tracking_hash = Column(String(64), unique=True)
    # The order's two promises, read with the order where a page shows them (lists: one query).
    dispatch_clock = _clock_relation("dispatch")
    resolution_clock = _clock_relation("resolution")

    @property
    def clock(self) -> SlaClock | None:
        """The promise that matters now: dispatch while the order waits for it, then resolution."""
        dispatch = self.dispatch_clock
        if dispatch is not None and dispatch.stopped_at is None:
            return dispatch
        return self.resolution_clock

    @property
    def clock_due_at(self):
        return self.clock.due_at if self.clock is not None else None

    @property
    def clock_state(self) -> str | None:
        return self.clock.state if self.clock is not None else None

    @property
    def owning_department_id(self) -> int | None:
        return self.department_id

    @classmethod
    def visible_clause(cls, scope):
        """A department sees the orders dispatched to it and those it took in."""
        allowed = scope.read or ()
        return or_(cls.department_id.in_(allowed), cls.handling_department_id.in_(allowed))

    def validate_record(self) -> None:
        from app.core.exceptions import ValidationFailed

        errors = {}
        if self.channel not in CHANNELS:
            errors["channel"] = [_("Choose a channel from the list.")]
        if self.category not in CATEGORIES:
            errors["category"] = [_("Choose a category from the list.")]
        if self.language not in LANGUAGES:
            errors["language"] = [_("Choose a language from the list.")]
        if not (self.subject or "").strip():
            errors["subject"] = [_("This field is required.")]
        if not (self.content or "").strip():
            errors["content"] = [_("This field is required.")]
        if errors:
            raise ValidationFailed(errors=errors)

    def __str__(self) -> str:
        return self.ticket or f"#{self.id}"


# Its timeline and attachments (app.core.parts): ``order.events``, ``order.attachments``.
WorkOrderEvent = timeline_for(WorkOrder, table="work_order_event", fk="order_id")
WorkOrderAttachment = attachments_for(WorkOrder, table="work_order_attachment", fk="order_id")
