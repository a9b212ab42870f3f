"""Due dates and clock states, in Asia/Shanghai, on the real 2026 calendar."""
import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from app.sla.calendar import DayOverride, WorkCalendar
from app.sla.clock import (
    ClockError,
    ClockState,
    compute_due,
    extend,
    pause,
    recategorize,
    resume,
    start,
    status,
    stop,
)
from app.sla.policies import Policy, Unit

SH = ZoneInfo("Asia/Shanghai")
CONSULTATION = Policy("consultation", 1, Unit.WORKING_DAYS)
GENERAL = Policy("general", 2, Unit.WORKING_DAYS)
DIFFICULT = Policy("difficult", 3, Unit.WORKING_DAYS)
DISPATCH = Policy("dispatch", 1, Unit.HOURS, warning_percent=50)
CAL = WorkCalendar()


def at(*args):
    return dt.datetime(*args, tzinfo=SH)


def due_day(instant):
    """The local day a due instant closes (due_at is the midnight that ends it)."""
    return (instant.astimezone(SH) - dt.timedelta(microseconds=1)).date()


@pytest.mark.parametrize("received,policy,expected", [
    # the plan's examples
    (at(2026, 9, 18, 10), CONSULTATION, dt.date(2026, 9, 20)),   # Fri → Sun make-up day
    (at(2026, 9, 30, 10), GENERAL, dt.date(2026, 10, 9)),        # over the National Day week
    (at(2026, 9, 30, 10), DIFFICULT, dt.date(2026, 10, 10)),     # Sat make-up day
    # the receipt day never counts, whatever the hour
    (at(2026, 9, 18, 23, 30), CONSULTATION, dt.date(2026, 9, 20)),
    (at(2026, 9, 18, 0, 0), CONSULTATION, dt.date(2026, 9, 20)),
    # received on a non-working day: the next working day is the first
    (at(2026, 9, 19, 9), CONSULTATION, dt.date(2026, 9, 20)),
    (at(2026, 10, 3, 9), CONSULTATION, dt.date(2026, 10, 8)),
    (at(2026, 10, 3, 9), GENERAL, dt.date(2026, 10, 9)),
    # an ordinary week
    (at(2026, 11, 25, 16), GENERAL, dt.date(2026, 11, 27)),
    (at(2026, 11, 27, 16), CONSULTATION, dt.date(2026, 11, 30)),
])
def test_working_day_due_dates(received, policy, expected):
    due = compute_due(received.astimezone(dt.UTC), policy, CAL)
    assert due_day(due.due_at) == expected
    assert due.due_at.astimezone(SH).time() == dt.time(0)  # the end of that local day


def test_due_day_follows_shanghai_not_utc():
    # 2026-09-18 17:00 UTC is Saturday 01:00 in Shanghai: a Saturday receipt.
    received = dt.datetime(2026, 9, 18, 17, 0, tzinfo=dt.UTC)
    assert due_day(compute_due(received, GENERAL, CAL).due_at) == dt.date(2026, 9, 21)


def test_dispatch_is_one_wall_clock_hour_even_on_a_holiday():
    due = compute_due(at(2026, 10, 1, 3, 15), DISPATCH, CAL)
    assert due.due_at == at(2026, 10, 1, 4, 15)


def test_calendar_days_count_every_day():
    policy = Policy("rectification", 15, Unit.CALENDAR_DAYS)
    assert due_day(compute_due(at(2026, 9, 30, 10), policy, CAL).due_at) == dt.date(2026, 10, 15)


def test_due_records_the_calendar_days_it_used():
    due = compute_due(at(2026, 9, 30, 10), DIFFICULT, CAL)
    reasons = {(d.day, d.reason) for d in due.calendar_days}
    assert (dt.date(2026, 10, 1), "holiday") in reasons
    assert (dt.date(2026, 10, 10), "makeup") in reasons
    assert due.unconfirmed_years == ()


def test_due_in_an_unconfirmed_year_is_flagged():
    due = compute_due(at(2027, 3, 10, 10), GENERAL, CAL)
    assert due.unconfirmed_years == (2027,)


def test_override_moves_the_due_date():
    calendar = WorkCalendar([DayOverride(dt.date(2026, 9, 21), False, "typhoon")])
    assert due_day(compute_due(at(2026, 9, 18, 10), GENERAL, calendar).due_at) == dt.date(2026, 9, 22)


def test_naive_instants_are_refused():
    with pytest.raises(ClockError):
        compute_due(dt.datetime(2026, 9, 18, 10), GENERAL, CAL)


# --- states ---------------------------------------------------------------------------------------

def _started(policy=DISPATCH, when=None):
    clock, _due = start(when or at(2026, 11, 25, 10), policy, CAL)
    return clock


@pytest.mark.parametrize("minutes,state", [
    (0, ClockState.RUNNING), (29, ClockState.RUNNING), (30, ClockState.WARNING),
    (59, ClockState.WARNING), (60, ClockState.BREACHED), (600, ClockState.BREACHED),
])
def test_state_by_elapsed_time(minutes, state):
    clock = _started()
    assert status(clock, DISPATCH, CAL, at(2026, 11, 25, 10) + dt.timedelta(minutes=minutes)).state == state


def test_elapsed_and_remaining():
    s = status(_started(), DISPATCH, CAL, at(2026, 11, 25, 10, 20))
    assert (s.elapsed_seconds, s.remaining_seconds, round(s.percent_elapsed)) == (1200, 2400, 33)


def test_paused_clock_stops_counting_and_resume_moves_due():
    clock = pause(_started(), at(2026, 11, 25, 10, 20))
    assert status(clock, DISPATCH, CAL, at(2026, 11, 25, 15)).state == ClockState.PAUSED
    assert status(clock, DISPATCH, CAL, at(2026, 11, 25, 15)).elapsed_seconds == 1200
    clock = resume(clock, at(2026, 11, 25, 11, 20), DISPATCH, CAL)  # paused one hour
    assert clock.due_at == at(2026, 11, 25, 12)
    s = status(clock, DISPATCH, CAL, at(2026, 11, 25, 11, 25))  # 20 min + 5 min counted
    assert (s.state, s.elapsed_seconds) == (ClockState.RUNNING, 1500)


def test_pause_over_a_weekend_does_not_move_a_working_day_due():
    clock = _started(GENERAL, at(2026, 11, 27, 9))          # Fri: due end of Tue 12-01
    clock = pause(clock, at(2026, 11, 28, 0))               # Sat
    clock = resume(clock, at(2026, 11, 30, 0), GENERAL, CAL)  # Mon 00:00
    assert due_day(clock.due_at) == dt.date(2026, 12, 1)


def test_pause_over_a_working_day_moves_the_due_a_working_day():
    clock = _started(GENERAL, at(2026, 11, 27, 9))          # due end of Tue 12-01
    clock = pause(clock, at(2026, 11, 30, 0))               # all of Monday
    clock = resume(clock, at(2026, 12, 1, 0), GENERAL, CAL)
    assert due_day(clock.due_at) == dt.date(2026, 12, 2)


def test_stopped_in_time_is_met_and_late_is_missed():
    clock = _started()
    assert status(stop(clock, at(2026, 11, 25, 10, 59), DISPATCH, CAL), DISPATCH, CAL,
                  at(2026, 11, 26)).state == ClockState.MET
    assert status(stop(clock, at(2026, 11, 25, 11, 1), DISPATCH, CAL), DISPATCH, CAL,
                  at(2026, 11, 26)).state == ClockState.MISSED


def test_stopping_a_paused_clock_ends_the_pause():
    clock = pause(_started(), at(2026, 11, 25, 10, 30))
    stopped = stop(clock, at(2026, 11, 25, 13), DISPATCH, CAL)
    assert status(stopped, DISPATCH, CAL, at(2026, 11, 26)).state == ClockState.MET


def test_approved_extension_moves_due_by_working_days():
    clock = _started(CONSULTATION, at(2026, 9, 30, 10))    # due end of 10-08
    assert due_day(extend(clock, 2, Unit.WORKING_DAYS, CAL).due_at) == dt.date(2026, 10, 10)


def test_extension_in_hours():
    clock = _started()
    assert extend(clock, 2, Unit.HOURS, CAL).due_at == at(2026, 11, 25, 13)


def test_recategorisation_recomputes_from_the_start():
    clock = _started(GENERAL, at(2026, 9, 30, 10))
    clock, _ = recategorize(clock, DIFFICULT, CAL)
    assert due_day(clock.due_at) == dt.date(2026, 10, 10)


@pytest.mark.parametrize("operation", [
    lambda c: pause(pause(c, at(2026, 11, 25, 10, 5)), at(2026, 11, 25, 10, 6)),
    lambda c: resume(c, at(2026, 11, 25, 10, 5), DISPATCH, CAL),
    lambda c: stop(stop(c, at(2026, 11, 25, 10, 5), DISPATCH, CAL), at(2026, 11, 25, 10, 6),
                   DISPATCH, CAL),
    lambda c: extend(stop(c, at(2026, 11, 25, 10, 5), DISPATCH, CAL), 1, Unit.HOURS, CAL),
])
def test_impossible_operations_are_refused(operation):
    with pytest.raises(ClockError):
        operation(_started())


def test_policy_rejects_nonsense():
    with pytest.raises(ValueError):
        Policy("x", 0, Unit.HOURS)
    with pytest.raises(ValueError):
        Policy("x", 1, Unit.HOURS, warning_percent=0)


@pytest.mark.parametrize("policy,when", [
    (DISPATCH, at(2026, 11, 25, 10)),
    (GENERAL, at(2026, 9, 30, 10)),
    (CONSULTATION, at(2026, 9, 18, 22)),
])
def test_warning_at_agrees_with_status(policy, when):
    from app.sla.clock import warning_at

    clock = _started(policy, when)
    moment = warning_at(clock, policy, CAL)
    assert status(clock, policy, CAL, moment - dt.timedelta(seconds=1)).state == ClockState.RUNNING
    assert status(clock, policy, CAL, moment).state == ClockState.WARNING


def test_warning_at_after_a_pause_is_later():
    from app.sla.clock import warning_at

    clock = _started()
    before = warning_at(clock, DISPATCH, CAL)
    clock = resume(pause(clock, at(2026, 11, 25, 10, 5)), at(2026, 11, 25, 10, 35), DISPATCH, CAL)
    assert warning_at(clock, DISPATCH, CAL) == before + dt.timedelta(minutes=30)
