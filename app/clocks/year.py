"""One year of the working-day calendar, month by month: the official holidays, the make-up working
days (调休) and the administrator's overrides together, as the year page shows them."""
from __future__ import annotations

import calendar as months
import datetime as dt
import re
from dataclasses import dataclass

from flask_babel import format_date
from flask_babel import lazy_gettext as _

from app.sla.calendar import DayInfo, WorkCalendar

FIRST_YEAR, LAST_YEAR = 2000, 2099

# The `holidays` package names China's days in English only: our catalog translates them.
HOLIDAY_NAMES = {
    "New Year's Day": _("New Year's Day"),
    "Chinese New Year's Eve": _("Chinese New Year's Eve"),
    "Chinese New Year (Spring Festival)": _("Spring Festival"),
    "Chinese New Year Extended Holiday": _("Spring Festival (extended holiday)"),
    "Tomb-Sweeping Day": _("Tomb-Sweeping Day"),
    "Labor Day": _("Labour Day"),
    "Dragon Boat Festival": _("Dragon Boat Festival"),
    "Mid-Autumn Festival": _("Mid-Autumn Festival"),
    "National Day": _("National Day"),
    "70th Anniversary of the Victory of the Chinese People's War of Resistance against Japanese "
    "Aggression and the World Anti-Fascist War": _("70th anniversary of the victory of the War "
                                                   "of Resistance"),
}
OBSERVED = " (observed)"
SUBSTITUTED = re.compile(r"Day off \(substituted from (\d\d)/(\d\d)/(\d{4})\)")

KINDS = {
    "holiday": _("Official day off"), "makeup": _("Make-up working day"),
    "weekend": _("Weekend"), "weekday": _("Working day"),
}


def _substituted_from(part: str) -> dt.date | None:
    match = SUBSTITUTED.fullmatch(part)
    if match is None:
        return None
    month, day, year = (int(g) for g in match.groups())
    return dt.date(year, month, day)


def holiday_name(name: str) -> str:
    """The package's English name of an official day off, in the page's language."""
    shown = []
    for part in name.split("; "):
        worked = _substituted_from(part)
        if worked is not None:
            shown.append(str(_("Day off in exchange for working on %(day)s",
                               day=worked.isoformat())))
            continue
        observed = part.endswith(OBSERVED)
        base = part.removesuffix(OBSERVED)
        text = str(HOLIDAY_NAMES.get(base, base))
        shown.append(str(_("%(name)s (moved day off)", name=text)) if observed else text)
    return "; ".join(shown)


@dataclass(frozen=True)
class YearDay:
    day: dt.date
    official: DayInfo           # what the schedule says, overrides aside
    override: DayInfo | None    # the administrator's word, if any
    exchange: dt.date | None    # a make-up day: the day off it is worked for (and back)

    @property
    def working(self) -> bool:
        return (self.override or self.official).working

    @property
    def notable(self) -> bool:
        return self.override is not None or self.official.reason in ("holiday", "makeup")

    @property
    def official_label(self) -> str:
        return str(KINDS[self.official.reason])

    @property
    def official_name(self) -> str:
        if self.official.reason == "holiday":
            return holiday_name(self.official.note)
        if self.official.reason == "makeup" and self.exchange:
            return str(_("Worked in exchange for the day off on %(day)s",
                         day=self.exchange.isoformat()))
        return ""

    @property
    def css(self) -> str:
        kind = "override" if self.override else self.official.reason
        return f"day-{kind} {'working' if self.working else 'off'}"


def year_days(calendar: WorkCalendar, year: int) -> dict[dt.date, YearDay]:
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    official = {first + dt.timedelta(n): calendar.official_day(first + dt.timedelta(n))
                for n in range((last - first).days + 1)}
    exchange = {}
    for info in official.values():
        worked = _substituted_from(info.note) if info.reason == "holiday" else None
        if worked is not None:
            exchange[worked] = info.day
    return {
        day: YearDay(day, info, calendar.day(day) if day in calendar.overrides else None,
                     exchange.get(day))
        for day, info in official.items()
    }


def year_months(calendar: WorkCalendar, year: int) -> list[dict]:
    """Twelve months: name and weeks (Monday first) of YearDay, None outside the month."""
    days = year_days(calendar, year)
    grid = months.Calendar(firstweekday=0)
    return [
        {"name": format_date(dt.date(year, month, 1), "LLLL"),
         "weeks": [[days[d] if d.month == month else None for d in week]
                   for week in grid.monthdatescalendar(year, month)],
         "notable": [d for d in days.values() if d.day.month == month and d.notable]}
        for month in range(1, 13)
    ]
