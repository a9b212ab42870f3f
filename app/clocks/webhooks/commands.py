"""Saving hooks: one write path for the page and the REST API (checks, secret, history row)."""
from __future__ import annotations

import secrets

from flask_babel import lazy_gettext as _

from app.clocks.webhooks import targets
from app.clocks.webhooks.models import Hook
from app.core import registry
from app.core.commands import Before, RecordCommands
from app.core.exceptions import ValidationFailed
from app.core.history import record, snapshot
from app.core.scope import current_scope
from app.sla.clock import ClockState

STATE_CODES = tuple(str(state) for state in ClockState)


def new_secret() -> str:
    return secrets.token_hex(32)


def register_choices() -> list[tuple[str, str]]:
    """(table, translated name) of the registers a hook may watch: those that declare SLA
    clocks (app.core.registry; app.clocks imports no register)."""
    return [(r.table, str(r.label)) for r in registry.registers() if r.clocks]


def clock_choices() -> list[tuple[str, str]]:
    """(name, translated label) of the clocks a hook may watch, as the registers declare them."""
    return [(name, str(label)) for name, label in registry.clock_names().items()]


def _filed_under() -> int | None:
    """Hooks belong to no department: their history rows are filed under the department of the
    administrator who made the change."""
    return current_scope().department_id


class HookCommands(RecordCommands):
    def __init__(self):
        super().__init__(Hook)

    @staticmethod
    def before(item) -> Before:
        return Before(snapshot(item), None)

    def validate(self, hook: Hook, before: dict | None = None) -> None:
        """``before``: the hook's values before an edit. The target is checked unless the hook
        is switched off and keeps its address (one whose host left the allow-list can still be
        switched off; nothing is sent to it either way)."""
        errors = {}
        if not (hook.name or "").strip():
            errors["name"] = [_("This field is required.")]
        hook.subject_type = hook.subject_type or None
        hook.clock_name = hook.clock_name or None
        if hook.subject_type is not None and hook.subject_type not in dict(register_choices()):
            errors["subject_type"] = [_("Choose a register from the list.")]
        if hook.clock_name is not None and hook.clock_name not in dict(clock_choices()):
            errors["clock_name"] = [_("Choose a clock from the list.")]
        states = hook.states if isinstance(hook.states, list) else None
        if not states or any(state not in STATE_CODES for state in states):
            errors["states"] = [_("Choose one or more states from the list.")]
        else:
            hook.states = [state for state in STATE_CODES if state in states]  # (in order)
        if hook.active is None:
            hook.active = True
        hook.target_url = (hook.target_url or "").strip()
        if hook.active or before is None or hook.target_url != before.get("target_url"):
            try:
                targets.check(hook.target_url)
            except targets.TargetRefused as refused:
                errors["target_url"] = [refused.message]
        if errors:
            raise ValidationFailed(errors=errors)

    def _history(self, session, hook, action, before, after) -> None:
        department_id = _filed_under()
        if department_id is not None:
            record(session, hook, action, before, after, department_id=department_id)

    def create(self, item: Hook) -> None:
        def work(session):
            self.validate(item)
            item.secret = new_secret()
            session.add(item)
            session.flush()
            self._history(session, item, "create", None, snapshot(item))

        self._run(work)

    def update(self, item: Hook, before: Before) -> None:
        def work(session):
            self.validate(item, before.values)
            session.add(item)
            session.flush()
            self._history(session, item, "update", before.values, snapshot(item))

        self._run(work)

    def delete(self, items) -> None:
        items = list(items)

        def work(session):
            for item in items:
                self._history(session, item, "delete", snapshot(item), None)
                session.delete(item)
            session.flush()

        self._run(work)

    def rotate_secret(self, hook: Hook) -> str:
        """A new secret (returned to be shown once); the history says it was replaced, not
        what it is."""
        def work(session):
            hook.secret = new_secret()
            session.flush()
            values = snapshot(hook)
            self._history(session, hook, "rotate_secret", values, values)

        self._run(work)
        return hook.secret
