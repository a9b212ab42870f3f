"""The Events add form in Chromium, in zh and ja, as IPB's staff fill it in: a field of some
kinds shows only while one of its kinds is chosen (a training's topic, a trade fair's
international or domestic), and the form saves with the page's own values."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.registers.events.models import Event
from tests.browser.conftest import log_in, new_page

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang,locale", [("zh", "zh-CN"), ("ja", "ja-JP")])
def test_the_events_form_shows_the_fields_of_the_chosen_kind_and_saves(
        app, browser, live_server, lang, locale):
    page = new_page(browser, live_server, locale)
    page.set_default_timeout(5000)
    try:
        log_in(page, live_server, "ipb", lang)
        page.goto(f"{live_server}/events/add")
        form = page.locator("#model_form")
        topic, scope = form.locator("[name=topic]"), form.locator("[name=fair_scope]")
        topic_row = form.locator("tr:has([name=topic])")
        scope_row = form.locator("tr:has([name=fair_scope])")
        # the page's own kind (training, the first): its topic, not a fair's scope
        expect(topic_row).to_be_visible()
        expect(scope_row).to_be_hidden()
        form.locator("[name=kind]").select_option(label={"zh": "展会", "ja": "展示会"}[lang])
        expect(scope_row).to_be_visible()
        expect(topic_row).to_be_hidden()
        assert topic.is_disabled() and not scope.is_disabled()
        title = f"国际展会{lang}"
        form.locator("[name=name_zh]").press_sequentially(title)
        form.locator("[name=starts_at]").press_sequentially("2026-12-10 09:30")
        form.locator("button[type=submit]").first.click()
        page.wait_for_load_state()
        assert page.locator(".alert-success").count() == 1, page.locator(
            ".alert-danger, .help-block").all_inner_texts()
        assert page.outside_requests == []
    finally:
        page.context.close()
    with app.app_context():
        event = db.session.query(Event).filter_by(name_zh=title).one()
        # the scope as the page left it (not chosen), no topic of a training
        assert (event.kind, event.fair_scope, event.topic) == ("trade_fair", None, None)
        db.session.remove()
