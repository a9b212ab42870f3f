"""The hotline desk in Chromium, in zh and ja: the dispatcher types part of the caller's
enterprise name (another department's) into the search box, picks it, and saves the form."""
from pathlib import Path

import pytest

from app.extensions import db
from app.registers.workorders.models import WorkOrder
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).with_name("screenshots")

TEXT = {"zh": {"typed": "松木汽车", "shown": "大连松木汽车部品有限公司", "saved": "记录已添加"},
        "ja": {"typed": "自動車", "shown": "大連松木自動車部品有限会社", "saved": "レコードを追加しました"}}


@pytest.mark.parametrize("lang", ["zh", "ja"])
def test_dispatcher_finds_the_callers_enterprise_and_saves_the_hotline_form(
        page, live_server, app, enterprises, lang):
    text = TEXT[lang]
    pk = enterprises.create("EDB", name_zh="大连松木汽车部品有限公司",
                            name_ja="大連松木自動車部品有限会社", contact_phone="0411-87654321")
    uscc = enterprises.get(pk)["uscc"]
    log_in(page, live_server, "office", lang)
    page.goto(f"{live_server}/workorders/add")

    # as a person does: click the box, then just type (the search field must have the focus)
    page.click("#enterprise + .select2 .select2-selection")
    page.keyboard.type(text["typed"])
    option = page.locator(".select2-results__option", has_text=uscc)
    option.wait_for()
    assert text["shown"] in option.inner_text() and "经济发展局" in option.inner_text() \
        or "経済発展局" in option.inner_text()
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"hotline-enterprise-{lang}.png"), full_page=True)
    option.click()
    assert text["shown"] in page.inner_text("#enterprise + .select2")

    subject = f"来电咨询{lang}"
    page.fill("#subject", subject)
    page.fill("#content", "企业来电咨询补贴申报")
    page.select_option("#service_type", index=1)  # (starts on "— choose —": the clerk chooses)
    # (received at: the page's own default, Shanghai now, is kept as a clerk would keep it)
    with page.expect_navigation():
        page.locator("form:not(#logout-form) button[type=submit]").first.click()
    assert text["saved"] in page.inner_text("body")
    with app.app_context():
        order = db.session.query(WorkOrder).filter_by(subject=subject).one()
        assert order.enterprise_id == pk
        db.session.remove()
    assert page.outside_requests == []
