"""Meeting, agenda and resolution commands: one write path for forms, REST and imports, and
what each resolution action does (``_do_<action>``; app.core.parts.lifecycle checks and
records it).

- An agenda item and a resolution belong to their meeting's department (``department_id``
  follows the meeting, as a registration's follows its event) and cannot move to another
  meeting: only who keeps the meeting (the Office) adds them.
- A deadline is a working day (China's calendar with 调休 and the administrators' overrides):
  a non-working day is refused, naming the next working day — the leading group set the date,
  so the platform does not move it silently. It cannot be before the meeting.
- The deadline clock (policy ``resolution_deadline``) is due at the end of the deadline day
  (Asia/Shanghai) and measures the responsible department (its notices and supervision
  entries go there; the Office reads them all). Completing or cancelling stops it; an
  extension moves it. Transitions are delivered (notices) after commit.
"""
from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _

from app.clocks.models import SlaClock
from app.clocks.outbox import deliver_pending
from app.clocks.service import load_calendar, reschedule_clock, start_clock, stop_clock
from app.core.commands import ANOTHER_DEPARTMENT, RecordCommands
from app.core.exceptions import ForbiddenError, ValidationFailed
from app.core.models import current_actor
from app.core.scope import current_scope
from app.core.timeutil import display_tz
from app.extensions import db
from app.registers.resolutions.lifecycle import DEADLINE_POLICY
from app.registers.resolutions.models import (
    AgendaItem,
    InvestmentMeeting,
    Resolution,
    ResolutionProgress,
)

SUBJECT = "resolution"  # clocks and notices name the table
OTHER_MEETING = _("A record of a meeting cannot move to another meeting; add it there.")
NO_EVIDENCE = _("Attach the evidence of completion first (a file on the resolution's page).")


def shanghai_day(instant: dt.datetime) -> dt.date:
    """The day (Asia/Shanghai) of a stored (naive UTC) or aware instant."""
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=dt.UTC)
    return instant.astimezone(display_tz()).date()


def end_of_day(day: dt.date) -> dt.datetime:
    """The end of ``day`` in Asia/Shanghai (its next midnight), as aware UTC."""
    midnight = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=display_tz())
    return midnight.astimezone(dt.UTC)


def parse_day(value, key: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip().replace("/", "-").replace(".", "-")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValidationFailed(errors={key: [_("Not a valid day: %(value)s (use YYYY-MM-DD).",
                                               value=text)]}) from None


def deadline_errors(session, day: dt.date, meeting: InvestmentMeeting | None) -> list:
    """Why ``day`` cannot be a resolution's deadline (empty: it can)."""
    calendar = load_calendar(session)
    if not calendar.is_working_day(day):
        return [_("%(day)s is not a working day; the next working day is %(next)s.",
                  day=day.isoformat(), next=calendar.next_working_day(day).isoformat())]
    if meeting is not None and meeting.held_on is not None and day < meeting.held_on:
        return [_("The deadline cannot be before the meeting (%(day)s).",
                  day=meeting.held_on.isoformat())]
    return []


def deadline_clock(session, resolution: Resolution) -> SlaClock | None:
    return (session.query(SlaClock)
            .filter_by(subject_type=SUBJECT, subject_id=resolution.id, name="deadline")
            .one_or_none())


def _follow_meeting(item, before) -> None:
    """The record's department is its meeting's; a stored one keeps its meeting."""
    if before is not None and not current_scope().can_write(before.department_id):
        raise ForbiddenError()  # (who before what: 403 before any 422)
    meeting = item.meeting or (db.session.get(InvestmentMeeting, item.meeting_id)
                               if item.meeting_id else None)
    if meeting is None:
        raise ValidationFailed(errors={"meeting": [_("This field is required.")]})
    linked = before is None or before.values.get("meeting_id") != meeting.id
    if before is not None and linked:
        raise ValidationFailed(errors={"meeting": [OTHER_MEETING]})
    if linked:
        if not current_scope().can_write(meeting.department_id):
            raise ValidationFailed(errors={"meeting": [ANOTHER_DEPARTMENT]})
        item.department_id = meeting.department_id  # (who keeps the meeting keeps its records)


class MeetingCommands(RecordCommands):
    def __init__(self):
        super().__init__(InvestmentMeeting)


class AgendaCommands(RecordCommands):
    def __init__(self):
        super().__init__(AgendaItem)

    def _check_write(self, item, original_department_id, before=None) -> None:
        _follow_meeting(item, before)
        super()._check_write(item, original_department_id, before)


class ResolutionCommands(RecordCommands):
    def __init__(self, now: dt.datetime | None = None):
        super().__init__(Resolution)
        self.now = now

    def _at(self) -> dt.datetime:
        return self.now or dt.datetime.now(dt.UTC)

    def _check_write(self, item: Resolution, original_department_id, before=None) -> None:
        _follow_meeting(item, before)
        super()._check_write(item, original_department_id, before)
        old = before.values.get("deadline") if before is not None else None
        if item.deadline is not None and item.deadline.isoformat() != old:
            if before is not None:
                # (a stored resolution's deadline moves only by an extension, recorded)
                raise ValidationFailed(errors={"deadline": [
                    _("Extend the deadline with the action on the resolution's page.")]})
            errors = deadline_errors(db.session, item.deadline, item.meeting)
            if errors:
                raise ValidationFailed(errors={"deadline": errors})

    def after_create(self, session, item: Resolution) -> None:
        item.original_deadline = item.deadline
        start_clock(session, subject_type=SUBJECT, subject_id=item.id, name="deadline",
                    policy_code=DEADLINE_POLICY, department_id=item.handling_department_id,
                    at=self._at(), due_at=end_of_day(item.deadline))

    def after_commit(self, session) -> None:
        deliver_pending(session, self._at())

    # --- what each lifecycle action does -------------------------------------------------------
    def _progress(self, session, resolution, data, now) -> str:
        text = str(data["note"]).strip()
        actor = current_actor()
        session.add(ResolutionProgress(resolution_id=resolution.id, on=shanghai_day(now),
                                       text=text, author_id=getattr(actor, "id", None)))
        return text

    def _do_report_progress(self, session, resolution, data, now):
        return self._progress(session, resolution, data, now)

    def _do_complete(self, session, resolution, data, now):
        if not resolution.attachments:
            raise ValidationFailed(errors={"note": [NO_EVIDENCE]})
        resolution.completed_on = shanghai_day(now)
        self._stop(session, resolution, now)
        return self._progress(session, resolution, data, now)

    def _do_extend(self, session, resolution, data, now):
        day = parse_day(data.get("deadline"), "deadline")
        errors = deadline_errors(session, day, resolution.meeting)
        if not errors and day <= resolution.deadline:
            errors = [_("An extension gives a later day than %(day)s.",
                        day=resolution.deadline.isoformat())]
        if errors:
            raise ValidationFailed(errors={"deadline": errors})
        old = resolution.deadline
        resolution.deadline = day
        clock = deadline_clock(session, resolution)
        if clock is not None and clock.stopped_at is None:
            reschedule_clock(session, clock, end_of_day(day), now)
        return f"{old.isoformat()} → {day.isoformat()}: {str(data['reason']).strip()}"

    def _do_cancel(self, session, resolution, data, now):
        self._stop(session, resolution, now)
        return str(data["reason"]).strip()

    @staticmethod
    def _stop(session, resolution, now) -> None:
        clock = deadline_clock(session, resolution)
        if clock is not None and clock.stopped_at is None:
            stop_clock(session, clock, now)
