"""The dispatcher reads every department's enterprises but may change only the Office's: in
each language the list offers edit, delete and the mass-delete box on the Office's row alone,
and the mass delete it offers goes through."""
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser

TEXT = {"zh": {"actions": "操作", "delete": "删除", "yes": "是"},
        "ja": {"actions": "操作", "delete": "削除", "yes": "はい"}}


@pytest.mark.parametrize("lang", ["zh", "ja"])
def test_the_dispatcher_mass_deletes_the_offices_row_and_is_offered_nothing_on_others(
        page, live_server, enterprises, lang):
    own = enterprises.create("OFFICE", name_zh=f"办公室企业{lang}")
    theirs = enterprises.create("EDB", name_zh=f"经发局企业{lang}")
    log_in(page, live_server, "office", lang)
    page.goto(f"{live_server}/enterprises/list/")
    row = page.locator("tr", has_text=f"经发局企业{lang}")
    assert row.locator("input.action_check").count() == 0
    assert row.locator(f"a[href*='/enterprises/edit/{theirs}']").count() == 0
    assert row.locator(".confirm").count() == 0  # (the delete button)

    page.locator("tr", has_text=f"办公室企业{lang}").locator("input.action_check").check()
    page.click(f"button.dropdown-toggle:has-text('{TEXT[lang]['actions']}')")
    page.click(f"a.muldelete_menu_item:has-text('{TEXT[lang]['delete']}')")
    with page.expect_navigation(url="**/enterprises/list/**"):
        page.click(f"#modal-confirm-ok:has-text('{TEXT[lang]['yes']}')")
    # (the list after the redirect, read once it has loaded, not while it streams in: the
    # deletion's own message says the POST went through, not only the confirm dialog's "#")
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator("tr", has_text=f"经发局企业{lang}")).to_be_visible()
    assert enterprises.get(own) is None and enterprises.get(theirs) is not None
    assert page.outside_requests == []
