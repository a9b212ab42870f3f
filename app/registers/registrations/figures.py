"""An event's registration figures — people and enterprises by status and attendance — in one
query per event and request, read by the event page's summary and its registrations panel."""
from __future__ import annotations

from collections import Counter

from flask import g
from sqlalchemy import func

from app.core.scope import visibility_clause
from app.extensions import db
from app.registers.registrations.models import Registration


def event_figures(event_id: int) -> dict:
    """``{"enterprises": Counter((status, attendance)), "people": Counter(...)}`` of the
    registrations the reader may see (those of an event they may read: all of them)."""
    cache = g.setdefault("_puwan_event_figures", {})
    if event_id not in cache:
        query = db.session.query(Registration.status, Registration.attendance,
                                 func.count(Registration.id),
                                 func.coalesce(func.sum(Registration.attendees), 0))
        clause = visibility_clause(Registration)
        if clause is not None:
            query = query.filter(clause)
        enterprises, people = Counter(), Counter()
        for status, attendance, count, attendees in (
                query.filter(Registration.event_id == event_id)
                .group_by(Registration.status, Registration.attendance)):
            enterprises[status, attendance] += count
            people[status, attendance] += int(attendees)
        cache[event_id] = {"enterprises": enterprises, "people": people}
    return cache[event_id]


def by_status(counter: Counter, status: str) -> int:
    return sum(n for (s, _attendance), n in counter.items() if s == status)
