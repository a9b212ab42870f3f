"""A project's approval schedule, written only through these commands (one transaction each,
403 before 409 before 422, a refusal changes nothing, a line on the project's timeline).

- ``plan``: lay the schedule: the chosen handbook items (default: every item the project's
  industry needs), each with the handbook's time limit, scheduled backwards from the project's
  target start of production (the construction works are one of the items, so the permits fall
  before them).
- ``recompute``: after the target date moved (or the calendar changed) — dates, slack, critical
  path and the clocks follow; the project's timeline says what moved.
- ``adjust_duration``: the approving department sets an item's duration; the plan is recomputed.
- ``record_actual``: the approving department records an item's actual start and/or end; the
  item's clocks stop on those dates (met or missed).

Each item has two SLA clocks due at its own dates: ``approval_start`` (the latest start) and
``approval_end`` (the due end), owned by the approving department, so their warnings and
breaches reach it; the project's secretary is told by app.registers.schedules.notices.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import lazy_gettext as _

from app.clocks.models import SlaClock
from app.clocks.outbox import deliver_pending
from app.clocks.service import load_calendar, naive, reschedule_clock, start_clock, stop_clock
from app.core.exceptions import ForbiddenError, TransitionError, ValidationFailed
from app.core.models import current_actor
from app.core.scope import current_scope
from app.core.timeutil import utcnow
from app.extensions import db
from app.registers.projects.models import Project, ProjectEvent
from app.registers.schedules.handbook import effective_dependencies
from app.registers.schedules.models import ApprovalItem, ScheduleItem
from app.sla.schedule import ScheduleError, Task, schedule

CLOCK_START, CLOCK_END = "approval_start", "approval_end"
CLOCK_NAMES = (CLOCK_START, CLOCK_END)
POLICY = "approval_schedule"
SUBJECT = ScheduleItem.__tablename__
APPROVAL_BUREAU = "AAB"


@dataclass
class Change:
    item: str
    before: tuple
    after: tuple


def handbook(session) -> dict[str, ApprovalItem]:
    return {i.code: i for i in session.query(ApprovalItem).order_by(ApprovalItem.position)}


def default_codes(session, project: Project) -> list[str]:
    return [code for code, item in handbook(session).items() if item.applies_to(project.industry)]


def _may_plan(project: Project) -> bool:
    scope = current_scope()
    if scope.can_write(project.department_id):
        return True
    actor = current_actor()
    department = getattr(actor, "department", None)
    return getattr(department, "code", None) == APPROVAL_BUREAU and scope.can_write(
        actor.department_id)


def _items(session, project: Project) -> list[ScheduleItem]:
    return (session.query(ScheduleItem).filter_by(project_id=project.id)
            .order_by(ScheduleItem.id).all())


def _due_instants(item: ScheduleItem) -> dict[str, dt.datetime]:
    calendar = load_calendar(db.session)
    # due at the end of the day named: the latest start day, the due end day
    return {CLOCK_START: calendar.start_of_day(item.late_start + dt.timedelta(days=1)),
            CLOCK_END: calendar.start_of_day(item.late_finish + dt.timedelta(days=1))}


def _lay_out(session, project: Project, items: list[ScheduleItem], now: dt.datetime
             ) -> list[Change]:
    """Compute the plan into ``items`` and move their clocks; returns what moved."""
    if project.target_production_start is None:
        raise ValidationFailed(_("Set the project's target start of production first: the "
                                 "schedule is computed backwards from it."),
                               {"target_production_start": [_("Required for the schedule.")]})
    calendar = load_calendar(session)
    tasks = [Task(i.code, i.duration, tuple(i.dependency_codes)) for i in items]
    try:
        plan = schedule(tasks, target=project.target_production_start,
                        start=calendar.local_date(now.replace(tzinfo=dt.UTC)),
                        calendar=calendar)
    except ScheduleError as exc:
        raise ValidationFailed(_("The items cannot be scheduled (%(error)s).",
                                 error=str(exc))) from exc
    changes = []
    clocks = {(c.subject_id, c.name): c for c in session.query(SlaClock).filter(
        SlaClock.subject_type == SUBJECT, SlaClock.subject_id.in_([i.id for i in items]))}
    for item in items:
        slot = plan.slots[item.code]
        before = (item.late_start, item.late_finish)
        item.late_start, item.late_finish = slot.late_start, slot.late_finish
        item.early_start, item.early_finish = slot.early_start, slot.early_finish
        item.slack, item.critical = slot.slack, slot.critical
        if before != (item.late_start, item.late_finish):
            changes.append(Change(item.code, before, (item.late_start, item.late_finish)))
        for name, due in _due_instants(item).items():
            row = clocks.get((item.id, name))
            if row is None:
                start_clock(session, subject_type=SUBJECT, subject_id=item.id, name=name,
                            policy_code=POLICY, department_id=item.department_id,
                            at=now.replace(tzinfo=dt.UTC), due_at=due)
            elif naive(due) != row.due_at:
                reschedule_clock(session, row, due, now.replace(tzinfo=dt.UTC))
    return changes


def _note(changes: list[Change]) -> str:
    return "; ".join(f"{c.item}: {c.before[0] or '—'}…{c.before[1] or '—'} → "
                     f"{c.after[0]}…{c.after[1]}" for c in changes)


def _event(session, project: Project, action: str, note: str, now: dt.datetime) -> None:
    actor = current_actor()
    session.add(ProjectEvent(project_id=project.id, action=action, at=now, note=note,
                             actor_id=getattr(actor, "id", None)))


def _commit(session, now: dt.datetime) -> None:
    try:
        session.commit()
    except Exception:
        session.rollback()
        raise
    deliver_pending(session, now)


def plan(project: Project, codes: list[str] | None = None, now: dt.datetime | None = None
         ) -> list[ScheduleItem]:
    session = db.session
    now = naive(now) if now else utcnow()
    if not _may_plan(project):
        raise ForbiddenError()
    if _items(session, project):
        raise TransitionError(_("The project already has a schedule: recompute it instead."))
    book = handbook(session)
    codes = list(codes) if codes is not None else default_codes(session, project)
    unknown = [c for c in codes if c not in book]
    if unknown or not codes:
        raise ValidationFailed(_("Choose items of the approval handbook."),
                               {"items": [", ".join(unknown) or _("None chosen.")]})
    codes = [c for c in book if c in set(codes)]  # the handbook's order
    deps = effective_dependencies(book, codes)
    try:
        items = [ScheduleItem(project_id=project.id, approval_item=book[c],
                              department_id=book[c].department_id, duration=book[c].days,
                              depends_on=" ".join(deps[c])) for c in codes]
        session.add_all(items)
        session.flush()
        _lay_out(session, project, items, now)
        _event(session, project, "schedule", ", ".join(codes), now)
    except Exception:
        session.rollback()
        raise
    _commit(session, now)
    return items


def recompute(project: Project, now: dt.datetime | None = None) -> list[Change]:
    """After the target date moved: the plan again, what moved on the project's timeline."""
    session = db.session
    now = naive(now) if now else utcnow()
    if not _may_plan(project):
        raise ForbiddenError()
    items = _items(session, project)
    if not items:
        raise TransitionError(_("The project has no schedule yet."))
    try:
        changes = _lay_out(session, project, items, now)
        if changes:
            _event(session, project, "reschedule",
                   f"{project.target_production_start}: {_note(changes)}", now)
    except Exception:
        session.rollback()
        raise
    _commit(session, now)
    return changes


def adjust_duration(item: ScheduleItem, duration, now: dt.datetime | None = None
                    ) -> list[Change]:
    session = db.session
    now = naive(now) if now else utcnow()
    if not current_scope().can_write(item.department_id):
        raise ForbiddenError(_("Only the approving department adjusts an item's duration."))
    if item.actual_end is not None:
        raise TransitionError(_("The item is done: its duration can no longer change."))
    if not isinstance(duration, int) or isinstance(duration, bool) or not 1 <= duration <= 999:
        raise ValidationFailed(errors={"duration": [
            _("A whole number of working days from 1 to 999.")]})
    try:
        old = item.duration
        item.duration = duration
        project = item.project
        changes = _lay_out(session, project, _items(session, project), now)
        _event(session, project, "adjust",
               f"{item.code}: {old} → {duration}" + (f"; {_note(changes)}" if changes else ""),
               now)
    except Exception:
        session.rollback()
        raise
    _commit(session, now)
    return changes


def record_actual(item: ScheduleItem, start: dt.date | None = None,
                  end: dt.date | None = None, now: dt.datetime | None = None) -> None:
    session = db.session
    now = naive(now) if now else utcnow()
    if not current_scope().can_write(item.department_id):
        raise ForbiddenError(_("Only the approving department records an item's dates."))
    start = start or item.actual_start
    if start is None and end is not None:
        raise ValidationFailed(errors={"actual_start": [_("Record the start first.")]})
    calendar = load_calendar(session)
    today = calendar.local_date(now.replace(tzinfo=dt.UTC))
    errors = {}
    if start and start > today:
        errors["actual_start"] = [_("A date not after today.")]
    if end and end > today:
        errors["actual_end"] = [_("A date not after today.")]
    if start and end and end < start:
        errors["actual_end"] = [_("Not before the start.")]
    if errors:
        raise ValidationFailed(errors=errors)
    try:
        clocks = {c.name: c for c in session.query(SlaClock).filter_by(
            subject_type=SUBJECT, subject_id=item.id)}
        for name, day in ((CLOCK_START, start), (CLOCK_END, end)):
            row = clocks.get(name)
            if day is not None and row is not None and row.stopped_at is None:
                # stopped at the end of the day recorded (met when that day is not late)
                at = calendar.start_of_day(day + dt.timedelta(days=1)) - dt.timedelta(seconds=1)
                stop_clock(session, row, max(at, row.started_at.replace(tzinfo=dt.UTC)))
        note = f"{item.code}: {start or '—'}…{end or '—'}"
        item.actual_start, item.actual_end = start, end or item.actual_end
        _event(session, item.project, "actual", note, now)
    except Exception:
        session.rollback()
        raise
    _commit(session, now)
