"""Imports over every register: another department's user who uploads the owner's own export
(the owner's keys, its department named in the rows) neither finds those records to update nor
changes them, whether or not it confirms what is left."""
from __future__ import annotations

import pytest

from app.core.models import RecordChange
from tests.core.contract.conftest import OWNED, by_table, count, create, row
from tests.core.transfer.conftest import confirm, upload, wait


@pytest.mark.parametrize("register", **by_table(OWNED))
def test_another_departments_import_of_the_owners_export_changes_none_of_its_records(
        app, clients, register):
    owner, other = clients.ui("ipb", "ja"), clients.ui("edb", "ja")
    pk = create(app, register, "ipb")
    before = row(app, register.model, pk)
    exported = owner.get(f"{register.route}/export/csv")
    assert exported.status_code == 200
    resp = upload(other, f"{register.route}/import/", exported.get_data(), "export.csv")
    assert resp.status_code == 302, resp.status_code
    state = wait(other, resp.headers["Location"])
    assert state["counts"]["update"] == 0 and state["counts"]["unchanged"] == 0, state
    if state["state"] == "ready" and state["counts"]["create"]:
        confirm(other, resp.headers["Location"])
        wait(other, resp.headers["Location"])
    assert row(app, register.model, pk) == before
    with app.app_context():
        from app.extensions import db

        touched = db.session.query(RecordChange).filter_by(
            table_name=register.table, record_id=pk).count()
        db.session.remove()
    assert touched == 1  # its creation only
    assert count(app, register.model) >= 1
