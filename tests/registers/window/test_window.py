"""The Japanese window (A4) as its staff use it: a service logged by form or REST, its follow-up
turned into a work order in the same step (both or neither), and the window's page of its
Japanese-funded enterprises — isolated, in Japanese names with the Chinese ones marked, and in a
fixed number of queries."""
from __future__ import annotations

import datetime as dt

import pytest

from app.core.exceptions import ValidationFailed
from app.core.models import RecordChange
from app.core.timeutil import format_display, utcnow
from app.extensions import db
from app.registers.events.models import Event
from app.registers.projects.models import Project
from app.registers.registrations.models import Registration
from app.registers.window.models import WindowService
from app.registers.workorders.commands import WorkOrderCommands
from app.registers.workorders.models import WorkOrder
from tests.core.test_list_at_scale import page_queries
from tests.factories import department_id, user_id

API = "/api/v1/window_service/"


def _count(app, model) -> int:
    with app.app_context():
        n = db.session.query(model).count()
        db.session.remove()
    return n


@pytest.fixture
def japanese(enterprises):
    """A Japanese-funded enterprise of another department (EDB) than the window's (AAB)."""
    return enterprises.create("EDB", name_zh="大连松木汽车部品有限公司",
                              name_ja="大連松木自動車部品有限公司", japanese_funded=True)


def _form(enterprise, **overrides) -> dict:
    data = {"enterprise": str(enterprise), "matter": "approval_guidance", "language": "ja",
            "served_at": format_display(utcnow() - dt.timedelta(hours=1)),
            "duration_minutes": "40", "result": "建築許可の必要書類を説明した"}
    data.update(overrides)
    return data


def _post_form(client, data):
    from tests.conftest import csrf_token

    token = csrf_token(client, "/window/services/add")
    return client.post("/window/services/add", data={**data, "csrf_token": token})


def test_the_window_logs_a_service_to_a_japanese_funded_enterprise_of_another_department(
        app, auth, japanese):
    window = auth.client("jawin", "ja")
    resp = _post_form(window, _form(japanese))
    assert resp.status_code == 302, resp.get_data(as_text=True)[:2000]
    with app.app_context():
        service = db.session.query(WindowService).one()
        assert service.handler_id == user_id("jawin")
        assert service.department_id == department_id("AAB")
        assert service.work_order_id is None
        db.session.remove()
    listed = window.get("/window/services/list/").get_data(as_text=True)
    assert "大連松木自動車部品有限公司" in listed and "許認可の案内" in listed


def test_staff_of_another_department_cannot_log_a_service_to_an_enterprise_they_cannot_read(
        app, auth, japanese):
    resp = _post_form(auth.client("ipb", "en"), _form(japanese))
    assert resp.status_code in (200, 422)
    assert _count(app, WindowService) == 0


def test_a_ticked_box_opens_the_follow_up_as_a_work_order_in_the_same_step(app, auth, japanese):
    window = auth.client("jawin", "ja")
    resp = _post_form(window, _form(japanese, follow_up="消防設計審査の日程を確認してほしい",
                                    open_work_order="y"))
    assert resp.status_code == 302, resp.get_data(as_text=True)[:2000]
    with app.app_context():
        service = db.session.query(WindowService).one()
        order = service.work_order
        assert order is not None and order.ticket.startswith("PW-")
        assert order.enterprise_id == japanese and order.language == "ja"
        assert order.subject == "消防設計審査の日程を確認してほしい"
        assert order.state == "received" and order.department_id == department_id("AAB")
        assert order.external_ref == f"window:{service.id}"
        tables = {c.table_name for c in db.session.query(RecordChange)}
        assert tables == {"window_service", "work_order"}
        order_id, service_id = order.id, service.id
        db.session.remove()
    page = auth.client("office", "ja").get(f"/workorders/show/{order_id}").get_data(as_text=True)
    assert 'id="window-service"' in page and f"/window/services/show/{service_id}" in page


def test_a_ticked_box_without_a_follow_up_saves_neither(app, auth, japanese):
    resp = _post_form(auth.client("jawin", "ja"), _form(japanese, open_work_order="y"))
    assert resp.status_code == 422
    assert "フォローアップ" in resp.get_data(as_text=True)
    assert _count(app, WindowService) == 0 and _count(app, WorkOrder) == 0


def test_a_work_order_refused_by_its_own_command_leaves_no_service_either(
        app, auth, japanese, monkeypatch):
    def refuse(self, item, original_department_id, before=None):
        raise ValidationFailed(errors={"subject": ["refused"]})

    monkeypatch.setattr(WorkOrderCommands, "_check_write", refuse)
    resp = _post_form(auth.client("jawin", "ja"),
                      _form(japanese, follow_up="通訳の手配", open_work_order="y"))
    assert resp.status_code == 422
    assert _count(app, WindowService) == 0 and _count(app, WorkOrder) == 0
    assert _count(app, RecordChange) == 0


def test_a_service_cannot_be_served_in_the_future(app, auth, japanese):
    token = auth.token("jawin")
    resp = app.test_client().post(API, headers=token, json={
        "enterprise": japanese, "matter": "translation", "language": "ja", "result": "翻訳",
        "served_at": (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).isoformat()})
    assert resp.status_code == 422 and "served_at" in resp.json["errors"]
    assert _count(app, WindowService) == 0


def test_rest_logs_a_service_with_its_author_as_handler(app, auth, japanese):
    resp = app.test_client().post(API, headers=auth.token("jawin"), json={
        "enterprise": japanese, "matter": "policy", "language": "zh", "result": "讲解了补贴政策",
        "duration_minutes": 20})
    assert resp.status_code == 201, resp.json
    shown = app.test_client().get(f"{API}{resp.json['id']}", headers=auth.token("jawin")).json
    assert shown["result"]["handler"]["id"] == _uid(app, "jawin")


def _uid(app, username):
    with app.app_context():
        pk = user_id(username)
        db.session.remove()
    return pk


# --- the window's page -----------------------------------------------------------------------
def _project(app, enterprise, department="EDB", **values) -> int:
    with app.app_context():
        item = Project(name_zh=values.pop("name_zh", "新工厂项目"), enterprise_id=enterprise,
                       industry="automotive", stage="approvals",
                       department_id=department_id(department), **values)
        db.session.add(item)
        db.session.commit()
        pk = item.id
        db.session.remove()
    return pk


def _event_registration(app, enterprise, department="AAB", days=10, name_ja=None) -> int:
    with app.app_context():
        event = Event(kind="training", name_zh="审批政策培训", name_ja=name_ja, state="open",
                      starts_at=utcnow() + dt.timedelta(days=days),
                      department_id=department_id(department))
        db.session.add(event)
        db.session.flush()
        db.session.add(Registration(event_id=event.id, enterprise_id=enterprise,
                                    department_id=event.department_id))
        db.session.commit()
        pk = event.id
        db.session.remove()
    return pk


def test_the_page_shows_japanese_names_and_marks_the_chinese_ones(app, auth, japanese,
                                                                   orders):
    _project(app, japanese, "AAB", name_zh="松木新工厂", name_ja="松木新工場")
    _project(app, japanese, "AAB", name_zh="松木二期仓库")  # no Japanese name
    event = _event_registration(app, japanese, name_ja="許認可政策研修")
    own = orders.create("jawin", enterprise=japanese, subject="工場の許可について")
    hidden = orders.create("office", enterprise=japanese, subject="事務局が受けた相談")
    page = auth.client("jawin", "ja").get("/window/").get_data(as_text=True)
    assert "日本語窓口" in page
    block = page.split(f'id="enterprise-{japanese}"')[1]
    assert "大連松木自動車部品有限公司" in block and "松木新工場" in block
    assert "zh-fallback" not in block.split("松木新工場")[1].split("</td>")[0]
    assert "zh-fallback" in block.split("松木二期仓库")[1].split("</td>")[0]
    assert f"/events/show/{event}" in block and "許認可政策研修" in block
    # open orders the window's department may read, linked; the Office's own are not its
    assert f"/workorders/show/{own}" in block and "工場の許可について" in block
    assert f"/workorders/show/{hidden}" not in block and "事務局が受けた相談" not in block


def test_the_window_sees_every_japanese_funded_enterprise_and_other_staff_only_their_own(
        app, auth, japanese, enterprises):
    own = enterprises.create("IPB", name_zh="大连东和电子有限公司", name_ja="大連東和電子有限公司",
                             japanese_funded=True)
    domestic = enterprises.create("IPB", name_zh="普湾港口物流有限公司")
    window = auth.client("jawin", "ja").get("/window/").get_data(as_text=True)
    assert f'id="enterprise-{japanese}"' in window and f'id="enterprise-{own}"' in window
    assert f'id="enterprise-{domestic}"' not in window
    staff = auth.client("ipb", "zh").get("/window/").get_data(as_text=True)
    assert f'id="enterprise-{own}"' in staff
    assert f'id="enterprise-{japanese}"' not in staff


def test_the_page_shows_of_projects_only_what_the_readers_department_may_read(
        app, auth, japanese):
    _project(app, japanese, "EDB", name_zh="经发局项目", name_ja="経済発展局の案件")
    _project(app, japanese, "AAB", name_zh="审批局项目", name_ja="行政審批局の案件")
    page = auth.client("jawin", "ja").get("/window/").get_data(as_text=True)
    assert "行政審批局の案件" in page and "経済発展局の案件" not in page


def test_the_page_costs_the_same_queries_for_2_or_20_enterprises(app, auth, enterprises):
    def add(n):
        for _i in range(n):
            pk = enterprises.create("AAB", name_ja="日系企業", japanese_funded=True)
            _project(app, pk, "AAB")
            _event_registration(app, pk)

    add(2)
    window = auth.client("jawin", "ja")
    few = page_queries(app, window, "/window/")
    add(18)
    assert page_queries(app, window, "/window/") == few


def test_the_page_is_paginated(app, auth, enterprises, monkeypatch):
    from app.registers.window import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    pks = [enterprises.create("AAB", name_ja=f"日系企業{n}", japanese_funded=True)
           for n in range(3)]
    window = auth.client("jawin", "ja")
    first = window.get("/window/").get_data(as_text=True)
    second = window.get("/window/?page=1").get_data(as_text=True)
    assert sum(f'id="enterprise-{pk}"' in first for pk in pks) == 2
    assert sum(f'id="enterprise-{pk}"' in second for pk in pks) == 1
    assert window.get("/window/?page=x").status_code == 400


def test_the_charts_count_services_by_matter(app, auth, japanese):
    token = auth.token("jawin")
    for matter in ("translation", "translation", "complaint"):
        assert app.test_client().post(API, headers=token, json={
            "enterprise": japanese, "matter": matter, "language": "ja",
            "result": "対応済み"}).status_code == 201
    page = auth.client("jawin", "ja").get("/window/services/charts/").get_data(as_text=True)
    assert "翻訳・通訳" in page
