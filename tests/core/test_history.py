"""The change history: every write through the command leaves one row, in the same
transaction; refused writes leave none; auditors read it for every department."""
import datetime as dt

from app.core.models import RecordChange
from app.extensions import db


def _changes(app):
    with app.app_context():
        rows = [(c.table_name, c.record_id, c.action, c.before, c.after, c.changed_by.username)
                for c in db.session.query(RecordChange).order_by(RecordChange.id)]
        db.session.remove()
        return rows


def _clear(app):
    with app.app_context():
        db.session.query(RecordChange).delete()
        db.session.commit()


def test_update_records_only_the_changed_columns(app, client, auth, enterprises):
    _clear(app)
    pk = enterprises.create("IPB", name_zh="旧名")
    resp = client.put(f"/api/v1/enterprise/{pk}", headers=auth.token("ipb"), json={"name_zh": "新名"})
    assert resp.status_code == 200
    assert _changes(app) == [("enterprise", pk, "update", {"name_zh": "旧名"}, {"name_zh": "新名"}, "ipb")]


def test_create_and_delete_are_recorded(app, client, auth, enterprises):
    _clear(app)
    headers = auth.token("ipb")
    pk = client.post("/api/v1/enterprise/", headers=headers, json=enterprises.payload()).json["id"]
    client.delete(f"/api/v1/enterprise/{pk}", headers=headers)
    assert [(c[2], c[1]) for c in _changes(app)] == [("create", pk), ("delete", pk)]


def test_refused_change_leaves_no_history(app, client, auth, enterprises):
    _clear(app)
    pk = enterprises.create("EDB")
    client.put(f"/api/v1/enterprise/{pk}", headers=auth.token("jawin"), json={"name_zh": "x"})
    payload = enterprises.payload()
    with app.app_context():
        from tests.factories import department_id

        payload["department"] = department_id("EDB")
    client.post("/api/v1/enterprise/", headers=auth.token("ipb"), json=payload)
    assert _changes(app) == []


def test_auditor_reads_history_in_shanghai_time(app, client, auth, enterprises):
    _clear(app)
    pk = enterprises.create("EDB", name_zh="审计对象")
    client.put(f"/api/v1/enterprise/{pk}", headers=auth.token("edb"), json={"name_zh": "审计后"})
    with app.app_context():
        changed_at = db.session.query(RecordChange).one().changed_at
    shown = (changed_at + dt.timedelta(hours=8)).strftime("%Y-%m-%d %H:%M")
    html = auth.client("auditor", lang="zh").get("/history/list/").get_data(as_text=True)
    assert shown in html and "审计后" in html and "企业" in html


def test_department_staff_cannot_read_history(auth):
    assert auth.client("ipb").get("/history/list/").status_code == 403
