"""The record parts a register declares (app.core.parts) — timeline, attachments, lifecycle —
over the register that uses them all (work orders), and the kit giving a register their routes."""
from __future__ import annotations

import io
import re
from pathlib import Path
from urllib.parse import unquote

import pytest
from flask import g

from app.core import kit, registry
from app.core.exceptions import ForbiddenError, NotFoundError
from app.core.models import PuwanUser, RecordChange
from app.core.parts.attachments import Attachments, sniff
from app.core.parts.lifecycle import Lifecycle, Transition
from app.core.parts.timeline import Timeline
from app.core.registry import Register
from app.extensions import db
from app.registers.enterprises.models import Enterprise
from app.registers.workorders.commands import WorkOrderCommands
from app.registers.workorders.lifecycle import TRANSITIONS
from app.registers.workorders.models import WorkOrder, WorkOrderAttachment, WorkOrderEvent
from tests.conftest import csrf_token, refused_on_page

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _upload(client, pk, data: bytes, filename: str, mimetype: str | None = None):
    file = (io.BytesIO(data), filename, mimetype) if mimetype else (io.BytesIO(data), filename)
    return client.post(f"/workorders/upload/{pk}", content_type="multipart/form-data",
                       data={"file": file, "csrf_token": csrf_token(client, "/")})


def _attachments(app, pk) -> list[dict]:
    with app.app_context():
        rows = [{"id": a.id, "filename": a.filename, "content_type": a.content_type,
                 "stored_name": a.stored_name, "size": a.size}
                for a in db.session.query(WorkOrderAttachment).filter_by(order_id=pk)]
        db.session.remove()
        return rows


def _stored(app, name: str) -> Path:
    return Path(app.config["UPLOAD_FOLDER"]) / "attachments" / name


# --- timeline --------------------------------------------------------------------------------------

def test_every_transition_writes_an_event_with_its_states_and_actor(app, orders):
    pk = orders.dispatched("IPB")
    for action, user, data in [("accept", "ipb", {}), ("start", "ipb2", {}),
                               ("wait", "ipb", {"reason": "等待材料"})]:
        assert orders.act(pk, action, user, **data).status_code == 200, action
    with app.app_context():
        events = [(e.action, e.from_state, e.to_state, e.actor.username if e.actor else None,
                   e.note)
                  for e in db.session.query(WorkOrderEvent).filter_by(order_id=pk)
                  .order_by(WorkOrderEvent.id)]
        db.session.remove()
    assert events[0][:4] == ("receive", None, "received", "office")
    assert events[2:] == [("accept", "dispatched", "accepted", "ipb", None),
                          ("start", "accepted", "in_progress", "ipb2", None),
                          ("wait", "in_progress", "waiting", "ipb", "等待材料")]


def test_an_action_that_keeps_the_state_is_on_the_timeline_with_its_note(orders):
    pk = orders.dispatched("IPB")
    assert orders.act(pk, "supervise", "office", reason="领导关注").status_code == 200
    timeline = orders.client.get(f"/api/v1/workorder/{pk}/timeline",
                                 headers=orders.headers("ipb")).json["result"]
    assert timeline[-1] | {"at": None} == {
        "at": None, "action": "supervise", "from": "dispatched", "to": "dispatched",
        "note": "领导关注", "actor": "office"}


def test_the_timeline_of_an_order_another_department_cannot_see_is_404(orders):
    pk = orders.dispatched("IPB")
    resp = orders.client.get(f"/api/v1/workorder/{pk}/timeline", headers=orders.headers("edb"))
    assert resp.status_code == 404


def test_the_record_page_shows_the_timeline_in_the_readers_language(orders, auth):
    pk = orders.dispatched("IPB")
    orders.act(pk, "return", "ipb", reason="不属于本部门")
    html = auth.client("ipb", lang="ja").get(f"/workorders/show/{pk}").get_data(as_text=True)
    timeline = html.split('id="workorder-timeline"')[1]
    assert "振り分け" in timeline and "差し戻し" in timeline and "不属于本部门" in timeline


# --- lifecycle -------------------------------------------------------------------------------------

def test_the_history_row_of_a_transition_is_named_by_it_and_keeps_the_reason(app, orders):
    pk = orders.dispatched("IPB")
    assert orders.act(pk, "return", "ipb", reason="不属于本部门").status_code == 200
    with app.app_context():
        change = (db.session.query(RecordChange).filter_by(table_name="work_order", record_id=pk)
                  .order_by(RecordChange.id.desc()).first())
        assert change.action == "return"
        assert change.before["state"] == "dispatched"
        assert change.after["state"] == "returned" and change.after["reason"] == "不属于本部门"
        assert str(registry.action_labels()["return"]) == str(TRANSITIONS["return"].label)
        db.session.remove()


@pytest.mark.parametrize(("user", "action", "data", "status", "message"), [
    # who first: the Office is not the handling unit, whatever the state
    ("office", "resolve", {"reply": "x"}, 403, "担当部門のみ実行できます"),
    ("ipb", "dispatch", {}, 403, "管理委員会事務局のみ"),
    # then the state
    ("ipb", "resolve", {"reply": "x"}, 409, "「振り分け済み」のため"),
    # then what it needs
    ("ipb", "return", {}, 422, None),
])
def test_a_refused_transition_says_why_in_the_readers_language_and_changes_nothing(
        app, orders, user, action, data, status, message):
    pk = orders.dispatched("IPB")
    with app.app_context():
        events = db.session.query(WorkOrderEvent).filter_by(order_id=pk).count()
    resp = orders.client.post(f"/api/v1/workorder/{pk}/transition/{action}?_l_=ja", json=data,
                              headers=orders.headers(user))
    assert resp.status_code == status
    if message:
        assert message in resp.json["message"]
    assert orders.state(pk) == "dispatched"
    with app.app_context():
        assert db.session.query(WorkOrderEvent).filter_by(order_id=pk).count() == events


def test_a_decision_is_offered_only_while_there_is_something_to_decide(orders, auth):
    pk = orders.dispatched("IPB")
    orders.act(pk, "accept", "ipb")
    office = auth.client("office")
    assert 'id="action-approve_extension"' not in office.get(
        f"/workorders/show/{pk}").get_data(as_text=True)
    orders.act(pk, "request_extension", "ipb", days=2, reason="现场核查")
    html = office.get(f"/workorders/show/{pk}").get_data(as_text=True)
    assert 'id="action-approve_extension"' in html and 'id="action-reject_extension"' in html
    # the handling unit asked; only the Office decides
    html = auth.client("ipb").get(f"/workorders/show/{pk}").get_data(as_text=True)
    assert 'id="action-approve_extension"' not in html and 'id="action-start"' in html


def test_a_requester_may_take_only_the_transitions_open_to_requesters(app, orders):
    pk = orders.dispatched("IPB")
    with app.app_context():
        order = db.session.get(WorkOrder, pk)
        with pytest.raises(NotFoundError):
            WorkOrderCommands().perform(order, "close", {}, by_requester=True)
        db.session.remove()
    assert orders.state(pk) == "dispatched"


def test_a_transition_naming_an_unknown_role_is_refused_when_declared():
    with pytest.raises(ValueError, match="nobody"):
        Lifecycle(states={"open": "Open"},
                  transitions=[Transition("close", frozenset({"open"}), None, "nobody", "Close")])


def test_who_may_be_a_predicate_of_scope_and_record(app):
    lifecycle = Lifecycle(states={"open": "Open"}, transitions=[
        Transition("close", frozenset({"open"}), "closed",
                   lambda scope, record: record.japanese_funded, "Close")])
    close = lifecycle.transitions["close"]
    with app.app_context():
        assert lifecycle.may(close, Enterprise(japanese_funded=True))
        assert not lifecycle.may(close, Enterprise(japanese_funded=False))


# --- attachments -----------------------------------------------------------------------------------

def test_an_upload_is_stored_under_a_random_name_and_downloaded_under_its_own(app, orders, auth):
    pk = orders.dispatched("IPB")
    staff = auth.client("ipb", lang="zh")
    assert _upload(staff, pk, "营业执照副本".encode(), "营业执照 2026.txt").status_code == 302
    (row,) = _attachments(app, pk)
    assert re.fullmatch(r"[0-9a-f]{32}", row["stored_name"])
    assert _stored(app, row["stored_name"]).read_bytes() == "营业执照副本".encode()
    resp = staff.get(f"/workorders/attachment/{row['id']}")
    assert resp.status_code == 200 and resp.data == "营业执照副本".encode()
    disposition = resp.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "营业执照 2026.txt" in unquote(disposition)
    assert resp.headers["X-Content-Type-Options"] == "nosniff"


def test_the_type_is_read_from_the_file_not_from_the_browser(app, orders, auth):
    pk = orders.dispatched("IPB")
    staff = auth.client("ipb")
    _upload(staff, pk, b"<html><script>alert(1)</script></html>", "photo.png", "image/png")
    _upload(staff, pk, PNG, "scan.txt", "text/plain")
    assert [(a["filename"], a["content_type"]) for a in _attachments(app, pk)] == [
        ("photo.png", "text/plain"), ("scan.txt", "image/png")]
    first = _attachments(app, pk)[0]["id"]
    assert staff.get(f"/workorders/attachment/{first}").mimetype == "text/plain"


def test_another_departments_attachment_is_404(app, orders, auth):
    pk = orders.dispatched("IPB")
    _upload(auth.client("ipb"), pk, b"%PDF-1.4 plan", "plan.pdf")
    (row,) = _attachments(app, pk)
    assert auth.client("edb").get(f"/workorders/attachment/{row['id']}").status_code == 404
    assert auth.client("reader").get(f"/workorders/attachment/{row['id']}").status_code == 200


def test_a_read_only_user_cannot_upload(app, orders, auth):
    pk = orders.dispatched("IPB")
    reader = auth.client("reader")
    assert 'id="upload-form"' not in reader.get(f"/workorders/show/{pk}").get_data(as_text=True)
    assert _upload(reader, pk, b"note", "note.txt").status_code == 403
    assert _attachments(app, pk) == []


def test_a_department_that_cannot_see_the_record_cannot_upload_to_it(app, orders, auth):
    pk = orders.dispatched("IPB")
    assert _upload(auth.client("edb"), pk, b"note", "note.txt").status_code == 404
    assert _attachments(app, pk) == []


def test_a_file_over_the_limit_is_refused_and_nothing_is_stored(app, orders, auth):
    pk = orders.dispatched("IPB")
    folder = _stored(app, "")
    before = set(folder.iterdir()) if folder.exists() else set()
    limit = registry.get("work_order").attachments.max_size
    client = auth.client("ipb", lang="zh")
    resp = _upload(client, pk, b"x" * (limit + 1), "big.bin")
    assert "文件超过 20 MB" in refused_on_page(client, resp, f"/workorders/show/{pk}")
    assert _attachments(app, pk) == [] and set(folder.iterdir()) == before


def test_deleting_a_record_removes_its_files_once_the_delete_is_committed(app, orders, auth):
    pk = orders.dispatched("IPB")
    _upload(auth.client("ipb"), pk, b"%PDF-1.4 a", "a.pdf")
    _upload(auth.client("ipb"), pk, PNG, "b.png")
    files = [_stored(app, a["stored_name"]) for a in _attachments(app, pk)]
    assert len(files) == 2 and all(f.exists() for f in files)
    with app.app_context():
        WorkOrderCommands().delete([db.session.get(WorkOrder, pk)])
        assert db.session.get(WorkOrder, pk) is None
        db.session.remove()
    assert _attachments(app, pk) == [] and not any(f.exists() for f in files)


def test_a_refused_delete_keeps_the_files(app, orders, auth):
    pk = orders.dispatched("IPB")  # taken in by the Office: IPB handles it, may not delete it
    _upload(auth.client("ipb"), pk, b"%PDF-1.4 a", "a.pdf")
    (row,) = _attachments(app, pk)
    with app.test_request_context("/"):
        g.user = db.session.query(PuwanUser).filter_by(username="ipb").one()
        with pytest.raises(ForbiddenError):
            WorkOrderCommands().delete([db.session.get(WorkOrder, pk)])
        db.session.remove()
    assert _attachments(app, pk) == [row] and _stored(app, row["stored_name"]).exists()


def test_files_of_an_order_an_intake_channel_could_not_save_are_removed(app):
    from app.core.exceptions import ValidationFailed
    from app.intake import create_public_order

    folder = _stored(app, "")
    folder.mkdir(parents=True, exist_ok=True)
    before = set(folder.iterdir())
    with app.test_request_context("/"), pytest.raises(ValidationFailed):
        create_public_order(channel="email", subject="", content="", language="zh",
                            attachments=[("申请表.pdf", "application/pdf", b"%PDF-1.4 x")])
    assert set(folder.iterdir()) == before


@pytest.mark.parametrize(("data", "filename", "expected"), [
    (b"%PDF-1.7\n", "x.bin", "application/pdf"),
    (PNG, "x.jpg", "image/png"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", "x", "image/jpeg"),
    (b"PK\x03\x04rest", "申请表.docx",
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    (b"PK\x03\x04rest", "data.xlsx",
     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    (b"PK\x03\x04rest", "page.html", "application/zip"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "old.xls", "application/vnd.ms-excel"),
    ("说明：现场照片".encode(), "a.txt", "text/plain"),
    ("説明：現場写真".encode("gb18030"), "a.txt", "text/plain"),
    (b"<!DOCTYPE html><html></html>", "a.html", "text/plain"),
    (b"\x00\x01\x02\x03\xfe\xff", "a.txt", "application/octet-stream"),
])
def test_a_files_type_comes_from_its_first_bytes(data, filename, expected):
    assert sniff(data, filename) == expected


# --- the kit ---------------------------------------------------------------------------------------

def test_the_kit_gives_a_register_the_routes_of_the_parts_it_declares():
    lifecycle = Lifecycle(states={"open": "Open"}, transitions=[
        Transition("close", frozenset({"open"}), "closed", "owner", "Close")])
    trial = Register(model=Enterprise, name="Trials", label="Trials", title="Trial",
                     route="/trials", key="Trial", edit_columns=["name_zh"],
                     timeline=Timeline(WorkOrderEvent), lifecycle=lifecycle,
                     attachments=Attachments(WorkOrderAttachment))
    view, api = kit.view_class(trial), kit.api_class(trial)
    assert {"transition", "upload", "attachment"} <= set(dir(view))
    assert view.show_template == "puwan/record_show.html"
    assert {"transition", "timeline"} <= set(dir(api))
    plain = Register(model=Enterprise, name="Plain", label="P", title="P", route="/plain",
                     key="Plain", edit_columns=["name_zh"])
    assert not {"transition", "upload", "attachment"} & set(dir(kit.view_class(plain)))
    assert not {"transition", "timeline"} & set(dir(kit.api_class(plain)))
