"""Every register's forms save as a person fills them in, and every write — through the forms
and through REST, create, update and delete — leaves exactly one row in the change history.
"""
from __future__ import annotations

import pytest

from app.core.models import RecordChange
from app.extensions import db
from tests.conftest import csrf_token
from tests.core.contract.conftest import (
    OWNED,
    api_payload,
    by_table,
    form_payload,
    form_values,
    free_text,
    sample,
    view_of,
)

pytestmark = pytest.mark.parametrize("register", **by_table(OWNED))


def _history(app, register) -> list[tuple]:
    with app.app_context():
        rows = [(c.action, c.record_id, c.changed_by.username)
                for c in db.session.query(RecordChange).filter_by(table_name=register.table)
                .order_by(RecordChange.id)]
        db.session.remove()
    return rows


def _ids(app, register) -> list[int]:
    with app.app_context():
        ids = [pk for (pk,) in db.session.query(register.model.id)]
        db.session.remove()
    return ids


def _field(app, register, pk, key):
    with app.app_context():
        value = getattr(db.session.get(register.model, pk), key)
        db.session.remove()
    return value


def _flashes(html: str) -> str:
    import re

    return " | ".join(re.findall(r'class="alert[^"]*"[^>]*>(.*?)</div>', html, re.S))[:600]


def test_the_add_form_saves_with_its_defaults_and_the_samples_values(app, clients, register):
    """What the page fills in is left as it is; the sample's values are typed in."""
    ipb = clients.ui("ipb")
    values = sample(app, register)
    data = {**form_values(ipb, f"{register.route}/add"), **form_payload(register, values)}
    resp = ipb.post(f"{register.route}/add", data=data)
    assert resp.status_code == 302, _flashes(resp.get_data(as_text=True))
    [pk] = _ids(app, register)
    field = free_text(register)
    assert _field(app, register, pk, field) == values[field]


def test_each_write_through_the_forms_leaves_one_history_row(app, clients, register):
    ipb = clients.ui("ipb")
    data = {**form_values(ipb, f"{register.route}/add"),
            **form_payload(register, sample(app, register))}
    assert ipb.post(f"{register.route}/add", data=data).status_code == 302
    [pk] = _ids(app, register)
    field = free_text(register, view_of(app, register))
    edited = {**form_values(ipb, f"{register.route}/edit/{pk}"), field: "表单改过"}
    assert ipb.post(f"{register.route}/edit/{pk}", data=edited).status_code == 302
    assert _field(app, register, pk, field) == "表单改过"
    expected = [("create", pk, "ipb"), ("update", pk, "ipb")]
    if "can_delete" in view_of(app, register).base_permissions:
        resp = ipb.post(f"{register.route}/delete/{pk}", data={"csrf_token": csrf_token(ipb, "/")})
        assert resp.status_code == 302 and _ids(app, register) == []
        expected.append(("delete", pk, "ipb"))
    assert _history(app, register) == expected


def test_each_write_through_rest_leaves_one_history_row(app, client, clients, register):
    headers = clients.api("ipb")
    api = f"/api/v1/{register.api_class.resource_name}/"
    resp = client.post(api, headers=headers, json=api_payload(register, sample(app, register)))
    assert resp.status_code == 201, resp.json
    pk = resp.json["id"]
    field = free_text(register)
    assert client.put(f"{api}{pk}", headers=headers, json={field: "接口改过"}).status_code == 200
    expected = [("create", pk, "ipb"), ("update", pk, "ipb")]
    if "delete" not in register.api_class.exclude_route_methods:
        assert client.delete(f"{api}{pk}", headers=headers).status_code == 200
        expected.append(("delete", pk, "ipb"))
    assert _history(app, register) == expected
