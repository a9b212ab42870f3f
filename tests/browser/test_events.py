"""Events in Chromium, in zh and ja, as EDB staff: plan a training through the add form with the
values the page itself fills in (the kind's lead and co-operating departments), open its
registration from the record page, find it on the month calendar, download its .ics; and cancel
another one with a reason."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from app.core.models import Department
from app.extensions import db
from app.registers.events.models import Event
from tests.browser.conftest import log_in, new_page
from tests.factories import department_id

pytestmark = pytest.mark.browser
LOCALES = {"zh": "zh-CN", "ja": "ja-JP"}
CANCELLED = {"zh": "已取消", "ja": "取消済み"}


def _start() -> dt.datetime:
    """09:30 Shanghai, twelve days from now."""
    return (dt.datetime.now(dt.UTC) + dt.timedelta(days=12, hours=8)).replace(
        hour=9, minute=30, second=0, microsecond=0, tzinfo=None)


@pytest.mark.parametrize("lang", ["zh", "ja"])
def test_edb_plans_opens_finds_and_downloads_a_training(app, browser, live_server, lang):
    page = new_page(browser, live_server, LOCALES[lang])
    try:
        log_in(page, live_server, "edb", lang)
        page.goto(f"{live_server}/events/add")
        with app.app_context():
            edb, ipb, fin = (department_id(c) for c in ("EDB", "IPB", "FIN"))
        # the page's own values: a training, led by EDB, no co-operating department ticked
        expect(page.locator("#kind")).to_have_value("training")
        expect(page.locator("#department")).to_have_value(str(edb))
        assert page.locator("#co_departments").evaluate(
            "s => Array.from(s.selectedOptions).map(o => o.value)") == []
        # a trade fair would bring its measure's co-operating departments (B4: IPB, FIN)
        page.select_option("#kind", "trade_fair")
        assert sorted(page.locator("#co_departments").evaluate(
            "s => Array.from(s.selectedOptions).map(o => o.value)")) == sorted([str(ipb), str(fin)])
        page.select_option("#kind", "training")
        title = f"研发费用加计扣除培训{lang}"
        start = _start()
        page.fill("#name_zh", title)
        page.fill("#starts_at", start.strftime("%Y-%m-%d %H:%M"))
        page.keyboard.press("Escape")
        page.locator("form:has(#name_zh) button[type=submit]").first.click()
        expect(page.locator(".alert-success")).to_have_count(1)
        with app.app_context():
            event = db.session.query(Event).filter_by(name_zh=title).one()
            pk = event.id
            assert (event.department_id, event.co_departments, event.state) == (edb, [], "planned")
            db.session.remove()

        page.goto(f"{live_server}/events/show/{pk}")
        page.locator("#action-open button[type=submit]").click()
        expect(page.locator(".alert-success")).to_have_count(1)
        with app.app_context():
            assert db.session.get(Event, pk).state == "open"
            db.session.remove()

        page.goto(f"{live_server}/events/calendar/?month={start:%Y-%m}")
        page.locator(f"a[href='/events/show/{pk}']").first.click()
        expect(page).to_have_url(re.compile(rf"/events/show/{pk}$"))

        with page.expect_download() as download:
            page.locator("#event-ics").click()
        body = Path(download.value.path()).read_text(encoding="utf-8")
        assert "BEGIN:VEVENT" in body and f"SUMMARY:{title}" in body
        shanghai = start - dt.timedelta(hours=8)
        assert f"DTSTART:{shanghai:%Y%m%dT%H%M%S}Z" in body
        assert page.outside_requests == []
    finally:
        page.context.close()


CANCEL_ACTION = {"zh": "取消活动", "ja": "イベントを中止する"}


@pytest.mark.parametrize("lang", ["zh", "ja"])
def test_edb_cancels_an_event_with_a_reason(app, browser, live_server, lang):
    with app.app_context():
        event = Event(kind="job_fair", name_zh=f"春季招聘会{lang}", starts_at=_start(),
                      state="open", department_id=department_id("EDB"))
        event.co_departments = db.session.query(Department).filter_by(code="FIN").all()
        db.session.add(event)
        db.session.commit()
        pk = event.id
        db.session.remove()
    page = new_page(browser, live_server, LOCALES[lang])
    try:
        log_in(page, live_server, "edb", lang)
        page.goto(f"{live_server}/events/show/{pk}")
        cancel = page.locator("#action-cancel")
        cancel.locator("button[type=submit]").click()     # no reason: the browser asks for one
        with app.app_context():
            assert db.session.get(Event, pk).state == "open"
            db.session.remove()
        cancel.locator("input[name=reason]").fill("场地检修，改期另行通知")
        asked = []  # (it cannot be undone: the page asks first, and the person confirms)
        page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
        cancel.locator("button[type=submit]").click()
        expect(page.locator(".alert-success")).to_have_count(1)
        assert len(asked) == 1 and CANCEL_ACTION[lang] in asked[0]
        expect(page.get_by_text("场地检修，改期另行通知").first).to_be_visible()
        expect(page.locator("body")).to_contain_text(CANCELLED[lang])  # its state, on the page
        expect(page.locator("#event-actions form")).to_have_count(0)    # nothing left to do
        with app.app_context():
            event = db.session.get(Event, pk)
            assert (event.state, event.cancel_reason) == ("cancelled", "场地检修，改期另行通知")
            db.session.remove()
    finally:
        page.context.close()
