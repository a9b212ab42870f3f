"""The WeChat official account 普湾发布: the server-configuration callback.

GET  verifies the signature (sha1 of the sorted token, timestamp and nonce) and echoes echostr.
POST receives a message (plain-text mode XML): a text message becomes a work order (once per
MsgId) and the reply carries its ticket number. Bad signatures get 403.
"""
from __future__ import annotations

import hashlib
import hmac
import time
from xml.sax.saxutils import escape

from defusedxml import ElementTree
from flask import Blueprint, Response, abort, current_app, request
from flask_babel import force_locale, gettext

from app.extensions import csrf
from app.intake import create_public_order

wechat = Blueprint("wechat", __name__, url_prefix="/wechat")
csrf.exempt(wechat)  # signed by WeChat, not by a browser session

MAX_BODY = 64 * 1024


def signature_of(token: str, timestamp: str, nonce: str) -> str:
    return hashlib.sha1("".join(sorted([token, timestamp, nonce])).encode()).hexdigest()


def _verified(token: str) -> bool:
    args = request.args
    expected = signature_of(token, args.get("timestamp", ""), args.get("nonce", ""))
    return hmac.compare_digest(expected, args.get("signature", ""))


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
            return _reply(user, account, gettext("Please describe your request in a text message."))
        content = root.findtext("Content").strip()
        order, _token = create_public_order(
            channel="wechat", subject=content[:30], content=content, language="zh",
            external_ref=f"wechat:{root.findtext('MsgId') or root.findtext('CreateTime')}:{user}",
            contact_name=user[:100])
        return _reply(user, account, gettext(
            "Your request has been received. Ticket number: %(ticket)s", ticket=order.ticket))


def init_wechat(app) -> None:
    app.register_blueprint(wechat)
