"""Delivering transitions: the built-in listeners in the claiming transaction, then the hooks.

Each transition is claimed once (``notified_at`` set by an UPDATE that re-checks it is still
unset; on PostgreSQL a second sweep waits on the row lock and then finds it taken). The built-in
listeners — a notice to the responsible department, a supervision entry (督办) on breach, one
delivery per matching administrator's hook (app.clocks.webhooks) — write in that same
transaction, so they happen exactly once even if a process dies half-way: an uncommitted claim
is simply picked up by the next sweep. The blinker hooks are sent after the commit, once per
claimed transition, and the new hook deliveries posted.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import insert, literal, select, update
from sqlalchemy.orm import Session, joinedload

from app.clocks.models import Notice, SlaClock, SlaTransition, Supervision
from app.clocks.webhooks.delivery import enqueue, send_due
from app.core import registry
from app.sla import hooks

NOTIFY_STATES = ("warning", "breached", "missed")
BATCH = 1000


def deliver_pending(session: Session, now: dt.datetime, post_hooks: bool = True) -> int:
    """Deliver every undelivered transition; returns how many this call delivered.
    ``post_hooks``: post the hook deliveries made here right away (the sweep posts them with
    the retries that are due instead)."""
    delivered = 0
    while True:
        pending = (select(SlaTransition.id).where(SlaTransition.notified_at.is_(None))
                   .order_by(SlaTransition.id).limit(BATCH))
        claimed = session.execute(
            update(SlaTransition)
            .where(SlaTransition.id.in_(pending.scalar_subquery()),
                   SlaTransition.notified_at.is_(None))
            .values(notified_at=now)
            .returning(SlaTransition.id),
            execution_options={"synchronize_session": False},
        ).scalars().all()
        if not claimed:
            session.commit()
            return delivered
        _builtin_listeners(session, claimed, now)
        deliveries = enqueue(session, claimed, now,
                             lambda pairs: {key: str(item)
                                            for key, item in _subjects(session, pairs).items()})
        session.commit()
        _send_hooks(session, claimed)
        if post_hooks:
            send_due(session, now, deliveries)
        delivered += len(claimed)


def _builtin_listeners(session: Session, ids: list[int], now: dt.datetime) -> None:
    joined = (select(SlaTransition.id, SlaClock.department_id, SlaTransition.new_state,
                     SlaClock.name, SlaClock.subject_type, SlaClock.subject_id)
              .join(SlaClock, SlaClock.id == SlaTransition.clock_id)
              .where(SlaTransition.id.in_(ids)))
    notices = joined.where(SlaTransition.new_state.in_(NOTIFY_STATES)).subquery()
    session.execute(insert(Notice).from_select(
        ["transition_id", "department_id", "kind", "clock_name", "subject_type", "subject_id",
         "created_at"],
        select(notices.c.id, notices.c.department_id, notices.c.new_state, notices.c.name,
               notices.c.subject_type, notices.c.subject_id, literal(now)),
    ))
    breaches = joined.where(SlaTransition.new_state == "breached").subquery()
    session.execute(insert(Supervision).from_select(
        ["transition_id", "department_id", "subject_type", "subject_id", "reason", "opened_at"],
        select(breaches.c.id, breaches.c.department_id, breaches.c.subject_type,
               breaches.c.subject_id, literal("breach"), literal(now)),
    ))


def _subjects(session: Session, pairs) -> dict:
    """(table, id) -> the record, one query per register."""
    wanted = defaultdict(set)
    for subject_type, subject_id in pairs:
        wanted[subject_type].add(subject_id)
    subjects = {}
    for subject_type, subject_ids in wanted.items():
        model = registry.model_for(subject_type)
        if model is not None:
            for item in session.query(model).filter(model.id.in_(subject_ids)):
                subjects[(subject_type, item.id)] = item
    return subjects


def _send_hooks(session: Session, ids: list[int]) -> None:
    transitions = (session.query(SlaTransition).options(joinedload(SlaTransition.clock))
                   .filter(SlaTransition.id.in_(ids)).order_by(SlaTransition.id).all())
    subjects = _subjects(session, {(t.clock.subject_type, t.clock.subject_id)
                                   for t in transitions})
    for t in transitions:
        clock = t.clock
        hooks.send(clock.subject_type, clock=clock, transition_id=t.id, old=t.old_state,
                   new=t.new_state, subject=subjects.get((clock.subject_type, clock.subject_id)))
