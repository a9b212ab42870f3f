"""The WeChat server-configuration callback, as WeChat's servers call it."""
import pytest

from app.extensions import db
from app.intake.wechat import signature_of
from app.registers.workorders.models import WorkOrder
from tests.conftest import make_app

TOKEN = "puwanfabu-test-token"


@pytest.fixture(scope="module")
def wechat_app(app):
    return make_app(WECHAT_TOKEN=TOKEN)


def _signed(timestamp="1790000000", nonce="42"):
    return f"timestamp={timestamp}&nonce={nonce}&signature={signature_of(TOKEN, timestamp, nonce)}"


def _text(content, msg_id="1001", msg_type="text"):
    return (f"<xml><ToUserName><![CDATA[gh_puwan]]></ToUserName>"
            f"<FromUserName><![CDATA[oUser123]]></FromUserName><CreateTime>1790000000</CreateTime>"
            f"<MsgType><![CDATA[{msg_type}]]></MsgType><Content><![CDATA[{content}]]></Content>"
            f"<MsgId>{msg_id}</MsgId></xml>").encode()


def _orders(app):
    with app.app_context():
        rows = [(o.channel, o.content, o.ticket) for o in db.session.query(WorkOrder)]
        db.session.remove()
        return rows


def test_server_verification_echoes_echostr(wechat_app):
    resp = wechat_app.test_client().get(f"/wechat/callback?{_signed()}&echostr=hello123")
    assert resp.status_code == 200 and resp.get_data(as_text=True) == "hello123"


def test_bad_signature_is_403(wechat_app):
    client = wechat_app.test_client()
    assert client.get("/wechat/callback?timestamp=1&nonce=2&signature=bad&echostr=x").status_code == 403
    resp = client.post("/wechat/callback?timestamp=1&nonce=2&signature=bad", data=_text("hi"))
    assert resp.status_code == 403 and _orders(wechat_app) == []


def test_text_message_creates_an_order_once_and_replies_with_its_ticket(wechat_app):
    client = wechat_app.test_client()
    first = client.post(f"/wechat/callback?{_signed()}", data=_text("厂区门口道路破损，请维修"))
    again = client.post(f"/wechat/callback?{_signed()}", data=_text("厂区门口道路破损，请维修"))
    orders = _orders(wechat_app)
    assert len(orders) == 1 and orders[0][0] == "wechat"
    ticket = orders[0][2]
    for resp in (first, again):
        body = resp.get_data(as_text=True)
        assert resp.status_code == 200 and ticket in body and "工单号" in body
        assert "<ToUserName><![CDATA[oUser123]]></ToUserName>" in body


def test_non_text_message_gets_a_polite_reply_and_no_order(wechat_app):
    resp = wechat_app.test_client().post(f"/wechat/callback?{_signed()}",
                                         data=_text("", msg_type="image"))
    assert resp.status_code == 200 and "文字" in resp.get_data(as_text=True)
    assert _orders(wechat_app) == []


def test_malformed_xml_is_400(wechat_app):
    resp = wechat_app.test_client().post(f"/wechat/callback?{_signed()}", data=b"<xml><oops")
    assert resp.status_code == 400


def test_callback_is_off_without_a_token(client):
    assert client.get("/wechat/callback?echostr=x").status_code == 404
