"""With SMTP configured, a breach is mailed to the department's users in their language."""
import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller

from app.clocks.service import start_clock
from app.clocks.sweep import sweep
from app.core.models import PuwanUser
from app.extensions import db
from tests.clocks.conftest import at
from tests.factories import department_id


class _Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, envelope.content.decode("utf-8", "replace")))
        return "250 OK"


@pytest.fixture
def smtp(app):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port)
    yield inbox
    app.config.update(SMTP_HOST=None)
    controller.stop()


def test_breach_is_mailed_to_the_department(app, enterprises, smtp):
    pk = enterprises.create("EDB")
    with app.app_context():
        db.session.query(PuwanUser).filter_by(username="edb").update({"locale": "ja"})
        start_clock(db.session, subject_type="enterprise", subject_id=pk, name="resolution",
                    policy_code="consultation", department_id=department_id("EDB"),
                    at=at(2026, 11, 25, 10))
        db.session.commit()
        sweep(db.session, at(2026, 11, 28))
        db.session.remove()
    assert len(smtp.messages) == 1
    recipients, content = smtp.messages[0]
    assert recipients == ["edb@test.local"]
    message = email.message_from_string(content, policy=email.policy.default)
    assert message["Subject"].startswith("[普湾]")
    assert "期限を過ぎました" in message.get_content()  # the user's language: Japanese


def test_without_smtp_nothing_is_mailed(app, enterprises):
    pk = enterprises.create("EDB")
    with app.app_context():
        start_clock(db.session, subject_type="enterprise", subject_id=pk, name="resolution",
                    policy_code="consultation", department_id=department_id("EDB"),
                    at=at(2026, 11, 25, 10))
        db.session.commit()
        report = sweep(db.session, at(2026, 11, 28))  # no SMTP: must not fail or block
        db.session.remove()
    assert report.breached == 1
