"""How an event is named in a spreadsheet of registrations (app.core.transfer ``Reference``).

A title alone does not name an event: the same training is held every year, a job fair every
spring. An attendee list names it by its title and its start in Beijing time,
``上市辅导培训 · 2026-12-05 09:30``; a person may type only the date (``上市辅导培训 2026-12-05``,
``上市辅导培训（2026年12月5日）``) or only the title when no other event has it. The title may
be in any of its languages. Read back, an export names the same events (a round trip).
"""
from __future__ import annotations

import datetime as dt
import re

from flask_babel import lazy_gettext as _
from sqlalchemy import false, or_

from app.core.forms import parse_date, parse_instant
from app.core.models import localized
from app.core.timeutil import from_display, to_display
from app.core.transfer.cells import Reference
from app.registers.events.models import Event

SEPARATOR = " · "
_CJK_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_NAMED = re.compile(r"(?P<title>.*?)[\s·・|,，(（]*"
                    r"(?P<when>\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?:[\sT]+\d{1,2}:\d{2}(?::\d{2})?)?)"
                    r"[\s)）]*")


def event_name(event: Event) -> str:
    """The event's cell: its title in the reader's language and when it starts."""
    return f"{localized(event, 'name')}{SEPARATOR}{to_display(event.starts_at):%Y-%m-%d %H:%M}"


def event_lookup(query, text: str):
    """``query`` (the events the user may read) narrowed to those ``text`` names."""
    text = _CJK_DATE.sub(r"\1-\2-\3", text.strip())
    match = _NAMED.fullmatch(text)
    title, when = (match.group("title").strip(), match.group("when")) if match else (text, None)
    if not title:
        return None
    variants = {title, title.upper(), title.lower()}
    query = query.filter(or_(Event.name_zh.in_(variants), Event.name_ja.in_(variants),
                             Event.name_en.in_(variants)))
    if when is None:
        return query
    moment = parse_instant(when.replace("T", " "))
    if moment is not None:
        return query.filter(Event.starts_at >= moment,
                            Event.starts_at < moment + dt.timedelta(minutes=1))
    day = parse_date(when)
    if day is None:
        return query.filter(false())
    start = from_display(dt.datetime.combine(day, dt.time(0)))
    return query.filter(Event.starts_at >= start, Event.starts_at < start + dt.timedelta(days=1))


EVENT_REFERENCE = Reference(
    name=event_name, lookup=event_lookup,
    hint=_("the event's title and start: title · 2026-12-05 09:30"),
    several=_("Several events are called “%(value)s”: add the date, e.g. "
              "%(value)s · 2026-12-05."))
