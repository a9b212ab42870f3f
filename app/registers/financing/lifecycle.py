"""The financing-need lifecycle as a table: open → intention signed → loan signed, or dropped
(from open or after an intention). A signed intention starts the follow-up clock; a loan signed
or the need dropped stops it."""
from __future__ import annotations

import datetime as dt
import enum

from flask_babel import lazy_gettext as _

from app.core.parts.lifecycle import Input, Lifecycle, Transition
from app.core.timeutil import display_tz
from app.registers.financing.models import STATES


class State(enum.StrEnum):
    OPEN = "open"
    INTENTION = "intention"
    LOAN = "loan"
    DROPPED = "dropped"


CLOCK_NAMES = {"follow_up": _("Financing follow-up")}
FOLLOW_UP_POLICY = "financing_follow_up"


def today() -> str:
    return dt.datetime.now(display_tz()).date().isoformat()


def banks() -> list[tuple[int, str]]:
    from app.extensions import db
    from app.registers.institutions.models import Institution

    return [(b.id, str(b)) for b in db.session.query(Institution).filter_by(kind="bank")
            .order_by(Institution.name_zh)]


def _first_bank(need):
    met = list(need.banks)
    return met[0].id if len(met) == 1 else None


INPUTS = {
    "intention": Input(_("Intention"), default=lambda need: need.intention),
    "loan_amount": Input(_("Loan signed (10k CNY)"), default=lambda need: need.amount),
    "loan_signed_on": Input(_("Loan signed on (YYYY-MM-DD)"), default=lambda need: today()),
    "loan_bank": Input(_("Lending bank"), "select", choices=banks, default=_first_bank),
}

TRANSITIONS = [
    Transition("sign_intention", frozenset({State.OPEN}), State.INTENTION, "owner",
               _("Sign the intention"), ("intention",)),
    Transition("sign_loan", frozenset({State.INTENTION}), State.LOAN, "owner",
               _("Record the loan signed"), ("loan_amount", "loan_signed_on", "loan_bank")),
    Transition("drop", frozenset({State.OPEN, State.INTENTION}), State.DROPPED, "owner",
               _("Drop the need"), ("reason",)),
]

LIFECYCLE = Lifecycle(
    states=STATES, transitions=TRANSITIONS, inputs=INPUTS,
    not_now=_("The financing need is “%(state)s”: “%(action)s” is not possible now."))
