"""Department isolation where enterprises have more than every register: searches, their work
secretaries (users of a department), zone-wide readers, the Japanese window.

The paths every register shares (list, record pages, forms, deletes, actions, REST, exports,
charts) are tried on enterprises by the contract tests (tests/core/contract/). IPB staff own
enterprise `mine`; EDB owns `theirs`. Each test checks the answer and that nothing changed.
"""
from __future__ import annotations

import json

import prison
import pytest

from tests.conftest import csrf_token
from tests.factories import department_id, user_id


@pytest.fixture
def records(enterprises):
    mine = enterprises.create("IPB", name_zh="本部门企业")
    theirs = enterprises.create("EDB", name_zh="他部门企业", secretary="edb")
    return mine, theirs


@pytest.fixture
def ipb(auth):
    return auth.client("ipb")


def _ids(app, *codes):
    with app.app_context():
        return [department_id(c) for c in codes]


# --- UI reads -------------------------------------------------------------------------------------

def test_list_search_cannot_reach_other_department(ipb, records):
    html = ipb.get("/enterprises/list/?_flt_0_name_zh=他部门").get_data(as_text=True)
    assert "他部门企业" not in html


# --- UI writes ------------------------------------------------------------------------------------

def test_mass_delete_of_own_records_works(ipb, records, enterprises):
    token = csrf_token(ipb, "/enterprises/add")
    resp = ipb.post("/enterprises/action_post", data={
        "action": "muldelete", "rowid": [str(records[0])], "csrf_token": token})
    assert resp.status_code == 302
    assert enterprises.get(records[0]) is None


def _form(enterprises, app, department="IPB", **overrides):
    data = enterprises.payload(**overrides)
    with app.app_context():
        data["department"] = str(department_id(department))
    data["japanese_funded"] = "y" if data["japanese_funded"] else ""
    data["export_enterprise"] = ""
    return {k: v for k, v in data.items() if v != ""}


def test_edit_form_cannot_point_secretary_at_other_department(app, ipb, records, enterprises):
    data = _form(enterprises, app, name_zh="换秘书")
    with app.app_context():
        data["secretary"] = str(user_id("edb"))
    data["csrf_token"] = csrf_token(ipb, f"/enterprises/edit/{records[0]}")
    resp = ipb.post(f"/enterprises/edit/{records[0]}", data=data)
    assert resp.status_code == 422
    assert enterprises.get(records[0])["secretary"] is None


# --- REST -----------------------------------------------------------------------------------------

@pytest.fixture
def ipb_api(auth):
    return auth.token("ipb")


def test_rest_rison_filter_cannot_reach_other_department(client, ipb_api, records):
    q = prison.dumps({"filters": [{"col": "name_zh", "opr": "ct", "value": "他部门"}]})
    resp = client.get(f"/api/v1/enterprise/?q={q}", headers=ipb_api)
    assert resp.json["count"] == 0


def test_rest_post_without_department_defaults_to_own(app, client, ipb_api, enterprises):
    resp = client.post("/api/v1/enterprise/", headers=ipb_api, json=enterprises.payload())
    assert resp.status_code == 201
    assert enterprises.get(resp.json["id"])["department"] == "IPB"


def test_rest_post_pointing_at_other_department_user_is_422(app, client, ipb_api, enterprises):
    before = enterprises.count()
    payload = enterprises.payload()
    with app.app_context():
        payload["secretary"] = user_id("edb")
    resp = client.post("/api/v1/enterprise/", headers=ipb_api, json=payload)
    assert resp.status_code == 422
    assert "secretary" in resp.json["errors"]
    assert enterprises.count() == before


def test_rest_info_offers_only_own_departments_users_as_secretaries(app, client, ipb_api):
    q = prison.dumps({"keys": ["add_columns"]})
    resp = client.get(f"/api/v1/enterprise/_info?q={q}", headers=ipb_api)
    fields = {f["name"]: f for f in resp.json["add_columns"]}
    with app.app_context():
        ipb_users = {user_id("ipb"), user_id("ipb2")}
    assert {v["id"] for v in fields["secretary"]["values"]} == ipb_users


# --- zone-wide and special roles ------------------------------------------------------------------

def test_zone_reader_sees_every_department(auth, records):
    html = auth.client("reader").get("/enterprises/list/").get_data(as_text=True)
    assert "本部门企业" in html and "他部门企业" in html


def test_zone_reader_cannot_write(app, client, auth, records, enterprises):
    headers = auth.token("reader")
    assert client.put(f"/api/v1/enterprise/{records[0]}", headers=headers,
                      json={"name_zh": "x"}).status_code == 403
    assert client.delete(f"/api/v1/enterprise/{records[0]}", headers=headers).status_code == 403
    assert enterprises.get(records[0])["name_zh"] == "本部门企业"


def test_japanese_window_sees_japanese_funded_of_any_department(auth, enterprises):
    ja = enterprises.create("EDB", name_zh="日资甲", japanese_funded=True)
    enterprises.create("EDB", name_zh="内资乙")
    html = auth.client("jawin").get("/enterprises/list/").get_data(as_text=True)
    assert "日资甲" in html and "内资乙" not in html
    assert ja


def test_japanese_window_cannot_change_other_departments_record(client, auth, enterprises):
    ja = enterprises.create("EDB", name_zh="日资甲", japanese_funded=True)
    resp = client.put(f"/api/v1/enterprise/{ja}", headers=auth.token("jawin"),
                      json={"name_zh": "改名"})
    assert resp.status_code == 403
    assert enterprises.get(ja)["name_zh"] == "日资甲"


def test_admin_may_write_any_department(app, client, auth, enterprises):
    payload = enterprises.payload()
    payload["department"] = _ids(app, "EDB")[0]
    resp = client.post("/api/v1/enterprise/", headers=auth.token("admin"), json=payload)
    assert resp.status_code == 201
    assert enterprises.get(resp.json["id"])["department"] == "EDB"


def test_error_messages_are_translated(app, client, ipb_api, enterprises):
    payload = enterprises.payload()
    payload["department"] = _ids(app, "EDB")[0]
    resp = client.post("/api/v1/enterprise/?_l_=zh", headers=ipb_api, json=payload)
    assert resp.status_code == 403
    assert "部门" in json.dumps(resp.json, ensure_ascii=False)


def test_export_keeps_formula_like_values_as_text(ipb, enterprises):
    enterprises.create("IPB", name_zh="=HYPERLINK(\"http://x\")")
    body = ipb.get("/enterprises/export/csv").get_data().decode("utf-8-sig")
    assert "'=HYPERLINK" in body


def test_mass_action_with_a_malformed_id_is_404(ipb, records, enterprises):
    token = csrf_token(ipb, "/enterprises/add")
    resp = ipb.post("/enterprises/action_post", data={
        "action": "muldelete", "rowid": [str(records[0]), "x'; drop"], "csrf_token": token})
    assert resp.status_code == 404
    assert enterprises.get(records[0]) is not None
