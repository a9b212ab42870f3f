"""An event's record page: the fields of its kind, its places and attendance at a glance, its
timeline and attachments — in a fixed number of queries however many registrations it has."""
from __future__ import annotations

import re

from tests.core.test_list_at_scale import page_queries


def _cell(html: str, id_: str) -> str:
    return re.sub(r"<[^>]+>|\s+", " ", re.search(rf'id="{id_}">(.*?)</td>', html, re.S)
                  .group(1)).strip()


def test_the_summary_counts_places_and_attendance(auth, events):
    pk = events.make("EDB", capacity=10, state="held", days=-1)
    events.register(pk, 3, attendance="present", attendees=2)
    events.register(pk, 1, attendance="absent")
    events.register(pk, 1, attendance="excused", excuse_reason="生产任务紧")
    events.register(pk, 1)                                  # not recorded yet
    events.register(pk, 2, status="waitlisted", attendees=3)
    events.register(pk, 1, status="cancelled")
    html = auth.client("edb", lang="zh").get(f"/events/show/{pk}").get_data(as_text=True)
    assert _cell(html, "event-registered").startswith("9 ")  # people: 3×2 + 1 + 1 + 1
    assert _cell(html, "event-free") == "1"
    assert _cell(html, "event-waiting").startswith("6 ")
    # (attendance counts enterprises: said so, not to be read as people)
    assert [_cell(html, f"event-{k}") for k in ("present", "absent", "excused", "unrecorded")] \
        == ["3家企业", "1家企业", "1家企业", "1家企业"]
    assert _cell(html, "event-rate") == "50%"               # 3 of 6 registered enterprises


def test_the_page_shows_the_fields_of_the_events_kind(auth, events):
    training = events.make("EDB", kind="training", topic="tax")
    fair = events.make("EDB", kind="trade_fair", fair_scope="international")
    client = auth.client("edb", lang="en")
    html = client.get(f"/events/show/{training}").get_data(as_text=True)
    assert "Tax and fee reduction" in html and "International or domestic" not in html
    html = client.get(f"/events/show/{fair}").get_data(as_text=True)
    assert "International or domestic" in html and ">Topic<" not in html
    assert "Reason for cancelling" not in html


def test_timeline_attachments_and_panels_are_on_the_page(auth, events):
    pk = events.make("EDB")
    html = auth.client("edb").get(f"/events/show/{pk}").get_data(as_text=True)
    for block in ("event-actions", "event-attachments", "event-summary", "event-timeline"):
        assert f'id="{block}"' in html


def test_the_page_costs_the_same_queries_for_1_or_40_registrations(app, auth, events):
    client = auth.client("ipb", lang="zh")
    one = events.make("EDB", co=("IPB", "FIN"), state="held", days=-1, capacity=50)
    events.register(one, 1, attendance="present")
    many = events.make("EDB", co=("IPB", "FIN"), state="held", days=-1, capacity=50)
    events.register(many, 40, attendance="present")
    counts = [page_queries(app, client, f"/events/show/{pk}") for pk in (one, many)]
    # user, permissions, the event (its links joined), attachments, registrations, their
    # figures, timeline
    assert counts[0] == counts[1] <= 7, counts


def _rows(html: str) -> dict[str, str]:
    """The record page's fields: label -> value as shown."""
    def text(cell):
        return re.sub(r"<[^>]+>|\s+", " ", cell).strip()
    return {text(th): text(td) for th, td in re.findall(
        r'<th class="col-lg-2[^"]*">(.*?)</th>\s*<td>(.*?)</td>', html, re.S)}


def test_each_field_shows_its_own_value_whatever_the_kind(auth, events):
    """Fields of other kinds are left out, and each label keeps its own value next to it."""
    client = auth.client("edb", lang="en")
    for kind, extra in (("training", {"topic": "tax"}), ("job_fair", {}),
                        ("trade_fair", {"fair_scope": "domestic"})):
        pk = events.make("EDB", co=("IPB",), kind=kind, venue_zh="普湾会议中心",
                         description_zh="说明文字", **extra)
        rows = _rows(client.get(f"/events/show/{pk}").get_data(as_text=True))
        assert rows["Venue (Chinese)"] == "普湾会议中心", (kind, rows)
        assert rows["Description (Chinese)"] == "说明文字", (kind, rows)
        assert rows["Lead department"] == "Economic Development Bureau", (kind, rows)
        assert rows["Co-operating departments"] == "Investment Promotion Bureau", (kind, rows)
        assert rows["Kind of event"] == {"training": "Training", "job_fair": "Job fair",
                                         "trade_fair": "Trade fair"}[kind]
