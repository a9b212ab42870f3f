"""An expert's declared ties to enterprises (measure A1: an expert does not review a project of
an enterprise they are tied to). A department may tie its expert to any enterprise it may
read — the Japanese window every Japanese-funded one — and to no other."""
from __future__ import annotations

import prison
import pytest

from app.core.models import RecordChange
from app.extensions import db
from app.registers.experts.models import Expert
from tests.conftest import csrf_token


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


def _ties(app, pk) -> set[int]:
    with app.app_context():
        ties = {e.id for e in db.session.get(Expert, pk).ties}
        db.session.remove()
        return ties


def _form_values(html: str) -> list[tuple[str, str]]:
    """What the edit form sends back as the page filled it in (inputs, selected options,
    text areas)."""
    from html.parser import HTMLParser

    class Form(HTMLParser):
        def __init__(self):
            super().__init__()
            self.values, self.select, self.area = [], None, None

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "input" and a.get("name") and a.get("type") not in ("checkbox", "submit"):
                self.values.append((a["name"], a.get("value") or ""))
            elif tag == "input" and a.get("type") == "checkbox" and "checked" in a:
                self.values.append((a["name"], a.get("value") or "y"))
            elif tag == "select":
                self.select = a.get("name")
            elif tag == "option" and self.select and "selected" in a:
                self.values.append((self.select, a.get("value") or ""))
            elif tag == "textarea":
                self.area = a.get("name")
                self.values.append((self.area, ""))

        def handle_endtag(self, tag):
            if tag == "select":
                self.select = None
            elif tag == "textarea":
                self.area = None

        def handle_data(self, data):
            if self.area:
                name, text = self.values.pop()
                self.values.append((name, text + data))

    form = Form()
    form.feed(html[html.index('id="model_form"'):])
    return [(k, v) for k, v in form.values if k != "csrf_token"]


def test_a_tie_the_clerk_may_not_see_survives_the_clerks_edits(app, client, auth, enterprises):
    """An administrator tied the IPB's expert to an EDB enterprise as well: the IPB clerk's
    form does not offer it, and saving the form (or a PUT without it) does not drop it."""
    own, theirs = enterprises.create("IPB"), enterprises.create("EDB")
    admin = auth.token("admin")
    pk = client.post("/api/v1/expert/", headers=admin, json={
        "name_zh": "王工", "field": "safety", "ties": [own, theirs],
        "department": db_department(app, "IPB")}).json["id"]
    clerk = auth.client("ipb")
    html = clerk.get(f"/experts/edit/{pk}").get_data(as_text=True)
    assert f'value="{theirs}"' not in html  # (not offered, not shown)
    data = [(k, v) for k, v in _form_values(html) if k != "notes"] + [
        ("notes", "电话已更新"), ("csrf_token", csrf_token(clerk, f"/experts/edit/{pk}"))]
    from werkzeug.datastructures import MultiDict

    assert clerk.post(f"/experts/edit/{pk}", data=MultiDict(data)).status_code == 302
    assert _ties(app, pk) == {own, theirs}
    # the clerk may remove the tie it sees; the other stays
    resp = client.put(f"/api/v1/expert/{pk}", headers=auth.token("ipb"), json={"ties": []})
    assert resp.status_code == 200
    assert _ties(app, pk) == {theirs}


def db_department(app, code) -> int:
    from tests.factories import department_id

    with app.app_context():
        pk = department_id(code)
        db.session.remove()
        return pk
