"""A register's month calendar, derived from its declaration: ``Register(calendar=Calendar(…))``.

Each record stands on the days from its ``start`` to its ``end`` (an instant on its day in
Asia/Shanghai, a date as it is), as a link to its page, coloured by a coded column with a legend.
The month's records come in one query through the register's scoped data interface, so
department isolation holds as on its list, and at most ``LIMIT`` of them. Plain server-rendered
HTML: weekday and month names in the reader's language, nothing fetched from outside.
"""
from __future__ import annotations

import calendar as months
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from babel.dates import format_skeleton
from flask import abort, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.security.decorators import permission_name
from flask_babel import format_date, get_locale
from sqlalchemy import Date, DateTime, func

from app.core.display import display_value
from app.core.timeutil import UTC, display_tz, to_display

LIMIT = 2000    # records on one month's page (a busy register shows the first, and says so)
PER_DAY = 4     # listed in a day's box; the rest behind "n more"
# Colours of a coded column's values, in the order of its choices (then grey for any other).
PALETTE = ("#337ab7", "#5cb85c", "#f0ad4e", "#d9534f", "#5bc0de", "#8e6bbf", "#a0522d",
           "#2e8b57", "#c71585", "#607d8b")
OTHER = "#999999"
MONTH = re.compile(r"(\d{4})-(\d{2})")


@dataclass(frozen=True)
class Calendar:
    """``start`` (and ``end``, when records last several days): Date or DateTime columns;
    ``title``: the attribute a record is shown by (default: the record itself, e.g. its name in
    the reader's language); ``color``: a column with choices that colours the records."""

    start: str
    end: str | None = None
    title: str | None = None
    color: str | None = None
    label: Any = None   # the menu item (default: "<record> calendar")


def weekday_names() -> list[str]:
    """Monday to Sunday, abbreviated in the page's language."""
    monday = dt.date(2024, 1, 1)
    return [format_date(monday + dt.timedelta(n), "EEE") for n in range(7)]


def month_name(first: dt.date) -> str:
    """2026年11月 / November 2026, in the page's language."""
    return format_skeleton("yMMMM", first, locale=str(get_locale() or "zh"))


def _next_month(first: dt.date) -> dt.date:
    return (first + dt.timedelta(days=32)).replace(day=1)


def _previous_month(first: dt.date) -> dt.date:
    return (first - dt.timedelta(days=1)).replace(day=1)


def day_of(value) -> dt.date | None:
    """The day a value falls on: an instant (naive UTC) on its day in the display time zone."""
    if isinstance(value, dt.datetime):
        return to_display(value).date()
    return value


def record_days(start, end, first: dt.date, last: dt.date) -> list[dt.date]:
    """The days of ``first``..``last`` (one month) a record from ``start`` to ``end`` covers."""
    begin = day_of(start)
    if begin is None:
        return []
    finish = max(day_of(end) or begin, begin)
    begin, finish = max(begin, first), min(finish, last)
    return [begin + dt.timedelta(n) for n in range((finish - begin).days + 1)]


class CalendarView(BaseView):
    """A register's month page: ``datamodel`` (scoped), ``calendar``, the record pages'
    ``show_view`` and the ``choices`` of the colour column."""

    route_base = ""
    default_view = "month"
    datamodel = None
    calendar: Calendar | None = None
    title: Any = ""
    show_view = ""       # the register's view: its records' pages, its list
    choices: dict = {}
    template = "puwan/calendar_month.html"

    def _month(self) -> dt.date:
        text = request.args.get("month")
        if not text:
            return dt.datetime.now(display_tz()).date().replace(day=1)
        match = MONTH.fullmatch(text)
        if match is None or not (2000 <= int(match[1]) <= 2099 and 1 <= int(match[2]) <= 12):
            abort(404)
        return dt.date(int(match[1]), int(match[2]), 1)

    def _bound(self, column, day: dt.date):
        """The first moment of ``day`` as the column stores it (naive UTC for instants)."""
        if isinstance(column.type, DateTime):
            local = dt.datetime.combine(day, dt.time(0), tzinfo=display_tz())
            return local.astimezone(UTC).replace(tzinfo=None)
        return day

    def records(self, first: dt.date) -> tuple[list, bool]:
        """The records of the month beginning ``first`` the user may read (one query), and
        whether there were more than ``LIMIT``."""
        model, calendar = self.datamodel.obj, self.calendar
        start = getattr(model, calendar.start)
        end = getattr(model, calendar.end) if calendar.end else None
        following = _next_month(first)
        query = self.datamodel.scoped(self.datamodel.session.query(model))
        query = query.filter(start < self._bound(start, following))
        if end is None:
            query = query.filter(start >= self._bound(start, first))
        else:
            query = query.filter(func.coalesce(end, start) >= self._bound(end, first))
        pk = getattr(model, self.datamodel.get_pk_name())
        rows = query.order_by(start, pk).limit(LIMIT + 1).all()
        return rows[:LIMIT], len(rows) > LIMIT

    def _legend(self) -> list[dict]:
        return [{"code": code, "label": str(label), "color": PALETTE[n % len(PALETTE)]}
                for n, (code, label) in enumerate(self.choices.items())]

    def _entry(self, record, colors: dict, may_show: bool) -> dict:
        calendar = self.calendar
        title = getattr(record, calendar.title) if calendar.title else record
        start = getattr(record, calendar.start)
        code = getattr(record, calendar.color) if calendar.color else None
        pk = getattr(record, self.datamodel.get_pk_name())
        return {
            "title": str(display_value(title)),
            "time": to_display(start).strftime("%H:%M") if isinstance(start, dt.datetime)
            else "",
            "url": url_for(f"{self.show_view}.show", pk=pk) if may_show else None,
            "color": colors.get(code, OTHER) if calendar.color else PALETTE[0],
            "kind": str(display_value(self.choices.get(code, code))) if calendar.color else "",
        }

    @expose("/")
    @has_access
    @permission_name("calendar")
    def month(self):
        first = self._month()
        last = _next_month(first) - dt.timedelta(days=1)
        rows, more = self.records(first)
        legend = self._legend()
        colors = {item["code"]: item["color"] for item in legend}
        may_show = self.appbuilder.sm.has_access("can_show", self.show_view)
        by_day: dict[dt.date, list] = {}
        for record in rows:
            entry = self._entry(record, colors, may_show)
            start = getattr(record, self.calendar.start)
            end = getattr(record, self.calendar.end) if self.calendar.end else None
            for day in record_days(start, end, first, last):
                by_day.setdefault(day, []).append(entry)
        weeks = [[{"day": day, "inside": day.month == first.month,
                   "entries": by_day.get(day, [])} for day in week]
                 for week in months.Calendar(firstweekday=0).monthdatescalendar(
                     first.year, first.month)]
        previous, following = _previous_month(first), _next_month(first)
        return self.render_template(
            self.template, title=self.title, month=month_name(first), weeks=weeks,
            weekdays=weekday_names(), legend=legend if self.calendar.color else [],
            today=dt.datetime.now(display_tz()).date(), per_day=PER_DAY, more=more,
            limit=LIMIT, list_url=url_for(f"{self.show_view}.list"),
            previous={"month": previous.strftime("%Y-%m"), "name": month_name(previous)},
            following={"month": following.strftime("%Y-%m"), "name": month_name(following)})


def column_is_day(model, name: str) -> bool:
    """Whether ``name`` is a Date or DateTime column of ``model`` (a calendar can stand on it)."""
    column = model.__table__.columns.get(name)
    return column is not None and isinstance(column.type, (Date, DateTime))
