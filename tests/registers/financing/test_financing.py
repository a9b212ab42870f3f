"""Financing needs of bank–enterprise matchmaking (A5) through REST and pages, as the people who
record them: the event's lead department (IPB) writes, its co-operating department (EDB) reads,
another department (PCB) does not even see them; the follow-up clock of a signed intention."""
from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from app.clocks.models import Notice
from app.clocks.sweep import sweep
from app.core.models import RecordChange
from app.extensions import db
from app.registers.financing.models import FinancingNeed
from tests.core.transfer.conftest import confirm, upload, wait
from tests.registers.financing.helpers import clock, make_bank, make_event, stored, stranger

API = "/api/v1/financing_need/"


@pytest.fixture
def setup(app, enterprises):
    return {"event": make_event(app, "matchmaking"), "bank": make_bank(app, "大连银行测试"),
            "other_bank": make_bank(app, "建设银行测试"),
            "enterprise": enterprises.create("IPB")}


@pytest.fixture
def api(app, auth):
    tokens = {}

    def call(method, path, username="ipb", **kwargs):
        if username not in tokens:
            tokens[username] = auth.token(username)
        return getattr(app.test_client(), method)(path, headers=tokens[username], **kwargs)

    return call


def _need(api, setup, **overrides) -> int:
    payload = {"event": setup["event"], "enterprise": setup["enterprise"], "amount": 800,
               "purpose": "working_capital", "term_months": 24, "banks": [setup["bank"]],
               "intention": "拟申请流动资金贷款"}
    payload.update(overrides)
    resp = api("post", API, json=payload)
    assert resp.status_code == 201, resp.json
    return resp.json["id"]


def _act(api, pk, action, username="ipb", **data):
    return api("post", f"{API}{pk}/transition/{action}", username, json=data)


def test_a_need_belongs_to_its_events_lead_department_and_counts_in_its_month(app, api, setup):
    pk = _need(api, setup)
    need = stored(app, FinancingNeed, pk)
    with app.app_context():
        from tests.factories import department_id
        assert need["department_id"] == department_id("IPB")
    assert need["met_on"] == dt.date(2026, 11, 10) and need["state"] == "open"
    assert need["amount"] == Decimal("800.00")


def test_a_need_at_an_event_that_is_not_a_matchmaking_is_refused(app, api, setup):
    training = make_event(app, "training")
    resp = api("post", API, json={"event": training, "enterprise": setup["enterprise"],
                                  "amount": 100, "purpose": "equipment"})
    assert resp.status_code == 422 and "event" in resp.json["errors"]
    with app.app_context():
        assert db.session.query(FinancingNeed).count() == 0


def test_the_banks_met_must_be_banks(app, api, setup):
    college = make_bank(app, "大连职业技术学院测试", kind="vocational_college")
    resp = api("post", API, json={"event": setup["event"], "enterprise": setup["enterprise"],
                                  "amount": 100, "purpose": "equipment", "banks": [college]})
    assert resp.status_code == 422 and "banks" in resp.json["errors"]


def test_a_signed_intention_starts_the_follow_up_clock_and_the_loan_stops_it(app, api, setup):
    pk = _need(api, setup)
    assert clock(app, "financing_need", pk, "follow_up") is None
    resp = _act(api, pk, "sign_intention", intention="大连银行拟授信800万元")
    assert resp.status_code == 200, resp.json
    running = clock(app, "financing_need", pk, "follow_up")
    assert running["state"] == "running" and running["policy"] == "financing_follow_up"
    assert stored(app, FinancingNeed, pk)["state"] == "intention"
    today = dt.datetime.now(dt.UTC).date().isoformat()
    resp = _act(api, pk, "sign_loan", loan_amount="750.5", loan_signed_on=today,
                loan_bank=setup["bank"])
    assert resp.status_code == 200, resp.json
    need = stored(app, FinancingNeed, pk)
    assert need["state"] == "loan" and need["loan_amount"] == Decimal("750.50")
    assert need["loan_bank_id"] == setup["bank"]
    assert clock(app, "financing_need", pk, "follow_up")["state"] == "met"


def test_dropping_after_the_intention_stops_the_clock(app, api, setup):
    pk = _need(api, setup)
    _act(api, pk, "sign_intention", intention="意向")
    assert _act(api, pk, "drop", reason="企业另有融资渠道").status_code == 200
    need = stored(app, FinancingNeed, pk)
    assert need["state"] == "dropped" and need["drop_reason"] == "企业另有融资渠道"
    assert clock(app, "financing_need", pk, "follow_up")["stopped"]


def test_an_overdue_follow_up_becomes_a_notice_to_the_lead_department(app, api, setup):
    pk = _need(api, setup)
    _act(api, pk, "sign_intention", intention="意向")
    due = clock(app, "financing_need", pk, "follow_up")["due_at"]
    with app.app_context():
        sweep(db.session, (due + dt.timedelta(hours=1)).replace(tzinfo=dt.UTC))
        notices = db.session.query(Notice).filter_by(subject_type="financing_need",
                                                     subject_id=pk).all()
        assert {n.kind for n in notices} >= {"breached"}
        db.session.remove()


@pytest.mark.parametrize("action,data,status,field", [
    ("sign_loan", {"loan_amount": 10, "loan_signed_on": "2026-11-20", "loan_bank": 0}, 409, None),
    ("sign_intention", {}, 422, "intention"),
    ("drop", {}, 422, "reason"),
])
def test_a_refused_transition_changes_nothing(app, api, setup, action, data, status, field):
    pk = _need(api, setup)
    before = stored(app, FinancingNeed, pk)
    resp = _act(api, pk, action, **data)
    assert resp.status_code == status
    if field:
        assert field in resp.json["errors"]
    assert stored(app, FinancingNeed, pk) == before
    assert clock(app, "financing_need", pk, "follow_up") is None


@pytest.mark.parametrize("data,field", [
    ({"loan_amount": "很多"}, "loan_amount"),
    ({"loan_amount": "-5"}, "loan_amount"),
    ({"loan_signed_on": "2999-01-01"}, "loan_signed_on"),
    ({"loan_signed_on": "下周"}, "loan_signed_on"),
    ({"loan_bank": "college"}, "loan_bank"),
])
def test_a_loan_with_a_bad_value_is_refused_with_the_field_and_changes_nothing(
        app, api, setup, data, field):
    pk = _need(api, setup)
    _act(api, pk, "sign_intention", intention="意向")
    if data.get("loan_bank") == "college":
        data = {"loan_bank": make_bank(app, "某学院测试", kind="university")}
    before = stored(app, FinancingNeed, pk)
    payload = {"loan_amount": "100", "loan_signed_on": dt.date.today().isoformat(),
               "loan_bank": setup["bank"], **data}
    resp = _act(api, pk, "sign_loan", **payload)
    assert resp.status_code == 422 and field in resp.json["errors"], resp.json
    assert stored(app, FinancingNeed, pk) == before
    assert clock(app, "financing_need", pk, "follow_up")["state"] == "running"


def test_a_co_operating_department_reads_but_may_not_write(app, api, auth, setup):
    pk = _need(api, setup)
    before = stored(app, FinancingNeed, pk)
    assert api("get", f"{API}{pk}", "edb").status_code == 200
    assert api("put", f"{API}{pk}", "edb", json={"intention": "改"}).status_code == 403
    assert _act(api, pk, "sign_intention", "edb", intention="意向").status_code == 403
    page = auth.client("edb").get(f"/financing/show/{pk}")
    assert page.status_code == 200 and "action-sign_intention" not in page.get_data(as_text=True)
    assert stored(app, FinancingNeed, pk) == before


def test_another_department_does_not_see_a_need(app, api, auth, setup):
    pk = _need(api, setup)
    before = stored(app, FinancingNeed, pk)
    client, headers = stranger(app, auth)
    assert client.get(f"/financing/show/{pk}").status_code == 404
    assert str(pk) not in {str(r["id"]) for r in app.test_client().get(
        API, headers=headers).json["result"]}
    assert app.test_client().post(f"{API}{pk}/transition/sign_intention", headers=headers,
                                  json={"intention": "x"}).status_code == 404
    assert client.post(f"/financing/transition/{pk}/drop", data={"reason": "x"}).status_code \
        in (400, 404)  # (no CSRF token: refused before anything else)
    assert stored(app, FinancingNeed, pk) == before


def test_the_record_page_shows_the_follow_up_clock_once_the_intention_is_signed(
        app, api, auth, setup):
    pk = _need(api, setup)
    ipb = auth.client("ipb")
    assert "Financing follow-up" not in ipb.get(f"/financing/show/{pk}").get_data(as_text=True)
    _act(api, pk, "sign_intention", intention="意向")
    html = ipb.get(f"/financing/show/{pk}").get_data(as_text=True)
    assert "Financing follow-up" in html and "Record the loan signed" in html


def _chart(client, key):
    data = client.get("/financing/charts/data.json").json
    chart = next(c for c in data if c["key"] == key)
    return dict(zip(chart["labels"], chart["values"], strict=True))


def test_charts_count_needs_and_loans_as_the_list_isolates_them(app, api, auth, setup,
                                                                 enterprises):
    first = _need(api, setup)
    _need(api, setup, enterprise=enterprises.create("IPB"), amount=200, banks=[
        setup["bank"], setup["other_bank"]])
    _act(api, first, "sign_intention", intention="意向")
    today = dt.date.today()
    _act(api, first, "sign_loan", loan_amount="600", loan_signed_on=today.isoformat(),
         loan_bank=setup["bank"])
    # another department's own matchmaking, which EDB neither leads nor co-operates in
    elsewhere = make_event(app, "matchmaking", lead="PCB", co=())
    client, headers = stranger(app, auth)
    resp = app.test_client().post(API, headers=headers, json={
        "event": elsewhere, "enterprise": enterprises.create("PCB"), "amount": 5000,
        "purpose": "trade", "banks": [setup["bank"]]})
    assert resp.status_code == 201, resp.json
    for reader in ("ipb", "edb"):  # the lead and the co-operating department read the same
        charts = auth.client(reader)
        assert sum(_chart(charts, "needs_by_month").values()) == 2
        assert sum(_chart(charts, "need_amount_by_month").values()) == 1000
        assert sum(_chart(charts, "loan_amount_by_month").values()) == 600
        assert _chart(charts, "needs_by_bank") == {"大连银行测试": 2, "建设银行测试": 1}
        assert _chart(charts, "loans_by_bank") == {"大连银行测试": 1}
    outsider = _chart(client, "needs_by_bank")
    assert outsider == {"大连银行测试": 1}
    assert sum(_chart(client, "need_amount_by_month").values()) == 5000


def test_an_export_imported_again_changes_nothing_and_a_new_row_is_added(
        app, api, auth, setup, enterprises):
    pk = _need(api, setup)
    ipb = auth.client("ipb", lang="zh")
    exported = ipb.get("/financing/export/xlsx")
    assert exported.status_code == 200
    sheet = load_workbook(io.BytesIO(exported.get_data())).active
    rows = [list(r) for r in sheet.values]
    header = rows[0]
    # a row a person adds: the event by its title, the enterprise by its USCC
    with app.app_context():
        from app.registers.enterprises.models import Enterprise
        from app.registers.events.models import Event
        newcomer = enterprises.create("IPB")
        uscc = db.session.get(Enterprise, newcomer).uscc
        title = db.session.get(Event, setup["event"]).name_zh
        db.session.remove()
    added = [None] * len(header)
    assert rows[1][header.index("对接银行")] == "大连银行测试"  # (the banks met, by name)
    for label, value in (("银企对接活动", title), ("企业", uscc), ("融资需求（万元）", 300),
                         ("资金用途", "设备购置"), ("期限（月）", 36),
                         ("对接银行", "建设银行测试；大连银行测试")):
        added[header.index(label)] = value
    rows.append(added)
    book = __import__("openpyxl").Workbook()
    for r in rows:
        book.active.append(r)
    out = io.BytesIO()
    book.save(out)
    resp = upload(ipb, "/financing/import/", out.getvalue(), "needs.xlsx")
    assert resp.status_code == 302
    state = wait(ipb, resp.headers["Location"])
    assert state["counts"]["unchanged"] == 1 and state["counts"]["create"] == 1, state
    confirm(ipb, resp.headers["Location"])
    assert wait(ipb, resp.headers["Location"])["state"] == "done"
    with app.app_context():
        made = db.session.query(FinancingNeed).filter_by(enterprise_id=newcomer).one()
        assert made.amount == Decimal("300.00") and made.purpose == "equipment"
        assert made.event_id == setup["event"] and made.state == "open"
        assert {b.id for b in made.banks} == {setup["bank"], setup["other_bank"]}
        assert db.session.query(RecordChange).filter_by(table_name="financing_need",
                                                        record_id=pk).count() == 1
        db.session.remove()


@pytest.mark.parametrize(("cell", "reason"), [
    ("大连银行测试、金普人才测试", "只能选择银行"),         # an institution that is not a bank
    ("大连银行测试、不存在的银行", "未找到记录“不存在的银行”"),  # no such bank
])
def test_an_imported_row_naming_a_wrong_bank_is_refused_and_nothing_changes(
        app, api, auth, setup, cell, reason):
    pk = _need(api, setup)
    with app.app_context():
        from app.registers.institutions.models import Institution
        db.session.add(Institution(kind="talent_agency", name_zh="金普人才测试",
                                   name_ja="金普人材テスト", name_en="Jinpu Talent test"))
        db.session.commit()
        title = db.session.get(FinancingNeed, pk).event.name_zh
        uscc = db.session.get(FinancingNeed, pk).enterprise.uscc
        db.session.remove()
    from tests.core.transfer.conftest import xlsx_bytes
    ipb = auth.client("ipb", lang="zh")
    resp = upload(ipb, "/financing/import/", xlsx_bytes(
        ["银企对接活动", "企业", "对接银行"], [[title, uscc, cell]]), "banks.xlsx")
    state = wait(ipb, resp.headers["Location"])
    assert state["counts"].get("refused") == 1, state
    assert reason in ipb.get(resp.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        assert [b.id for b in db.session.get(FinancingNeed, pk).banks] == [setup["bank"]]
        db.session.remove()
