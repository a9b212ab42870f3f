"""The Japanese-language window imports enterprises in Japanese: from the list's Import button,
upload an Excel file, watch the check, read the preview, confirm, and find the records listed."""
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.core.transfer.conftest import xlsx_bytes
from tests.factories import valid_uscc

pytestmark = pytest.mark.browser


def test_the_japanese_window_imports_enterprises_in_japanese(page, live_server, enterprises,
                                                             tmp_path):
    known = valid_uscc()
    enterprises.create("AAB", uscc=known, name_zh="已有日资企业", japanese_funded=True)
    path = tmp_path / "企業一覧.xlsx"
    path.write_bytes(xlsx_bytes(
        ["統一社会信用コード", "名称（中国語）", "名称（日本語）", "業種", "段階", "日系企業"],
        [[valid_uscc(), "大连樱花精密", "大連さくら精密", "設備製造", "操業中", "はい"],
         [valid_uscc(), "大连富士物流", "大連富士物流", "物流・商業", "建設中", "はい"],
         [known, "已有日资企业", "既存の日系企業", "その他", "建設中", "はい"]]))
    log_in(page, live_server, "jawin", "ja")
    page.goto(f"{live_server}/enterprises/list/")
    page.click("#import-link")
    page.set_input_files("#import-file", str(path))
    page.click("#import-check")

    # the check runs in the background; the page follows it, then shows the preview
    expect(page.locator("#import-totals")).to_be_visible(timeout=20_000)
    expect(page.locator("#total-create")).to_have_text("新規: 2")
    expect(page.locator("#total-update")).to_have_text("変更: 1")
    changed = page.locator("tr.import-update")
    expect(changed).to_contain_text("名称（日本語）")
    expect(changed).to_contain_text("既存の日系企業")
    expect(page.locator("tr.import-create").first).to_contain_text("設備製造")

    page.click("#import-confirm")
    expect(page.locator("#import-done")).to_be_visible(timeout=20_000)
    expect(page.locator("#import-done")).to_contain_text("新規 2 件、変更 1 件")
    page.click("#import-to-list")
    expect(page.locator("body")).to_contain_text("大連さくら精密")  # (names in the reader's)
    expect(page.locator("body")).to_contain_text("大連富士物流")
    assert page.outside_requests == []
