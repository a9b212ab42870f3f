"""The public portal in Japanese, in Chromium, as a requester fills it in: submit with what the
page offers, follow the private link, rate — nothing is chosen for them."""
import pytest

from app.extensions import db
from app.registers.workorders.models import WorkOrder
from tests.factories import department_id

pytestmark = pytest.mark.browser


def test_portal_in_japanese_from_request_to_rating(page, live_server, app, orders):
    page.goto(f"{live_server}/lang/ja")
    page.goto(f"{live_server}/portal/")
    assert page.locator("#portal-form select[name=language]").count() == 0
    page.fill("#contact_name", "佐藤花子")
    page.fill("#subject", "展示会出展補助について")
    page.fill("#content", "申請方法を教えてください。")
    page.click("#portal-form button[type=submit]")
    ticket = page.inner_text("#ticket")
    link = page.get_attribute("#tracking-link", "href")
    with app.app_context():
        order = db.session.query(WorkOrder).filter_by(ticket=ticket).one()
        pk, language = order.id, order.language
        ipb = department_id("IPB")
    assert language == "ja"

    assert orders.act(pk, "dispatch", "office", department=ipb).status_code == 200
    for action, data in [("accept", {}), ("resolve", {"reply": "補助金の要綱をお送りしました。"})]:
        assert orders.act(pk, action, "ipb", **data).status_code == 200
    page.goto(link)
    assert page.inner_text("#department") == "投資促進局"
    timeline = page.inner_text("#portal-timeline")
    assert "ご依頼を受け付けました" in timeline and "回答して解決しました" in timeline
    for name in ("rating", "attitude", "quality", "efficiency"):
        assert page.input_value(f"#rating-form select[name={name}]") == "", name

    page.click("#rating-form button[type=submit]")  # nothing chosen: the browser holds it back
    assert orders.state(pk) == "resolved"
    page.select_option("#rating-form select[name=rating]", label="満足")
    page.click("#rating-form button[type=submit]")
    page.wait_for_selector("text=ご評価ありがとうございました。")
    assert orders.state(pk) == "followed_up"
    assert page.outside_requests == []
