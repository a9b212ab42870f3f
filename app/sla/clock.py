"""Clocks: when a promise is due, and where it stands at a given moment.

How "N working days" counts (the rule of China's Administrative Licensing Law for periods: the
day the period starts is not counted): a clock started at any moment of a local day — morning,
late evening, a weekend or a holiday — is due at the **end of the Nth working day after that
day**, in Asia/Shanghai. "N calendar days" is the same with every day counting. Minutes and hours
are wall-clock time from the start instant.

Paused time does not count: for wall-clock units every paused second moves the due time by a
second; for working days only the paused time that falls on working days moves it (a pause over
a weekend moves nothing). Elapsed and remaining time are measured the same way.

Every function is pure: `now` is always passed in, never read.
"""
from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, replace

from app.sla.calendar import DayInfo, WorkCalendar
from app.sla.policies import Policy, Unit


class ClockState(enum.StrEnum):
    RUNNING = "running"
    WARNING = "warning"
    BREACHED = "breached"
    PAUSED = "paused"
    MET = "met"
    MISSED = "missed"


class ClockError(ValueError):
    """An impossible clock operation (pausing a paused clock, resuming a running one…)."""


@dataclass(frozen=True)
class Due:
    due_at: dt.datetime
    # What the computation relied on, stored beside due_at: the holidays, make-up days and
    # overrides between start and due, and the years whose schedule is not confirmed.
    calendar_days: tuple[DayInfo, ...] = ()
    unconfirmed_years: tuple[int, ...] = ()


@dataclass(frozen=True)
class Clock:
    started_at: dt.datetime
    due_at: dt.datetime
    paused_since: dt.datetime | None = None
    paused_seconds: float = 0.0
    stopped_at: dt.datetime | None = None


@dataclass(frozen=True)
class Status:
    state: ClockState
    elapsed_seconds: float
    remaining_seconds: float
    budget_seconds: float

    @property
    def percent_elapsed(self) -> float:
        return 100.0 * self.elapsed_seconds / self.budget_seconds if self.budget_seconds else 100.0


def _aware(instant: dt.datetime) -> dt.datetime:
    if instant.tzinfo is None:
        raise ClockError("instants must be timezone-aware")
    return instant


def advance(end: dt.datetime, amount: int, unit: Unit, calendar: WorkCalendar) -> dt.datetime:
    """``amount`` units after ``end``; day units count whole days after the local day of ``end``.

    ``end`` may be an exclusive day boundary (local midnight): then the day it closes counts as
    its day, so a due date can be extended by N more days."""
    end = _aware(end)
    if unit is Unit.MINUTES:
        return end + dt.timedelta(minutes=amount)
    if unit is Unit.HOURS:
        return end + dt.timedelta(hours=amount)
    day = calendar.local_date(end - dt.timedelta(microseconds=1) if _is_midnight(end, calendar)
                              else end)
    for _ in range(amount):
        day = (calendar.next_working_day(day) if unit is Unit.WORKING_DAYS
               else day + dt.timedelta(days=1))
    return calendar.start_of_day(day + dt.timedelta(days=1))


def _is_midnight(instant: dt.datetime, calendar: WorkCalendar) -> bool:
    local = instant.astimezone(calendar.tz)
    return local.time() == dt.time(0)


def compute_due(start: dt.datetime, policy: Policy, calendar: WorkCalendar) -> Due:
    start = _aware(start)
    if policy.unit in (Unit.MINUTES, Unit.HOURS):
        due_at = advance(start, policy.amount, policy.unit, calendar)
    else:
        # The start day itself is never counted, even when it starts at midnight.
        day = calendar.local_date(start)
        for _ in range(policy.amount):
            day = (calendar.next_working_day(day) if policy.unit is Unit.WORKING_DAYS
                   else day + dt.timedelta(days=1))
        due_at = calendar.start_of_day(day + dt.timedelta(days=1))
    first = calendar.local_date(start)
    last = calendar.local_date(due_at - dt.timedelta(microseconds=1))
    return Due(
        due_at=due_at,
        calendar_days=tuple(calendar.unusual_days(first, last)),
        unconfirmed_years=tuple(calendar.unconfirmed_years(first, last)),
    )


def start(at: dt.datetime, policy: Policy, calendar: WorkCalendar) -> tuple[Clock, Due]:
    due = compute_due(at, policy, calendar)
    return Clock(started_at=at, due_at=due.due_at), due


def start_until(at: dt.datetime, due_at: dt.datetime, calendar: WorkCalendar
                ) -> tuple[Clock, Due]:
    """A clock due at a given instant (a date set by people, not by a policy): the calendar's
    unusual days between are kept beside it, as for a computed due."""
    at, due_at = _aware(at), _aware(due_at)
    start, end = calendar.local_date(at), calendar.local_date(max(at, due_at))
    due = Due(due_at, tuple(calendar.unusual_days(start, end)),
              tuple(calendar.unconfirmed_years(start, end)))
    return Clock(started_at=at, due_at=due_at), due


def _measure(policy: Policy, calendar: WorkCalendar, a: dt.datetime, b: dt.datetime) -> float:
    if policy.unit.counts_working_time:
        return calendar.working_seconds(a, b)
    return max(0.0, (b - a).total_seconds())


def _shift(policy: Policy, calendar: WorkCalendar, instant: dt.datetime, seconds: float):
    if policy.unit.counts_working_time:
        return calendar.add_working_seconds(instant, seconds)
    return instant + dt.timedelta(seconds=seconds)


def status(clock: Clock, policy: Policy, calendar: WorkCalendar, now: dt.datetime) -> Status:
    now = _aware(now)
    end = clock.stopped_at or clock.paused_since or now
    elapsed = _measure(policy, calendar, clock.started_at, end) - clock.paused_seconds
    budget = _measure(policy, calendar, clock.started_at, clock.due_at) - clock.paused_seconds
    remaining = budget - elapsed
    if clock.stopped_at is not None:
        state = ClockState.MET if clock.stopped_at <= clock.due_at else ClockState.MISSED
    elif clock.paused_since is not None:
        state = ClockState.PAUSED
    elif now >= clock.due_at:
        state = ClockState.BREACHED
    elif budget > 0 and elapsed * 100 >= budget * policy.warning_percent:
        state = ClockState.WARNING
    else:
        state = ClockState.RUNNING
    return Status(state, max(0.0, elapsed), remaining, max(0.0, budget))


def pause(clock: Clock, at: dt.datetime) -> Clock:
    if clock.stopped_at is not None or clock.paused_since is not None:
        raise ClockError("only a running clock can be paused")
    return replace(clock, paused_since=_aware(at))


def resume(clock: Clock, at: dt.datetime, policy: Policy, calendar: WorkCalendar) -> Clock:
    if clock.paused_since is None or clock.stopped_at is not None:
        raise ClockError("only a paused clock can be resumed")
    paused = _measure(policy, calendar, clock.paused_since, _aware(at))
    return replace(
        clock,
        paused_since=None,
        paused_seconds=clock.paused_seconds + paused,
        due_at=_shift(policy, calendar, clock.due_at, paused),
    )


def stop(clock: Clock, at: dt.datetime, policy: Policy, calendar: WorkCalendar) -> Clock:
    if clock.stopped_at is not None:
        raise ClockError("the clock has already stopped")
    if clock.paused_since is not None:
        clock = resume(clock, at, policy, calendar)
    return replace(clock, stopped_at=_aware(at))


def extend(clock: Clock, amount: int, unit: Unit, calendar: WorkCalendar) -> Clock:
    """An approved extension (延期): the due time moves by ``amount`` more units."""
    if clock.stopped_at is not None:
        raise ClockError("a stopped clock cannot be extended")
    return replace(clock, due_at=advance(clock.due_at, amount, unit, calendar))


def recategorize(clock: Clock, policy: Policy, calendar: WorkCalendar) -> tuple[Clock, Due]:
    """A new policy (e.g. general → difficult): due from the original start, pauses kept."""
    if clock.stopped_at is not None:
        raise ClockError("a stopped clock cannot change its policy")
    due = compute_due(clock.started_at, policy, calendar)
    return replace(clock, due_at=_shift(policy, calendar, due.due_at, clock.paused_seconds)), due


def warning_at(clock: Clock, policy: Policy, calendar: WorkCalendar) -> dt.datetime:
    """The instant a running clock enters WARNING (stored, so sweeps can select it in SQL)."""
    budget = _measure(policy, calendar, clock.started_at, clock.due_at) - clock.paused_seconds
    counted = clock.paused_seconds + budget * policy.warning_percent / 100
    return _shift(policy, calendar, clock.started_at, counted)
