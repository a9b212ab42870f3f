"""The booth-subsidy lifecycle as a table: submitted → approved (an amount within the yearly
cap) or refused (a reason); the decision clock runs from submission to either."""
from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _

from app.core.parts.lifecycle import Input, Lifecycle, Transition
from app.extensions import db
from app.registers.subsidies.amounts import most_approvable
from app.registers.subsidies.models import STATES


def approvable(subsidy):
    most = most_approvable(db.session, subsidy)
    return subsidy.requested_amount if most is None else most


class State(enum.StrEnum):
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REFUSED = "refused"


CLOCK_NAMES = {"decision": _("Booth-subsidy decision")}
DECISION_POLICY = "booth_subsidy_decision"

INPUTS = {
    # (starts on the most the rules allow now, so that the amount offered is one accepted)
    "approved_amount": Input(_("Subsidy approved (10k CNY)"), default=approvable),
}

TRANSITIONS = [
    Transition("approve", frozenset({State.SUBMITTED}), State.APPROVED, "owner",
               _("Approve the subsidy"), ("approved_amount",)),
    Transition("refuse", frozenset({State.SUBMITTED}), State.REFUSED, "owner",
               _("Refuse the subsidy"), ("reason",), danger=True),
]

LIFECYCLE = Lifecycle(
    states=STATES, transitions=TRANSITIONS, inputs=INPUTS,
    not_now=_("The application is “%(state)s”: “%(action)s” is not possible now."))
