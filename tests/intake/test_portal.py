"""The public portal: submit without logging in, follow by a private link, rate after resolution."""
import re

import pytest

from app.extensions import db
from app.registers.workorders.models import WorkOrder
from tests.conftest import csrf_token, make_app


def _form(client, **overrides):
    data = {"contact_name": "佐藤", "contact_phone": "0411-1234",
            "service_type": "trade", "subject": "展位补贴", "content": "如何申请展位补贴？",
            "csrf_token": csrf_token(client, "/portal/")}
    data.update(overrides)
    return data


def _count(app):
    with app.app_context():
        n = db.session.query(WorkOrder).count()
        db.session.remove()
        return n


def _submit(client, **overrides):
    resp = client.post("/portal/", data=_form(client, **overrides))
    assert resp.status_code == 201, resp.get_data(as_text=True)[:500]
    html = resp.get_data(as_text=True)
    ticket = re.search(r'id="ticket">([^<]+)<', html).group(1)
    link = re.search(r'id="tracking-link" href="([^"]+)"', html).group(1)
    return ticket, link.replace("http://localhost", "")


def test_anyone_can_submit_in_japanese_and_gets_a_ticket(app, client):
    client.get("/lang/ja")
    ticket, link = _submit(client)
    assert re.fullmatch(r"PW-\d{4}-\d{6}", ticket)
    html = client.get(link).get_data(as_text=True)
    assert ticket in html and "受付済み" in html  # state "received", in Japanese
    with app.app_context():
        order = db.session.query(WorkOrder).filter_by(ticket=ticket).one()
        assert (order.channel, order.department.code, order.language) == ("portal", "OFFICE", "ja")


def test_validation_errors_are_translated_and_create_nothing(app, client):
    client.get("/lang/zh")
    before = _count(app)
    resp = client.post("/portal/", data=_form(client, subject="", contact_email="not-an-email"))
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert "必填" in html or "此字段" in html or "不能为空" in html
    assert _count(app) == before


def test_submission_without_csrf_token_is_refused(app, client):
    before = _count(app)
    data = _form(client)
    data.pop("csrf_token")
    assert client.post("/portal/", data=data).status_code == 400
    assert _count(app) == before


def test_tracking_shows_department_and_expected_time(orders, client, app):
    ticket, link = _submit(client)
    with app.app_context():
        pk = db.session.query(WorkOrder).filter_by(ticket=ticket).one().id
    from tests.factories import department_id

    with app.app_context():
        edb = department_id("EDB")
    assert orders.act(pk, "dispatch", "office", department=edb).status_code == 200
    client.get("/lang/zh")
    html = client.get(link).get_data(as_text=True)
    assert "经济发展局" in html and "已派单" in html
    assert re.search(r'id="expected">\d{4}-\d{2}-\d{2} \d{2}:\d{2}<', html)


def test_unknown_tracking_token_is_404(client):
    assert client.get("/portal/track/not-a-real-token").status_code == 404


def test_requester_rates_after_resolution_only(orders, client, app):
    ticket, link = _submit(client)
    with app.app_context():
        pk = db.session.query(WorkOrder).filter_by(ticket=ticket).one().id
    rating = {"rating": "2", "attitude": "3", "quality": "2", "efficiency": "2",
              "comment": "太慢", "csrf_token": csrf_token(client, "/portal/")}
    assert client.post(link, data=rating).status_code == 409  # not resolved yet
    from tests.factories import department_id

    with app.app_context():
        ipb = department_id("IPB")
    orders.act(pk, "dispatch", "office", department=ipb)
    orders.act(pk, "accept", "ipb")
    orders.act(pk, "resolve", "ipb", reply="请见附件")
    assert client.post(link, data=rating).status_code == 302
    assert orders.state(pk) == "followed_up"
    assert orders.clock(pk, "rectification")["state"] == "running"  # a bad rating


def test_portal_submissions_are_rate_limited(app):
    limited = make_app(PORTAL_RATE_LIMIT="2 per minute")
    client = limited.test_client()
    codes = [client.post("/portal/", data=_form(client)).status_code for _ in range(3)]
    assert codes == [201, 201, 429]


@pytest.mark.parametrize("path", ["/portal/"])
def test_portal_needs_no_login(client, path):
    assert client.get(path).status_code == 200


def test_the_private_link_never_reaches_the_change_history(app, client):
    ticket, _link = _submit(client)
    with app.app_context():
        from app.core.models import RecordChange

        order = db.session.query(WorkOrder).filter_by(ticket=ticket).one()
        change = db.session.query(RecordChange).filter_by(table_name="work_order",
                                                          record_id=order.id).one()
        assert "tracking_hash" not in change.after and change.after["ticket"] == ticket


@pytest.mark.parametrize("lang", ["zh", "ja", "en"])
def test_requesters_language_is_the_language_of_the_page(app, client, lang):
    client.get(f"/lang/{lang}")
    assert 'name="language"' not in client.get("/portal/").get_data(as_text=True)  # not asked
    ticket, _link = _submit(client, language="zh")  # a stray field changes nothing
    with app.app_context():
        assert db.session.query(WorkOrder).filter_by(ticket=ticket).one().language == lang


def _resolved_through_the_portal(client, app, orders, wait_reason="内部：企业材料不齐"):
    ticket, link = _submit(client)
    from tests.factories import department_id

    with app.app_context():
        pk = db.session.query(WorkOrder).filter_by(ticket=ticket).one().id
        ipb = department_id("IPB")
    assert orders.act(pk, "dispatch", "office", department=ipb).status_code == 200
    for action, data in [("accept", {}), ("start", {}), ("wait", {"reason": wait_reason}),
                         ("resume", {})]:
        assert orders.act(pk, action, "ipb", **data).status_code == 200, action
    assert orders.act(pk, "supervise", "office", reason="督办：内部意见").status_code == 200
    assert orders.act(pk, "resolve", "ipb", reply="已答复").status_code == 200
    return pk, link


def test_tracking_page_shows_a_public_timeline_in_the_pages_language(client, app, orders):
    client.get("/lang/ja")
    pk, link = _resolved_through_the_portal(client, app, orders)
    html = client.get(link).get_data(as_text=True)
    assert re.search(r'id="department">投資促進局<', html)
    timeline = html.split('id="portal-timeline"')[1].split("</table>")[0]
    for step in ("ご依頼を受け付けました", "担当部門に振り分けました", "担当部門が受領しました",
                 "処理を開始しました", "お客様からの情報をお待ちしています", "回答して解決しました"):
        assert step in timeline, step
    with app.app_context():
        from app.core.timeutil import format_display

        order = db.session.get(WorkOrder, pk)
        received = format_display(order.events[0].at)  # Shanghai, to the minute
        handler = str(order.handler)
    assert received in timeline
    # Who did it and what staff wrote stay inside: no names, reasons or supervision notes.
    for internal in (handler, "内部：企业材料不齐", "督办：内部意见", "Open supervision"):
        assert internal not in html


def test_portal_rating_has_no_preselected_score(client, app, orders):
    client.get("/lang/ja")
    _pk, link = _resolved_through_the_portal(client, app, orders)
    html = client.get(link).get_data(as_text=True)
    form = html.split('id="rating-form"')[1].split("</form>")[0]
    for name in ("rating", "attitude", "quality", "efficiency"):
        select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', form, re.S)
        first, *_rest = re.findall(r"<option[^>]*>", select.group(1))
        assert 'value=""' in first, name
        assert "selected" not in select.group(1).replace(first, ""), name
    assert "— 選択してください —" in form


def test_portal_refuses_a_missing_rating_with_a_translated_message(client, app, orders):
    client.get("/lang/ja")
    pk, link = _resolved_through_the_portal(client, app, orders)
    resp = client.post(link, data={"rating": "", "attitude": "", "quality": "",
                                   "efficiency": "", "comment": "",
                                   "csrf_token": csrf_token(client, "/portal/")})
    assert resp.status_code == 422
    assert "評価を選択してください。" in resp.get_data(as_text=True)
    assert orders.state(pk) == "resolved"
    resp = client.post(link, data={"rating": "5", "attitude": "", "quality": "4",
                                   "efficiency": "", "csrf_token": csrf_token(client, "/portal/")})
    assert resp.status_code == 302 and orders.state(pk) == "followed_up"
    with app.app_context():
        order = db.session.get(WorkOrder, pk)
        assert (order.rating, order.rating_attitude, order.rating_quality) == (5, None, 4)


def test_tracking_page_of_an_order_not_yet_dispatched_says_it_waits_for_dispatch(client):
    client.get("/lang/ja")
    _ticket, link = _submit(client)
    assert re.search(r'id="department">振り分け待ち<', client.get(link).get_data(as_text=True))
