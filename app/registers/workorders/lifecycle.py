"""The work-order lifecycle as a table: action → (from states, to state, who may, what it needs).

received → dispatched → accepted (签收) → in_progress ⇄ waiting (clock paused) → resolved (reply)
→ followed_up (回访, rating) → closed. A handling unit may return (退单) a wrong order to the
Office for dispatch again; extensions (延期) are requested by the unit and decided by the Office;
the Office may open supervision (督办) at any time; a bad rating reopens the order.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass

from flask_babel import lazy_gettext as _


class State(enum.StrEnum):
    RECEIVED = "received"
    DISPATCHED = "dispatched"
    ACCEPTED = "accepted"
    IN_PROGRESS = "in_progress"
    WAITING = "waiting"
    RESOLVED = "resolved"
    FOLLOWED_UP = "followed_up"
    CLOSED = "closed"
    RETURNED = "returned"


STATE_LABELS = {
    State.RECEIVED: _("Received"), State.DISPATCHED: _("Dispatched"),
    State.ACCEPTED: _("Accepted"), State.IN_PROGRESS: _("In progress"),
    State.WAITING: _("Waiting for the requester"), State.RESOLVED: _("Resolved"),
    State.FOLLOWED_UP: _("Followed up"), State.CLOSED: _("Closed"), State.RETURNED: _("Returned"),
}

# The order's SLA clocks, and the states in which a policy may pause them (the order is open
# but the unit cannot act).
CLOCK_NAMES = {
    "dispatch": _("Dispatch"), "resolution": _("Resolution"),
    "rectification": _("Rectification"),
}
PAUSABLE_STATES = {State.WAITING: STATE_LABELS[State.WAITING],
                   State.RETURNED: STATE_LABELS[State.RETURNED],
                   State.DISPATCHED: STATE_LABELS[State.DISPATCHED]}

OPEN = {State.RECEIVED, State.DISPATCHED, State.ACCEPTED, State.IN_PROGRESS, State.WAITING,
        State.RETURNED}
WORKING = {State.ACCEPTED, State.IN_PROGRESS, State.WAITING}


class Actor(enum.StrEnum):
    DISPATCHER = "dispatcher"  # the Office (permission can_dispatch)
    HANDLER = "handler"        # staff of the handling department


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[State]
    target: State | None        # None: the state does not change
    actor: Actor
    label: object
    needs: tuple[str, ...] = ()  # fields the action requires


def _t(action, sources, target, actor, label, needs=()):
    return Transition(action, frozenset(sources), target, actor, label, tuple(needs))


TRANSITIONS = {t.action: t for t in (
    _t("dispatch", {State.RECEIVED, State.RETURNED}, State.DISPATCHED, Actor.DISPATCHER,
       _("Dispatch"), ("department",)),
    _t("accept", {State.DISPATCHED}, State.ACCEPTED, Actor.HANDLER, _("Accept")),
    _t("return", {State.DISPATCHED, State.ACCEPTED}, State.RETURNED, Actor.HANDLER,
       _("Return to the Office"), ("reason",)),
    _t("start", {State.ACCEPTED}, State.IN_PROGRESS, Actor.HANDLER, _("Start work")),
    _t("wait", {State.IN_PROGRESS}, State.WAITING, Actor.HANDLER,
       _("Wait for the requester"), ("reason",)),
    _t("resume", {State.WAITING}, State.IN_PROGRESS, Actor.HANDLER, _("Resume work")),
    _t("resolve", {State.ACCEPTED, State.IN_PROGRESS}, State.RESOLVED, Actor.HANDLER,
       _("Resolve with a reply"), ("reply",)),
    _t("follow_up", {State.RESOLVED}, State.FOLLOWED_UP, Actor.DISPATCHER,
       _("Record the follow-up call"), ("rating",)),
    _t("close", {State.FOLLOWED_UP}, State.CLOSED, Actor.DISPATCHER, _("Close the case")),
    _t("reopen", {State.FOLLOWED_UP, State.CLOSED}, State.IN_PROGRESS, Actor.DISPATCHER,
       _("Reopen"), ("reason",)),
    _t("request_extension", WORKING, None, Actor.HANDLER, _("Request an extension"),
       ("days", "reason")),
    _t("approve_extension", WORKING, None, Actor.DISPATCHER, _("Approve the extension")),
    _t("reject_extension", WORKING, None, Actor.DISPATCHER, _("Reject the extension"),
       ("reason",)),
    _t("supervise", OPEN, None, Actor.DISPATCHER, _("Open supervision"), ("reason",)),
)}
