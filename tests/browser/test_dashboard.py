"""The dashboard in Chromium with every outside request blocked: charts render, from our files."""
import pytest

from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser


def test_dashboard_renders_charts_offline(page, live_server, orders):
    orders.create(channel="email")
    orders.dispatched("IPB")
    log_in(page, live_server, "office", "zh")
    page.goto(f"{live_server}/workorders/dashboard/")
    page.wait_for_selector("#chart-channel canvas")
    assert page.get_attribute("#chart-channel", "data-rendered") == "2"
    assert page.locator(".echart canvas").count() == 12
    page.screenshot(path=str(__import__("pathlib").Path(__file__).with_name("screenshots")
                             / "dashboard-zh.png"), full_page=True)
    assert page.outside_requests == []
