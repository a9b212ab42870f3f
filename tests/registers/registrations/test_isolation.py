"""The event's registrations panel and its actions, for another department (sees nothing, can
do nothing) and for a co-operating department (reads, cannot write); the enterprise's figures
count only what the reader may read; both pages cost the same few queries however many rows."""
from __future__ import annotations

import datetime as dt

from tests.core.test_list_at_scale import page_queries
from tests.registers.registrations.conftest import post

ACTIONS = ("check_in", "feedback", "outcome")


def _event_with_rows(events, enterprises, co=(), n=2, **kwargs):
    event = events.create("IPB", state="held", co=co, **kwargs)
    pks = [events.registration(event, enterprises.create("IPB"), when=i) for i in range(n)]
    return event, pks


def test_another_department_neither_sees_the_panel_nor_acts(auth, events, enterprises):
    event, pks = _event_with_rows(events, enterprises)
    edb = auth.client("edb", "zh")
    assert edb.get(f"/events/show/{event}").status_code == 404
    for name in ACTIONS:
        resp = post(edb, "/registrations/list/", f"/registrations/{name}/{pks[0]}",
                    {"attitude": "5", "quality": "5", "efficiency": "5"})
        assert resp.status_code == 404, name
    resp = post(edb, "/registrations/list/", "/registrations/attendance",
                [("event", event), ("attendance", "absent"), *[("rowid", pk) for pk in pks]])
    assert resp.status_code == 404
    resp = post(edb, "/registrations/list/", f"/registrations/action/cancel_registrations/{pks[0]}",
                {})
    assert resp.status_code == 404
    assert [events.row(pk)["attendance"] for pk in pks] == [None, None]
    assert events.row(pks[0])["status"] == "registered"


def test_a_co_operating_department_reads_the_panel_but_cannot_write(auth, events, enterprises):
    event, pks = _event_with_rows(events, enterprises, co=("EDB",))
    edb = auth.client("edb", "zh")
    page = edb.get(f"/events/show/{event}").get_data(as_text=True)
    assert f'id="registration-{pks[0]}"' in page
    assert 'id="registrations-bulk"' not in page and "checkin-" not in page
    resp = post(edb, f"/events/show/{event}", "/registrations/attendance",
                [("event", event), ("attendance", "absent"), *[("rowid", pk) for pk in pks]])
    assert resp.status_code == 403
    resp = post(edb, f"/events/show/{event}", f"/registrations/check_in/{pks[0]}", {})
    assert resp.status_code == 403
    resp = post(edb, f"/events/show/{event}",
                f"/registrations/action/cancel_registrations/{pks[0]}", {})
    assert resp.status_code == 403
    token = auth.token("edb")
    api = auth.app.test_client()
    assert api.post("/api/v1/event_registration/attendance", headers=token,
                    json={"ids": pks, "attendance": "absent"}).status_code == 403
    assert api.post(f"/api/v1/event_registration/{pks[0]}/cancel", headers=token,
                    json={}).status_code == 403
    assert [events.row(pk)["attendance"] for pk in pks] == [None, None]
    assert events.row(pks[0])["status"] == "registered"


def test_the_event_page_costs_the_same_queries_for_2_or_30_registrations(
        app, auth, events, enterprises):
    event, _pks = _event_with_rows(events, enterprises, kind="job_fair", n=2)
    ipb = auth.client("ipb", "zh")
    few = page_queries(app, ipb, f"/events/show/{event}")
    for i in range(28):
        events.registration(event, enterprises.create("IPB"), when=10 + i,
                            attendance="present" if i % 2 else None)
    assert page_queries(app, ipb, f"/events/show/{event}") == few


def test_the_enterprise_page_counts_its_attendance_by_year_for_the_reader(
        app, auth, events, enterprises):
    enterprise = enterprises.create("IPB")
    for n, (year, attendance) in enumerate([(2025, "present"), (2025, "absent"),
                                            (2026, "present"), (2026, "excused")]):
        event = events.create("IPB", state="closed", starts_at=dt.datetime(year, 6, 1, 2))
        events.registration(event, enterprise, attendance=attendance,
                            excuse_reason="出差" if attendance == "excused" else None, when=n)
    # an event of another department (not co-operating with IPB) that IPB cannot read
    hidden = events.create("EDB", state="closed", starts_at=dt.datetime(2026, 7, 1, 2))
    events.registration(hidden, enterprise, attendance="absent", when=9)
    ipb = auth.client("ipb", "zh")
    page = ipb.get(f"/enterprises/show/{enterprise}").get_data(as_text=True)
    assert 'id="figures-2026"' in page
    row_2026 = page.split('id="figures-2026"')[1].split("</tr>")[0]
    assert '<td class="present">1</td><td class="excused">1</td><td class="absent">0</td>' \
        in row_2026
    row_2025 = page.split('id="figures-2025"')[1].split("</tr>")[0]
    assert '<td class="rate">50%</td>' in row_2025
    few = page_queries(app, ipb, f"/enterprises/show/{enterprise}")
    more = events.create("IPB", state="closed", starts_at=dt.datetime(2024, 6, 1, 2))
    events.registration(more, enterprise, attendance="present", when=20)
    assert page_queries(app, ipb, f"/enterprises/show/{enterprise}") == few
