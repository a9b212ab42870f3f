"""Fields that belong to some kinds of record (a column's ``info["kinds"]``, app.core.fields),
on the events register (a training's topic, a trade fair's scope) and on registrations, whose
kind is their event's (``Register(kind_of=…)``)."""
from __future__ import annotations

import re

import pytest

from app.core import fields, registry
from app.core.models import RecordChange
from app.extensions import db
from app.registers.events.models import Event
from app.registers.registrations.models import Registration
from tests.core.contract.conftest import create

EVENTS, REGISTRATIONS = registry.get("event"), registry.get("event_registration")


def _event(app, pk) -> Event:
    with app.app_context():
        event = db.session.get(Event, pk)
        db.session.expunge(event)
        db.session.remove()
    return event


def test_a_register_finds_its_records_kind_by_its_own_column_or_as_it_declares(app):
    assert EVENTS.kind_column == "kind" and REGISTRATIONS.kind_column is None
    assert fields.kind_specific(Event) == {"topic": ("training",),
                                           "fair_scope": ("trade_fair",)}
    assert fields.not_of_kind(Event, "training") == {"fair_scope"}
    assert REGISTRATIONS.kind(Registration(event=Event(kind="job_fair"))) == "job_fair"
    assert registry.get("institution").kind_column == "kind"  # (no field of its kinds)
    assert fields.kind_specific(registry.get("institution").model) == {}


def test_a_write_keeps_no_value_of_a_kind_the_record_is_not(app, client, auth):
    headers = auth.token("ipb")
    resp = client.post("/api/v1/event/", headers=headers, json={
        "name_zh": "展会", "kind": "training", "topic": "tax", "fair_scope": "international",
        "starts_at": "2026-12-01T09:00"})
    assert resp.status_code == 201, resp.json
    pk = resp.json["id"]
    assert (_event(app, pk).topic, _event(app, pk).fair_scope) == ("tax", None)
    resp = client.put(f"/api/v1/event/{pk}", headers=headers,
                      json={"kind": "trade_fair", "fair_scope": "domestic"})
    assert resp.status_code == 200, resp.json
    assert (_event(app, pk).topic, _event(app, pk).fair_scope) == (None, "domestic")
    with app.app_context():
        change = db.session.query(RecordChange).filter_by(
            table_name="event", record_id=pk, action="update").one()
        assert (change.before["topic"], change.after["topic"]) == ("tax", None)
        db.session.remove()


@pytest.mark.parametrize("kind,shown,left_out", [
    ("training", "Topic", "International or domestic"),
    ("trade_fair", "International or domestic", "Topic"),
    ("job_fair", None, ("Topic", "International or domestic")),
])
def test_the_record_page_leaves_out_the_empty_fields_of_other_kinds(app, auth, kind, shown,
                                                                     left_out):
    values = {"topic": "listing"} if kind == "training" else {}
    pk = create(app, EVENTS, "ipb", kind=kind, **values)
    html = auth.client("ipb").get(f"/events/show/{pk}").get_data(as_text=True)
    labels = re.findall(r"<th[^>]*>\s*([^<]+?)\s*</th>", html)
    assert "Capacity (people)" in labels  # (a field of every kind)
    if shown:
        assert shown in labels
    for label in (left_out,) if isinstance(left_out, str) else left_out:
        assert label not in labels


@pytest.mark.parametrize("kind,shown", [("job_fair", True), ("training", False)])
def test_a_registrations_page_shows_a_job_fairs_outcome_only_for_a_job_fair(app, auth, kind,
                                                                           shown):
    event = create(app, EVENTS, "ipb", kind=kind)
    pk = create(app, REGISTRATIONS, "ipb", event_id=event)
    html = auth.client("ipb").get(f"/registrations/show/{pk}").get_data(as_text=True)
    assert ("Hires" in html) is shown and ("Positions offered" in html) is shown
    assert "Contact person" in html


def test_the_form_names_the_fields_that_follow_the_kind(auth):
    ipb = auth.client("ipb")
    pk = create(auth.app, EVENTS, "ipb")
    for page in ("/events/add", f"/events/edit/{pk}"):
        html = ipb.get(page).get_data(as_text=True)
        script = re.search(r'<script src="/static/puwan/kinds.js"[^>]*>', html).group(0)
        assert 'data-kind="kind"' in script
        assert """data-kinds='{"fair_scope": ["trade_fair"], "topic": ["training"]}'""" in script
    # no kinds, or the kind is not on the form: no toggle
    assert "kinds.js" not in ipb.get("/enterprises/add").get_data(as_text=True)
    assert "kinds.js" not in ipb.get("/registrations/add").get_data(as_text=True)
