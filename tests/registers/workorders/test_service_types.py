"""Service types have a page of their own under Reference data: administrators add them and
correct their names in zh/ja/en; everyone else reads them; the code is fixed once created."""
import pytest

from app.core.seeds import load_all
from app.extensions import db
from app.registers.workorders.models import ServiceType
from tests.conftest import csrf_token


@pytest.fixture
def cleanup(app):
    yield
    with app.app_context():
        db.session.query(ServiceType).filter(ServiceType.code.like("test_%")).delete()
        policy = db.session.query(ServiceType).filter_by(code="policy").one()
        policy.name_ja = "政策相談"
        db.session.commit()
        db.session.remove()


def _type(app, code):
    with app.app_context():
        row = db.session.query(ServiceType).filter_by(code=code).one_or_none()
        result = None if row is None else (row.name_zh, row.name_ja, row.name_en)
        db.session.remove()
        return result


def _add(client, **values):
    data = {"code": "test_permits", "name_zh": "证照办理", "name_ja": "許認可手続き",
            "name_en": "Permits", **values}
    return client.post("/service-types/add",
                       data={**data, "csrf_token": csrf_token(client, "/service-types/add")})


def test_administrator_adds_a_service_type_that_the_hotline_form_offers_in_each_language(
        app, auth, cleanup):
    admin = auth.client("admin", lang="zh")
    assert _add(admin).status_code == 302
    assert _type(app, "test_permits") == ("证照办理", "許認可手続き", "Permits")
    assert "許認可手続き" in auth.client("office", lang="ja").get("/workorders/add").get_data(
        as_text=True)
    assert "证照办理" in auth.client("ipb", lang="zh").get("/service-types/list/").get_data(
        as_text=True)


@pytest.mark.parametrize(("values", "message"), [
    ({"code": "Bad Code"}, "代码须以小写字母开头"),
    ({"code": "policy"}, "已存在"),
    ({"name_ja": " "}, "该字段是必填字段"),
])
def test_a_bad_service_type_is_refused_with_a_translated_error(app, auth, cleanup, values,
                                                               message):
    resp = _add(auth.client("admin", lang="zh"), **values)
    assert resp.status_code == 200 and message in resp.get_data(as_text=True)
    assert _type(app, "test_permits") is None


def test_administrator_corrects_a_name_and_the_seed_keeps_it(app, auth, cleanup):
    admin = auth.client("admin", lang="zh")
    with app.app_context():
        pk = db.session.query(ServiceType.id).filter_by(code="policy").scalar()
    form = admin.get(f"/service-types/edit/{pk}").get_data(as_text=True)
    assert 'name="code"' not in form  # the code is what the API and Open311 use: fixed
    resp = admin.post(f"/service-types/edit/{pk}", data={
        "name_zh": "政策咨询", "name_ja": "政策に関するご相談", "name_en": "Policy consultation",
        "csrf_token": csrf_token(admin, f"/service-types/edit/{pk}")})
    assert resp.status_code == 302
    with app.app_context():
        load_all()
    assert _type(app, "policy")[1] == "政策に関するご相談"


@pytest.mark.parametrize("username", ["ipb", "office", "reader"])
def test_others_read_service_types_but_cannot_change_them(app, auth, cleanup, username):
    client = auth.client(username, lang="zh")
    assert client.get("/service-types/list/").status_code == 200
    assert client.get("/service-types/add").status_code in (302, 403)
    assert _add(client).status_code in (302, 403)
    assert _type(app, "test_permits") is None
