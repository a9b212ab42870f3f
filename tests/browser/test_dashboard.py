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


FILTER_TEXT = {"zh": {"channel": "电子邮件", "apply": "应用筛选", "reset": "重置筛选"},
               "ja": {"channel": "電子メール", "apply": "絞り込む", "reset": "絞り込みを解除"}}


@pytest.mark.parametrize("lang", ["zh", "ja"])
def test_dashboard_filter_bar_as_a_person_uses_it(page, live_server, orders, lang):
    text = FILTER_TEXT[lang]
    orders.create(channel="email")
    orders.dispatched("IPB", channel="hotline")
    log_in(page, live_server, "office", lang)
    page.goto(f"{live_server}/workorders/dashboard/")
    page.wait_for_selector("#chart-channel canvas")
    assert page.get_attribute("#chart-channel", "data-rendered") == "2"
    page.click("#filter-received_at-gt")  # the period's days: the forms' picker, in the page's language
    assert page.locator(".flatpickr-calendar.open .flatpickr-weekday").first.inner_text().strip() \
        == {"zh": "周一", "ja": "月"}[lang]
    page.keyboard.press("Escape")
    page.select_option("#filter-channel-eq", label=text["channel"])
    page.click(f"#chart-filters button:has-text('{text['apply']}')")
    page.wait_for_selector("#active-filters")
    page.wait_for_selector("#chart-channel[data-rendered]")
    assert page.url.count("_flt_") == 1  # the controls left empty are no filter
    assert page.get_attribute("#chart-channel", "data-rendered") == "1"
    assert page.input_value("#filter-channel-eq") == "email"
    assert text["channel"] in page.inner_text("#active-filters")
    page.click(f"#reset-filters:has-text('{text['reset']}')")
    page.wait_for_url(f"{live_server}/workorders/dashboard/")
    page.wait_for_selector("#chart-channel[data-rendered]")
    assert "_flt_" not in page.url and page.input_value("#filter-channel-eq") == ""
    assert page.get_attribute("#chart-channel", "data-rendered") == "2"
    assert page.outside_requests == []


TICKS = """key => echarts.getInstanceByDom(document.getElementById('chart-' + key))
    .getModel().getComponent('yAxis', 0).axis.scale.getTicks().map(t => t.value)"""


def test_count_charts_have_whole_number_ticks(page, live_server, orders):
    orders.create(channel="email")  # one order: a count axis must not read 0.2, 0.4 …
    log_in(page, live_server, "office", "en")
    page.goto(f"{live_server}/workorders/dashboard/")
    page.wait_for_selector("#chart-month canvas")
    for key in ("channel", "service_type", "month"):
        ticks = page.evaluate(TICKS, key)
        assert ticks and all(float(t).is_integer() for t in ticks), (key, ticks)
