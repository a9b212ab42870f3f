"""Actions and deletes on every view: an action passes the edit's write check; a view whose
permissions exclude deleting has no delete; a deleted record takes its clocks, notices and
supervision with it; a refusal answers the same on every path; pages offer only the buttons the
server accepts.

The views are discovered from the app (a throwaway one, to parametrize), so a new view or
register is covered without being listed here.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
from contextlib import contextmanager

import pytest
from sqlalchemy import inspect

from app.clocks.models import Notice, SlaClock, SlaTransition, Supervision
from app.clocks.service import start_clock
from app.clocks.webhooks.models import Hook
from app.core import registry
from app.core.commands import subject_models
from app.core.models import PuwanUser
from app.core.users import create_user
from app.core.views import HardenedViewMixin, ScopedModelView, ScopedRestApi
from app.extensions import db
from app.registers.enterprises.models import Enterprise
from tests.conftest import csrf_token, make_app
from tests.factories import PASSWORD, EnterpriseFactory, department_id, sample_record, user_id

FORBIDDEN = {"zh": "您不能修改其他部门的记录。", "ja": "他の部門のレコードは変更できません。"}
NOT_FOUND = {"zh": "未找到页面或记录。", "ja": "ページまたはレコードが見つかりません。"}


@functools.cache
def _views() -> list:
    return make_app(SQLALCHEMY_DATABASE_URI="sqlite://").appbuilder.baseviews


def _name(view) -> str:
    return type(view).__name__


# (view, action, route) of every action that writes a department's row, by each route it has
WRITE_ACTIONS = [(_name(v), name, route) for v in _views() if isinstance(v, HardenedViewMixin)
                 and hasattr(v.datamodel.obj, "owning_department_id")
                 for name in sorted(v.actions) if name not in v.read_only_actions
                 for route in ("action", "action_post")
                 if route == "action" or v.actions[name].multiple]
ONE_ROW_ACTIONS = [(_name(v), name) for v in _views() if isinstance(v, HardenedViewMixin)
                   for name in sorted(v.actions) if not v.actions[name].multiple]
NOT_DELETABLE = [_name(v) for v in _views()
                 if isinstance(v, HardenedViewMixin) and "can_delete" not in v.base_permissions]
# (the records of a department, which clocks, notices and supervision can name)
DELETABLE = [_name(v) for v in _views()
             if isinstance(v, ScopedModelView) and "can_delete" in v.base_permissions
             and hasattr(v.datamodel.obj, "owning_department_id")]


def _view(app, name):
    return next(v for v in app.appbuilder.baseviews if _name(v) == name)


# --- a record of each model, owned by a department ---------------------------------------------------

def _notice(app, code) -> int:
    with app.app_context():
        notice = Notice(department_id=department_id(code), kind="breached", clock_name="dispatch",
                        subject_type="work_order", subject_id=1)
        db.session.add(notice)
        db.session.commit()
        return notice.id


def _user(app, code) -> int:
    with app.app_context():
        name = f"sample-{code.lower()}-{db.session.query(PuwanUser).count()}"
        user = create_user(name, PASSWORD, code, ["Department staff"], first_name=name,
                           last_name=code, email=f"{name}@test.local")
        db.session.commit()
        return user.id


def _hook(app, _code) -> int:
    """(hooks belong to no department)"""
    with app.app_context():
        hook = Hook(name=f"sample-{db.session.query(Hook).count()}", states=["breached"],
                    target_url="http://receiver.test/", secret="s" * 64)
        db.session.add(hook)
        db.session.commit()
        return hook.id


SAMPLES = {
    Enterprise: lambda app, code: EnterpriseFactory(app).create(code),
    Notice: _notice,
    PuwanUser: _user,
    Hook: _hook,
}


def _sample(app, model, code) -> int:
    """A stored row of ``model``: its register's declared sample, or one of SAMPLES."""
    declared = next((r for r in registry.registers() if r.model is model and r.sample), None)
    if declared is not None and model not in SAMPLES:
        return sample_record(app, declared, code)
    assert model in SAMPLES, f"declare a sample on {model.__name__}'s register or add one here"
    return SAMPLES[model](app, code)


def _row(app, model, pk) -> dict | None:
    with app.app_context():
        item = db.session.get(model, pk)
        row = None if item is None else {
            c.key: getattr(item, c.key) for c in inspect(model).column_attrs}
        db.session.remove()
        return row


@contextmanager
def granted(app, role, view, permission):
    """``permission`` on ``view`` for ``role`` for the time of the block (if it lacks it)."""
    sm = app.appbuilder.sm
    with app.app_context():
        pv = sm.add_permission_view_menu(permission, view.class_permission_name)
        added = pv not in sm.find_role(role).permissions
        if added:
            sm.add_permission_role(sm.find_role(role), pv)
    try:
        yield
    finally:
        if added:
            with app.app_context():
                sm.del_permission_role(sm.find_role(role), sm.find_permission_view_menu(
                    permission, view.class_permission_name))


def _post(client, view, path, pk, token, action="muldelete"):
    if path == "delete":
        return client.post(f"{view.route_base}/delete/{pk}", data={"csrf_token": token})
    if path == "action":
        return client.post(f"{view.route_base}/action/{action}/{pk}", data={"csrf_token": token})
    return client.post(f"{view.route_base}/action_post",
                       data={"action": action, "rowid": str(pk), "csrf_token": token})


def _api_delete(app, auth, username, model, pk):
    api = next(a for a in app.appbuilder.baseviews
               if isinstance(a, ScopedRestApi) and a.datamodel.obj is model)
    return app.test_client().delete(f"/api/v1/{api.resource_name}/{pk}",
                                    headers=auth.token(username))


# --- 1. every action is checked like an edit ------------------------------------------------------

@pytest.mark.parametrize(("view_name", "action", "path"), WRITE_ACTIONS)
def test_an_action_on_a_row_the_user_may_not_write_is_403_and_changes_nothing(
        app, auth, view_name, action, path):
    view = _view(app, view_name)
    model = view.datamodel.obj
    theirs, ours = _sample(app, model, "EDB"), _sample(app, model, "OFFICE")
    before = _row(app, model, theirs)
    # The dispatcher reads every department and writes the Office's.
    with granted(app, "Dispatcher", view, view.get_action_permission_name(action)):
        office = auth.client("office", lang="zh")
        token = csrf_token(office, "/")
        refused = _post(office, view, path, theirs, token, action)
        assert refused.status_code == 403
        assert FORBIDDEN["zh"] in refused.get_data(as_text=True)
        assert _row(app, model, theirs) == before
        assert _post(office, view, path, ours, token, action).status_code == 302


@pytest.mark.parametrize(("view_name", "action"), ONE_ROW_ACTIONS)
def test_an_action_for_one_row_is_not_run_on_a_list(app, auth, view_name, action):
    view = _view(app, view_name)
    pk = _sample(app, view.datamodel.obj, "OFFICE")
    admin = auth.client("admin")
    assert _post(admin, view, "action_post", pk, csrf_token(admin, "/"), action).status_code == 404


def test_an_action_for_several_rows_runs_on_one_row_by_its_own_route(app, auth):
    with app.app_context():
        role = app.appbuilder.sm.find_role("Auditor").id
    admin = auth.client("admin")
    resp = admin.post(f"/roles/action/copyrole/{role}", data={"csrf_token": csrf_token(admin, "/")})
    assert resp.status_code == 302
    with app.app_context():
        copy = app.appbuilder.sm.find_role("Auditor copy")
        assert copy is not None
        db.session.delete(copy)
        db.session.commit()


def test_the_dispatcher_cannot_mark_another_departments_notice_read(app, auth):
    theirs = _notice(app, "EDB")
    office = auth.client("office", lang="en")
    resp = office.post("/notices/action_post", data={
        "action": "mark_read", "rowid": str(theirs), "csrf_token": csrf_token(office, "/")})
    assert resp.status_code == 403
    assert _row(app, Notice, theirs)["read_at"] is None


def test_a_read_only_action_stays_open_on_the_users_own_page(app, auth):
    with app.app_context():
        own = user_id("ipb")
    ipb = auth.client("ipb", lang="en")
    assert "btn-action-PuwanUserDBModelView.action-resetmypassword" in ipb.get(
        "/users/userinfo/").get_data(as_text=True)
    resp = ipb.post(f"/users/action/resetmypassword/{own}",
                    data={"csrf_token": csrf_token(ipb, "/")})
    assert resp.status_code == 302 and "/resetmypassword/form" in resp.headers["Location"]


# --- 2. no delete where the view's permissions exclude it ------------------------------------------

@pytest.mark.parametrize("view_name", NOT_DELETABLE)
def test_a_view_without_delete_permission_has_no_delete_route_nor_mass_delete(app, auth, view_name):
    view = _view(app, view_name)
    assert f"{view.endpoint}.delete" not in {rule.endpoint for rule in app.url_map.iter_rules()}
    assert not set(view.actions) & view.delete_actions
    admin = auth.client("admin")
    token = csrf_token(admin, "/")
    for path in ("delete", "action", "action_post"):
        assert _post(admin, view, path, 1, token).status_code == 404, path


def test_a_work_order_is_not_deleted_on_any_path_and_new_orders_still_work(app, auth, orders):
    pk = orders.create()
    admin = auth.client("admin")
    token = csrf_token(admin, "/")
    view = _view(app, "WorkOrderView")
    for path in ("delete", "action", "action_post"):
        assert _post(admin, view, path, pk, token).status_code == 404, path
    assert _api_delete(app, auth, "admin", view.datamodel.obj, pk).status_code in (404, 405)
    assert orders.state(pk) == "received" and orders.clock(pk, "dispatch") is not None
    assert "muldelete" not in admin.get("/workorders/list/").get_data(as_text=True)
    assert orders.clock(orders.create(), "dispatch") is not None


@pytest.mark.parametrize("path", ["delete", "action_post", "api"])
@pytest.mark.parametrize("view_name", DELETABLE)
def test_a_deleted_record_takes_its_clocks_notices_and_supervision_and_a_new_one_works(
        app, auth, view_name, path):
    view = _view(app, view_name)
    model, table = view.datamodel.obj, view.datamodel.obj.__tablename__
    ipb_id = _department(app, "IPB")

    def attach(pk):
        with app.app_context():
            clock = start_clock(db.session, subject_type=table, subject_id=pk, name="resolution",
                                policy_code="general", department_id=ipb_id,
                                at=dt.datetime(2026, 11, 2, 2, tzinfo=dt.UTC))
            db.session.flush()
            transition = db.session.query(SlaTransition).filter_by(clock_id=clock.id).first()
            db.session.add_all([
                Notice(department_id=ipb_id, kind="breached", clock_name="resolution",
                       subject_type=table, subject_id=pk, transition_id=transition.id),
                Supervision(department_id=ipb_id, subject_type=table, subject_id=pk,
                            reason="office")])
            db.session.commit()

    pk = _sample(app, model, "IPB")
    attach(pk)
    assert _left(app, table, pk) == {"Supervision": 1, "Notice": 1, "SlaClock": 1}
    if path == "api":
        assert _api_delete(app, auth, "ipb", model, pk).status_code == 200
    else:
        ipb = auth.client("ipb")
        assert _post(ipb, view, path, pk, csrf_token(ipb, "/")).status_code == 302
    assert _row(app, model, pk) is None
    assert set(_left(app, table, pk).values()) == {0}
    with app.app_context():
        orphans = (db.session.query(SlaTransition)
                   .filter(SlaTransition.clock_id.notin_(db.session.query(SlaClock.id))).count())
    assert orphans == 0
    new = _sample(app, model, "IPB")  # (SQLite gives it the freed id)
    attach(new)
    assert _left(app, table, new) == {"Supervision": 1, "Notice": 1, "SlaClock": 1}


def _department(app, code) -> int:
    with app.app_context():
        return department_id(code)


def _left(app, table, pk) -> dict:
    with app.app_context():
        return {model.__name__: db.session.query(model).filter_by(
            subject_type=table, subject_id=pk).count() for model in subject_models()}


# --- 4. the same refusal, the same status on every path -----------------------------------------------

@pytest.mark.parametrize("path", ["delete", "action", "action_post", "api"])
@pytest.mark.parametrize(("japanese_funded", "status"), [(True, 403), (False, 404)])
def test_a_refused_delete_answers_the_same_status_on_every_path(
        app, auth, enterprises, path, japanese_funded, status):
    """The Japanese window sees EDB's Japanese-funded enterprises (403: not yours to change)
    but not its others (404)."""
    pk = enterprises.create("EDB", japanese_funded=japanese_funded)
    if path == "api":
        resp = _api_delete(app, auth, "jawin", Enterprise, pk)
    else:
        jawin = auth.client("jawin", lang="ja")
        resp = _post(jawin, _view(app, "EnterpriseView"), path, pk, csrf_token(jawin, "/"))
        message = FORBIDDEN if status == 403 else NOT_FOUND
        assert message["ja"] in resp.get_data(as_text=True)
    assert resp.status_code == status
    assert enterprises.get(pk) is not None


def test_a_security_view_refuses_to_delete_another_departments_user(app, auth):
    """FAB's own views delete without a department check: the delete route adds it."""
    theirs, own = _user(app, "EDB"), _user(app, "OFFICE")
    view = _view(app, "PuwanUserDBModelView")
    with granted(app, "Dispatcher", view, "can_delete"):
        office = auth.client("office", lang="zh")
        token = csrf_token(office, "/")
        refused = _post(office, view, "delete", theirs, token)
        assert refused.status_code == 403 and FORBIDDEN["zh"] in refused.get_data(as_text=True)
        assert _row(app, PuwanUser, theirs) is not None
        assert _post(office, view, "delete", own, token).status_code == 302
        assert _row(app, PuwanUser, own) is None


# --- 15. buttons the server refuses are not offered ------------------------------------------------

def _offered(html, route, pk) -> set[str]:
    links = {name for name in ("show", "edit", "delete")
             if re.search(rf"{route}/{name}/{pk}\b", html)}
    return links | ({"box"} if f'name="rowid" value="{pk}"' in html else set())


def test_the_japanese_window_is_offered_edit_and_delete_only_on_its_own_rows(auth, enterprises):
    own = enterprises.create("AAB", japanese_funded=True)
    theirs = enterprises.create("EDB", japanese_funded=True)
    html = auth.client("jawin", lang="ja").get("/enterprises/list/").get_data(as_text=True)
    assert _offered(html, "/enterprises", own) == {"show", "edit", "delete", "box"}
    assert _offered(html, "/enterprises", theirs) == {"show"}


def test_the_edit_form_of_a_record_the_user_may_only_read_is_403(auth, enterprises):
    theirs = enterprises.create("EDB", japanese_funded=True)
    resp = auth.client("jawin", lang="ja").get(f"/enterprises/edit/{theirs}")
    assert resp.status_code == 403 and FORBIDDEN["ja"] in resp.get_data(as_text=True)


def test_the_dispatcher_is_offered_mass_delete_only_where_it_can_delete(auth, enterprises, orders):
    theirs = enterprises.create("EDB")
    office = auth.client("office", lang="zh")
    html = office.get("/enterprises/list/").get_data(as_text=True)
    assert _offered(html, "/enterprises", theirs) == {"show"}
    assert "muldelete_menu_item" not in html and "action_check_all" not in html
    own = enterprises.create("OFFICE")
    html = office.get("/enterprises/list/").get_data(as_text=True)
    assert "muldelete_menu_item" in html
    assert _offered(html, "/enterprises", own) == {"show", "edit", "delete", "box"}
    assert _offered(html, "/enterprises", theirs) == {"show"}
    orders.create()
    html = office.get("/workorders/list/").get_data(as_text=True)
    assert "muldelete_menu_item" not in html and "/workorders/delete/" not in html


def test_the_dispatcher_may_mark_read_only_the_offices_notices(app, auth):
    own, theirs = _notice(app, "OFFICE"), _notice(app, "EDB")
    html = auth.client("office", lang="zh").get("/notices/list/").get_data(as_text=True)
    assert _offered(html, "/notices", own) == {"show", "box"}
    assert _offered(html, "/notices", theirs) == {"show"}


def test_a_record_page_offers_no_action_on_a_record_the_user_may_not_write(app, auth):
    theirs, own = _user(app, "EDB"), _user(app, "OFFICE")
    view = _view(app, "PuwanUserDBModelView")
    button = "btn-action-PuwanUserDBModelView.action-resetpasswords"
    with granted(app, "Dispatcher", view, "resetpasswords"), \
            granted(app, "Dispatcher", view, "can_show"):
        office = auth.client("office", lang="zh")
        assert button not in office.get(f"/users/show/{theirs}").get_data(as_text=True)
        assert button in office.get(f"/users/show/{own}").get_data(as_text=True)
