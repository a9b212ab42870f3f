"""The change history: every write through the command leaves one row, in the same
transaction; refused writes leave none; auditors read it for every department."""
import datetime as dt

import pytest

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


def _page_text(client, path="/history/list/") -> str:
    from tests.i18n.test_pages_translated import _Text

    parser = _Text()
    parser.feed(client.get(path).get_data(as_text=True))
    return " ".join(" ".join(parser.parts).split())


def test_every_lifecycle_action_leaves_one_row_naming_it(app, orders):
    _clear(app)
    pk = orders.dispatched("IPB")
    steps = [("accept", "ipb", {}), ("request_extension", "ipb", {"days": 2, "reason": "材料未齐"}),
             ("approve_extension", "office", {}), ("supervise", "office", {"reason": "请加快"}),
             ("start", "ipb", {}), ("wait", "ipb", {"reason": "等企业补件"}), ("resume", "ipb", {}),
             ("resolve", "ipb", {"reply": "已答复"}), ("follow_up", "office", {"rating": 5}),
             ("close", "office", {})]
    for action, who, data in steps:
        assert orders.act(pk, action, who, **data).status_code == 200, action
    rows = _changes(app)
    assert [r[2] for r in rows] == ["create", "dispatch"] + [s[0] for s in steps]
    assert all(r[1] == pk for r in rows)
    by_action = {r[2]: r for r in rows}
    assert by_action["close"][3:5] == ({"state": "followed_up"}, {"state": "closed"})
    # a reason no column keeps goes with its action's row; one a column keeps is not repeated
    assert by_action["supervise"][4] == {"reason": "请加快"}
    assert by_action["request_extension"][4] == {"extension_requested": 2,
                                                 "extension_reason": "材料未齐"}


@pytest.mark.parametrize(("lang", "department", "action"), [
    ("zh", "投资促进局", "派单"), ("ja", "投資促進局", "振り分け"),
])
def test_history_reads_names_shanghai_times_and_the_ticket(app, auth, orders, lang, department,
                                                           action):
    _clear(app)
    pk = orders.dispatched("IPB", received_at="2026-11-28T00:30")  # typed in Shanghai time
    with app.app_context():
        from app.registers.workorders.models import WorkOrder

        ticket = db.session.get(WorkOrder, pk).ticket
    text = _page_text(auth.client("auditor", lang=lang))
    assert f"{ticket} {action} " in text  # the record by its ticket, the action by its name
    assert f"→ {department}" in text  # the handling unit by its name
    assert "2026-11-28 00:30" in text and "2026-11-27T16:30" not in text
    assert "→ 2 " not in text and "None" not in text
    contact = {"zh": "联系邮箱", "ja": "連絡先メール"}[lang]
    assert contact not in text  # an empty field of a new order is not listed


def test_blanking_an_empty_field_is_no_change(app, client, auth, enterprises):
    pk = enterprises.create("IPB")  # contact_name is NULL
    _clear(app)
    headers = auth.token("ipb")
    assert client.put(f"/api/v1/enterprise/{pk}", headers=headers,
                      json={"contact_name": "", "address": ""}).status_code == 200
    assert _changes(app) == []
    client.put(f"/api/v1/enterprise/{pk}", headers=headers, json={"contact_name": "王经理"})
    # (a blank optional field is stored as no value at all)
    assert [(r[3], r[4]) for r in _changes(app)] == [({"contact_name": None},
                                                      {"contact_name": "王经理"})]


@pytest.mark.parametrize(("lang", "row"), [("zh", "企业 旧名企业 已删除"),
                                          ("ja", "企業 旧名企業株式会社 削除しました")])
def test_a_deleted_record_keeps_its_label_in_the_readers_language(app, client, auth, enterprises,
                                                                  lang, row):
    _clear(app)
    pk = enterprises.create("IPB", name_zh="旧名企业", name_ja="旧名企業株式会社")
    assert client.delete(f"/api/v1/enterprise/{pk}", headers=auth.token("ipb")).status_code == 200
    text = _page_text(auth.client("auditor", lang=lang))
    assert row in text  # register, record, action


def test_the_history_list_costs_the_same_queries_for_25_or_100_rows(app, auth):
    """Rows by many people of many departments: their names come with the page's query."""
    from app.core.models import Department, PuwanUser
    from tests.core.test_list_at_scale import page_queries

    _clear(app)
    with app.app_context():
        users = [u.id for u in db.session.query(PuwanUser)]
        departments = [d.id for d in db.session.query(Department)]
        db.session.add_all(RecordChange(
            table_name="work_order", record_id=n, record_label=f"PW-2026-{n:06d}",
            action="dispatch", department_id=departments[n % len(departments)],
            changed_by_fk=users[n % len(users)], before={"state": "received", "handling_department_id": None},
            after={"state": "dispatched", "handling_department_id": {
                "id": 3, "label": {"zh": "投资促进局", "ja": "投資促進局"}}})
            for n in range(1, 121))
        db.session.commit()
        db.session.remove()
    auditor = auth.client("auditor", lang="zh")
    counts = []
    for size in (25, 100):
        path = f"/history/list/?psize_RecordChangeView={size}"
        assert auditor.get(path).get_data(as_text=True).count("→ 投资促进局") == size
        counts.append(page_queries(app, auditor, path))
    assert counts[0] == counts[1] <= 6, counts
