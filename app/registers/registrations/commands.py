"""Registration commands: one write path for staff forms, REST, imports and the portal.

- A registration belongs to its event's lead department (``department_id`` follows the event);
  it cannot move to another event.
- New registrations are taken while the event is planned or open (staff, imports and REST may
  also record a walk-in at a held event); the portal only while it is open (``channel="portal"``).
- Places: ``capacity`` counts people; a registration whose attendees do not fit goes on the
  waiting list (``status="waitlisted"``); cancelling one frees its places and moves the first
  waiting registrations that fit up (first come, first served).
- Attendance (present / absent / excused with a reason) once the event is open or held and
  only for a registered (not waiting, not cancelled) enterprise; feedback only from one that
  was present; a job fair's outcome only on a job fair.

The event row is locked (SELECT … FOR UPDATE on PostgreSQL; SQLite serialises writers) while
places are counted, so two registrations at once cannot overfill an event.
"""
from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _
from sqlalchemy import func

from app.core.commands import RecordCommands
from app.core.exceptions import TransitionError, ValidationFailed
from app.core.history import record, snapshot
from app.extensions import db
from app.registers.events.models import Event
from app.registers.registrations.models import Registration

JOB_FAIR_FIELDS = ("positions_offered", "applicants", "hires")
FEEDBACK_FIELDS = ("attitude", "quality", "efficiency", "feedback_comment")
# event states in which a registration is taken, by channel
TAKING = {"portal": ("open",), "staff": ("planned", "open", "held"),
          "import": ("planned", "open", "held")}
ATTENDANCE_STATES = ("open", "held", "closed")

NOT_TAKING = _("This event does not take registrations now (it is “%(state)s”).")
OTHER_EVENT = _("A registration cannot move to another event; cancel it and register again.")


class EventFull(ValidationFailed):
    """The attendees do not fit and the waiting list was not chosen (the portal asks first)."""

    status = 409
    default_message = _("The event is full: there are not enough places left.")


def places_taken(session, event_id: int, but: int | None = None) -> int:
    """People registered (not waiting, not cancelled) for the event, ``but`` one registration."""
    query = session.query(func.coalesce(func.sum(Registration.attendees), 0)).filter(
        Registration.event_id == event_id, Registration.status == "registered")
    if but is not None:
        query = query.filter(Registration.id != but)
    return int(query.scalar())


def lock_event(session, event_id: int) -> Event | None:
    return session.query(Event).filter(Event.id == event_id).with_for_update().one_or_none()


class RegistrationCommands(RecordCommands):
    def __init__(self, now: dt.datetime | None = None, waitlist: bool = True):
        """``waitlist``: a registration that does not fit goes on the waiting list (else
        ``EventFull`` is raised and nothing is saved)."""
        super().__init__(Registration)
        self.now = now
        self.waitlist = waitlist

    def _now(self) -> dt.datetime:
        return (self.now or dt.datetime.now(dt.UTC)).replace(tzinfo=None)

    def _check_write(self, item: Registration, original_department_id, before=None) -> None:
        session = db.session
        event = item.event or (session.get(Event, item.event_id) if item.event_id else None)
        if event is None:
            raise ValidationFailed(errors={"event": [_("Choose an event.")]})
        if before is not None and before.values.get("event_id") not in (None, event.id):
            raise ValidationFailed(errors={"event": [OTHER_EVENT]})
        item.department_id = event.department_id  # (the link check below: the user writes it)
        super()._check_write(item, original_department_id, before)
        self._check_rules(item, event, new=before is None)
        if before is None:
            self._take_place(session, item, event)

    def _check_rules(self, item: Registration, event: Event, new: bool) -> None:
        errors: dict = {}
        states = TAKING.get(item.channel or "staff", TAKING["staff"])
        if new and event.state not in states:
            raise ValidationFailed(NOT_TAKING % {"state": event.state_label})
        if event.kind != "job_fair":
            for key in JOB_FAIR_FIELDS:
                if getattr(item, key) is not None:
                    errors[key] = [_("Only a job fair records positions, applicants and hires.")]
        if item.hires is not None and item.applicants is not None and item.hires > item.applicants:
            errors["hires"] = [_("There cannot be more hires than applicants.")]
        if item.attendance is not None:
            if event.state not in ATTENDANCE_STATES:
                errors["attendance"] = [_("Attendance is taken once the event is open.")]
            elif item.status != "registered":
                errors["attendance"] = [
                    _("Only a registered enterprise (not waiting, not cancelled) attends.")]
        if item.attendance == "excused" and not (item.excuse_reason or "").strip():
            errors["excuse_reason"] = [_("Give the reason for the excuse.")]
        if item.attendance != "excused" and item.excuse_reason:
            item.excuse_reason = None
        if item.attendance == "present" and item.checked_in_at is None:
            item.checked_in_at = self._now()
        if item.attendance != "present":
            item.checked_in_at = None
        if any(getattr(item, key) not in (None, "") for key in FEEDBACK_FIELDS):
            if item.attendance != "present":
                errors["attitude"] = [_("Only an enterprise that attended gives feedback.")]
            elif item.feedback_at is None:
                item.feedback_at = self._now()
        if errors:
            raise ValidationFailed(errors=errors)

    def _take_place(self, session, item: Registration, event: Event) -> None:
        """A new registration: registered if its attendees fit, else on the waiting list."""
        if item.status == "cancelled":
            return
        lock_event(session, event.id)
        if event.capacity is None:
            item.status = "registered"
            return
        taken = places_taken(session, event.id, but=item.id)
        item.status = "registered" if taken + (item.attendees or 1) <= event.capacity \
            else "waitlisted"
        if item.status == "waitlisted" and not self.waitlist:
            raise EventFull()

    def cancel(self, item: Registration) -> list[Registration]:
        """Cancel a registration: its places are freed and the first waiting registrations that
        now fit move up (``promote_waiting``) — one transaction, a history row for each."""
        before = self.before(item)
        moved: list[Registration] = []

        def work(session):
            if item.status == "cancelled":
                raise TransitionError(_("This registration is already cancelled."))
            item.status = "cancelled"
            session.flush()
            self._check_write(item, before.department_id, before)
            record(session, item, "update", before.values, snapshot(item))
            waiting = {r.id: snapshot(r) for r in session.query(Registration).filter_by(
                event_id=item.event_id, status="waitlisted")}
            for other in self.promote_waiting(session, item.event):
                record(session, other, "update", waiting[other.id], snapshot(other))
                moved.append(other)

        self._run(work)
        return moved

    def promote_waiting(self, session, event: Event) -> list[Registration]:
        """Move the first waiting registrations that fit up (after places were freed)."""
        lock_event(session, event.id)
        free = None if event.capacity is None else \
            event.capacity - places_taken(session, event.id)
        moved = []
        waiting = (session.query(Registration)
                   .filter_by(event_id=event.id, status="waitlisted")
                   .order_by(Registration.created_on, Registration.id))
        for registration in waiting:
            if free is not None and registration.attendees > free:
                continue
            registration.status = "registered"
            moved.append(registration)
            if free is not None:
                free -= registration.attendees
        return moved
