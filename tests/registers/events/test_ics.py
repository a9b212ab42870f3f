"""An event's .ics file: RFC 5545 as a calendar reads it (folded lines of at most 75 octets,
CRLF, escaped text), in the reader's language, and only for whoever may read the event.

``icalendar`` is not installed (and not added for this): the file is read here by the RFC's
rules — unfold, split each line at its first colon, unescape TEXT values."""
from __future__ import annotations

import datetime as dt
import re

import pytest

from app.registers.events.ics import IcsEvent, calendar_file, escape_text, fold

START = dt.datetime(2026, 12, 3, 1, 30)   # 09:30 in Shanghai


def unescape(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def parse(body: bytes) -> list[dict]:
    """The VEVENTs of an .ics file ({property: value}), checking its framing on the way."""
    text = body.decode("utf-8")
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    physical = text.split("\r\n")[:-1]
    assert all(len(line.encode("utf-8")) <= 75 for line in physical)
    lines: list[str] = []
    for line in physical:
        if line[:1] in (" ", "\t"):
            lines[-1] += line[1:]
        else:
            lines.append(line)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    top = dict(line.split(":", 1) for line in lines if not line.startswith(("BEGIN", "END")))
    assert top["VERSION"] == "2.0" and top["PRODID"]
    events, current = [], None
    for line in lines:
        name, value = line.split(":", 1)
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            events.append(current)
            current = None
        elif current is not None:
            current[name] = unescape(value)
    return events


@pytest.mark.parametrize("text", ["a,b;c\\d\ne", "大连" * 60, "x" * 200, "é" * 80])
def test_text_survives_escaping_and_folding(text):
    body = calendar_file(IcsEvent("u1", START, None, summary=text, description=text),
                         dt.datetime(2026, 11, 1))
    event, = parse(body)
    assert event["SUMMARY"] == text and event["DESCRIPTION"] == text


def test_folding_never_splits_a_character_and_keeps_75_octets():
    line = "SUMMARY:" + "普湾" * 50
    folded = fold(line)
    assert all(len(part.encode("utf-8")) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line
    assert escape_text("a\r\nb") == "a\\nb"


def test_times_are_utc_and_an_event_without_end_lasts_an_hour():
    event, = parse(calendar_file(IcsEvent("u2", START, None, "x"), dt.datetime(2026, 11, 1, 2)))
    assert event["DTSTART"] == "20261203T013000Z" and event["DTEND"] == "20261203T023000Z"
    assert event["DTSTAMP"] == "20261101T020000Z"
    assert event["STATUS"] == "CONFIRMED"


def test_the_ics_route_gives_the_event_in_the_readers_language(auth, events):
    pk = events.make("EDB", name_zh="上市辅导培训", name_ja="上場指導研修",
                     venue_zh="普湾大厦3楼会议室A", venue_ja="普湾ビル3階, 会議室A",
                     starts_at=START, ends_at=START + dt.timedelta(hours=3),
                     description_zh="第一讲：上市条件;\n第二讲：材料准备")
    resp = auth.client("edb", lang="ja").get(f"/events/ics/{pk}")
    assert resp.status_code == 200
    assert resp.headers["Content-Type"].startswith("text/calendar")
    assert "attachment" in resp.headers["Content-Disposition"]
    event, = parse(resp.data)
    assert event["SUMMARY"] == "上場指導研修"
    assert event["LOCATION"] == "普湾ビル3階, 会議室A"
    # (no Japanese description typed: the Chinese one)
    assert event["DTSTART"] == "20261203T013000Z" and event["DTEND"] == "20261203T043000Z"
    assert event["DESCRIPTION"].startswith("第一讲：上市条件;\n第二讲：材料准备")
    assert "経済発展局" in event["DESCRIPTION"]
    assert event["UID"] == f"event-{pk}@puwan-esp"
    assert event["URL"].endswith(f"/events/show/{pk}")
    zh, = parse(auth.client("edb", lang="zh").get(f"/events/ics/{pk}").data)
    assert zh["SUMMARY"] == "上市辅导培训" and zh["UID"] == event["UID"]
    assert zh["LOCATION"] == "普湾大厦3楼会议室A"


def test_a_cancelled_event_is_cancelled_in_the_calendar_with_a_later_sequence(auth, events):
    pk = events.make("EDB")
    first, = parse(auth.client("edb").get(f"/events/ics/{pk}").data)
    events.set(pk, state="cancelled", cancel_reason="场地检修",
               changed_on=dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(minutes=5))
    event, = parse(auth.client("edb", lang="zh").get(f"/events/ics/{pk}").data)
    assert event["STATUS"] == "CANCELLED" and "场地检修" in event["DESCRIPTION"]
    assert int(event["SEQUENCE"]) > int(first["SEQUENCE"])


def test_co_operating_departments_get_the_file_others_404(auth, events, pcb):
    pk = events.make("EDB", co=("IPB",))
    assert auth.client("ipb").get(f"/events/ics/{pk}").status_code == 200
    assert auth.client(pcb).get(f"/events/ics/{pk}").status_code == 404
    assert auth.app.test_client().get(f"/events/ics/{pk}").status_code in (302, 401)


def test_the_record_page_links_its_ics_file(auth, events):
    pk = events.make("EDB")
    html = auth.client("edb", lang="zh").get(f"/events/show/{pk}").get_data(as_text=True)
    assert f'href="/events/ics/{pk}"' in html
