"""A hook (what to post where) and its delivery log (one row per event to send)."""
from __future__ import annotations

from flask_appbuilder import Model
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import relationship

from app.core.models import AuditMixin
from app.core.timeutil import utcnow


class Hook(AuditMixin, Model):
    """POST an event to ``target_url`` when a clock of ``subject_type`` (None: any register)
    named ``clock_name`` (None: any clock) moves into one of ``states``."""

    __tablename__ = "hook"
    # The change history keeps every column but the secret.
    __audit_exclude__ = ("secret",)
    id = Column(Integer, primary_key=True)
    name = Column(String(100), unique=True, nullable=False)
    subject_type = Column(String(32))
    clock_name = Column(String(32))
    states = Column(JSON, nullable=False, default=list)
    target_url = Column(String(500), nullable=False)
    secret = Column(String(64), nullable=False)
    active = Column(Boolean, nullable=False, default=True)
    deliveries = relationship("HookDelivery", back_populates="hook", cascade="all, delete-orphan",
                              passive_deletes=True)

    def matches(self, subject_type: str, clock_name: str, new_state: str) -> bool:
        return (self.active and self.subject_type in (None, subject_type)
                and self.clock_name in (None, clock_name) and new_state in (self.states or ()))

    def __str__(self) -> str:
        return self.name


class HookDelivery(Model):
    """One event for one hook: sent until the receiver answers 2xx or the attempts run out.

    ``status``: pending → delivered, or failed. A pending row is due at ``next_attempt_at``; a
    sender claims it by moving that forward before it posts (app.clocks.webhooks.delivery).
    ``transition_id`` is empty for a test event."""

    __tablename__ = "hook_delivery"
    __table_args__ = (
        UniqueConstraint("hook_id", "transition_id"),
        # Only the deliveries still to send are in it (the sweep looks for those every minute).
        Index("ix_hook_delivery_due", "next_attempt_at", sqlite_where=text("status = 'pending'"),
              postgresql_where=text("status = 'pending'")),
    )
    id = Column(Integer, primary_key=True)
    hook_id = Column(Integer, ForeignKey("hook.id", ondelete="CASCADE"), nullable=False,
                     index=True)
    hook = relationship(Hook, back_populates="deliveries")
    transition_id = Column(Integer, ForeignKey("sla_transition.id", ondelete="SET NULL"))
    event = Column(JSON, nullable=False)  # the body, but for its "id" (the delivery's)
    status = Column(String(12), nullable=False, default="pending")
    attempts = Column(Integer, nullable=False, default=0)
    last_status = Column(Integer)  # the receiver's HTTP status
    error = Column(String(32))  # why the last attempt failed, when not an HTTP answer
    answer = Column(String(500))  # the start of the receiver's answer, or the error's detail
    created_at = Column(DateTime, nullable=False, default=utcnow, index=True)
    next_attempt_at = Column(DateTime)
    last_attempt_at = Column(DateTime)
    delivered_at = Column(DateTime)

    @property
    def summary(self) -> HookDelivery:
        # The list names the event in the reader's language by its formatter.
        return self

    @property
    def outcome(self) -> HookDelivery:
        return self

    @property
    def full_outcome(self) -> HookDelivery:
        return self
