"""Booth subsidies of trade fairs (B4) as the lead department decides them: the decision clock,
the yearly cap per enterprise from the booth-subsidy rules, refusals that change nothing,
documents, isolation (co-operating reads, others see nothing), charts and imports."""
from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from app.core.models import RecordChange
from app.extensions import db
from app.registers.subsidies.models import BoothSubsidy, SubsidyRule
from tests.core.transfer.conftest import confirm, upload, wait
from tests.registers.financing.helpers import clock, make_event, stored, stranger

API = "/api/v1/booth_subsidy/"


@pytest.fixture
def api(app, auth):
    tokens = {}

    def call(method, path, username="ipb", **kwargs):
        if username not in tokens:
            tokens[username] = auth.token(username)
        return getattr(app.test_client(), method)(path, headers=tokens[username], **kwargs)

    return call


@pytest.fixture
def fair(app):
    return make_event(app, "trade_fair", name="大连国际工业博览会测试")  # (in 2026)


def _apply(api, fair, enterprise, **overrides) -> int:
    payload = {"event": fair, "enterprise": enterprise, "booth_area": 18, "booth_fee": 12,
               "requested_amount": 6}
    payload.update(overrides)
    resp = api("post", API, json=payload)
    assert resp.status_code == 201, resp.json
    return resp.json["id"]


def _act(api, pk, action, username="ipb", **data):
    return api("post", f"{API}{pk}/transition/{action}", username, json=data)


def test_the_yearly_rules_are_seeded(app):
    with app.app_context():
        rule = db.session.query(SubsidyRule).filter_by(year=2026).one()
        assert rule.cap == Decimal("10.00") and rule.fee_rate == 50
        db.session.remove()


def test_submitting_starts_the_decision_clock_and_approving_stops_it(app, api, fair,
                                                                      enterprises):
    pk = _apply(api, fair, enterprises.create("IPB"))
    running = clock(app, "booth_subsidy", pk, "decision")
    assert running["state"] == "running" and running["policy"] == "booth_subsidy_decision"
    assert _act(api, pk, "approve", approved_amount="5.5").status_code == 200
    subsidy = stored(app, BoothSubsidy, pk)
    assert subsidy["state"] == "approved" and subsidy["approved_amount"] == Decimal("5.50")
    assert subsidy["fair_year"] == 2026 and subsidy["decided_at"] is not None
    assert clock(app, "booth_subsidy", pk, "decision")["state"] == "met"


def test_an_approval_beyond_the_yearly_cap_is_refused_with_what_remains(app, api, fair,
                                                                         enterprises):
    enterprise = enterprises.create("IPB")
    other_fair = make_event(app, "trade_fair", name="东京国际食品展测试")
    first = _apply(api, fair, enterprise, booth_fee=20, requested_amount=8)
    assert _act(api, first, "approve", approved_amount="7").status_code == 200
    second = _apply(api, other_fair, enterprise, booth_fee=20, requested_amount=8)
    before = stored(app, BoothSubsidy, second)
    resp = _act(api, second, "approve", approved_amount="4")
    assert resp.status_code == 422
    message = " ".join(resp.json["errors"]["approved_amount"])
    assert "3.00" in message and "10.00" in message, message  # (10 − 7 remains: 3)
    assert stored(app, BoothSubsidy, second) == before
    assert clock(app, "booth_subsidy", second, "decision")["state"] == "running"
    assert _act(api, second, "approve", approved_amount="3").status_code == 200


def test_the_approve_form_starts_on_the_most_the_rules_allow_and_that_amount_is_accepted(
        app, api, auth, fair, enterprises):
    """8 asked on a fee of 10: the year's rule covers 50 % of the fee, so 5.00 is offered —
    not the 8 asked, which the approval would refuse."""
    import re

    from tests.conftest import csrf_token
    pk = _apply(api, fair, enterprises.create("IPB"), booth_fee=10, requested_amount=8)
    ipb = auth.client("ipb", lang="ja")
    html = ipb.get(f"/booth-subsidies/show/{pk}").get_data(as_text=True)
    form = html.split('id="action-approve"')[1].split("</form>")[0]
    offered = re.search(r'name="approved_amount"[^>]*value="([^"]*)"', form).group(1)
    assert offered == "5.00"
    resp = ipb.post(f"/booth-subsidies/transition/{pk}/approve", data={
        "csrf_token": csrf_token(ipb, f"/booth-subsidies/show/{pk}"), "approved_amount": offered})
    assert resp.status_code == 302
    with app.app_context():
        assert str(db.session.get(BoothSubsidy, pk).approved_amount) == "5.00"
        db.session.remove()


def test_the_refusal_is_translated_for_the_reader(app, api, auth, fair, enterprises):
    pk = _apply(api, fair, enterprises.create("IPB"), booth_fee=40, requested_amount=20)
    ipb = auth.client("ipb", lang="zh")
    from tests.conftest import csrf_token, refused_on_page
    token = csrf_token(ipb, f"/booth-subsidies/show/{pk}")
    resp = ipb.post(f"/booth-subsidies/transition/{pk}/approve",
                    data={"csrf_token": token, "approved_amount": "12"})
    page = refused_on_page(ipb, resp, f"/booth-subsidies/show/{pk}")
    assert "年度补贴上限 10.00 万元：剩余额度为 10.00 万元" in page


@pytest.mark.parametrize("overrides,amount,field_text", [
    ({"requested_amount": 4}, "5", "4.00"),        # more than requested
    ({"booth_fee": 6, "requested_amount": 6}, "3.5", "50"),  # more than half the fee
])
def test_an_approval_beyond_the_request_or_the_fee_share_changes_nothing(
        app, api, fair, enterprises, overrides, amount, field_text):
    pk = _apply(api, fair, enterprises.create("IPB"), **overrides)
    before = stored(app, BoothSubsidy, pk)
    resp = _act(api, pk, "approve", approved_amount=amount)
    assert resp.status_code == 422 and field_text in resp.json["errors"]["approved_amount"][0]
    assert stored(app, BoothSubsidy, pk) == before


def test_a_year_without_a_rule_cannot_be_approved(app, api, enterprises):
    fair_2031 = make_event(app, "trade_fair", starts_at=dt.datetime(2031, 5, 1, 2))
    pk = _apply(api, fair_2031, enterprises.create("IPB"))
    resp = _act(api, pk, "approve", approved_amount="1")
    assert resp.status_code == 422 and "2031" in resp.json["errors"]["approved_amount"][0]


def test_refusing_needs_a_reason_and_a_decided_application_is_not_decided_again(
        app, api, fair, enterprises):
    pk = _apply(api, fair, enterprises.create("IPB"))
    assert _act(api, pk, "refuse").status_code == 422
    assert _act(api, pk, "refuse", reason="材料不全").status_code == 200
    before = stored(app, BoothSubsidy, pk)
    assert before["state"] == "refused" and before["refusal_reason"] == "材料不全"
    assert _act(api, pk, "approve", approved_amount="1").status_code == 409
    assert stored(app, BoothSubsidy, pk) == before
    assert clock(app, "booth_subsidy", pk, "decision")["stopped"]


def test_a_request_above_the_booth_fee_or_at_another_kind_of_event_is_refused(
        app, api, fair, enterprises):
    enterprise = enterprises.create("IPB")
    resp = api("post", API, json={"event": fair, "enterprise": enterprise, "booth_fee": 2,
                                  "requested_amount": 3})
    assert resp.status_code == 422 and "requested_amount" in resp.json["errors"]
    job_fair = make_event(app, "job_fair")
    resp = api("post", API, json={"event": job_fair, "enterprise": enterprise,
                                  "requested_amount": 1})
    assert resp.status_code == 422 and "event" in resp.json["errors"]
    with app.app_context():
        assert db.session.query(BoothSubsidy).count() == 0


def test_the_co_operating_department_reads_but_neither_decides_nor_attaches(
        app, api, auth, fair, enterprises):
    pk = _apply(api, fair, enterprises.create("IPB"))
    before = stored(app, BoothSubsidy, pk)
    assert api("get", f"{API}{pk}", "edb").status_code == 200
    assert _act(api, pk, "approve", "edb", approved_amount="1").status_code == 403
    edb = auth.client("edb")
    html = edb.get(f"/booth-subsidies/show/{pk}").get_data(as_text=True)
    assert "upload-form" not in html and "action-approve" not in html
    assert stored(app, BoothSubsidy, pk) == before


def test_the_lead_department_attaches_documents(app, api, auth, fair, enterprises):
    pk = _apply(api, fair, enterprises.create("IPB"))
    ipb = auth.client("ipb")
    from tests.conftest import csrf_token
    token = csrf_token(ipb, f"/booth-subsidies/show/{pk}")
    resp = ipb.post(f"/booth-subsidies/upload/{pk}", data={
        "csrf_token": token, "file": (io.BytesIO(b"%PDF-1.4 invoice"), "展位费发票.pdf")},
        content_type="multipart/form-data")
    assert resp.status_code == 302
    assert "展位费发票.pdf" in ipb.get(f"/booth-subsidies/show/{pk}").get_data(as_text=True)


def test_another_department_sees_nothing(app, api, auth, fair, enterprises):
    pk = _apply(api, fair, enterprises.create("IPB"))
    before = stored(app, BoothSubsidy, pk)
    client, headers = stranger(app, auth)
    assert client.get(f"/booth-subsidies/show/{pk}").status_code == 404
    assert app.test_client().post(f"{API}{pk}/transition/approve", headers=headers,
                                  json={"approved_amount": "1"}).status_code == 404
    data = client.get("/booth-subsidies/charts/data.json").json
    assert all(sum(c["values"]) == 0 for c in data)
    assert stored(app, BoothSubsidy, pk) == before


def test_charts_compare_requested_and_approved_by_fair(app, api, auth, fair, enterprises):
    first = _apply(api, fair, enterprises.create("IPB"), requested_amount=6)
    _apply(api, fair, enterprises.create("IPB"), requested_amount=4, booth_fee=8)
    _act(api, first, "approve", approved_amount="5")
    for reader in ("ipb", "edb"):
        data = {c["key"]: dict(zip(c["labels"], c["values"], strict=True))
                for c in auth.client(reader).get("/booth-subsidies/charts/data.json").json}
        assert data["requested_by_fair"] == {"大连国际工业博览会测试": 10.0}
        assert data["approved_by_fair"] == {"大连国际工业博览会测试": 5.0}
        assert sum(data["requested_by_month"].values()) == 10.0


def test_an_export_imported_again_changes_nothing_and_a_new_row_is_added(
        app, api, auth, fair, enterprises):
    pk = _apply(api, fair, enterprises.create("IPB"))
    ipb = auth.client("ipb", lang="ja")
    rows = [list(r) for r in load_workbook(io.BytesIO(
        ipb.get("/booth-subsidies/export/xlsx").get_data())).active.values]
    header = rows[0]
    with app.app_context():
        from app.registers.enterprises.models import Enterprise
        newcomer = enterprises.create("IPB")
        uscc = db.session.get(Enterprise, newcomer).uscc
        db.session.remove()
    added = [None] * len(header)
    for label, value in (("展示会", "大连国际工业博览会测试"), ("出展企業", uscc),
                         ("ブース出展料（万元）", 10), ("補助金申請額（万元）", 5)):
        added[header.index(label)] = value
    book = Workbook()
    for r in [*rows, added]:
        book.active.append(r)
    out = io.BytesIO()
    book.save(out)
    resp = upload(ipb, "/booth-subsidies/import/", out.getvalue(), "subsidies.xlsx")
    state = wait(ipb, resp.headers["Location"])
    assert state["counts"]["unchanged"] == 1 and state["counts"]["create"] == 1, state
    confirm(ipb, resp.headers["Location"])
    assert wait(ipb, resp.headers["Location"])["state"] == "done"
    with app.app_context():
        made = db.session.query(BoothSubsidy).filter_by(enterprise_id=newcomer).one()
        assert made.requested_amount == Decimal("5.00") and made.state == "submitted"
        made_id = made.id
        assert db.session.query(RecordChange).filter_by(table_name="booth_subsidy",
                                                        record_id=pk).count() == 1
        db.session.remove()
    assert clock(app, "booth_subsidy", made_id, "decision")["state"] == "running"
