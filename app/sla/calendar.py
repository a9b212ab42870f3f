"""Working days in China, from the `holidays` package's official schedule, with overrides.

A day is a working day when an override says so; otherwise when it is a weekend make-up day
(调休); otherwise when it is a Monday–Friday that is not a public holiday or a substituted day
off. A year whose schedule the State Council has not published (no data in the package) and
that has no override is *unconfirmed*: computing with it is allowed, but flagged, never silent.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, cached_property
from zoneinfo import ZoneInfo

import holidays
from holidays.countries.china import ChinaStaticHolidays

SHANGHAI = ZoneInfo("Asia/Shanghai")

# Years for which the package carries the official schedule (holidays and make-up days).
OFFICIAL_YEARS = frozenset(ChinaStaticHolidays.special_public_holidays)


@cache
def _official_schedule(year: int) -> holidays.HolidayBase:
    # Built once per year and process: each clock operation loads a calendar, and building a
    # year's schedule costs far more than the arithmetic done with it.
    return holidays.country_holidays("CN", years=[year])


@dataclass(frozen=True)
class DayOverride:
    """An administrator's word on one day; it takes precedence over the package."""

    day: dt.date
    working: bool
    note: str = ""


@dataclass(frozen=True)
class DayInfo:
    day: dt.date
    working: bool
    reason: str  # "override", "makeup", "holiday", "weekend", "weekday"
    note: str = ""


class WorkCalendar:
    def __init__(self, overrides: Iterable[DayOverride] = (), tz: ZoneInfo = SHANGHAI):
        self.tz = tz
        self.overrides = {o.day: o for o in overrides}
        self._years: dict[int, holidays.HolidayBase] = {}

    def _official(self, year: int) -> holidays.HolidayBase:
        if year not in self._years:
            self._years[year] = _official_schedule(year)
        return self._years[year]

    def day(self, day: dt.date) -> DayInfo:
        override = self.overrides.get(day)
        if override is not None:
            return DayInfo(day, override.working, "override", override.note)
        return self.official_day(day)

    def official_day(self, day: dt.date) -> DayInfo:
        """What the official schedule (or, without one, the plain week) says of ``day``,
        overrides aside."""
        official = self._official(day.year)
        if day in official.weekend_workdays:
            return DayInfo(day, True, "makeup", "调休")
        if day in official:
            return DayInfo(day, False, "holiday", official.get(day))
        if day.weekday() >= 5:
            return DayInfo(day, False, "weekend")
        return DayInfo(day, True, "weekday")

    def is_working_day(self, day: dt.date) -> bool:
        return self.day(day).working

    @cached_property
    def _override_years(self) -> frozenset[int]:
        return frozenset(d.year for d in self.overrides)

    def is_confirmed(self, year: int) -> bool:
        return year in OFFICIAL_YEARS or year in self._override_years

    def unconfirmed_years(self, start: dt.date, end: dt.date) -> list[int]:
        return [y for y in range(start.year, end.year + 1) if not self.is_confirmed(y)]

    def next_working_day(self, day: dt.date) -> dt.date:
        """The first working day strictly after ``day``."""
        day += dt.timedelta(days=1)
        while not self.is_working_day(day):
            day += dt.timedelta(days=1)
        return day

    def unusual_days(self, start: dt.date, end: dt.date) -> list[DayInfo]:
        """Days in [start, end] that are not plain weekdays/weekends: what a due date relied on."""
        out = []
        day = start
        while day <= end:
            info = self.day(day)
            if info.reason in ("override", "makeup", "holiday"):
                out.append(info)
            day += dt.timedelta(days=1)
        return out

    def local_date(self, instant: dt.datetime) -> dt.date:
        return instant.astimezone(self.tz).date()

    def start_of_day(self, day: dt.date) -> dt.datetime:
        """Local midnight at the start of ``day``, as an aware UTC instant."""
        return dt.datetime.combine(day, dt.time(0), self.tz).astimezone(dt.UTC)

    def working_seconds(self, start: dt.datetime, end: dt.datetime) -> float:
        """Seconds of [start, end) that fall on working days (whole local days count)."""
        if end <= start:
            return 0.0
        total = 0.0
        day = self.local_date(start)
        last = self.local_date(end)
        while day <= last:
            if self.is_working_day(day):
                lo = max(start, self.start_of_day(day))
                hi = min(end, self.start_of_day(day + dt.timedelta(days=1)))
                total += max(0.0, (hi - lo).total_seconds())
            day += dt.timedelta(days=1)
        return total

    def add_working_seconds(self, start: dt.datetime, seconds: float) -> dt.datetime:
        """The earliest instant reached by moving ``seconds`` of working-day time from ``start``."""
        if seconds <= 0:
            return start
        moment = start
        day = self.local_date(moment)
        while True:
            day_end = self.start_of_day(day + dt.timedelta(days=1))
            if self.is_working_day(day):
                available = (day_end - moment).total_seconds()
                if seconds <= available:
                    return moment + dt.timedelta(seconds=seconds)
                seconds -= available
            day += dt.timedelta(days=1)
            moment = day_end
