"""In each language: log in, open the enterprise list from the menu, add an enterprise through
the form, see it listed. Screenshots go to tests/browser/screenshots/."""
from pathlib import Path

import pytest

from tests.browser.conftest import log_in
from tests.factories import valid_uscc

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).with_name("screenshots")

TEXT = {
    "zh": {"menu": "台账", "list": "企业", "saved": "记录已添加", "industry": "汽车及零部件"},
    "ja": {"menu": "台帳", "list": "企業", "saved": "レコードを追加しました", "industry": "自動車・部品"},
    "en": {"menu": "Registers", "list": "Enterprises", "saved": "Added Row",
           "industry": "Automotive and parts"},
}


@pytest.mark.parametrize("lang", ["zh", "ja", "en"])
def test_add_enterprise_through_the_browser(page, live_server, lang):
    text = TEXT[lang]
    log_in(page, live_server, "ipb", lang)

    page.click(f"a.dropdown-toggle:has-text('{text['menu']}')")
    page.click(f"ul.dropdown-menu a:has-text('{text['list']}')")
    page.wait_for_url("**/enterprises/list/**")

    page.goto(f"{live_server}/enterprises/add")
    name = f"浏览器企业{lang}"
    page.fill("#uscc", valid_uscc())
    page.fill("#name_zh", name)
    page.select_option("#industry", "automotive")
    page.select_option("#stage", "producing")
    page.check("#japanese_funded")
    page.locator("form:not(#logout-form) button[type=submit]").first.click()
    page.wait_for_url("**/enterprises/list/**")

    body = page.inner_text("body")
    assert name in body
    assert text["industry"] in body
    assert text["saved"] in body
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"enterprises-{lang}.png"), full_page=True)
    assert page.outside_requests == []
