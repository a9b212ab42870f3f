"""Registers of reference data (their records belong to no department, e.g. institutions) work
through every write path of the kit, governed by permissions alone: an administrator adds,
edits and deletes them through the forms and REST, each write leaving one history row (filed
under the administrator's department); department staff read them and may not change them.
"""
from __future__ import annotations

import pytest

from app.core import registry
from app.core.models import Department, RecordChange
from app.extensions import db
from tests.conftest import csrf_token
from tests.core.contract.conftest import (
    REGISTERS,
    api_payload,
    by_table,
    count,
    create,
    form_payload,
    form_values,
    free_text,
    row,
    sample,
)

REFERENCE = [r for r in REGISTERS if r.profile == registry.REFERENCE_DATA and r.sample
             and not hasattr(r.model, "owning_department_id")]
pytestmark = pytest.mark.parametrize("register", **by_table(REFERENCE))


def _history(app, register) -> list[tuple]:
    with app.app_context():
        rows = [(c.action, c.record_id, c.changed_by.username,
                 db.session.get(Department, c.department_id).code)
                for c in db.session.query(RecordChange).filter_by(table_name=register.table)
                .order_by(RecordChange.id)]
        db.session.remove()
    return rows


def _ids(app, register) -> list[int]:
    with app.app_context():
        ids = [pk for (pk,) in db.session.query(register.model.id)]
        db.session.remove()
    return ids


def test_an_administrator_adds_edits_and_deletes_through_the_forms(app, clients, register):
    admin = clients.ui("admin")
    data = {**form_values(admin, f"{register.route}/add"),
            **form_payload(register, sample(app, register))}
    assert admin.post(f"{register.route}/add", data=data).status_code == 302
    [pk] = _ids(app, register)
    field = free_text(register)
    edited = {**form_values(admin, f"{register.route}/edit/{pk}"), field: "表单改过"}
    assert admin.post(f"{register.route}/edit/{pk}", data=edited).status_code == 302
    assert row(app, register.model, pk)[field] == "表单改过"
    resp = admin.post(f"{register.route}/delete/{pk}",
                      data={"csrf_token": csrf_token(admin, "/")})
    assert resp.status_code == 302 and _ids(app, register) == []
    assert _history(app, register) == [("create", pk, "admin", "OFFICE"),
                                       ("update", pk, "admin", "OFFICE"),
                                       ("delete", pk, "admin", "OFFICE")]


def test_an_administrator_adds_edits_and_deletes_through_rest(app, client, clients, register):
    headers = clients.api("admin")
    api = f"/api/v1/{register.api_class.resource_name}/"
    resp = client.post(api, headers=headers, json=api_payload(register, sample(app, register)))
    assert resp.status_code == 201, resp.json
    pk = resp.json["id"]
    assert client.put(f"{api}{pk}", headers=headers,
                      json={free_text(register): "接口改过"}).status_code == 200
    assert client.delete(f"{api}{pk}", headers=headers).status_code == 200
    assert [action for action, *_rest in _history(app, register)] == [
        "create", "update", "delete"]


def test_department_staff_read_them_and_change_nothing(app, client, clients, register):
    pk = create(app, register, "admin")
    before = row(app, register.model, pk)
    ipb = clients.ui("ipb")
    assert ipb.get(f"{register.route}/show/{pk}").status_code == 200
    token = csrf_token(ipb, f"{register.route}/list/")
    ipb.post(f"{register.route}/delete/{pk}", data={"csrf_token": token})
    ipb.post(f"{register.route}/edit/{pk}", data={"csrf_token": token,
                                                   free_text(register): "不该改"})
    api = f"/api/v1/{register.api_class.resource_name}/{pk}"
    assert client.delete(api, headers=clients.api("ipb")).status_code in (401, 403)
    assert row(app, register.model, pk) == before and count(app, register.model) == 1
    assert [action for action, *_rest in _history(app, register)] == ["create"]
