"""The WeChat server-configuration callback, as WeChat's servers call it."""
import datetime as dt
import itertools
import time

import pytest

from app.core.timeutil import utcnow
from app.extensions import db
from app.intake.models import WechatNonce
from app.intake.wechat import signature_of
from app.registers.workorders.models import WorkOrder
from tests.conftest import make_app

TOKEN = "puwanfabu-test-token"
_nonces = itertools.count(int(time.time()))


@pytest.fixture(scope="module")
def wechat_app(app):
    return make_app(WECHAT_TOKEN=TOKEN)


@pytest.fixture(scope="module")
def other_worker(app):
    """A second worker on the same database, with a one-minute window."""
    return make_app(WECHAT_TOKEN=TOKEN, WECHAT_REPLAY_WINDOW=60)


def _signed(timestamp=None, nonce=None):
    """A query string as WeChat signs it: now, with a fresh nonce (unless told otherwise)."""
    timestamp = str(int(time.time())) if timestamp is None else str(timestamp)
    nonce = str(next(_nonces)) if nonce is None else nonce
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


# Computed when the test runs: a long run must not bring "400 s ahead" into the window.
BAD_TIMESTAMPS = {
    "1970": lambda now: "1", "400 s ago": lambda now: str(now - 400),
    "400 s ahead": lambda now: str(now + 400), "empty": lambda now: "",
    "negative": lambda now: "-5", "not a number": lambda now: f"{now}.0",
}


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("timestamp", BAD_TIMESTAMPS)
def test_signed_callback_with_a_timestamp_outside_the_window_is_403(wechat_app, method, timestamp):
    query = _signed(BAD_TIMESTAMPS[timestamp](int(time.time())))
    resp = wechat_app.test_client().open(f"/wechat/callback?{query}&echostr=echo9",
                                         method=method, data=_text("重放的消息", msg_id="2001"))
    assert resp.status_code == 403 and "echo9" not in resp.get_data(as_text=True)
    assert _orders(wechat_app) == []


@pytest.mark.parametrize("offset", [-290, 290])
def test_signed_callback_a_little_early_or_late_is_accepted(wechat_app, offset):
    resp = wechat_app.test_client().post(f"/wechat/callback?{_signed(int(time.time()) + offset)}",
                                         data=_text("时钟略有偏差的消息", msg_id="2002"))
    assert resp.status_code == 200 and len(_orders(wechat_app)) == 1


def test_window_is_configurable(other_worker):
    resp = other_worker.test_client().get(
        f"/wechat/callback?{_signed(int(time.time()) - 120)}&echostr=x")
    assert resp.status_code == 403


def test_replayed_verification_is_403(wechat_app):
    query = f"/wechat/callback?{_signed()}&echostr=hello123"
    client = wechat_app.test_client()
    assert client.get(query).status_code == 200
    resp = client.get(query)
    assert resp.status_code == 403 and "hello123" not in resp.get_data(as_text=True)


def test_replayed_signature_with_another_message_is_403_and_creates_nothing(wechat_app):
    # In plain-text mode the body is not signed: a captured query string could carry anything.
    query = f"/wechat/callback?{_signed()}"
    client = wechat_app.test_client()
    assert client.post(query, data=_text("第一条消息", msg_id="3001")).status_code == 200
    resp = client.post(query, data=_text("伪造的消息", msg_id="3002"))
    assert resp.status_code == 403
    assert [content for _channel, content, _ticket in _orders(wechat_app)] == ["第一条消息"]


def test_replay_on_another_worker_is_403(wechat_app, other_worker):
    query = f"/wechat/callback?{_signed()}"
    assert wechat_app.test_client().post(query, data=_text("消息", msg_id="4001")).status_code == 200
    resp = other_worker.test_client().post(query, data=_text("消息", msg_id="4002"))
    assert resp.status_code == 403 and len(_orders(wechat_app)) == 1


def test_nonces_are_forgotten_once_their_window_has_passed(wechat_app):
    with wechat_app.app_context():
        db.session.add(WechatNonce(nonce="5001", expires_at=utcnow() - dt.timedelta(seconds=1)))
        db.session.commit()
    resp = wechat_app.test_client().get(f"/wechat/callback?{_signed(nonce='5001')}&echostr=ok")
    assert resp.status_code == 200
    with wechat_app.app_context():
        rows = db.session.query(WechatNonce).filter(WechatNonce.expires_at < utcnow()).count()
        db.session.remove()
    assert rows == 0
