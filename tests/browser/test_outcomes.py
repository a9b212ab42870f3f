"""Outcomes of events in Chromium, in zh and ja, as the lead department's staff does them: a
financing need recorded at a matchmaking with what the form fills in, its intention signed (the
follow-up clock appears on its page) and its loan recorded with the action form's own values; a
booth subsidy filed for a trade fair and approved, with the amount the page proposes, within
the enterprise's yearly cap."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.registers.financing.models import FinancingNeed
from app.registers.subsidies.models import BoothSubsidy
from tests.browser.conftest import log_in, new_page
from tests.registers.financing.helpers import clock, make_bank, make_event

pytestmark = pytest.mark.browser
LOCALES = {"zh": "zh-CN", "ja": "ja-JP"}
TEXT = {
    "zh": {"clock": "融资跟进", "loan": "已签贷款", "approved": "已批准"},
    "ja": {"clock": "融資のフォローアップ", "loan": "融資契約済み", "approved": "承認済み"},
}


def _submit(page, form) -> None:
    form.locator("button[type=submit]").first.click()
    page.wait_for_load_state()
    errors = page.locator(".alert-danger, .help-block").all_inner_texts()
    assert page.locator(".alert-success").count() == 1, errors


def _choose(form, name: str, value: int) -> None:
    form.locator(f"select[name={name}]").select_option(str(value))


def _only(app, model):
    with app.app_context():
        pk = db.session.query(model.id).one()[0]
        db.session.remove()
    return pk


@pytest.mark.parametrize("lang", ["zh", "ja"])
def test_a_financing_need_to_its_loan_and_a_booth_subsidy_approved(
        app, browser, live_server, enterprises, lang):
    matchmaking = make_event(app, "matchmaking", name=f"银企对接会{lang}")
    fair = make_event(app, "trade_fair", name=f"国际工业博览会{lang}")
    bank = make_bank(app, f"大连银行{lang}")
    enterprise = enterprises.create("IPB")
    page = new_page(browser, live_server, LOCALES[lang])
    page.set_default_timeout(8000)
    try:
        log_in(page, live_server, "ipb", lang)
        # the need, as the form fills it in: the staff chooses the event, the enterprise and the
        # bank met, and types the amount; purpose and the rest stay as the page has them
        page.goto(f"{live_server}/financing/add")
        form = page.locator("#model_form")
        _choose(form, "event", matchmaking)
        _choose(form, "enterprise", enterprise)
        form.locator("select[name=banks]").select_option(str(bank))
        form.locator("input[name=amount]").fill("800")
        purpose = form.locator("select[name=purpose]")
        if not purpose.input_value():  # (an empty choice: a person picks the first purpose)
            purpose.select_option(index=1)
        form.locator("[name=intention]").fill("拟申请流动资金贷款")
        _submit(page, form)
        need = _only(app, FinancingNeed)

        page.goto(f"{live_server}/financing/show/{need}")
        assert TEXT[lang]["clock"] not in page.content()
        _submit(page, page.locator("#action-sign_intention"))  # (the intention as recorded)
        expect(page.locator("body")).to_contain_text(TEXT[lang]["clock"])
        assert clock(app, "financing_need", need, "follow_up")["state"] == "running"
        _submit(page, page.locator("#action-sign_loan"))  # amount, today, the bank met
        expect(page.locator("body")).to_contain_text(TEXT[lang]["loan"])
        with app.app_context():
            stored = db.session.get(FinancingNeed, need)
            assert stored.state == "loan" and stored.loan_bank_id == bank
            assert float(stored.loan_amount) == 800
            db.session.remove()
        assert clock(app, "financing_need", need, "follow_up")["state"] == "met"

        # the booth subsidy: filed with the fee and the amount requested, approved as proposed
        page.goto(f"{live_server}/booth-subsidies/add")
        form = page.locator("#model_form")
        _choose(form, "event", fair)
        _choose(form, "enterprise", enterprise)
        form.locator("input[name=booth_fee]").fill("12")
        form.locator("input[name=requested_amount]").fill("6")
        _submit(page, form)
        subsidy = _only(app, BoothSubsidy)
        page.goto(f"{live_server}/booth-subsidies/show/{subsidy}")
        _submit(page, page.locator("#action-approve"))
        expect(page.locator("body")).to_contain_text(TEXT[lang]["approved"])
        with app.app_context():
            stored = db.session.get(BoothSubsidy, subsidy)
            assert stored.state == "approved" and float(stored.approved_amount) == 6
            db.session.remove()
        assert page.outside_requests == []
    finally:
        page.context.close()
