"""Every path of department isolation, for every register whose records belong to a department:
``edb`` (Economic Development Bureau staff) against a record of IPB — list, record page, edit,
delete, actions and mass actions, REST list/get/put/delete/post, ``_info``, rison filters,
exports and chart figures. Each test checks the answer and that nothing changed, and sees its
own department's record on the same path (so that it can fail).
"""
from __future__ import annotations

import csv
import io
import re

import prison
import pytest
from openpyxl import load_workbook

from app.core.models import Department
from app.extensions import db
from tests.conftest import csrf_token
from tests.core.contract.conftest import (
    OWNED,
    api_payload,
    by_table,
    charts_of,
    count,
    create,
    form_payload,
    form_values,
    free_text,
    row,
    sample,
    view_of,
)

pytestmark = pytest.mark.parametrize("register", **by_table(OWNED))


@pytest.fixture
def theirs(app, register) -> int:
    return create(app, register, "ipb")


@pytest.fixture
def own(app, register) -> int:
    return create(app, register, "edb")


def _department(app, code) -> int:
    with app.app_context():
        return db.session.query(Department.id).filter_by(code=code).scalar()


def _shows(html: str, route: str, pk: int) -> bool:
    return re.search(rf'{route}/show/{pk}\b', html) is not None


# --- UI -------------------------------------------------------------------------------------------

def test_the_list_shows_only_the_users_department(clients, register, theirs, own):
    html = clients.ui("edb").get(f"{register.route}/list/").get_data(as_text=True)
    assert _shows(html, register.route, own) and not _shows(html, register.route, theirs)


@pytest.mark.parametrize("path", ["show", "edit"])
def test_another_departments_record_page_and_form_are_404(clients, register, theirs, path):
    assert clients.ui("edb").get(f"{register.route}/{path}/{theirs}").status_code == 404


def test_saving_another_departments_record_is_404_and_changes_nothing(
        app, clients, register, theirs):
    before = row(app, register.model, theirs)
    edb = clients.ui("edb")
    field = free_text(register, view_of(app, register))
    resp = edb.post(f"{register.route}/edit/{theirs}",
                    data={field: "改名", "csrf_token": csrf_token(edb, "/")})
    assert resp.status_code == 404
    assert row(app, register.model, theirs) == before


@pytest.mark.parametrize("path", ["delete", "action", "action_post"])
def test_deleting_or_acting_on_another_departments_record_is_404_and_changes_nothing(
        app, clients, register, theirs, path):
    """Every action of the view, by its single-row route and as a mass action."""
    view = view_of(app, register)
    names = sorted(view.actions) or ["muldelete"]  # (no action at all: still a 404)
    edb = clients.ui("edb")
    token = csrf_token(edb, "/")
    before = row(app, register.model, theirs)
    for name in names if path != "delete" else ["delete"]:
        if path == "delete":
            resp = edb.post(f"{register.route}/delete/{theirs}", data={"csrf_token": token})
        elif path == "action":
            resp = edb.post(f"{register.route}/action/{name}/{theirs}",
                            data={"csrf_token": token})
        else:
            resp = edb.post(f"{register.route}/action_post",
                            data={"action": name, "rowid": str(theirs), "csrf_token": token})
        assert resp.status_code == 404, name
        assert row(app, register.model, theirs) == before, name


def test_a_mass_action_with_another_departments_record_among_its_own_changes_nothing(
        app, clients, register, theirs, own):
    view = view_of(app, register)
    edb = clients.ui("edb")
    token = csrf_token(edb, "/")
    before = [row(app, register.model, pk) for pk in (own, theirs)]
    for name in sorted(view.actions) or ["muldelete"]:
        resp = edb.post(f"{register.route}/action_post", data={
            "action": name, "rowid": [str(own), str(theirs)], "csrf_token": token})
        assert resp.status_code == 404, name
        assert [row(app, register.model, pk) for pk in (own, theirs)] == before, name


@pytest.mark.parametrize("path", ["delete/{pk}", "action/muldelete/{pk}"])
def test_deleting_or_acting_by_get_is_refused(app, clients, register, own, path):
    before = row(app, register.model, own)
    resp = clients.ui("edb").get(f"{register.route}/{path.format(pk=own)}")
    assert resp.status_code in (404, 405)  # (404: the view has no such route at all)
    assert row(app, register.model, own) == before


def _owned_by(app, register, code) -> int:
    with app.app_context():
        department = _department(app, code)
        n = sum(item.owning_department_id == department
                for item in db.session.query(register.model))
        db.session.remove()
    return n


def test_the_add_form_cannot_put_a_record_into_another_department(app, clients, register):
    """Refused where the form has a department; elsewhere the record is the author's."""
    edb = clients.ui("edb")
    form = form_values(edb, f"{register.route}/add")
    data = {**form, **form_payload(register, sample(app, register)),
            "department": str(_department(app, "IPB"))}
    resp = edb.post(f"{register.route}/add", data=data)
    assert resp.status_code in ((403, 422) if "department" in form else (302, 403, 422))
    assert _owned_by(app, register, "IPB") == 0


def test_an_edit_cannot_move_the_record_into_another_department(
        app, client, clients, register, own):
    before = row(app, register.model, own)
    edb = clients.ui("edb")
    form = form_values(edb, f"{register.route}/edit/{own}")
    resp = edb.post(f"{register.route}/edit/{own}",
                    data={**form, "department": str(_department(app, "IPB"))})
    assert resp.status_code in ((403, 422) if "department" in form else (302, 403, 422))
    resp = client.put(f"{_api(register)}{own}", headers=clients.api("edb"),
                      json={"department": _department(app, "IPB")})
    assert resp.status_code in (403, 422)
    assert row(app, register.model, own)["department_id"] == before["department_id"]
    assert _owned_by(app, register, "IPB") == 0


def test_the_add_form_offers_only_the_users_departments(app, clients, register):
    html = clients.ui("edb").get(f"{register.route}/add").get_data(as_text=True)
    assert f'value="{_department(app, "IPB")}"' not in _select(html, "department")


def _select(html: str, name: str) -> str:
    match = re.search(rf'<select[^>]*name="{name}".*?</select>', html, re.S)
    return match.group(0) if match else ""


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exports_contain_only_the_users_department(app, clients, register, fmt):
    """The records are told apart by their sample's own values (e.g. their names)."""
    mine, other = sample(app, register, "edb"), sample(app, register, "ipb")
    create(app, register, "edb", **mine)
    create(app, register, "ipb", **other)
    resp = clients.ui("edb").get(f"{register.route}/export/{fmt}")
    assert resp.status_code == 200
    if fmt == "csv":
        cells = {c for line in csv.reader(io.StringIO(resp.get_data().decode("utf-8-sig")))
                 for c in line}
    else:
        cells = {str(c) for line in load_workbook(io.BytesIO(resp.get_data())).active.values
                 for c in line}
    shown = [key for key, value in mine.items() if isinstance(value, str) and value in cells]
    assert shown, "the export shows none of the sample's values"
    assert not {other[key] for key in shown} & cells


def test_chart_figures_count_only_the_users_department(app, clients, register, theirs, own):
    charts = charts_of(app, register)
    if charts is None:
        pytest.skip(f"{register.table} declares no charts")
    data = clients.ui("edb").get(f"{charts.route_base}/data.json").json
    counted = [sum(c["values"]) for c, chart in zip(data, charts.charts, strict=True)
               if chart.agg == "count" and chart.source is None and chart.where is None]
    assert counted and max(counted) == 1, counted


# --- REST -----------------------------------------------------------------------------------------

def _api(register) -> str:
    return f"/api/v1/{register.api_class.resource_name}/"


def test_the_rest_api_does_not_take_a_browser_session(clients, register, own):
    """Cookie-authenticated writes would bypass the forms' CSRF check: tokens only."""
    assert clients.ui("edb").get(_api(register)).status_code == 401


def test_the_rest_list_holds_only_the_users_department(client, clients, register, theirs, own):
    resp = client.get(_api(register), headers=clients.api("edb"))
    assert resp.status_code == 200
    assert own in resp.json["ids"] and theirs not in resp.json["ids"]


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_another_departments_record_is_404_through_rest_and_unchanged(
        app, client, clients, register, theirs, method):
    before = row(app, register.model, theirs)
    kwargs = {"json": {free_text(register): "改名"}} if method == "put" else {}
    resp = getattr(client, method)(f"{_api(register)}{theirs}", headers=clients.api("edb"),
                                   **kwargs)
    assert resp.status_code in ((404, 405) if method == "delete" else (404,))
    assert row(app, register.model, theirs) == before


def test_posting_into_another_department_is_refused_and_stores_nothing(
        app, client, clients, register):
    payload = {**api_payload(register, sample(app, register)),
               "department": _department(app, "IPB")}
    before = count(app, register.model)
    resp = client.post(_api(register), headers=clients.api("edb"), json=payload)
    assert resp.status_code in (403, 422)
    assert count(app, register.model) == before


def test_info_offers_only_the_users_departments(app, client, clients, register):
    q = prison.dumps({"keys": ["add_columns", "edit_columns"]})
    resp = client.get(f"{_api(register)}_info?q={q}", headers=clients.api("edb"))
    assert resp.status_code == 200
    for key in ("add_columns", "edit_columns"):
        offered = {f["name"]: f for f in resp.json[key]}
        if "department" in offered:
            assert [v["id"] for v in offered["department"]["values"]] == [
                _department(app, "EDB")], key


def test_rison_filters_cannot_reach_another_department(app, client, clients, register,
                                                       theirs, own):
    headers = clients.api("edb")

    def by_department(code):
        q = prison.dumps({"filters": [{"col": "department", "opr": "rel_o_m",
                                       "value": _department(app, code)}]})
        return client.get(f"{_api(register)}?q={q}", headers=headers)

    refused = by_department("IPB")
    if refused.status_code == 400:  # the API does not filter on the department at all
        assert "department" not in register.api_class.search_columns
        return
    assert refused.status_code == 200 and theirs not in refused.json["ids"]
    assert refused.json["count"] == 0
    assert by_department("EDB").json["ids"] == [own]
