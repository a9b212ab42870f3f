"""The review meeting's lifecycle as a table: planned → scoring → decided, or cancelled (while
planned or scoring). Scoring needs a full panel (3–5); deciding needs every panelist's review
submitted, the institution's opinion, the decision and its rationale (``ReviewCommands``)."""
from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _

from app.core.parts.lifecycle import Input, Lifecycle, Transition
from app.registers.reviews.models import DECISIONS, STATES


class State(enum.StrEnum):
    PLANNED = "planned"
    SCORING = "scoring"
    DECIDED = "decided"
    CANCELLED = "cancelled"


INPUTS = {
    "decision": Input(_("Admission decision"), "select", choices=DECISIONS),
    "rationale": Input(_("Rationale of the decision"), "textarea"),
}

TRANSITIONS = [
    Transition("start_scoring", frozenset({State.PLANNED}), State.SCORING, "owner",
               _("Start scoring")),
    Transition("decide", frozenset({State.SCORING}), State.DECIDED, "owner",
               _("Record the admission decision"), ("decision", "rationale")),
    Transition("cancel", frozenset({State.PLANNED, State.SCORING}), State.CANCELLED, "owner",
               _("Cancel the meeting"), ("reason",), danger=True),
]

LIFECYCLE = Lifecycle(
    states=STATES, transitions=TRANSITIONS, inputs=INPUTS,
    not_now=_("The review meeting is “%(state)s”: “%(action)s” is not possible now."))
