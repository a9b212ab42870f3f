"""An expert's declared ties to enterprises (measure A1: an expert does not review a project of
an enterprise they are tied to). A department may tie its expert to any enterprise it may
read — the Japanese window every Japanese-funded one — and to no other."""
from __future__ import annotations

import prison
import pytest

from app.core.models import RecordChange
from app.extensions import db
from app.registers.experts.models import Expert


def _post(client, auth, username, ties):
    return client.post("/api/v1/expert/", headers=auth.token(username), json={
        "name_zh": "王工", "field": "safety", "ties": ties})


@pytest.mark.parametrize(("japanese_funded", "status"), [(True, 201), (False, 422)])
def test_the_japanese_window_ties_its_expert_to_any_japanese_funded_enterprise(
        app, client, auth, enterprises, japanese_funded, status):
    theirs = enterprises.create("EDB", japanese_funded=japanese_funded)
    resp = _post(client, auth, "jawin", [theirs])
    assert resp.status_code == status
    with app.app_context():
        tied = [[e.id for e in x.ties] for x in db.session.query(Expert)]
        db.session.remove()
    assert tied == ([[theirs]] if status == 201 else [])


def test_the_japanese_window_is_offered_the_japanese_funded_enterprises_it_may_tie(
        client, auth, enterprises):
    japanese = enterprises.create("EDB", japanese_funded=True)
    other = enterprises.create("EDB")
    q = prison.dumps({"keys": ["add_columns"]})
    info = client.get(f"/api/v1/expert/_info?q={q}", headers=auth.token("jawin")).json
    offered = {v["id"] for f in info["add_columns"] if f["name"] == "ties" for v in f["values"]}
    assert japanese in offered and other not in offered


def test_a_refused_tie_leaves_no_expert_and_no_history(app, client, auth, enterprises):
    theirs = enterprises.create("EDB")
    resp = _post(client, auth, "ipb", [enterprises.create("IPB"), theirs])
    assert resp.status_code == 422 and "ties" in resp.json["errors"]
    with app.app_context():
        assert db.session.query(Expert).count() == 0
        assert db.session.query(RecordChange).count() == 0
        db.session.remove()
