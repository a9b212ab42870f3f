"""Event commands: the write check of a form, import or REST write, and what each lifecycle
action does (``_do_<action>``; app.core.parts.lifecycle checks and records it).

UI buttons and the REST API call these same functions; each runs in one transaction.
"""
from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _

from app.core.commands import ANOTHER_DEPARTMENT, RecordCommands
from app.core.exceptions import ForbiddenError, TransitionError, ValidationFailed
from app.core.parts.timeline import add_event
from app.core.scope import current_scope
from app.extensions import db
from app.registers.events.lifecycle import State
from app.registers.events.models import Event


def event_linked(item, original_department_id, before, kind: str, wrong_kind, moved) -> Event:
    """The write check of a record of an event (``OfEventMixin``: a financing need at a
    matchmaking, a booth subsidy at a trade fair): the user writes the record it was; it names
    an event of ``kind`` (else ``wrong_kind``) the user writes; it does not move to another
    event (``moved``); its department follows the event. Only the link a write makes is
    checked, so an event moved to another department blocks no unrelated edit."""
    if original_department_id is not None \
            and not current_scope().can_write(original_department_id):
        raise ForbiddenError()
    event = item.event or (db.session.get(Event, item.event_id) if item.event_id else None)
    if event is None:
        raise ValidationFailed(errors={"event": [wrong_kind]})
    linked = before is None or before.values.get("event_id") != event.id
    if before is not None and linked:
        raise ValidationFailed(errors={"event": [moved]})
    if linked:
        if not current_scope().can_write(event.department_id):
            raise ValidationFailed(errors={"event": [ANOTHER_DEPARTMENT]})
        if event.kind != kind:
            raise ValidationFailed(errors={"event": [wrong_kind]})
        item.department_id = event.department_id  # (the event's lead department owns it)
    return event


# fields of one kind only (their column's ``info["kinds"]``): cleared on events of another kind
KIND_FIELDS = tuple(name for name, column in Event.__table__.columns.items()
                    if "kinds" in column.info)


def _naive(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.UTC).replace(tzinfo=None) if moment.tzinfo else moment


class EventCommands(RecordCommands):
    def __init__(self, now: dt.datetime | None = None):
        super().__init__(Event)
        self.now = now

    def _check_write(self, item: Event, original_department_id, before=None) -> None:
        for name in KIND_FIELDS:  # (a training's topic on a job fair would mislead)
            if item.kind not in Event.__table__.columns[name].info["kinds"]:
                setattr(item, name, None)
        super()._check_write(item, original_department_id, before)
        lead = item.owning_department_id  # (it leads: ticking it as co-operating adds nothing)
        if any(d.id == lead for d in item.co_departments):
            item.co_departments = [d for d in item.co_departments if d.id != lead]
        if item.ends_at is not None and item.starts_at is not None \
                and item.ends_at < item.starts_at:
            raise ValidationFailed(errors={"ends_at": [_("The event cannot end before it starts.")]})

    def after_create(self, session, item: Event) -> None:
        add_event(item, "plan", None, State.PLANNED, at=self.now)

    # --- what each lifecycle action does -----------------------------------------------------------
    def _do_open(self, session, event: Event, data, now):
        if event.starts_at <= _naive(now):
            raise TransitionError(_("The event has already begun: registration cannot open."))
        return None

    def _do_hold(self, session, event: Event, data, now):
        if event.starts_at > _naive(now):
            raise TransitionError(_("The event has not begun yet: it cannot be marked held."))
        return None

    def _do_close(self, session, event: Event, data, now):
        return None

    def _do_cancel(self, session, event: Event, data, now):
        reason = str(data["reason"]).strip()
        if not reason:
            raise ValidationFailed(errors={"reason": [_("This field is required.")]})
        if len(reason) > 500:
            raise ValidationFailed(errors={"reason": [_("At most 500 characters.")]})
        event.cancel_reason = reason
        return reason
