"""How a meeting of the leading group is named in a spreadsheet (app.core.transfer
``Reference``): by its date and title, ``2026-11-23 第十二次投资审查会`` — as an export writes it
(the meeting's name in the reader's language) and as a person types it; the title alone names
it where no other meeting has that title. Read back, an export names the same meetings."""
from __future__ import annotations

import re

from flask_babel import lazy_gettext as _
from sqlalchemy import or_

from app.core.forms import parse_date
from app.core.transfer.cells import Reference
from app.registers.resolutions.models import InvestmentMeeting

_DATED = re.compile(r"(?P<day>\d{4}[-/.]\d{1,2}[-/.]\d{1,2})[\s·・|,，]*(?P<title>.*)")


def meeting_lookup(query, text: str):
    """``query`` (the meetings the user may read) narrowed to those ``text`` names."""
    text = text.strip()
    match = _DATED.fullmatch(text)
    day, title = (parse_date(match.group("day")), match.group("title").strip()) if match \
        else (None, text)
    if title:
        variants = {title, title.upper(), title.lower()}
        query = query.filter(or_(InvestmentMeeting.name_zh.in_(variants),
                                 InvestmentMeeting.name_ja.in_(variants),
                                 InvestmentMeeting.name_en.in_(variants)))
    if day is not None:
        query = query.filter(InvestmentMeeting.held_on == day)
    return query


MEETING_REFERENCE = Reference(
    name=str, lookup=meeting_lookup,
    hint=_("the meeting's date and title: 2026-11-23 title"),
    several=_("Several meetings are called “%(value)s”: add the date, e.g. "
              "2026-11-23 %(value)s."))
