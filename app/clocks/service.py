"""Clock commands on stored clocks. They never commit: the caller's command owns the
transaction, and calls ``outbox.deliver_pending`` after its commit to fire the hooks."""
from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from app.clocks.models import CalendarOverride, SlaClock, SlaPolicy, SlaTransition
from app.core.parts.lifecycle import state_changing
from app.sla import clock as engine
from app.sla.calendar import DayOverride, WorkCalendar
from app.sla.clock import Clock, ClockState
from app.sla.policies import Unit

UTC = dt.UTC


def aware(value: dt.datetime | None) -> dt.datetime | None:
    return None if value is None else value.replace(tzinfo=UTC)


def naive(value: dt.datetime | None) -> dt.datetime | None:
    return None if value is None else value.astimezone(UTC).replace(tzinfo=None)


def load_calendar(session: Session) -> WorkCalendar:
    return WorkCalendar(
        DayOverride(o.day, o.working, o.note or "") for o in session.query(CalendarOverride)
    )


def _engine_clock(row: SlaClock) -> Clock:
    return Clock(
        started_at=aware(row.started_at), due_at=aware(row.due_at),
        paused_since=aware(row.paused_since), paused_seconds=row.paused_seconds or 0.0,
        stopped_at=aware(row.stopped_at),
    )


def _store(row: SlaClock, clock: Clock, calendar: WorkCalendar, due: engine.Due | None = None):
    policy = row.policy.to_policy()
    row.started_at = naive(clock.started_at)
    row.due_at = naive(clock.due_at)
    row.warn_at = naive(engine.warning_at(clock, policy, calendar))
    row.paused_since = naive(clock.paused_since)
    row.paused_seconds = clock.paused_seconds
    row.stopped_at = naive(clock.stopped_at)
    if due is not None:
        row.calendar_data = {
            "days": [{"day": d.day.isoformat(), "working": d.working, "reason": d.reason,
                      "note": d.note} for d in due.calendar_days],
            "unconfirmed_years": list(due.unconfirmed_years),
        }
        row.unconfirmed = bool(due.unconfirmed_years)


def _set_state(session: Session, row: SlaClock, new: ClockState, at: dt.datetime) -> None:
    old = row.state
    if old == new:
        return
    row.state = str(new)
    session.add(SlaTransition(clock=row, old_state=old, new_state=str(new), at=naive(at)))


def _settle(session: Session, row: SlaClock, at: dt.datetime, calendar: WorkCalendar) -> None:
    status = engine.status(_engine_clock(row), row.policy.to_policy(), calendar, at)
    _set_state(session, row, status.state, at)


def policy_by_code(session: Session, code: str) -> SlaPolicy:
    return session.query(SlaPolicy).filter_by(code=code).one()


def start_clock(session: Session, *, subject_type: str, subject_id: int, name: str,
                policy_code: str, department_id: int, at: dt.datetime,
                due_at: dt.datetime | None = None) -> SlaClock:
    """A clock from ``at``, due as its policy says — or at ``due_at`` where the promise has a
    date of its own (a resolution's deadline, a scheduled approval's due end): the policy then
    gives its unit (how elapsed time counts) and when it warns."""
    calendar = load_calendar(session)
    policy_row = policy_by_code(session, policy_code)
    if due_at is None:
        clock, due = engine.start(at, policy_row.to_policy(), calendar)
    else:
        clock, due = engine.start_until(at, due_at if due_at.tzinfo else aware(due_at), calendar)
    row = SlaClock(subject_type=subject_type, subject_id=subject_id, name=name,
                   policy=policy_row, department_id=department_id, state=None)
    _store(row, clock, calendar, due)
    session.add(row)
    _settle(session, row, at, calendar)
    return row


def pause_clock(session: Session, row: SlaClock, at: dt.datetime) -> None:
    calendar = load_calendar(session)
    _store(row, engine.pause(_engine_clock(row), at), calendar)
    _set_state(session, row, ClockState.PAUSED, at)


def resume_clock(session: Session, row: SlaClock, at: dt.datetime) -> None:
    calendar = load_calendar(session)
    _store(row, engine.resume(_engine_clock(row), at, row.policy.to_policy(), calendar), calendar)
    _settle(session, row, at, calendar)


def stop_clock(session: Session, row: SlaClock, at: dt.datetime) -> None:
    calendar = load_calendar(session)
    _store(row, engine.stop(_engine_clock(row), at, row.policy.to_policy(), calendar), calendar)
    _settle(session, row, at, calendar)


def reschedule_clock(session: Session, row: SlaClock, due_at: dt.datetime,
                     at: dt.datetime) -> None:
    """A clock due at a date of its own whose date moved (a schedule recomputed, a resolution's
    deadline extended): same start, the new due, its state settled at ``at`` (a breached clock
    given a later date runs again; the breach's notice and supervision entry stay); a stopped
    clock keeps its verdict."""
    if row.stopped_at is not None:
        return
    calendar = load_calendar(session)
    clock = _engine_clock(row)
    _, due = engine.start_until(clock.started_at, due_at if due_at.tzinfo else aware(due_at),
                                calendar)
    _store(row, Clock(clock.started_at, due.due_at, clock.paused_since, clock.paused_seconds),
           calendar, due)
    if row.paused_since is None:
        _settle(session, row, at, calendar)


def extend_clock(session: Session, row: SlaClock, amount: int, unit: Unit,
                 at: dt.datetime) -> None:
    calendar = load_calendar(session)
    _store(row, engine.extend(_engine_clock(row), amount, unit, calendar), calendar)
    if row.paused_since is None:
        _settle(session, row, at, calendar)


def recategorize_clock(session: Session, row: SlaClock, policy_code: str,
                       at: dt.datetime) -> None:
    calendar = load_calendar(session)
    row.policy = policy_by_code(session, policy_code)
    clock, due = engine.recategorize(_engine_clock(row), row.policy.to_policy(), calendar)
    _store(row, clock, calendar, due)
    if row.paused_since is None:
        _settle(session, row, at, calendar)


@state_changing.connect
def sync_pauses(record, *, session: Session, state: str, now: dt.datetime, **_kwargs) -> None:
    """A record's new lifecycle state pauses or resumes its running clocks: each policy lists
    the states that pause its clock (data, editable by administrators)."""
    clocks = session.query(SlaClock).filter_by(subject_type=type(record).__tablename__,
                                               subject_id=record.id, stopped_at=None)
    for clock in clocks:
        pausing = state in (clock.policy.pause_states or ())
        if pausing and clock.paused_since is None:
            pause_clock(session, clock, now)
        elif not pausing and clock.paused_since is not None:
            resume_clock(session, clock, now)
