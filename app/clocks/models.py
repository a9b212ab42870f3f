"""Stored SLA policies, calendar overrides, clocks, their transitions, and department notices."""
from __future__ import annotations

from flask_appbuilder import Model
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
    select,
    text,
)
from sqlalchemy.orm import column_property, relationship

from app.core.models import AuditMixin, DepartmentOwnedMixin, NamedMixin, PuwanUser
from app.core.timeutil import utcnow
from app.sla.policies import Policy, Unit


class SlaPolicy(NamedMixin, AuditMixin, Model):
    __tablename__ = "sla_policy"
    id = Column(Integer, primary_key=True)
    code = Column(String(32), unique=True, nullable=False)
    amount = Column(Integer, nullable=False)
    unit = Column(String(16), nullable=False)
    warning_percent = Column(Integer, nullable=False, default=75)
    pause_states = Column(JSON, nullable=False, default=list)

    def to_policy(self) -> Policy:
        return Policy(self.code, self.amount, Unit(self.unit), self.warning_percent,
                      frozenset(self.pause_states or ()))


class CalendarOverride(AuditMixin, Model):
    """An administrator's word on one day (working or not), over the package's calendar."""

    __tablename__ = "calendar_override"
    id = Column(Integer, primary_key=True)
    day = Column(Date, unique=True, nullable=False)
    working = Column(Boolean, nullable=False)
    note = Column(String(200), nullable=False, default="")


class SlaClock(DepartmentOwnedMixin, Model):
    """One promise on one record, e.g. the dispatch clock of work order 123.

    ``department`` is the unit responsible for keeping it (notices go there). Instants are
    naive UTC. ``warn_at``/``due_at`` are stored so the sweeper can move states in SQL.
    """

    __tablename__ = "sla_clock"
    __table_args__ = (
        UniqueConstraint("subject_type", "subject_id", "name"),
        # Partial indexes: only the clocks still ticking are in them (a few thousand of
        # millions), matching the sweep's three claims and the home page's "what is due".
        Index("ix_sla_clock_running_due", "due_at", sqlite_where=text("state = 'running'"),
              postgresql_where=text("state = 'running'")),
        Index("ix_sla_clock_running_warn", "warn_at", sqlite_where=text("state = 'running'"),
              postgresql_where=text("state = 'running'")),
        Index("ix_sla_clock_warning_due", "due_at", sqlite_where=text("state = 'warning'"),
              postgresql_where=text("state = 'warning'")),
        Index("ix_sla_clock_open_department_due", "department_id", "due_at",
              sqlite_where=text("stopped_at IS NULL"),
              postgresql_where=text("stopped_at IS NULL")),
    )
    id = Column(Integer, primary_key=True)
    subject_type = Column(String(32), nullable=False)
    subject_id = Column(Integer, nullable=False)
    name = Column(String(32), nullable=False)
    policy_id = Column(Integer, ForeignKey("sla_policy.id"), nullable=False)
    policy = relationship(SlaPolicy)
    state = Column(String(12), nullable=False)
    started_at = Column(DateTime, nullable=False)
    due_at = Column(DateTime, nullable=False)
    warn_at = Column(DateTime, nullable=False)
    paused_since = Column(DateTime)
    paused_seconds = Column(Float, nullable=False, default=0.0)
    stopped_at = Column(DateTime)
    # What due_at was computed with: the unusual days in range and the unconfirmed years.
    calendar_data = Column(JSON, nullable=False, default=dict)
    unconfirmed = Column(Boolean, nullable=False, default=False)
    transitions = relationship("SlaTransition", back_populates="clock",
                               order_by="SlaTransition.id", cascade="all, delete-orphan")

    @property
    def subject(self) -> SlaClock:
        # The list shows the measured record by its label, which its formatter looks up.
        return self

    @property
    def current_state(self) -> str:
        return self.state_now()

    def state_now(self, now=None) -> str:
        """The state a person should read now: the stored one, moved on as the next sweep will
        move it (a deadline passed since the last sweep reads overdue, not on track)."""
        now = now or utcnow()
        if self.state in ("running", "warning") and self.due_at <= now:
            return "breached"
        if self.state == "running" and self.warn_at <= now:
            return "warning"
        return self.state


class SlaTransition(Model):
    """A clock's state change, written once; ``notified_at`` marks its hooks as delivered."""

    __tablename__ = "sla_transition"
    __table_args__ = (Index("ix_sla_transition_pending", "notified_at"),)
    id = Column(Integer, primary_key=True)
    clock_id = Column(Integer, ForeignKey("sla_clock.id", ondelete="CASCADE"), nullable=False,
                      index=True)
    clock = relationship(SlaClock, back_populates="transitions")
    old_state = Column(String(12))
    new_state = Column(String(12), nullable=False)
    at = Column(DateTime, nullable=False, default=utcnow)
    notified_at = Column(DateTime)


class Notice(DepartmentOwnedMixin, Model):
    """An in-app notice to a department (the built-in SLA listener writes these)."""

    __tablename__ = "notice"
    # The top bar counts a department's unread notices on every page: only those are indexed.
    __table_args__ = (
        Index("ix_notice_unread", "department_id", sqlite_where=text("read_at IS NULL"),
              postgresql_where=text("read_at IS NULL")),
    )
    id = Column(Integer, primary_key=True)
    created_at = Column(DateTime, nullable=False, default=utcnow, index=True)
    # What happened, rendered in the reader's language: e.g. kind "breached" of clock "dispatch".
    kind = Column(String(32), nullable=False)
    clock_name = Column(String(32))
    subject_type = Column(String(32))
    subject_id = Column(Integer)
    read_at = Column(DateTime)
    transition_id = Column(Integer, ForeignKey("sla_transition.id", ondelete="SET NULL"),
                           unique=True)

    @property
    def subject(self) -> Notice:
        return self

    @property
    def text(self) -> Notice:
        # The list shows the notice rendered in the reader's language by its formatter.
        return self


# Counted in the query that loads the user for a request (app.core.security loads the
# "per_request" group), so the top bar's count costs no query of its own on any page.
PuwanUser.unread_notices = column_property(
    select(func.count(Notice.id))
    .where(Notice.department_id == PuwanUser.department_id, Notice.read_at.is_(None))
    .correlate_except(Notice).scalar_subquery(),
    deferred=True, group="per_request")


class Supervision(DepartmentOwnedMixin, Model):
    """督办: the Office supervising a record; opened automatically when a clock is breached."""

    __tablename__ = "supervision"
    id = Column(Integer, primary_key=True)
    subject_type = Column(String(32), nullable=False)
    subject_id = Column(Integer, nullable=False)
    reason = Column(String(32), nullable=False)  # "breach" or "office"
    opened_at = Column(DateTime, nullable=False, default=utcnow)
    closed_at = Column(DateTime)
    note = Column(Text)
    transition_id = Column(Integer, ForeignKey("sla_transition.id", ondelete="SET NULL"),
                           unique=True)

    @property
    def subject(self) -> Supervision:
        # The list shows the supervised record by its label, which its formatter looks up.
        return self
