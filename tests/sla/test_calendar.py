"""China's working-day calendar: weekends, holidays, make-up days (调休), overrides, confirmation."""
import datetime as dt

import pytest

from app.sla.calendar import DayOverride, WorkCalendar

D = dt.date


@pytest.mark.parametrize("day,working,reason", [
    (D(2026, 9, 18), True, "weekday"),     # Friday
    (D(2026, 9, 19), False, "weekend"),    # Saturday
    (D(2026, 9, 20), True, "makeup"),      # Sunday worked for the National Day holiday
    (D(2026, 10, 1), False, "holiday"),    # National Day
    (D(2026, 10, 7), False, "holiday"),    # substituted day off
    (D(2026, 10, 8), True, "weekday"),
    (D(2026, 10, 10), True, "makeup"),     # Saturday worked
    (D(2026, 10, 11), False, "weekend"),
])
def test_official_2026_schedule(day, working, reason):
    info = WorkCalendar().day(day)
    assert (info.working, info.reason) == (working, reason)


def test_override_takes_precedence_over_the_package():
    calendar = WorkCalendar([DayOverride(D(2026, 10, 1), True, "on duty"),
                             DayOverride(D(2026, 9, 21), False, "typhoon")])
    assert calendar.day(D(2026, 10, 1)).reason == "override" and calendar.is_working_day(D(2026, 10, 1))
    assert not calendar.is_working_day(D(2026, 9, 21))


def test_years_with_official_data_are_confirmed():
    calendar = WorkCalendar()
    assert calendar.is_confirmed(2026)
    assert not calendar.is_confirmed(2027)
    assert calendar.unconfirmed_years(D(2026, 12, 30), D(2027, 1, 4)) == [2027]


def test_an_override_in_a_year_confirms_it():
    calendar = WorkCalendar([DayOverride(D(2027, 2, 6), True, "published schedule")])
    assert calendar.is_confirmed(2027)


def test_next_working_day_skips_the_national_day_week():
    assert WorkCalendar().next_working_day(D(2026, 9, 30)) == D(2026, 10, 8)


def test_working_seconds_count_only_working_days():
    calendar = WorkCalendar()
    start = calendar.start_of_day(D(2026, 9, 18))  # Fri 00:00
    end = calendar.start_of_day(D(2026, 9, 22))    # Tue 00:00: Fri, Sat(off), Sun(makeup), Mon
    assert calendar.working_seconds(start, end) == 3 * 86400


def test_add_working_seconds_skips_days_off():
    calendar = WorkCalendar()
    start = calendar.start_of_day(D(2026, 10, 1))
    # the first working day after the holiday week is 10-08: one working day ends 10-09 00:00
    assert calendar.add_working_seconds(start, 86400) == calendar.start_of_day(D(2026, 10, 9))


def test_official_day_ignores_overrides():
    calendar = WorkCalendar([DayOverride(D(2026, 10, 1), True, "on duty")])
    assert calendar.official_day(D(2026, 10, 1)).reason == "holiday"
    assert calendar.day(D(2026, 10, 1)).reason == "override"
