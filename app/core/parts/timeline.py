"""The timeline part: what happened to a record, when, by whom, from which state to which.

A register that keeps one makes its event table with ``timeline_for`` (next to its model) and
declares ``timeline=Timeline(<event model>)``; its record page and REST API show the events, and
every lifecycle transition and attachment adds one.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from flask_appbuilder import Model
from sqlalchemy import Column, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import relationship

from app.core.models import PuwanUser, current_actor
from app.core.timeutil import format_display, utcnow


def timeline_for(model, *, table: str, fk: str, state_length: int = 16) -> type:
    """The event table of ``model``'s records (its ``<Model>Event`` class): one row per event,
    removed with its record (foreign key ``fk`` with ON DELETE CASCADE). The record gets
    ``events`` (oldest first) and each event its record under ``fk`` without ``_id``."""
    parent = fk.removesuffix("_id")
    event = type(f"{model.__name__}Event", (Model,), {
        "__module__": model.__module__,
        "__doc__": f"One line of a {model.__name__}'s timeline: what was done, by whom.",
        "__tablename__": table,
        "id": Column(Integer, primary_key=True),
        fk: Column(Integer, ForeignKey(f"{model.__tablename__}.id", ondelete="CASCADE"),
                   nullable=False, index=True),
        parent: relationship(model, back_populates="events"),
        "at": Column(DateTime, nullable=False, default=utcnow),
        "action": Column(String(24), nullable=False),
        "from_state": Column(String(state_length)),
        "to_state": Column(String(state_length)),
        "actor_id": Column(Integer, ForeignKey("ab_user.id")),
        "actor": relationship(PuwanUser, lazy="joined"),  # each entry names its actor
        "note": Column(Text),
    })
    model.events = relationship(event, back_populates=parent, order_by=event.id,
                                cascade="all, delete-orphan")
    return event


@dataclass(frozen=True)
class Timeline:
    """A register's timeline: its event model, the names of events that are not transitions
    (``{"receive": _("Received")}``) and, optionally, how a note is shown (``note(event)``)."""

    model: type
    labels: dict = field(default_factory=dict)
    note: Callable | None = None

    @property
    def action_labels(self) -> dict:
        return self.labels

    field_labels: dict = field(default_factory=dict, init=False)


def add_event(record, action: str, from_state=None, to_state=None, note=None,
              at: dt.datetime | None = None) -> None:
    """Add an event to ``record``'s timeline, by the current user, at ``at`` (default now)."""
    if at is not None and at.tzinfo is not None:
        at = at.astimezone(dt.UTC).replace(tzinfo=None)
    record.events.append(type(record).events.property.mapper.class_(
        action=action, from_state=from_state, to_state=to_state, note=note,
        actor_id=getattr(current_actor(), "id", None), at=at))


def rows(register, record) -> list[dict]:
    """The record's events as its page shows them: labels in the reader's language."""
    timeline = register.timeline
    states = register.lifecycle.states if register.lifecycle else {}
    labels = register.action_labels
    return [
        {"at": format_display(e.at), "action": labels.get(e.action, e.action),
         "to": states.get(e.to_state, e.to_state or ""),
         "actor": str(e.actor) if e.actor else "",
         "note": timeline.note(e) if timeline.note else (e.note or "")}
        for e in record.events
    ]


def api_rows(record) -> list[dict]:
    """The record's events for the REST API: codes, UTC instants, user names."""
    return [
        {"at": e.at.replace(tzinfo=dt.UTC).isoformat(), "action": e.action,
         "from": e.from_state, "to": e.to_state, "note": e.note,
         "actor": e.actor.username if e.actor else None}
        for e in record.events
    ]
