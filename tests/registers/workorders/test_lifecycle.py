"""The work-order lifecycle through REST: every transition, valid and invalid, and its clocks."""
import datetime as dt
import re

import pytest

from app.core.models import Department
from app.extensions import db
from tests.factories import department_id

UTC_MIDNIGHT_SHANGHAI = dt.time(16, 0)  # 00:00 in Shanghai is 16:00 UTC the day before


def _due_day(value: dt.datetime) -> dt.date:
    return (value + dt.timedelta(hours=8) - dt.timedelta(microseconds=1)).date()


def test_new_order_gets_a_readable_ticket_and_two_clocks(orders):
    pk = orders.create(received_at="2026-11-25T10:00")
    resp = orders.client.get(f"/api/v1/workorder/{pk}", headers=orders.headers("office"))
    assert re.fullmatch(r"PW-2026-\d{6}", resp.json["result"]["ticket"])
    assert resp.json["result"]["state"] == "received"
    assert orders.clock(pk, "dispatch")["due_at"] == dt.datetime(2026, 11, 25, 3, 0)  # 11:00 SH
    assert orders.clock(pk, "resolution")["state"] == "running"


@pytest.mark.parametrize("received,category,due", [
    ("2026-09-18T10:00", "consultation", dt.date(2026, 9, 20)),
    ("2026-09-30T10:00", "general", dt.date(2026, 10, 9)),
    ("2026-09-30T10:00", "difficult", dt.date(2026, 10, 10)),
])
def test_plan_examples_through_work_orders(orders, received, category, due):
    pk = orders.create(received_at=received, category=category)
    assert _due_day(orders.clock(pk, "resolution")["due_at"]) == due


def test_happy_path_from_receipt_to_close(app, orders):
    pk = orders.dispatched("IPB")
    assert orders.clock(pk, "dispatch")["state"] in ("met", "missed")
    for action, user, data, state in [
        ("accept", "ipb", {}, "accepted"),
        ("start", "ipb", {}, "in_progress"),
        ("wait", "ipb", {"reason": "需补充材料"}, "waiting"),
        ("resume", "ipb", {}, "in_progress"),
        ("resolve", "ipb", {"reply": "已答复"}, "resolved"),
        ("follow_up", "office", {"rating": 4, "attitude": 5, "quality": 4, "efficiency": 4},
         "followed_up"),
        ("close", "office", {}, "closed"),
    ]:
        resp = orders.act(pk, action, user, **data)
        assert resp.status_code == 200, (action, resp.json)
        assert orders.state(pk) == state
    timeline = orders.client.get(f"/api/v1/workorder/{pk}/timeline",
                                 headers=orders.headers("office")).json["result"]
    assert [e["action"] for e in timeline] == [
        "receive", "dispatch", "accept", "start", "wait", "resume", "resolve", "follow_up",
        "close"]
    assert orders.clock(pk, "resolution")["state"] == "met"


def test_waiting_pauses_the_resolution_clock(orders):
    pk = orders.dispatched()
    orders.act(pk, "accept", "ipb")
    orders.act(pk, "start", "ipb")
    orders.act(pk, "wait", "ipb", reason="等待企业回复")
    assert orders.clock(pk, "resolution")["paused"]
    orders.act(pk, "resume", "ipb")
    assert not orders.clock(pk, "resolution")["paused"]


@pytest.mark.parametrize("action,data", [
    ("accept", {}), ("start", {}), ("resolve", {"reply": "x"}), ("close", {}),
    ("follow_up", {"rating": 5}), ("resume", {}), ("reopen", {"reason": "x"}),
])
def test_invalid_transitions_from_received_are_409_and_change_nothing(orders, action, data):
    pk = orders.create()
    resp = orders.act(pk, action, "admin", **data)
    assert resp.status_code in (403, 409)
    assert orders.state(pk) == "received"


def test_invalid_transition_message_is_translated(orders):
    pk = orders.create()
    resp = orders.client.post(f"/api/v1/workorder/{pk}/transition/close?_l_=zh", json={},
                              headers=orders.headers("office"))
    assert resp.status_code == 409 and "已受理" in resp.json["message"]


def test_missing_reply_is_422(orders):
    pk = orders.dispatched()
    orders.act(pk, "accept", "ipb")
    resp = orders.act(pk, "resolve", "ipb")
    assert resp.status_code == 422 and "reply" in resp.json["errors"]
    assert orders.state(pk) == "accepted"


def test_only_the_office_dispatches(orders, app):
    pk = orders.create(username="ipb")
    with app.app_context():
        dept = department_id("IPB")
    assert orders.act(pk, "dispatch", "ipb", department=dept).status_code == 403
    assert orders.state(pk) == "received"


def test_only_the_handling_department_accepts(orders):
    pk = orders.dispatched("IPB")
    # EDB cannot even see it; the Office sees it but is not the handling unit
    assert orders.act(pk, "accept", "edb").status_code == 404
    assert orders.act(pk, "accept", "office").status_code == 403
    assert orders.state(pk) == "dispatched"


def test_returned_order_goes_back_to_dispatch(orders, app):
    pk = orders.dispatched("IPB")
    assert orders.act(pk, "return", "ipb", reason="不属于本部门").status_code == 200
    assert orders.state(pk) == "returned"
    with app.app_context():
        edb = department_id("EDB")
    assert orders.act(pk, "dispatch", "office", department=edb).status_code == 200
    assert orders.act(pk, "accept", "edb").status_code == 200


def test_approved_extension_moves_the_due_date(orders):
    pk = orders.dispatched(received_at="2026-11-25T10:00", category="general")
    before = orders.clock(pk, "resolution")["due_at"]
    orders.act(pk, "accept", "ipb")
    assert orders.act(pk, "request_extension", "ipb", days=2, reason="需现场核查").status_code == 200
    assert orders.act(pk, "approve_extension", "office").status_code == 200
    after = orders.clock(pk, "resolution")["due_at"]
    assert _due_day(before) == dt.date(2026, 11, 27)
    assert _due_day(after) == dt.date(2026, 12, 1)   # Mon 11-30, Tue 12-01


def test_rejected_or_missing_extension(orders):
    pk = orders.dispatched()
    orders.act(pk, "accept", "ipb")
    assert orders.act(pk, "approve_extension", "office").status_code == 409
    orders.act(pk, "request_extension", "ipb", days=1, reason="x")
    assert orders.act(pk, "request_extension", "ipb", days=1, reason="y").status_code == 409
    assert orders.act(pk, "reject_extension", "office", reason="理由不足").status_code == 200
    assert orders.act(pk, "request_extension", "ipb", days=11, reason="x").status_code == 422


def test_bad_rating_opens_a_rectification_clock_and_allows_reopening(orders):
    pk = orders.dispatched()
    orders.act(pk, "accept", "ipb")
    orders.act(pk, "resolve", "ipb", reply="已处理")
    assert orders.act(pk, "follow_up", "office", rating=1, comment="未解决").status_code == 200
    assert orders.clock(pk, "rectification")["state"] == "running"
    assert orders.act(pk, "reopen", "office", reason="差评整改").status_code == 200
    assert orders.state(pk) == "in_progress"


def test_rating_out_of_range_is_422(orders):
    pk = orders.dispatched()
    orders.act(pk, "accept", "ipb")
    orders.act(pk, "resolve", "ipb", reply="已处理")
    assert orders.act(pk, "follow_up", "office", rating=6).status_code == 422
    assert orders.state(pk) == "resolved"


def test_office_supervision_is_recorded(orders, app):
    pk = orders.dispatched()
    assert orders.act(pk, "supervise", "office", reason="领导关注").status_code == 200
    with app.app_context():
        from app.clocks.models import Supervision

        assert db.session.query(Supervision).filter_by(subject_id=pk, reason="office").count() == 1


def test_unknown_action_is_404(orders):
    assert orders.act(orders.create(), "teleport", "office").status_code == 404


def test_department_sees_orders_dispatched_to_it_and_its_own(orders, auth):
    to_ipb = orders.dispatched("IPB")
    by_edb = orders.create(username="edb")
    elsewhere = orders.dispatched("FIN")
    ids = {r["id"] for r in orders.client.get("/api/v1/workorder/", headers=orders.headers("ipb")
                                                 ).json["result"]}
    assert to_ipb in ids and by_edb not in ids and elsewhere not in ids
    ids = {r["id"] for r in orders.client.get("/api/v1/workorder/", headers=orders.headers("edb")
                                                 ).json["result"]}
    assert by_edb in ids and to_ipb not in ids
    ids = {r["id"] for r in orders.client.get("/api/v1/workorder/",
                                                 headers=orders.headers("reader")).json["result"]}
    assert {to_ipb, by_edb, elsewhere} <= ids


def test_zone_reader_cannot_act(orders):
    pk = orders.create()
    with orders.app.app_context():
        dept = db.session.query(Department.id).filter_by(code="IPB").scalar()
    assert orders.act(pk, "dispatch", "reader", department=dept).status_code == 403


def test_which_states_pause_a_clock_is_policy_data(app, orders):
    from app.clocks.models import SlaPolicy

    with app.app_context():
        policy = db.session.query(SlaPolicy).filter_by(code="general").one()
        policy.pause_states = []
        db.session.commit()
    try:
        pk = orders.dispatched(category="general")
        orders.act(pk, "accept", "ipb")
        orders.act(pk, "start", "ipb")
        orders.act(pk, "wait", "ipb", reason="等待")
        assert not orders.clock(pk, "resolution")["paused"]
    finally:
        with app.app_context():
            policy = db.session.query(SlaPolicy).filter_by(code="general").one()
            policy.pause_states = ["waiting"]
            db.session.commit()


def test_order_in_an_unconfirmed_year_shows_the_warning(orders, auth):
    pk = orders.create(received_at="2027-03-01T10:00")
    html = auth.client("office", lang="zh").get(f"/workorders/show/{pk}").get_data(as_text=True)
    assert "日历未确认" in html
