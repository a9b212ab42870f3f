"""The enterprises register as its users see it: validation, uniqueness, search, OpenAPI."""
import prison
import pytest

from tests.conftest import csrf_token
from tests.factories import department_id


@pytest.fixture
def api(auth):
    return auth.token("ipb")


def test_invalid_credit_code_is_refused_with_translated_message(client, api, enterprises):
    resp = client.post("/api/v1/enterprise/?_l_=ja", headers=api,
                       json=enterprises.payload(uscc="91350100M000100Y44"))
    assert resp.status_code == 422
    assert "統一社会信用コード" in resp.json["errors"]["uscc"][0]
    assert enterprises.count() == 0


def test_duplicate_credit_code_is_refused_and_nothing_is_added(client, api, enterprises):
    payload = enterprises.payload()
    assert client.post("/api/v1/enterprise/", headers=api, json=payload).status_code == 201
    payload["name_zh"] = "另一家"
    resp = client.post("/api/v1/enterprise/?_l_=zh", headers=api, json=payload)
    assert resp.status_code == 422
    assert "已存在" in resp.json["message"]
    assert enterprises.count() == 1


def test_unknown_industry_is_refused(client, api, enterprises):
    resp = client.post("/api/v1/enterprise/", headers=api,
                       json=enterprises.payload(industry="mining"))
    assert resp.status_code == 422 and "industry" in resp.json["errors"]


def test_credit_code_is_stored_uppercase(client, api, enterprises):
    payload = enterprises.payload()
    payload["uscc"] = payload["uscc"].lower()
    resp = client.post("/api/v1/enterprise/", headers=api, json=payload)
    assert resp.status_code == 201
    assert enterprises.get(resp.json["id"])["uscc"] == payload["uscc"].upper()


def test_form_shows_credit_code_error_on_the_field(app, auth, enterprises):
    client = auth.client("ipb", lang="zh")
    data = enterprises.payload(uscc="91350100M000100Y44")
    with app.app_context():
        data["department"] = str(department_id("IPB"))
    data["csrf_token"] = csrf_token(client, "/enterprises/add")
    data = {k: v for k, v in data.items() if v is not False}
    resp = client.post("/enterprises/add", data=data)
    assert resp.status_code == 422
    assert "不是有效的统一社会信用代码" in resp.get_data(as_text=True)
    assert enterprises.count() == 0


def test_update_through_rest_changes_the_record(client, api, enterprises):
    pk = enterprises.create("IPB")
    resp = client.put(f"/api/v1/enterprise/{pk}", headers=api, json={"name_zh": "新名称"})
    assert resp.status_code == 200
    assert enterprises.get(pk)["name_zh"] == "新名称"


def test_delete_through_rest_removes_the_record(client, api, enterprises):
    pk = enterprises.create("IPB")
    assert client.delete(f"/api/v1/enterprise/{pk}", headers=api).status_code == 200
    assert enterprises.get(pk) is None


def test_rest_search_by_japanese_funded(client, api, enterprises):
    enterprises.create("IPB", name_zh="日资", japanese_funded=True)
    enterprises.create("IPB", name_zh="内资")
    q = prison.dumps({"filters": [{"col": "japanese_funded", "opr": "eq", "value": True}]})
    resp = client.get(f"/api/v1/enterprise/?q={q}", headers=api)
    assert [r["name_zh"] for r in resp.json["result"]] == ["日资"]


def test_openapi_spec_documents_the_enterprise_api(client, auth):
    resp = client.get("/api/v1/_openapi", headers=auth.token("admin"))
    assert resp.status_code == 200
    assert "/api/v1/enterprise/" in resp.json["paths"]


def test_list_shows_industry_and_stage_in_the_users_language(auth, enterprises):
    enterprises.create("IPB", industry="automotive", stage="producing")
    html = auth.client("ipb", lang="ja").get("/enterprises/list/").get_data(as_text=True)
    assert "自動車・部品" in html and "操業中" in html
