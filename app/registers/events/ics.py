"""An event as an iCalendar file (RFC 5545), written by hand: one VEVENT in a VCALENDAR.

Pure: no Flask, no database; the caller gives the texts (in the reader's language) and ``now``.
Text values are escaped (backslash, semicolon, comma, newline: §3.3.11) and every content line
is folded at 75 octets without splitting a UTF-8 character (§3.1); lines end in CRLF.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

PRODID = "-//Dalian Puwan Economic Zone//Enterprise Service Platform//ZH"
LINE_OCTETS = 75


@dataclass(frozen=True)
class IcsEvent:
    uid: str
    starts_at: dt.datetime          # naive UTC (as stored) or aware
    ends_at: dt.datetime | None
    summary: str
    location: str = ""
    description: str = ""
    url: str = ""
    cancelled: bool = False
    sequence: int = 0
    changed_at: dt.datetime | None = None


def escape_text(value: str) -> str:
    """A TEXT value (§3.3.11): \\ ; , escaped, newlines as \\n."""
    out = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return out.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def utc_stamp(moment: dt.datetime) -> str:
    """A DATE-TIME in UTC form (§3.3.5): 20261128T013000Z."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC)
    return moment.strftime("%Y%m%dT%H%M%SZ")


def fold(line: str) -> str:
    """A content line folded into lines of at most 75 octets (continuations begin with a space),
    never inside a UTF-8 character."""
    parts, current, size, limit = [], [], 0, LINE_OCTETS
    for char in line:
        octets = len(char.encode("utf-8"))
        if size + octets > limit:
            parts.append("".join(current))
            current, size, limit = [], 0, LINE_OCTETS - 1  # (the leading space counts)
        current.append(char)
        size += octets
    parts.append("".join(current))
    return "\r\n ".join(parts)


def calendar_file(event: IcsEvent, now: dt.datetime) -> bytes:
    """The .ics file of one event (UTF-8, CRLF line ends)."""
    ends_at = event.ends_at if event.ends_at is not None and event.ends_at >= event.starts_at \
        else event.starts_at + dt.timedelta(hours=1)  # (no end given: an hour, as calendars do)
    lines = [
        "BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{event.uid}",
        f"DTSTAMP:{utc_stamp(now)}",
        f"DTSTART:{utc_stamp(event.starts_at)}",
        f"DTEND:{utc_stamp(ends_at)}",
        f"SEQUENCE:{event.sequence}",
        f"SUMMARY:{escape_text(event.summary)}",
    ]
    if event.changed_at is not None:
        lines.append(f"LAST-MODIFIED:{utc_stamp(event.changed_at)}")
    if event.location:
        lines.append(f"LOCATION:{escape_text(event.location)}")
    if event.description:
        lines.append(f"DESCRIPTION:{escape_text(event.description)}")
    if event.url:
        lines.append(f"URL:{event.url}")
    lines += [f"STATUS:{'CANCELLED' if event.cancelled else 'CONFIRMED'}",
              "END:VEVENT", "END:VCALENDAR"]
    return "".join(fold(line) + "\r\n" for line in lines).encode("utf-8")
