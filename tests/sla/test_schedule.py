"""The backward scheduler against schedules worked out by hand on the China calendar.

The days each case relies on (from the State Council's schedule the `holidays` package carries,
checked in the case's comment):

National Day / Mid-Autumn 2026: Fri Sep 25 off (Mid-Autumn); Oct 1–7 off; the make-up working
days are Sun Sep 20 and Sat Oct 10; Oct 8 (Thu) is a working day again.
Spring Festival 2026: Feb 15–23 off; Sat Feb 14 and Sat Feb 28 are make-up working days.
Spring Festival 2027: not yet published (2027 is unconfirmed); the package knows only the
statutory days Feb 5–10; an administrator adds the rest as overrides.
"""
import datetime as dt

import pytest

from app.sla.calendar import DayOverride, WorkCalendar
from app.sla.schedule import (
    CycleError,
    ScheduleError,
    Task,
    schedule,
    shift,
    working_days_between,
)

D = dt.date


@pytest.fixture(scope="module")
def calendar():
    return WorkCalendar()


def dates(plan, code):
    slot = plan.slots[code]
    return slot.late_start, slot.late_finish


def test_chain_across_national_day_is_scheduled_as_late_as_possible(calendar):
    # A(3) → B(5) → C(2), target Fri Oct 16 2026.
    # C: finishes on the target Oct 16; 2 days: Oct 15–16.
    # B: ends the working day before Oct 15 = Oct 14; 5 days back: Oct 14, 13, 12,
    #    (Sun 11 off), Sat 10 (make-up), Fri 9 → starts Oct 9.
    # A: ends the working day before Oct 9 = Thu Oct 8; 3 days back: Oct 8, (Oct 7…1 off),
    #    Sep 30, Sep 29 → starts Sep 29.
    plan = schedule([Task("A", 3), Task("B", 5, ("A",)), Task("C", 2, ("B",))],
                    target=D(2026, 10, 16), start=D(2026, 9, 28), calendar=calendar)
    assert dates(plan, "C") == (D(2026, 10, 15), D(2026, 10, 16))
    assert dates(plan, "B") == (D(2026, 10, 9), D(2026, 10, 14))
    assert dates(plan, "A") == (D(2026, 9, 29), D(2026, 10, 8))


def test_early_schedule_slack_and_critical_path_across_national_day(calendar):
    # Same chain plus D(1) that C also waits for; start Mon Sep 28 2026.
    # Early: A Sep 28–30; B from Oct 8: 8, 9, 10 (make-up Sat), 12, 13 → ends Oct 13;
    #        C Oct 14–15; D Sep 28.
    # Late:  A starts Sep 29, B Oct 9, C Oct 15 (as above); D ends before C's Oct 15 → Oct 14.
    # Slack (working days from early to late start): A Sep 28→29 = 1; B Oct 8→9 = 1;
    #        C Oct 14→15 = 1; D Sep 28→Oct 14: Sep 29, 30, Oct 8, 9, 10, 12, 13, 14 = 8.
    # The critical path is the least slack: A, B, C.
    plan = schedule([Task("A", 3), Task("B", 5, ("A",)), Task("D", 1),
                     Task("C", 2, ("B", "D"))],
                    target=D(2026, 10, 16), start=D(2026, 9, 28), calendar=calendar)
    early = {c: (s.early_start, s.early_finish) for c, s in plan.slots.items()}
    assert early == {"A": (D(2026, 9, 28), D(2026, 9, 30)),
                     "B": (D(2026, 10, 8), D(2026, 10, 13)),
                     "C": (D(2026, 10, 14), D(2026, 10, 15)),
                     "D": (D(2026, 9, 28), D(2026, 9, 28))}
    assert {c: s.slack for c, s in plan.slots.items()} == {"A": 1, "B": 1, "C": 1, "D": 8}
    assert plan.critical_path == ["A", "B", "C"]
    assert dates(plan, "D") == (D(2026, 10, 14), D(2026, 10, 14))


def test_critical_path_has_zero_slack_when_the_window_is_exactly_long_enough(calendar):
    # From the case above, start one working day later (Tue Sep 29): A, B, C lose their day.
    plan = schedule([Task("A", 3), Task("B", 5, ("A",)), Task("D", 1),
                     Task("C", 2, ("B", "D"))],
                    target=D(2026, 10, 16), start=D(2026, 9, 29), calendar=calendar)
    assert [plan.slots[c].slack for c in "ABC"] == [0, 0, 0]
    assert plan.slots["D"].slack == 7
    assert plan.critical_path == ["A", "B", "C"]


def test_target_on_a_holiday_moves_back_to_the_last_working_day(calendar):
    # Mon Oct 5 2026 is in the National Day break; the last working day before is Wed Sep 30.
    plan = schedule([Task("A", 1)], target=D(2026, 10, 5), start=D(2026, 9, 1),
                    calendar=calendar)
    assert dates(plan, "A") == (D(2026, 9, 30), D(2026, 9, 30))


def test_a_make_up_sunday_is_a_working_day(calendar):
    # Target Mon Sep 21 2026, 2 days: Mon 21 and the make-up Sunday Sep 20.
    plan = schedule([Task("A", 2)], target=D(2026, 9, 21), start=D(2026, 9, 1),
                    calendar=calendar)
    assert dates(plan, "A") == (D(2026, 9, 20), D(2026, 9, 21))


def test_chain_across_spring_festival_2026(calendar):
    # X(4) → Y(2), target Wed Feb 25 2026.
    # Y: Feb 24–25. X ends the working day before Feb 24: Feb 23 and 16–20 off, 21–22 and
    # 15 weekend, Sat Feb 14 a make-up day → ends Feb 14; 4 days: 14, 13, 12, 11 → Feb 11.
    # Early from Mon Feb 9: X Feb 9–12; Y Feb 13 and make-up Sat Feb 14.
    # Slack: X Feb 9→11 = 2; Y Feb 13→24 (14, 24) = 2.
    plan = schedule([Task("X", 4), Task("Y", 2, ("X",))], target=D(2026, 2, 25),
                    start=D(2026, 2, 9), calendar=calendar)
    assert dates(plan, "Y") == (D(2026, 2, 24), D(2026, 2, 25))
    assert dates(plan, "X") == (D(2026, 2, 11), D(2026, 2, 14))
    assert plan.slots["Y"].early_finish == D(2026, 2, 14)
    assert [plan.slots[c].slack for c in "XY"] == [2, 2]
    assert plan.unconfirmed_years == ()


SPRING_2027 = [  # what an administrator enters once the 2027 schedule is out
    DayOverride(D(2027, 2, 11), False, "春节"),
    DayOverride(D(2027, 2, 12), False, "春节"),
    DayOverride(D(2027, 2, 20), True, "调休"),
]


def test_spring_festival_2027_without_its_schedule_is_flagged_unconfirmed(calendar):
    # Only the statutory Feb 5–10 are known. P(3) → Q(2), target Tue Feb 16 2027:
    # Q Feb 15–16; P ends Fri Feb 12, 3 days: 12, 11, (10…5 off) 4 → starts Feb 4.
    plan = schedule([Task("P", 3), Task("Q", 2, ("P",))], target=D(2027, 2, 16),
                    start=D(2027, 1, 25), calendar=calendar)
    assert dates(plan, "P") == (D(2027, 2, 4), D(2027, 2, 12))
    assert plan.unconfirmed_years == (2027,)


def test_overrides_take_days_off_and_add_make_up_days():
    # With Feb 11–12 off: P ends before Feb 15: 14, 13 weekend, 12, 11 (overrides) and
    # 10…5 off → Thu Feb 4; 3 days: 4, 3, 2 → starts Tue Feb 2.
    calendar = WorkCalendar(SPRING_2027)
    plan = schedule([Task("P", 3), Task("Q", 2, ("P",))], target=D(2027, 2, 16),
                    start=D(2027, 1, 25), calendar=calendar)
    assert dates(plan, "P") == (D(2027, 2, 2), D(2027, 2, 4))
    assert plan.unconfirmed_years == ()
    # A 2-day item due Mon Feb 22 2027 starts on the overridden make-up Saturday Feb 20.
    plan = schedule([Task("Q", 2)], target=D(2027, 2, 22), start=D(2027, 2, 1),
                    calendar=calendar)
    assert dates(plan, "Q") == (D(2027, 2, 20), D(2027, 2, 22))


def test_a_weekday_taken_off_by_an_override_is_skipped():
    # Wed Oct 14 2026 closed (e.g. a typhoon): B(2) before C(1) due Thu Oct 15
    # ends Tue Oct 13, starts Mon Oct 12.
    calendar = WorkCalendar([DayOverride(D(2026, 10, 14), False, "台风")])
    plan = schedule([Task("B", 2), Task("C", 1, ("B",))], target=D(2026, 10, 15),
                    start=D(2026, 10, 8), calendar=calendar)
    assert dates(plan, "B") == (D(2026, 10, 12), D(2026, 10, 13))


def test_the_late_schedule_leaves_no_gap_before_a_successor(calendar):
    tasks = [Task("a", 7), Task("b", 4, ("a",)), Task("c", 9, ("a",)),
             Task("d", 3, ("b", "c"))]
    plan = schedule(tasks, target=D(2026, 10, 30), start=D(2026, 8, 3), calendar=calendar)
    for task in tasks:
        slot = plan.slots[task.code]
        assert calendar.is_working_day(slot.late_start)
        assert working_days_between(calendar, slot.late_start, slot.late_finish) \
            == task.duration - 1
        for dep in task.depends_on:
            assert plan.slots[dep].late_finish < slot.late_start
    # b (4 days) runs beside the longer c (9 days): it has 5 days more slack, off the path
    assert plan.slots["b"].slack - plan.slots["c"].slack == 5
    assert plan.critical_path == ["a", "c", "d"]


def test_cycles_are_refused_naming_their_items(calendar):
    tasks = [Task("A", 1, ("B",)), Task("B", 1, ("A",)), Task("C", 1, ("A",)),
             Task("E", 1, ("E",))]
    with pytest.raises(CycleError) as refused:
        schedule(tasks, target=D(2026, 10, 30), start=D(2026, 10, 8), calendar=calendar)
    assert refused.value.items == ("A", "B", "E")
    assert "A, B, E" in str(refused.value)


@pytest.mark.parametrize("tasks, named", [
    ([Task("A", 0)], ("A",)),
    ([Task("A", 2, ("Z",))], ("Z",)),
    ([Task("A", 1), Task("A", 2)], ("A",)),
])
def test_bad_items_are_refused_naming_them(calendar, tasks, named):
    with pytest.raises(ScheduleError) as refused:
        schedule(tasks, target=D(2026, 10, 30), start=D(2026, 10, 8), calendar=calendar)
    assert refused.value.items == named


def test_shift_moves_by_working_days_both_ways(calendar):
    assert shift(calendar, D(2026, 9, 30), 1) == D(2026, 10, 8)
    assert shift(calendar, D(2026, 10, 8), -1) == D(2026, 9, 30)
    assert shift(calendar, D(2026, 10, 9), 1) == D(2026, 10, 10)
    assert working_days_between(calendar, D(2026, 10, 9), D(2026, 9, 30)) == -2
