"""A new event's lead and co-operating departments default from its kind's measure (seeds/
measures.yaml: A5 job fairs and matchmaking EDB + FIN, PMW, IPB; B3 trainings EDB + all; B4
trade fairs EDB + IPB, FIN), as far as the person adding it may write."""
from __future__ import annotations

import re

import pytest

from app.extensions import db
from app.registers.events.models import Event
from tests.factories import department_id


def _selected(html: str, field: str) -> set[str]:
    select = re.search(rf'<select[^>]*id="{field}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return {re.search(r'value="([^"]*)"', o).group(1)
            for o in re.findall(r"<option[^>]*selected[^>]*>", select)}


def _ids(app, *codes) -> set[str]:
    with app.app_context():
        return {str(department_id(code)) for code in codes}


@pytest.mark.parametrize("user,kind,lead,co", [
    ("edb", None, "EDB", ()),                      # a training: B3, all co-operate → none ticked
    ("edb", "trade_fair", "EDB", ("IPB", "FIN")),
    ("edb", "job_fair", "EDB", ("FIN", "PMW", "IPB")),
    ("ipb", "trade_fair", "IPB", ("EDB", "FIN")),  # IPB may not write EDB: it leads itself
    ("ipb", "training", "IPB", ("EDB",)),
    ("admin", "matchmaking", "EDB", ("FIN", "PMW", "IPB")),
])
def test_the_add_form_starts_with_the_measures_departments(app, auth, user, kind, lead, co):
    query = f"?kind={kind}" if kind else ""
    html = auth.client(user).get(f"/events/add{query}").get_data(as_text=True)
    assert _selected(html, "kind") == {kind or "training"}
    assert _selected(html, "department") == _ids(app, lead)
    assert _selected(html, "co_departments") == _ids(app, *co)


def test_the_add_form_carries_every_kinds_defaults_for_when_the_kind_changes(app, auth):
    html = auth.client("ipb").get("/events/add").get_data(as_text=True)
    fair = re.search(r'"trade_fair": \{"co": \[([^\]]*)\], "lead": (\d+)\}', html)
    assert fair is not None, "the kinds' defaults are on the page"
    assert {fair.group(2)} == _ids(app, "IPB")
    assert set(fair.group(1).replace(" ", "").split(",")) == _ids(app, "EDB", "FIN")


def test_rest_without_departments_takes_the_same_defaults(app, auth):
    resp = app.test_client().post("/api/v1/event/", headers=auth.token("ipb"), json={
        "kind": "trade_fair", "name_zh": "日本进口博览会", "starts_at": "2026-12-20T01:00:00",
        "fair_scope": "international"})
    assert resp.status_code == 201, resp.json
    with app.app_context():
        event = db.session.get(Event, resp.json["id"])
        assert event.department_id == department_id("IPB")
        assert {d.code for d in event.co_departments} == {"EDB", "FIN"}
        assert event.state == "planned"
        db.session.remove()


def test_the_lead_ticked_as_co_operating_is_dropped_and_foreign_fields_cleared(app, auth):
    with app.app_context():
        edb = department_id("EDB")
    resp = app.test_client().post("/api/v1/event/", headers=auth.token("edb"), json={
        "kind": "job_fair", "name_zh": "春季招聘会", "starts_at": "2026-12-20T01:00:00",
        "topic": "tax", "fair_scope": "domestic", "co_departments": [edb]})
    assert resp.status_code == 201, resp.json
    with app.app_context():
        event = db.session.get(Event, resp.json["id"])
        assert event.co_departments == [] and event.topic is None and event.fair_scope is None
        db.session.remove()


def test_an_event_cannot_end_before_it_starts_422(app, auth):
    resp = app.test_client().post("/api/v1/event/", headers=auth.token("edb"), json={
        "kind": "training", "name_zh": "统计培训", "starts_at": "2026-12-20T05:00:00",
        "ends_at": "2026-12-20T01:00:00"})
    assert resp.status_code == 422 and "ends_at" in resp.json["errors"]
    with app.app_context():
        assert db.session.query(Event).count() == 0
        db.session.remove()
