"""Department isolation on every path, for reads and writes, UI and REST.

IPB staff own enterprise `mine`; EDB owns `theirs`. Each test tries one path and checks both
the answer and that the database did not change.
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

def test_list_shows_only_own_department(ipb, records):
    html = ipb.get("/enterprises/list/").get_data(as_text=True)
    assert "本部门企业" in html and "他部门企业" not in html


def test_list_search_cannot_reach_other_department(ipb, records):
    html = ipb.get("/enterprises/list/?_flt_0_name_zh=他部门").get_data(as_text=True)
    assert "他部门企业" not in html


def test_show_of_other_department_is_404(ipb, records):
    assert ipb.get(f"/enterprises/show/{records[1]}").status_code == 404


def test_edit_form_of_other_department_is_404(ipb, records):
    assert ipb.get(f"/enterprises/edit/{records[1]}").status_code == 404


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_contains_only_own_department(ipb, records, fmt):
    resp = ipb.get(f"/enterprises/export/{fmt}")
    assert resp.status_code == 200
    if fmt == "csv":
        body = resp.get_data().decode("utf-8-sig")
        assert "本部门企业" in body and "他部门企业" not in body
    else:
        import io

        from openpyxl import load_workbook

        rows = list(load_workbook(io.BytesIO(resp.get_data())).active.values)
        names = {cell for row in rows for cell in row}
        assert "本部门企业" in names and "他部门企业" not in names


# --- UI writes ------------------------------------------------------------------------------------

def test_edit_post_of_other_department_is_404_and_changes_nothing(ipb, records, enterprises):
    token = csrf_token(ipb, f"/enterprises/edit/{records[0]}")
    resp = ipb.post(f"/enterprises/edit/{records[1]}", data={"name_zh": "改名", "csrf_token": token})
    assert resp.status_code == 404
    assert enterprises.get(records[1])["name_zh"] == "他部门企业"


def test_delete_of_other_department_is_404(ipb, records, enterprises):
    token = csrf_token(ipb, "/enterprises/add")
    assert ipb.post(f"/enterprises/delete/{records[1]}", data={"csrf_token": token}).status_code == 404
    assert enterprises.get(records[1]) is not None


def test_delete_by_get_is_refused(ipb, records, enterprises):
    assert ipb.get(f"/enterprises/delete/{records[0]}").status_code == 405
    assert enterprises.get(records[0]) is not None


def test_single_action_on_other_department_is_404(ipb, records, enterprises):
    token = csrf_token(ipb, "/enterprises/add")
    resp = ipb.post(f"/enterprises/action/muldelete/{records[1]}", data={"csrf_token": token})
    assert resp.status_code == 404
    assert enterprises.get(records[1]) is not None


def test_action_by_get_is_refused(ipb, records, enterprises):
    assert ipb.get(f"/enterprises/action/muldelete/{records[0]}").status_code == 405
    assert enterprises.get(records[0]) is not None


def test_mass_delete_including_other_department_deletes_nothing(ipb, records, enterprises):
    token = csrf_token(ipb, "/enterprises/add")
    resp = ipb.post("/enterprises/action_post", data={
        "action": "muldelete", "rowid": [str(records[0]), str(records[1])], "csrf_token": token})
    assert resp.status_code == 404
    assert enterprises.get(records[0]) is not None and enterprises.get(records[1]) is not None


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


def test_add_form_into_other_department_is_403_and_creates_nothing(app, ipb, enterprises):
    before = enterprises.count()
    data = _form(enterprises, app, department="EDB")
    data["csrf_token"] = csrf_token(ipb, "/enterprises/add")
    resp = ipb.post("/enterprises/add", data=data)
    assert resp.status_code in (403, 422)
    assert enterprises.count() == before


def test_add_form_offers_only_own_department(app, ipb):
    html = ipb.get("/enterprises/add").get_data(as_text=True)
    ipb_id, edb_id = _ids(app, "IPB", "EDB")
    assert f'value="{ipb_id}"' in html and f'value="{edb_id}"' not in html


def test_add_form_in_own_department_creates_record(app, ipb, enterprises):
    data = _form(enterprises, app, name_zh="新企业")
    data["csrf_token"] = csrf_token(ipb, "/enterprises/add")
    resp = ipb.post("/enterprises/add", data=data)
    assert resp.status_code == 302
    assert "新企业" in ipb.get("/enterprises/list/").get_data(as_text=True)


def test_edit_form_cannot_move_record_to_other_department(app, ipb, records, enterprises):
    data = _form(enterprises, app, department="EDB", name_zh="搬走")
    data["csrf_token"] = csrf_token(ipb, f"/enterprises/edit/{records[0]}")
    resp = ipb.post(f"/enterprises/edit/{records[0]}", data=data)
    # The form does not even offer EDB (422); the command would refuse it (403).
    assert resp.status_code in (403, 422)
    after = enterprises.get(records[0])
    assert (after["department"], after["name_zh"]) == ("IPB", "本部门企业")


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


def test_rest_list_shows_only_own_department(client, ipb_api, records):
    resp = client.get("/api/v1/enterprise/", headers=ipb_api)
    assert resp.status_code == 200
    assert resp.json["ids"] == [records[0]] and resp.json["count"] == 1


def test_rest_rison_filter_cannot_reach_other_department(client, ipb_api, records):
    q = prison.dumps({"filters": [{"col": "name_zh", "opr": "ct", "value": "他部门"}]})
    resp = client.get(f"/api/v1/enterprise/?q={q}", headers=ipb_api)
    assert resp.json["count"] == 0


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_rest_item_of_other_department_is_404(client, ipb_api, records, enterprises, method):
    kwargs = {"json": {"name_zh": "改名"}} if method == "put" else {}
    resp = getattr(client, method)(f"/api/v1/enterprise/{records[1]}", headers=ipb_api, **kwargs)
    assert resp.status_code == 404
    assert enterprises.get(records[1])["name_zh"] == "他部门企业"


def test_rest_post_into_other_department_is_403(app, client, ipb_api, enterprises):
    before = enterprises.count()
    payload = enterprises.payload()
    payload["department"] = _ids(app, "EDB")[0]
    resp = client.post("/api/v1/enterprise/", headers=ipb_api, json=payload)
    assert resp.status_code == 403
    assert enterprises.count() == before


def test_rest_post_without_department_defaults_to_own(app, client, ipb_api, enterprises):
    resp = client.post("/api/v1/enterprise/", headers=ipb_api, json=enterprises.payload())
    assert resp.status_code == 201
    assert enterprises.get(resp.json["id"])["department"] == "IPB"


def test_rest_put_cannot_move_record_to_other_department(app, client, ipb_api, records, enterprises):
    resp = client.put(f"/api/v1/enterprise/{records[0]}", headers=ipb_api,
                      json={"department": _ids(app, "EDB")[0]})
    assert resp.status_code == 403
    assert enterprises.get(records[0])["department"] == "IPB"


def test_rest_post_pointing_at_other_department_user_is_422(app, client, ipb_api, enterprises):
    before = enterprises.count()
    payload = enterprises.payload()
    with app.app_context():
        payload["secretary"] = user_id("edb")
    resp = client.post("/api/v1/enterprise/", headers=ipb_api, json=payload)
    assert resp.status_code == 422
    assert "secretary" in resp.json["errors"]
    assert enterprises.count() == before


def test_rest_info_offers_only_own_department_and_users(app, client, ipb_api):
    q = prison.dumps({"keys": ["add_columns"]})
    resp = client.get(f"/api/v1/enterprise/_info?q={q}", headers=ipb_api)
    fields = {f["name"]: f for f in resp.json["add_columns"]}
    assert [v["id"] for v in fields["department"]["values"]] == _ids(app, "IPB")
    with app.app_context():
        ipb_users = {user_id("ipb"), user_id("ipb2")}
    assert {v["id"] for v in fields["secretary"]["values"]} == ipb_users


def test_rest_api_does_not_accept_browser_session(ipb, records):
    assert ipb.get("/api/v1/enterprise/").status_code == 401


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
