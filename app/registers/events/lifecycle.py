"""The event lifecycle as a table: action → (from states, to state, who may, what it needs).

planned → open (for registration) → held → closed; cancelled (with a reason) from planned or
open. The lead department ("owner") takes every step; co-operating departments read.

Guards a department relies on (``EventCommands._do_<action>``, app.core.parts.lifecycle):
- registration opens only before the event begins (an enterprise cannot sign up for the past);
- an event is marked held only once it has begun (not by a slip of the mouse a week early);
- a held event is not cancelled (it took place: close it instead) — hence no "cancel" from held.
"""
from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _

from app.core.parts.lifecycle import Lifecycle, Transition
from app.core.timeutil import utcnow
from app.registers.events.models import STATES


class State(enum.StrEnum):
    PLANNED = "planned"
    OPEN = "open"
    HELD = "held"
    CLOSED = "closed"
    CANCELLED = "cancelled"


def started(event) -> bool:
    """Whether the event has begun (it may be marked held; registration no longer opens)."""
    return event.starts_at is not None and event.starts_at <= utcnow()


def not_started(event) -> bool:
    return not started(event)


def _t(action, sources, target, label, needs=(), **more):
    return Transition(action, frozenset(sources), target, "owner", label, tuple(needs), **more)


TRANSITIONS = [
    _t("open", {State.PLANNED}, State.OPEN, _("Open registration"), when=not_started),
    _t("hold", {State.PLANNED, State.OPEN}, State.HELD, _("Mark as held"), when=started),
    _t("close", {State.HELD}, State.CLOSED, _("Close the event")),
    _t("cancel", {State.PLANNED, State.OPEN}, State.CANCELLED, _("Cancel the event"),
       ("reason",), danger=True),
]

LIFECYCLE = Lifecycle(
    states=STATES, transitions=TRANSITIONS,
    not_now=_("The event is “%(state)s”: “%(action)s” is not possible now."))
