"""The hotline desk finds the caller's enterprise by name, code or phone over everything the user
may read, and the order is saved with it; department isolation holds on the search."""
import pytest

from app.extensions import db
from app.registers.workorders.models import ServiceType, WorkOrder
from tests.conftest import csrf_token
from tests.core.test_list_at_scale import Statements


@pytest.fixture
def edb_enterprise(enterprises):
    return enterprises.create(
        "EDB", name_zh="大连松木汽车部品有限公司", name_ja="大連松木自動車部品有限会社",
        name_en="Dalian Matsuki Auto Parts", contact_phone="0411-8765 4321",
        japanese_funded=True)


def _found(client, term) -> list[int]:
    resp = client.get("/enterprises/lookup", query_string={"q": term})
    assert resp.status_code == 200
    return [row["id"] for row in resp.json["results"]]


@pytest.mark.parametrize("term", ["松木汽车", "自動車部品", "matsuki auto", "0411-8765",
                                  "87654321", "041187654321"])
def test_dispatcher_finds_another_departments_enterprise_by_name_or_phone(
        auth, edb_enterprise, term):
    assert _found(auth.client("office"), term) == [edb_enterprise]


def test_dispatcher_finds_an_enterprise_by_its_code(auth, enterprises, edb_enterprise):
    uscc = enterprises.get(edb_enterprise)["uscc"]
    office = auth.client("office")
    assert _found(office, uscc) == [edb_enterprise]
    assert _found(office, uscc[-8:].lower()) == [edb_enterprise]


@pytest.mark.parametrize("term", ["松木汽车", "87654321"])
def test_department_staff_do_not_find_another_departments_enterprise(
        auth, enterprises, edb_enterprise, term):
    own = enterprises.create("IPB", name_zh="普湾松木汽车销售有限公司", contact_phone="87654321")
    assert _found(auth.client("ipb"), term) == [own]
    assert _found(auth.client("edb"), term) == [edb_enterprise]


def test_japanese_window_finds_japanese_funded_enterprises_of_every_department(
        auth, enterprises, edb_enterprise):
    enterprises.create("EDB", name_zh="大连松木物流有限公司", japanese_funded=False)
    assert _found(auth.client("jawin"), "松木") == [edb_enterprise]


def test_results_show_name_in_the_readers_language_code_and_department(
        auth, enterprises, edb_enterprise):
    row = auth.client("office", lang="ja").get("/enterprises/lookup?q=松木").json["results"][0]
    assert row["name"] == "大連松木自動車部品有限会社" and row["department"] == "経済発展局"
    assert row["uscc"] == enterprises.get(edb_enterprise)["uscc"] and row["uscc"] in row["text"]
    row = auth.client("office", lang="zh").get("/enterprises/lookup?q=松木").json["results"][0]
    assert row["name"] == "大连松木汽车部品有限公司" and row["department"] == "经济发展局"


def test_a_search_returns_at_most_20_in_one_query(app, auth, enterprises):
    for n in range(25):
        enterprises.create("EDB", name_zh=f"普湾批量企业{n:02d}")
    office = auth.client("office")
    office.get("/enterprises/lookup?q=x")
    counter = Statements(app)
    try:
        found = _found(office, "批量企业")
    finally:
        counter.close()
    assert len(found) == 20
    assert counter.n <= 3  # the user with roles, the permissions, the search


def test_an_empty_search_finds_nothing_and_anonymous_users_are_sent_to_log_in(
        client, auth, edb_enterprise):
    assert _found(auth.client("office"), "  ") == []
    assert client.get("/enterprises/lookup?q=松木").status_code == 302


def _hotline_form(app, client, enterprise) -> dict:
    with app.app_context():
        service_type = db.session.query(ServiceType).filter_by(code="policy").one().id
    return {"channel": "hotline", "received_at": "2026-11-27 10:00:00", "language": "zh",
            "service_type": service_type, "category": "general", "subject": "来电咨询",
            "content": "企业来电咨询补贴", "enterprise": str(enterprise),
            "csrf_token": csrf_token(client, "/workorders/add")}


def _order(app, subject="来电咨询"):
    with app.app_context():
        order = db.session.query(WorkOrder).filter_by(subject=subject).one_or_none()
        result = None if order is None else (order.id, order.enterprise_id)
        db.session.remove()
        return result


def test_dispatcher_saves_the_hotline_form_with_another_departments_enterprise(
        app, auth, edb_enterprise):
    office = auth.client("office", lang="zh")
    resp = office.post("/workorders/add", data=_hotline_form(app, office, edb_enterprise))
    assert resp.status_code == 302, resp.get_data(as_text=True)[:500]
    pk, enterprise = _order(app)
    assert enterprise == edb_enterprise
    html = office.get(f"/workorders/edit/{pk}").get_data(as_text=True)
    assert f'<option value="{edb_enterprise}" selected>大连松木汽车部品有限公司 · ' in html


def test_staff_cannot_save_an_order_for_an_enterprise_they_may_not_read(
        app, auth, edb_enterprise):
    staff = auth.client("ipb", lang="zh")
    resp = staff.post("/workorders/add", data=_hotline_form(app, staff, edb_enterprise))
    assert resp.status_code == 422
    assert "请从搜索结果中选择" in resp.get_data(as_text=True)
    assert _order(app) is None


def test_japanese_window_saves_an_order_for_a_japanese_funded_enterprise_it_serves(
        app, auth, edb_enterprise):
    window = auth.client("jawin", lang="ja")
    resp = window.post("/workorders/add", data=_hotline_form(app, window, edb_enterprise))
    assert resp.status_code == 302, resp.get_data(as_text=True)[:500]
    assert _order(app)[1] == edb_enterprise


def test_the_hotline_form_sends_no_list_of_enterprises(auth, edb_enterprise):
    html = auth.client("office", lang="zh").get("/workorders/add").get_data(as_text=True)
    assert 'class="form-control puwan-lookup"' in html and 'data-url="/enterprises/lookup"' in html
    assert "大连松木汽车部品有限公司" not in html


def test_dispatcher_posts_an_order_for_another_departments_enterprise_by_api(
        orders, edb_enterprise):
    pk = orders.create(username="office", enterprise=edb_enterprise)
    assert pk


def test_staff_cannot_post_an_order_for_another_departments_enterprise_by_api(
        app, orders, edb_enterprise):
    resp = orders.client.post("/api/v1/workorder/", headers=orders.headers("ipb"), json={
        "channel": "hotline", "subject": "来电咨询", "content": "企业来电咨询补贴",
        "service_type": 1, "category": "general", "language": "zh",
        "enterprise": edb_enterprise})
    assert resp.status_code == 422
    assert _order(app) is None
