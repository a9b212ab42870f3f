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
- Staff act on registrations through the commands below (cancel, check in, attendance in bulk,
  a job fair's outcome, feedback): each is checked as an edit (the event's lead department
  writes), runs in one transaction and leaves one history row per registration it changes.

The event row is locked (SELECT … FOR UPDATE on PostgreSQL; SQLite serialises writers) while
places are counted, so two registrations at once cannot overfill an event.
"""
from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _
from sqlalchemy import func

from app.core.commands import ANOTHER_DEPARTMENT, RecordCommands
from app.core.exceptions import CommandError, ForbiddenError, TransitionError, ValidationFailed
from app.core.history import record, snapshot
from app.core.scope import current_scope
from app.core.timeutil import format_display, to_display
from app.extensions import db
from app.registers.events.models import Event
from app.registers.registrations.models import Registration

JOB_FAIR_FIELDS = ("positions_offered", "applicants", "hires")
FEEDBACK_FIELDS = ("attitude", "quality", "efficiency", "feedback_comment")
# event states in which a registration is taken, by channel
TAKING = {"portal": ("open",), "staff": ("planned", "open", "held"),
          "import": ("planned", "open", "held")}
ATTENDANCE_STATES = ("open", "held", "closed")
# a registration is no longer cancelled once its event was held: its attendance is recorded
CANCELLABLE_STATES = ("planned", "open")


def attendance_open(event: Event, now: dt.datetime | None = None) -> bool:
    """Attendance is taken from the event's day on (Asia/Shanghai: enterprises arrive before
    it starts), once it is open."""
    now = now or dt.datetime.now(dt.UTC)
    today = to_display(now.replace(tzinfo=None) if now.tzinfo else now).date()
    return event.state in ATTENDANCE_STATES and to_display(event.starts_at).date() <= today

NOT_TAKING = _("This event does not take registrations now (it is “%(state)s”).")
OTHER_EVENT = _("A registration cannot move to another event; cancel it and register again.")
NO_PLACES = _("Not enough places left at this event for %(n)s attendees.")
# What the change history calls the commands' own actions
ACTIONS = {"cancel": _("Cancel registration"), "promote": _("Moved up from the waiting list"),
           "check_in": _("Check in"), "attendance": _("Attendance"),
           "outcome": _("Job fair outcome"), "feedback": _("Feedback")}


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


REGISTERED_ALREADY = _("%(enterprise)s is already registered for this event.")


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
        if before is None and not current_scope().can_write(event.department_id):
            # (an event of another department: said on the field, as any link refused)
            raise ValidationFailed(errors={"event": [ANOTHER_DEPARTMENT]})
        item.department_id = event.department_id  # (the link check below: the user writes it)
        super()._check_write(item, original_department_id, before)
        self._check_rules(item, event, new=before is None)
        if item.attendance is not None and event.state in ATTENDANCE_STATES \
                and (before is None or before.values.get("attendance") != item.attendance) \
                and not attendance_open(event, self.now):
            raise ValidationFailed(errors={"attendance": [_(
                "Attendance is taken from the day of the event (%(start)s).",
                start=format_display(event.starts_at))]})
        if before is None:
            self._take_place(session, item, event)
        elif item.status == "registered" and event.capacity is not None \
                and (item.attendees or 1) > (before.values.get("attendees") or 1):
            lock_event(session, event.id)
            if places_taken(session, event.id, but=item.id) + item.attendees > event.capacity:
                raise ValidationFailed(errors={"attendees": [NO_PLACES % {"n": item.attendees}]})

    def create(self, item: Registration) -> None:
        self._not_yet_registered(db.session, item)
        super().create(item)

    @staticmethod
    def _not_yet_registered(session, item: Registration) -> None:
        """One current (not cancelled) registration per event and enterprise: a second is
        refused by name before anything is written (the unique index would refuse it only as
        "a record with the same value")."""
        enterprise_id = item.enterprise_id or (item.enterprise.id if item.enterprise else None)
        event_id = item.event_id or (item.event.id if item.event else None)
        if enterprise_id is None or event_id is None:
            return
        with session.no_autoflush:
            taken = session.query(Registration.id).filter(
                Registration.event_id == event_id, Registration.enterprise_id == enterprise_id,
                Registration.status != "cancelled").first()
        if taken is not None:
            raise ValidationFailed(errors={"enterprise": [REGISTERED_ALREADY % {
                "enterprise": item.enterprise}]})

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

    # --- staff actions: each checked as an edit, one transaction, a history row per record ----
    def _prepare_new(self, item) -> None:
        if item.channel is None:  # (an import's rows are taken "by import")
            item.channel = "import"
        super()._prepare_new(item)

    def import_rows(self, rows) -> dict:
        """As the kit's, and says which rows went on the waiting list (the import's page)."""
        waiting: list = []

        def noting(chunks):
            for chunk in chunks:
                yield chunk
                waiting.extend(ref for ref, item, before in chunk
                               if before is None and item.status == "waitlisted")

        counts = super().import_rows(noting(rows))
        if waiting:  # (the import's page says which rows, in the reader's language)
            counts["waitlisted"] = waiting[:200]
        return counts

    def _change(self, items: list, action: str, change, extra: dict | None = None,
                after=None) -> None:
        """Apply ``change(item)`` to each registration and check it as an edit, in one
        transaction: the first refusal rolls every one back (its error names the registration
        in ``error.row``)."""
        befores = [self.before(item) for item in items]

        def work(session):
            for item, before in zip(items, befores, strict=True):
                values = snapshot(item)
                change(item)
                session.flush()
                try:
                    self._check_write(item, before.department_id, before)
                except CommandError as error:
                    error.row = str(item.enterprise)
                    raise
                session.flush()
                record(session, item, action, values, snapshot(item), extra=extra)
            if after is not None:
                after(session)

        self._run(work)

    def cancel(self, items: list[Registration], reason: str | None = None
               ) -> list[Registration]:
        """Cancel registrations (their places are freed) and move the first waiting ones that
        now fit up; returns those moved up."""
        for item in items:
            if item.status == "cancelled":
                raise TransitionError(_("This registration is already cancelled."))
            if not current_scope().can_write(item.owning_department_id):
                raise ForbiddenError()  # (who may, before what the state allows: as actions)
            if item.event.state not in CANCELLABLE_STATES:
                raise TransitionError(_(
                    "The event was held: record the enterprise's attendance instead of "
                    "cancelling its registration."))
        moved: list[Registration] = []

        def cancelled(item):
            item.status = "cancelled"
            item.attendance = None

        def promote(session):
            events = {item.event_id: item.event for item in items}
            for event in events.values():
                for registration in self.promote_waiting(session, event):
                    moved.append(registration)
                    record(session, registration, "promote",
                           {"status": "waitlisted"}, {"status": "registered"})

        self._change(items, "cancel", cancelled, extra={"reason": (reason or "").strip()},
                     after=promote)
        return moved

    def check_in(self, item: Registration) -> None:
        """On the day: the enterprise is present (checked in now)."""
        def present(registration):
            registration.attendance = "present"
            registration.checked_in_at = self._now()

        self._change([item], "check_in", present)

    def set_attendance(self, items: list[Registration], attendance: str,
                       reason: str | None = None) -> None:
        """After the event, for several registrations at once: all or nothing."""
        if attendance not in ("present", "absent", "excused"):
            raise ValidationFailed(errors={"attendance": [_("Choose the attendance.")]})
        reason = (reason or "").strip() or None
        if attendance == "excused" and not reason:
            raise ValidationFailed(errors={"excuse_reason": [_("Give the reason for the excuse.")]})
        if not items:
            raise ValidationFailed(_("Tick the registrations first."))

        def mark(item):
            if item.attendance != attendance:
                item.checked_in_at = None  # (present again: checked now by the rules)
            item.attendance = attendance
            item.excuse_reason = reason if attendance == "excused" else None

        self._change(items, "attendance", mark)

    def record_outcome(self, item: Registration, positions_offered: int | None,
                       applicants: int | None, hires: int | None) -> None:
        """A job fair's outcome for the enterprise."""
        def outcome(registration):
            registration.positions_offered = positions_offered
            registration.applicants = applicants
            registration.hires = hires

        self._change([item], "outcome", outcome)

    def give_feedback(self, item: Registration, attitude: int | None, quality: int | None,
                      efficiency: int | None, comment: str | None) -> None:
        """Feedback entered by staff for an enterprise that attended (all three scores)."""
        missing = {key: [_("This field is required.")] for key, value in
                   (("attitude", attitude), ("quality", quality), ("efficiency", efficiency))
                   if value is None}
        if missing:
            raise ValidationFailed(errors=missing)

        def feedback(registration):
            registration.attitude, registration.quality = attitude, quality
            registration.efficiency = efficiency
            registration.feedback_comment = (comment or "").strip() or None

        self._change([item], "feedback", feedback)
