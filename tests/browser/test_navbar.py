"""The top bar fits on one row at 1280 px in every language, for the administrator, who sees
the most menus."""
import pytest

from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser

ROW = """() => {
  const items = [...document.querySelectorAll('.navbar .navbar-brand, .navbar-collapse > .navbar-nav > li')];
  return {height: document.querySelector('.navbar').offsetHeight, count: items.length,
          tops: [...new Set(items.map(e => Math.round(e.getBoundingClientRect().top)))]};
}"""


@pytest.mark.parametrize("lang", ["zh", "ja", "en"])
def test_navbar_fits_one_row_at_1280_px(page, live_server, lang):
    log_in(page, live_server, "admin", lang)
    page.goto(f"{live_server}/")
    row = page.evaluate(ROW)
    assert row["count"] >= 9  # the name, six menus, the language picker, the user
    assert len(row["tops"]) == 1 and row["height"] <= 60, row
