"""The Japanese window in Chromium, in ja and zh, as its staff work: open the window's page from
the menu, log a service for an enterprise from its block (the form's own values: the enterprise
named, Japanese preselected, now as the time), tick "open a work order" for the follow-up, and
find the new order under the enterprise on the window's page."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.registers.window.models import WindowService
from tests.browser.conftest import log_in, new_page

pytestmark = pytest.mark.browser
LOCALES = {"zh": "zh-CN", "ja": "ja-JP"}
PAGE_TITLE = {"zh": "日语服务窗口", "ja": "日本語窓口"}
MARK = {"zh": "中文", "ja": "中国語"}


@pytest.mark.parametrize("lang", ["ja", "zh"])
def test_window_staff_log_a_service_with_a_work_order_from_the_window_page(
        app, browser, live_server, enterprises, lang):
    named = enterprises.create("EDB", name_zh="大连山田精密机械有限公司",
                               name_ja="大連山田精密機械有限公司", japanese_funded=True)
    unnamed = enterprises.create("EDB", name_zh="大连青木塑料制品有限公司", japanese_funded=True)
    page = new_page(browser, live_server, LOCALES[lang])
    try:
        log_in(page, live_server, "jawin", lang)
        page.goto(f"{live_server}/window/")
        expect(page.locator("h2")).to_contain_text(PAGE_TITLE[lang])
        block = page.locator(f"#enterprise-{named}")
        expect(block).to_contain_text("大連山田精密機械有限公司")
        other = page.locator(f"#enterprise-{unnamed}")
        expect(other).to_contain_text("大连青木塑料制品有限公司")
        expect(other.locator(".zh-fallback")).to_have_text(MARK[lang])

        block.locator("a.log-service").click()
        page.wait_for_load_state()
        form = page.locator("#model_form")
        # (the form names it in the reader's language; the window's page always in Japanese)
        expect(page.locator("table.puwan-fixed")).to_contain_text(
            {"ja": "大連山田精密機械有限公司", "zh": "大连山田精密机械有限公司"}[lang])
        expect(form.locator("select[name=language]")).to_have_value("ja")
        expect(form.locator("input[name=served_at]")).not_to_have_value("")
        form.locator("select[name=matter]").select_option("translation")
        form.locator("input[name=duration_minutes]").fill("45")
        form.locator("textarea[name=result]").fill("行政審批局との打合せで通訳した")
        form.locator("textarea[name=follow_up]").fill("消防設計審査の日程を確認すること")
        form.locator("input[name=open_work_order]").check()
        page.click("form#model_form button[type=submit], form#model_form input[type=submit]")
        page.wait_for_load_state()
        expect(page.locator(".alert-success").first).to_be_visible()
        with app.app_context():
            service = db.session.query(WindowService).one()
            ticket = service.work_order.ticket
            db.session.remove()

        page.goto(f"{live_server}/window/")
        expect(page.locator(f"#enterprise-{named} table.orders")).to_contain_text(ticket)
        expect(page.locator(f"#enterprise-{named} table.orders")).to_contain_text(
            "消防設計審査の日程を確認すること")
        assert page.outside_requests == []
    finally:
        page.context.close()
