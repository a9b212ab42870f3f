"""The WeChat official account 普湾发布: the server-configuration callback.

GET  verifies the signature (sha1 of the sorted token, timestamp and nonce) and echoes echostr.
POST receives a message (plain-text mode XML): a text message becomes a work order (once per
MsgId) and the reply carries its ticket number.

Both answer 403, and do nothing, to a bad signature, to a timestamp more than
``WECHAT_REPLAY_WINDOW`` seconds away from now, and to a nonce already accepted within that
window (kept in the database, so a replay is refused on every worker).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import time
from xml.sax.saxutils import escape

from defusedxml import ElementTree
from flask import Blueprint, Response, abort, current_app, request
from flask_babel import force_locale, gettext
from sqlalchemy.exc import IntegrityError

from app.core.timeutil import UTC, utcnow
from app.extensions import csrf, db
from app.intake import create_public_order
from app.intake.models import WechatNonce

wechat = Blueprint("wechat", __name__, url_prefix="/wechat")
csrf.exempt(wechat)  # signed by WeChat, not by a browser session

MAX_BODY = 64 * 1024


def signature_of(token: str, timestamp: str, nonce: str) -> str:
    return hashlib.sha1("".join(sorted([token, timestamp, nonce])).encode()).hexdigest()


def _verified(token: str) -> bool:
    """Signed by WeChat, recent, and not seen before (the nonce is claimed in this transaction)."""
    args = request.args
    timestamp, nonce = args.get("timestamp", ""), args.get("nonce", "")
    if not hmac.compare_digest(signature_of(token, timestamp, nonce), args.get("signature", "")):
        return False
    window = current_app.config["WECHAT_REPLAY_WINDOW"]
    if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > window:
        return False
    expires_at = dt.datetime.fromtimestamp(int(timestamp) + window, UTC).replace(tzinfo=None)
    return _claim_nonce(nonce, expires_at)


def _claim_nonce(nonce: str, expires_at: dt.datetime) -> bool:
    if not nonce or len(nonce) > WechatNonce.nonce.type.length:
        return False
    db.session.query(WechatNonce).filter(WechatNonce.expires_at < utcnow()).delete(
        synchronize_session=False)
    db.session.add(WechatNonce(nonce=nonce, expires_at=expires_at))
    try:
        # The unique key decides between workers (a concurrent twin waits for this commit).
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        return False
    return True


def _reply(to_user: str, from_user: str, text: str) -> Response:
    body = (
        f"<xml><ToUserName><![CDATA[{to_user}]]></ToUserName>"
        f"<FromUserName><![CDATA[{from_user}]]></FromUserName>"
        f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
        f"<Content>{escape(text)}</Content></xml>"
    )
    return Response(body, mimetype="application/xml")


@wechat.route("/callback", methods=["GET", "POST"])
def callback():
    token = current_app.config.get("WECHAT_TOKEN")
    if not token:
        abort(404)
    if not _verified(token):
        abort(403)
    if request.method == "GET":
        db.session.commit()
        return Response(request.args.get("echostr", ""), mimetype="text/plain")
    if request.content_length and request.content_length > MAX_BODY:
        abort(413)
    try:
        root = ElementTree.fromstring(request.get_data()[:MAX_BODY])
    except ElementTree.ParseError:
        abort(400)
    user = root.findtext("FromUserName") or ""
    account = root.findtext("ToUserName") or ""
    with force_locale("zh"):  # the official account speaks Chinese
        if root.findtext("MsgType") != "text" or not (root.findtext("Content") or "").strip():
            db.session.commit()
            return _reply(user, account, gettext("Please describe your request in a text message."))
        content = root.findtext("Content").strip()
        # The nonce is committed with the order: if the order fails, WeChat's retry is let in.
        order, _token = create_public_order(
            channel="wechat", subject=content[:30], content=content, language="zh",
            external_ref=f"wechat:{root.findtext('MsgId') or root.findtext('CreateTime')}:{user}",
            contact_name=user[:100])
        db.session.commit()  # an order that existed already (the same MsgId) committed nothing
        return _reply(user, account, gettext(
            "Your request has been received. Ticket number: %(ticket)s", ticket=order.ticket))


def init_wechat(app) -> None:
    app.register_blueprint(wechat)
