"""Event registrations in Chromium, in zh and ja, as the organising department's staff: register
enterprises from the event's page with the form's own values, fill the event so that the next
goes on the waiting list (and the page says so), take attendance in bulk after the event with one
enterprise excused (with its reason), and read the figures on the enterprise's page."""
from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.registers.registrations.models import Registration
from tests.browser.conftest import log_in, new_page
from tests.registers.registrations.conftest import Events

pytestmark = pytest.mark.browser
WAITING = {"zh": "的报名已列入候补名单", "ja": "キャンセル待ちになりました"}
LOCALES = {"zh": "zh-CN", "ja": "ja-JP"}


NO_MATCH = {"zh": "未找到匹配的结果", "ja": "該当するものがありません"}


@pytest.mark.parametrize("lang", ["zh", "ja"])
def test_staff_register_fill_the_event_and_take_attendance_in_bulk(
        app, browser, live_server, enterprises, lang):
    events = Events(app)
    event = events.create("IPB", state="open", capacity=3, name_zh="上市辅导培训",
                          name_ja="上場指導研修", starts_at=dt.datetime.now() + dt.timedelta(days=3))
    first = enterprises.create("IPB", name_zh="大连甲化工", name_ja="大連甲化学")
    second = enterprises.create("IPB", name_zh="大连乙电子", name_ja="大連乙電子")
    third = enterprises.create("IPB", name_zh="大连丙物流", name_ja="大連丙物流")
    page = new_page(browser, live_server, LOCALES[lang])
    try:
        log_in(page, live_server, "ipb", lang)
        title = {"zh": "上市辅导培训", "ja": "上場指導研修"}[lang]
        for enterprise, attendees in ((first, None), (second, "2"), (third, None)):
            page.goto(f"{live_server}/events/show/{event}")
            page.click("#registrations-add")
            # the event it came from is named (read-only); the enterprise is the clerk's choice
            expect(page.locator("table.puwan-fixed")).to_contain_text(title)
            expect(page.locator("select[name=enterprise]")).to_have_value("")
            if enterprise == first:  # (the select's search speaks the page's language too)
                page.click("#enterprise + .select2 .select2-selection")
                page.locator(".select2-container--open .select2-search__field").press_sequentially(
                    "没有这家企业xyz")
                expect(page.locator(".select2-results__message")).to_have_text(
                    NO_MATCH[lang])
                page.keyboard.press("Escape")
            page.locator("select[name=enterprise]").select_option(str(enterprise))
            if attendees:
                page.fill("input[name=attendees]", attendees)
            page.click("form#model_form button[type=submit], form#model_form input[type=submit]")
            page.wait_for_load_state()
            if enterprise != third:
                expect(page.locator(".alert-success").first).to_be_visible()
        # the third did not fit (1 + 2 of 3 places taken): said on the page — only that — and
        # waiting
        expect(page.locator(".alert-warning")).to_contain_text(WAITING[lang])
        expect(page.locator(".alert-success")).to_have_count(0)
        with app.app_context():
            statuses = dict(db.session.query(Registration.enterprise_id, Registration.status))
            db.session.remove()
        assert statuses == {first: "registered", second: "registered", third: "waitlisted"}

        # the event took place (the events' lifecycle is another package's): attendance now
        events.set(event, state="held", starts_at=dt.datetime.now() - dt.timedelta(hours=2))
        page.goto(f"{live_server}/events/show/{event}")
        rows = {pk: page.locator(f"#registrations-table tr[data-status] >> nth={n}")
                for n, pk in enumerate((first, second, third))}
        expect(rows[third].locator("input[type=checkbox]")).to_have_count(0)
        rows[first].locator("input[type=checkbox]").check()
        page.select_option("#bulk-attendance", "present")
        page.click("#bulk-apply")
        page.wait_for_load_state()
        expect(page.locator(".alert-success").first).to_be_visible()
        page.locator("#registrations-table tr[data-status] >> nth=1").locator(
            "input[type=checkbox]").check()
        page.select_option("#bulk-attendance", "excused")
        page.fill("#bulk-reason", "台风停工")
        page.click("#bulk-apply")
        page.wait_for_load_state()
        table = page.locator("#registrations-table")
        expect(table.locator("tr[data-attendance=present]")).to_have_count(1)
        expect(table.locator("tr[data-attendance=excused]")).to_contain_text("台风停工")

        page.goto(f"{live_server}/enterprises/show/{second}")
        year = page.locator("#attendance-figures tbody tr").first
        expect(year.locator(".excused")).to_have_text("1")
        expect(year.locator(".present")).to_have_text("0")
        assert page.outside_requests == []
    finally:
        page.context.close()
