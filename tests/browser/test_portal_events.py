"""The events portal in Chromium, in zh and ja, as an enterprise uses it: find the event on the
list, register with what the page fills in (one attendee), keep the private link, open it and
cancel; and, after an event it attended, give its feedback — nothing chosen for it."""
from __future__ import annotations

import pytest

from app.core import registry
from app.extensions import db
from app.intake import token_hash
from app.registers.registrations.models import Registration
from tests.browser.conftest import new_page
from tests.factories import Make, department_id, sample_record, valid_uscc

pytestmark = pytest.mark.browser
LOCALES = {"zh": "zh-CN", "ja": "ja-JP"}
TEXT = {
    "zh": {"events": "活动", "registered": "报名成功", "status": "已报名", "cancelled": "已取消",
           "cancel_done": "报名已取消", "thanks": "感谢您的评价。", "contact": "王经理"},
    "ja": {"events": "イベント", "registered": "お申し込みを受け付けました", "status": "申込済み",
           "cancelled": "取消済み", "cancel_done": "お申し込みをキャンセルしました",
           "thanks": "ご評価ありがとうございました。", "contact": "佐藤花子"},
}


def _event(app, **overrides) -> int:
    data = {"state": "open", "starts_at": Make.instant(days=14), "capacity": 40,
            "name_zh": "科创板上市辅导培训", "name_ja": "科創板上場支援研修",
            "venue_zh": "普湾新区管委会三楼会议室"}
    return sample_record(app, registry.get("event"), department="EDB", **{**data, **overrides})


def _registrations(app, event_id: int) -> list[tuple]:
    with app.app_context():
        rows = [(r.status, r.channel, r.attendees, r.contact_name, r.attitude, r.quality,
                 r.efficiency, r.feedback_comment)
                for r in db.session.query(Registration).filter_by(event_id=event_id)]
        db.session.remove()
        return rows


@pytest.fixture
def page_in(browser, live_server):
    pages = []

    def make(lang: str):
        page = new_page(browser, live_server, LOCALES[lang])
        pages.append(page)
        page.goto(f"{live_server}/lang/{lang}")
        return page

    yield make
    for page in pages:
        page.context.close()


@pytest.mark.parametrize("lang", ["zh", "ja"])
def test_enterprise_registers_from_the_list_and_cancels_by_its_link(
        page_in, live_server, app, enterprises, lang):
    text = TEXT[lang]
    pk = _event(app)
    uscc = valid_uscc()
    enterprises.create(uscc=uscc, name_zh="大连普湾精细化工有限公司")
    page = page_in(lang)
    page.goto(f"{live_server}/portal/")
    page.click(f"#portal-nav >> text={text['events']}")
    title = "科创板上市辅导培训" if lang == "zh" else "科創板上場支援研修"
    page.click(f"#portal-events [data-event='{pk}'] >> text={title}")
    assert page.input_value("#attendees") == "1"  # the page's own default, left as it is
    page.fill("#uscc", uscc)
    page.fill("#contact_name", text["contact"])
    page.fill("#contact_phone", "0411-8765-4321")
    page.click("#register-form button[type=submit]")
    assert page.inner_text("#registered-heading") == text["registered"]
    link = page.get_attribute("#registration-link", "href")
    assert _registrations(app, pk) == [("registered", "portal", 1, text["contact"],
                                        None, None, None, None)]

    page.goto(link)
    assert page.inner_text("#registration-status") == text["status"]
    assert page.inner_text("#registration-enterprise") == "大连普湾精细化工有限公司"
    page.click("#cancel-form button[type=submit]")
    page.wait_for_selector(f"text={text['cancel_done']}")
    assert page.inner_text("#registration-status") == text["cancelled"]
    assert _registrations(app, pk)[0][0] == "cancelled"
    assert page.outside_requests == []


@pytest.mark.parametrize("lang", ["zh", "ja"])
def test_enterprise_that_attended_gives_feedback_by_its_link(page_in, live_server, app,
                                                             enterprises, lang):
    token = f"feedback-in-the-browser-{lang}"
    pk = _event(app, state="held", starts_at=Make.instant(days=-1))
    with app.app_context():
        db.session.add(Registration(
            event_id=pk, enterprise_id=enterprises.create(), department_id=department_id("EDB"),
            attendees=1, contact_name="王经理", attendance="present", token_hash=token_hash(token)))
        db.session.commit()
        db.session.remove()
    page = page_in(lang)
    page.goto(f"{live_server}/portal/events/registration/{token}")
    assert page.locator("#cancel-form").count() == 0  # the event is over
    for name in ("attitude", "quality", "efficiency"):
        assert page.input_value(f"#feedback-form select[name={name}]") == "", name
    page.click("#feedback-form button[type=submit]")  # nothing chosen: the browser holds it back
    assert _registrations(app, pk)[0][4:] == (None, None, None, None)
    for name, score in (("attitude", "5"), ("quality", "4"), ("efficiency", "4")):
        page.select_option(f"#feedback-form select[name={name}]", value=score)
    page.fill("#feedback-form textarea[name=comment]", "讲解清楚，很有帮助。")
    page.click("#feedback-form button[type=submit]")
    page.wait_for_selector(f"text={TEXT[lang]['thanks']}")
    assert page.locator("#feedback-form").count() == 0
    assert _registrations(app, pk)[0][4:] == (5, 4, 4, "讲解清楚，很有帮助。")
    assert page.outside_requests == []
