"""`flask intake email`: unseen messages of an IMAP mailbox become work orders.

Idempotent by Message-ID (a message fetched twice makes one order); headers and bodies in
GB2312/GBK/GB18030, ISO-2022-JP and UTF-8 are decoded (GB2312 and GBK labels are read as their
superset GB18030, since mailers often send GBK characters under a GB2312 label); attachments are
kept with the order. A message is marked seen only once its order is saved.
"""
from __future__ import annotations

import contextlib
import email
import imaplib
import logging
import re
from dataclasses import dataclass, field
from email.header import decode_header
from email.message import Message
from email.policy import compat32
from email.utils import parseaddr

from flask import current_app

log = logging.getLogger(__name__)

SUPERSETS = {
    "gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030",
    "euc-cn": "gb18030", "iso-2022-jp": "iso2022_jp_2", "shift_jis": "cp932",
    "x-sjis": "cp932", "us-ascii": "utf-8",
}
MAX_MESSAGE = 25 * 1024 * 1024


def _codec(charset: str | None) -> str:
    charset = (charset or "utf-8").strip().lower()
    return SUPERSETS.get(charset, charset)


def decode_bytes(data: bytes, charset: str | None) -> str:
    try:
        return data.decode(_codec(charset), errors="replace")
    except LookupError:  # an unknown charset label
        return data.decode("utf-8", errors="replace")


def decode_header_value(value: str | None) -> str:
    if not value:
        return ""
    parts = []
    for chunk, charset in decode_header(value):
        parts.append(decode_bytes(chunk, charset) if isinstance(chunk, bytes) else chunk)
    return "".join(parts).strip()


@dataclass
class ParsedMail:
    message_id: str
    sender_name: str
    sender_address: str
    subject: str
    body: str
    language: str
    attachments: list[tuple[str, str, bytes]] = field(default_factory=list)


def guess_language(text: str) -> str:
    if re.search(r"[\u3040-\u30ff]", text):
        return "ja"
    if re.search(r"[\u4e00-\u9fff]", text):
        return "zh"
    return "en"


def _strip_html(html: str) -> str:
    text = re.sub(r"(?is)<(script|style).*?</\1>", " ", html)
    text = re.sub(r"(?s)<br\s*/?>|</p>", "\n", text)
    return re.sub(r"<[^>]+>", "", text).strip()


def parse_message(raw: bytes) -> ParsedMail:
    message: Message = email.message_from_bytes(raw, policy=compat32)
    name, address = parseaddr(decode_header_value(message.get("From")))
    plain, html, attachments = None, None, []
    for part in message.walk():
        if part.is_multipart():
            continue
        payload = part.get_payload(decode=True) or b""
        filename = decode_header_value(part.get_filename())
        if filename or part.get_content_disposition() == "attachment":
            attachments.append((filename or "attachment", part.get_content_type(), payload))
        elif part.get_content_type() == "text/plain" and plain is None:
            plain = decode_bytes(payload, part.get_content_charset())
        elif part.get_content_type() == "text/html" and html is None:
            html = decode_bytes(payload, part.get_content_charset())
    subject = decode_header_value(message.get("Subject"))
    body = (plain if plain is not None else _strip_html(html or "")).strip()
    message_id = (message.get("Message-ID") or "").strip()
    if not message_id:  # rare: make one from what identifies the message
        message_id = f"<{address}|{message.get('Date', '')}|{subject}>"
    return ParsedMail(message_id=message_id, sender_name=name, sender_address=address,
                      subject=subject, body=body, language=guess_language(subject + body),
                      attachments=attachments)


@dataclass
class IntakeReport:
    created: int = 0
    duplicates: int = 0
    failed: int = 0

    def __str__(self) -> str:
        return f"{self.created} created, {self.duplicates} already known, {self.failed} failed"


def _connect(config) -> imaplib.IMAP4:
    host, port = config["IMAP_HOST"], int(config.get("IMAP_PORT") or 993)
    if config.get("IMAP_SSL", True):
        return imaplib.IMAP4_SSL(host, port, timeout=30)
    connection = imaplib.IMAP4(host, port, timeout=30)
    if config.get("IMAP_STARTTLS"):
        connection.starttls()
    return connection


def fetch_mailbox() -> IntakeReport:
    from app.extensions import db
    from app.intake import create_public_order
    from app.registers.workorders.models import WorkOrder

    config = current_app.config
    report = IntakeReport()
    connection = _connect(config)
    try:
        connection.login(config["IMAP_USER"], config["IMAP_PASSWORD"])
        connection.select(config.get("IMAP_MAILBOX") or "INBOX")
        _typ, data = connection.uid("SEARCH", None, "UNSEEN")
        for uid in (data[0] or b"").split():
            _typ, fetched = connection.uid("FETCH", uid, "(BODY.PEEK[])")
            raw = next((p[1] for p in fetched if isinstance(p, tuple)), b"")
            if not raw or len(raw) > MAX_MESSAGE:
                report.failed += 1
                continue
            try:
                mail = parse_message(raw)
                ref = f"email:{mail.message_id}"[:255]
                known = db.session.query(WorkOrder.id).filter_by(external_ref=ref).first()
                if known is None:
                    create_public_order(
                        channel="email", subject=mail.subject or mail.body[:60] or "-",
                        content=mail.body or mail.subject or "-", language=mail.language,
                        external_ref=ref, contact_name=mail.sender_name[:100] or None,
                        contact_email=mail.sender_address[:200] or None,
                        attachments=mail.attachments)
                    report.created += 1
                else:
                    report.duplicates += 1
            except Exception:  # one bad message must not stop the others; it stays unseen
                db.session.rollback()
                log.exception("e-mail intake failed for UID %s", uid)
                report.failed += 1
                continue
            connection.uid("STORE", uid, "+FLAGS", r"(\Seen)")
    finally:
        with contextlib.suppress(Exception):  # a broken connection still ends the run
            connection.logout()
    return report
