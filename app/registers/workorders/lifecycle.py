"""The work-order lifecycle as a table: action → (from states, to state, who may, what it needs).

received → dispatched → accepted (签收) → in_progress ⇄ waiting (clock paused) → resolved (reply)
→ followed_up (回访, rating) → closed. A handling unit may return (退单) a wrong order to the
Office for dispatch again; extensions (延期) are requested by the unit and decided by the Office;
the Office may open supervision (督办) at any time; a bad rating reopens the order.
"""
from __future__ import annotations

import enum

from flask import g
from flask_babel import lazy_gettext as _

from app.core.parts.lifecycle import Input, Lifecycle, Transition
from app.registers.workorders.models import CATEGORIES, RATINGS, SCORES


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
    """The named roles of app.core.parts.lifecycle that act on orders."""

    DISPATCHER = "dispatcher"  # the Office (permission can_dispatch)
    HANDLER = "handler"        # staff of the handling department


def _t(action, sources, target, actor, label, needs=(), **more):
    return Transition(action, frozenset(sources), target, actor, label, tuple(needs), **more)


def _extension_pending(order) -> bool:
    return bool(order.extension_requested)


TRANSITIONS = {t.action: t for t in (
    _t("dispatch", {State.RECEIVED, State.RETURNED}, State.DISPATCHED, Actor.DISPATCHER,
       _("Dispatch"), ("department",), asks=("category",)),
    _t("accept", {State.DISPATCHED}, State.ACCEPTED, Actor.HANDLER, _("Accept")),
    _t("return", {State.DISPATCHED, State.ACCEPTED}, State.RETURNED, Actor.HANDLER,
       _("Return to the Office"), ("reason",)),
    _t("start", {State.ACCEPTED}, State.IN_PROGRESS, Actor.HANDLER, _("Start work")),
    _t("wait", {State.IN_PROGRESS}, State.WAITING, Actor.HANDLER,
       _("Wait for the requester"), ("reason",)),
    _t("resume", {State.WAITING}, State.IN_PROGRESS, Actor.HANDLER, _("Resume work")),
    _t("resolve", {State.ACCEPTED, State.IN_PROGRESS}, State.RESOLVED, Actor.HANDLER,
       _("Resolve with a reply"), ("reply",)),
    # (the enterprise itself may rate through its private tracking link)
    _t("follow_up", {State.RESOLVED}, State.FOLLOWED_UP, Actor.DISPATCHER,
       _("Record the follow-up call"), ("rating",),
       asks=("attitude", "quality", "efficiency", "comment"), requester=True),
    _t("close", {State.FOLLOWED_UP}, State.CLOSED, Actor.DISPATCHER, _("Close the case")),
    _t("reopen", {State.FOLLOWED_UP, State.CLOSED}, State.IN_PROGRESS, Actor.DISPATCHER,
       _("Reopen"), ("reason",)),
    _t("request_extension", WORKING, None, Actor.HANDLER, _("Request an extension"),
       ("days", "reason")),
    _t("approve_extension", WORKING, None, Actor.DISPATCHER, _("Approve the extension"),
       when=_extension_pending),
    _t("reject_extension", WORKING, None, Actor.DISPATCHER, _("Reject the extension"),
       ("reason",), when=_extension_pending),
    _t("supervise", OPEN, None, Actor.DISPATCHER, _("Open supervision"), ("reason",)),
)}


def departments() -> list:
    """Every department, read once per request (the dispatch form and the timeline's notes)."""
    from app.core.models import Department
    from app.extensions import db

    if "_puwan_departments" not in g:
        g._puwan_departments = db.session.query(Department).order_by(Department.id).all()
    return g._puwan_departments


MAX_EXTENSION_DAYS = 10
# The fields of the actions' forms.
INPUTS = {
    "department": Input(_("Handling department"), "select",
                        choices=lambda: [(d.id, str(d)) for d in departments()]),
    "category": Input(_("Category"), "select", choices=CATEGORIES,
                      default=lambda order: order.category),
    "rating": Input(_("Rating"), "select", choices=RATINGS),
    "attitude": Input(_("Attitude"), "select", choices=SCORES),
    "quality": Input(_("Quality"), "select", choices=SCORES),
    "efficiency": Input(_("Efficiency"), "select", choices=SCORES),
    "comment": Input(_("Comment")),
    "days": Input(_("Working days"), "number", min=1, max=MAX_EXTENSION_DAYS),
    "reason": Input(_("Reason")),
    "reply": Input(_("Reply"), "textarea"),
}

LIFECYCLE = Lifecycle(
    states=STATE_LABELS, transitions=TRANSITIONS, inputs=INPUTS,
    not_now=_("The order is “%(state)s”: “%(action)s” is not possible now."))
