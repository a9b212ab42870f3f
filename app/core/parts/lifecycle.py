"""The lifecycle part: a register's states and the table of its transitions.

A register declares ``lifecycle=Lifecycle(states={code: label}, transitions=[Transition(…)])``.
Each transition is one command (``perform``) shared by the record page's buttons and the REST
API (``POST …/<pk>/transition/<action>``), checked in this order, each refusal translated and
changing nothing:

1. who may take it (``who``: a named role — ``"owner"``, ``"dispatcher"``, ``"handler"`` or one
   the lifecycle adds — or a predicate of (scope, record)) → 403;
2. the record's state is one of its ``sources`` → 409;
3. every field it ``needs`` is given → 422;

then, in one transaction: the register's ``_do_<action>(session, record, data, now)`` hook (what
the action does; it may refuse too, and returns the timeline's note), the new state (the
``state_changing`` signal lets the SLA clocks pause or resume), the timeline event and the history
row named by the action.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from blinker import Namespace
from flask_babel import lazy_gettext as _

from app.core.exceptions import (
    ForbiddenError,
    NotFoundError,
    TransitionError,
    ValidationFailed,
)
from app.core.history import record as history_row
from app.core.history import snapshot
from app.core.parts.timeline import add_event
from app.core.scope import Scope, current_scope

# Sent inside the transition's transaction once the record has its new state:
# ``state_changing.send(record, session=…, state=…, now=…)`` (the clocks pause and resume).
state_changing = Namespace().signal("record.state_changing")

@dataclass(frozen=True)
class Who:
    """Who may take a transition: ``test(scope, record)``, and what a refused user reads."""

    test: Callable[[Scope, Any], bool]
    refusal: Any = None

    def __call__(self, scope: Scope, record) -> bool:
        return bool(self.test(scope, record))


def _handling(scope: Scope, record) -> bool:
    department = getattr(record, "handling_department_id", None)
    return department is not None and scope.can_write(department)


# Roles a transition may name (a lifecycle may add its own or replace these).
ROLES = {
    # whoever may edit the record (its department)
    "owner": Who(lambda scope, record: scope.can_write(record.owning_department_id)),
    # the Management Committee Office (permission can_dispatch on DepartmentScope)
    "dispatcher": Who(lambda scope, record: scope.dispatcher,
                      _("Only the Management Committee Office may do this.")),
    # the department the record was given to (its ``handling_department_id``)
    "handler": Who(_handling, _("Only the handling department may do this.")),
}


@dataclass(frozen=True)
class Input:
    """A field a transition's form asks for: text, textarea, number or select.

    ``choices``: (value, label) pairs, or a callable giving them when the page is drawn;
    ``default(record)``: the value it starts with (a select without one starts on CHOOSE)."""

    label: Any
    kind: str = "text"
    choices: Any = None
    default: Callable | None = None
    min: int | None = None
    max: int | None = None

    def options(self) -> list[tuple[str, Any]]:
        pairs = self.choices() if callable(self.choices) else self.choices
        pairs = pairs.items() if isinstance(pairs, dict) else pairs
        return [(str(value), label) for value, label in pairs or ()]

    def value(self, record) -> str:
        return "" if self.default is None else str(self.default(record) or "")


# Fields any transition may ask for without its lifecycle declaring them.
INPUTS = {"reason": Input(_("Reason")), "note": Input(_("Note"), "textarea")}


@dataclass(frozen=True)
class Transition:
    """One row of the table: ``action`` takes a record in one of ``sources`` to ``target``
    (None: the state stays), for ``who``; its form asks for ``needs`` (required) and ``asks``
    (optional). ``when(record)``: offered only then (e.g. a decision on a pending request);
    ``requester``: the requester may take it through their private link."""

    action: str
    sources: frozenset
    target: str | None
    who: Any
    label: Any
    needs: tuple[str, ...] = ()
    asks: tuple[str, ...] = ()
    when: Callable | None = None
    requester: bool = False
    danger: bool = False   # cannot be undone (cancelling an event): a red button, confirmed first


@dataclass(frozen=True)
class Lifecycle:
    """A register's states (``{code: label}``) and transitions, the fields their forms ask for
    (a reason and a note are known without declaring them) and the roles they name."""

    states: dict
    transitions: dict                 # action -> Transition (a list is made one)
    column: str = "state"             # the column holding the state
    inputs: dict = field(default_factory=dict)   # name -> Input of the transitions' forms
    roles: dict = field(default_factory=dict)    # named roles of this register
    # the 409's message (%(state)s, %(action)s)
    not_now: Any = _("The record is “%(state)s”: “%(action)s” is not possible now.")

    def __post_init__(self):
        if not isinstance(self.transitions, dict):
            object.__setattr__(self, "transitions", {t.action: t for t in self.transitions})
        for t in self.transitions.values():
            self.who_of(t)  # an unknown role is a mistake of the declaration: said at start

    @property
    def action_labels(self) -> dict:
        return {action: t.label for action, t in self.transitions.items()}

    @property
    def field_labels(self) -> dict:
        """What the history calls what a transition brings that no column keeps."""
        return {"reason": _("Reason")}

    @property
    def input_labels(self) -> dict:
        return {name: i.label for name, i in {**INPUTS, **self.inputs}.items()}

    def who_of(self, transition: Transition) -> Who:
        who = transition.who
        if isinstance(who, Who):
            return who
        if isinstance(who, str):
            roles = {**ROLES, **self.roles}
            if who not in roles:
                raise ValueError(f"transition {transition.action!r}: no role {who!r}")
            return roles[who]
        return Who(who)

    def state_of(self, record) -> str:
        return getattr(record, self.column)

    def state_label(self, state) -> str:
        return self.states.get(state, state or "")

    def may(self, transition: Transition, record, scope: Scope | None = None) -> bool:
        return self.who_of(transition)(scope or current_scope(), record)

    def available(self, record) -> list[Transition]:
        """The transitions the current user may take now (the page's buttons)."""
        scope, state = current_scope(), self.state_of(record)
        return [t for t in self.transitions.values()
                if state in t.sources and self.may(t, record, scope)
                and (t.when is None or t.when(record))]

    def form(self, transition: Transition) -> list[tuple[str, Input, bool]]:
        """The fields of a transition's form: (name, input, required), needed ones first."""
        inputs = {**INPUTS, **self.inputs}
        return [(name, inputs.get(name) or Input(name), name in transition.needs)
                for name in (*transition.needs, *transition.asks)]


def perform(commands, record, action: str, data: dict, *, by_requester: bool = False,
            now: dt.datetime | None = None):
    """Run one transition on a stored record as one command (see the module's docstring).
    ``by_requester``: taken through the requester's private link (only ``requester`` ones)."""
    register = commands.register
    lifecycle = register.lifecycle if register is not None else None
    transition = lifecycle.transitions.get(action) if lifecycle is not None else None
    if transition is None or (by_requester and not transition.requester):
        raise NotFoundError(_("Unknown action."))
    if not by_requester:
        who = lifecycle.who_of(transition)
        if not who(current_scope(), record):
            raise ForbiddenError(who.refusal)
    state = lifecycle.state_of(record)
    if state not in transition.sources:
        raise TransitionError(lifecycle.not_now % {
            "state": lifecycle.state_label(state), "action": transition.label})
    missing = {name: [_("This field is required.")] for name in transition.needs
               if data.get(name) in (None, "")}
    if missing:
        raise ValidationFailed(errors=missing)
    now = now or dt.datetime.now(dt.UTC)
    hook = getattr(commands, f"_do_{action}", None)

    def work(session):
        values = snapshot(record)
        note = hook(session, record, data, now) if hook else data.get("reason")
        if transition.target is not None:
            setattr(record, lifecycle.column, str(transition.target))
            state_changing.send(record, session=session, state=str(transition.target), now=now)
        if register.timeline is not None:
            add_event(record, action, state, lifecycle.state_of(record), note, at=now)
        session.flush()
        # The history row names the action; a reason no column keeps goes with it.
        history_row(session, record, action, values, snapshot(record),
                    extra={"reason": data.get("reason")})

    commands._run(work)
    return record

