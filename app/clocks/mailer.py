"""E-mail for SLA notices, when SMTP is configured (SMTP_HOST): the built-in listener that mails
the responsible department's users, each in their own language, after the transition commits.
The in-app notice exists either way; a mail that cannot be sent is logged, not retried."""
from __future__ import annotations

import logging
import smtplib
from collections import defaultdict
from email.message import EmailMessage

from flask import current_app, has_app_context
from flask_babel import force_locale, gettext

from app.sla import hooks

log = logging.getLogger(__name__)
MAILED_STATES = ("warning", "breached", "missed")


def _recipients(department_id: int) -> dict[str, list[str]]:
    from app.core.models import PuwanUser
    from app.extensions import db

    by_language = defaultdict(list)
    users = db.session.query(PuwanUser).filter(PuwanUser.department_id == department_id,
                                               PuwanUser.active.is_(True))
    for user in users:
        if user.email:
            by_language[user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]].append(
                user.email)
    return by_language


def _text(clock, new: str) -> str:
    from app.clocks.views import notice_text

    class _Notice:  # the in-app notice's wording, for the mail too
        kind = new
        clock_name = clock.name
        subject_type = clock.subject_type
        subject_id = clock.subject_id

    return notice_text(_Notice)


def send_notice_mail(sender, clock=None, new=None, **_kwargs) -> None:
    if not has_app_context() or new not in MAILED_STATES:
        return
    config = current_app.config
    if not config.get("SMTP_HOST"):
        return
    try:
        with smtplib.SMTP(config["SMTP_HOST"], int(config.get("SMTP_PORT") or 25),
                          timeout=10) as smtp:
            if config.get("SMTP_STARTTLS"):
                smtp.starttls()
            if config.get("SMTP_USER"):
                smtp.login(config["SMTP_USER"], config.get("SMTP_PASSWORD") or "")
            for language, addresses in _recipients(clock.department_id).items():
                with force_locale(language):
                    text = _text(clock, new)
                    message = EmailMessage()
                    message["Subject"] = gettext("[Puwan] Service promise: %(text)s", text=text)
                    message["From"] = config.get("MAIL_FROM") or "noreply@puwan.local"
                    message["To"] = ", ".join(addresses)
                    message.set_content(text)
                smtp.send_message(message)
    except (OSError, smtplib.SMTPException):
        log.exception("could not mail the notice for clock %s", getattr(clock, "id", None))


# Connected once; it does nothing unless the running app has SMTP_HOST.
hooks.state_changed.connect(send_notice_mail, weak=False)
