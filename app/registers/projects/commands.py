"""Project and monthly-report commands: one write path for forms, REST and imports, and what
each stage transition does (``_do_<action>``; app.core.parts.lifecycle checks and records it).

- A new project starts at *intention* or *signed*; its stage then moves only by the lifecycle.
- The project service secretary is a user of the project's lead department (422 otherwise).
- Admission runs the admission checks other packages add (app.registers.projects.hooks).
- A project in a reporting stage (signed … construction) owes a report every month: the month's
  report row is opened empty with the ``monthly_report`` clock on it, due at the month's end
  (Asia/Shanghai) — when it enters those stages, and for every such project by the sweep at
  the start of each month (``open_reports``). Filling the report in stops the clock (met, or
  missed if late); leaving the reporting stages (producing, withdrawn) removes the month's
  unreported row and its clock: no report is owed any more.
"""
from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _
from sqlalchemy import and_, select

from app.clocks.models import SlaClock
from app.clocks.outbox import deliver_pending
from app.clocks.service import start_clock, stop_clock
from app.core.commands import ANOTHER_DEPARTMENT, RecordCommands
from app.core.exceptions import ForbiddenError, ValidationFailed
from app.core.history import record as history_row
from app.core.history import snapshot
from app.core.models import current_actor
from app.core.scope import current_scope
from app.core.timeutil import display_tz
from app.registers.projects.hooks import admission_refusals
from app.registers.projects.lifecycle import REPORT_POLICY, REPORTING_STAGES, START_STAGES
from app.registers.projects.models import (
    Project,
    ProjectReport,
    month_end,
    month_start,
    previous_month,
)

REPORT = ProjectReport.__tablename__  # the clocks' subject: the month's report row
CLOCK = "monthly_report"
NOT_LEAD = _("Choose a user of the project's lead department.")
START_STAGE = _("A new project starts at “Investment intention” or “Signed”.")
STAGE_BY_ACTION = _("The stage changes only by the project's actions (its record page).")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def shanghai_month(instant: dt.datetime) -> dt.date:
    """The first day of the month (Asia/Shanghai) of an aware or naive-UTC instant."""
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=dt.UTC)
    return month_start(instant.astimezone(display_tz()).date())


def _naive(instant: dt.datetime) -> dt.datetime:
    return instant.astimezone(dt.UTC).replace(tzinfo=None) if instant.tzinfo else instant


def open_report(session, project: Project, now: dt.datetime) -> ProjectReport | None:
    """The month's report row of ``project`` with its clock, unless it has one already."""
    month = shanghai_month(now)
    if session.query(ProjectReport.id).filter_by(project_id=project.id,
                                                 month=month).first() is not None:
        return None
    return _open(session, project.id, project.department_id, month, now)


def _open(session, project_id: int, department_id: int, month: dt.date,
          now: dt.datetime) -> ProjectReport:
    report = ProjectReport(project_id=project_id, month=month, department_id=department_id)
    session.add(report)
    session.flush()
    start_clock(session, subject_type=REPORT, subject_id=report.id, name=CLOCK,
                policy_code=REPORT_POLICY, department_id=department_id, at=now,
                due_at=month_end(month).replace(tzinfo=dt.UTC))
    return report


def open_reports(session, now: dt.datetime) -> int:
    """Open this month's report (and clock) of every project in a reporting stage lacking one:
    one query finds them whatever their number; a second run opens nothing."""
    month = shanghai_month(now)
    lacking = session.execute(
        select(Project.id, Project.department_id)
        .outerjoin(ProjectReport, and_(ProjectReport.project_id == Project.id,
                                       ProjectReport.month == month))
        .where(Project.stage.in_([str(s) for s in REPORTING_STAGES]),
               ProjectReport.id.is_(None))
        .order_by(Project.id)).all()
    # (from the month's start, so that the warning falls at the same share of every month)
    start = month_end(previous_month(month))
    for project_id, department_id in lacking:
        _open(session, project_id, department_id, month, start.replace(tzinfo=dt.UTC))
    return len(lacking)


def opening_reports(session, now: dt.datetime, **_kwargs) -> None:
    """The sweep's ``sweep_starting`` listener (connected by the register)."""
    open_reports(session, now if now.tzinfo else now.replace(tzinfo=dt.UTC))


def report_clock(session, report: ProjectReport) -> SlaClock | None:
    return (session.query(SlaClock)
            .filter_by(subject_type=REPORT, subject_id=report.id, name=CLOCK).one_or_none())


class ProjectCommands(RecordCommands):
    def __init__(self, now: dt.datetime | None = None):
        super().__init__(Project)
        self.now = now

    def _check_write(self, item: Project, original_department_id, before=None) -> None:
        super()._check_write(item, original_department_id, before)
        errors: dict = {}
        if before is None and item.stage not in START_STAGES:
            errors["stage"] = [START_STAGE]
        elif before is not None and before.values.get("stage") != item.stage:
            errors["stage"] = [STAGE_BY_ACTION]
        secretary = item.secretary
        moved = before is None or before.values.get("secretary_id") != item.secretary_id \
            or before.department_id != item.department_id
        if secretary is not None and moved and (
                secretary.department_id != item.department_id
                or not current_scope().can_write(secretary.department_id)):
            errors["secretary"] = [NOT_LEAD]
        if errors:
            raise ValidationFailed(errors=errors)

    def after_create(self, session, item: Project) -> None:
        if item.stage in REPORTING_STAGES:
            open_report(session, item, self.now or utcnow())

    def after_commit(self, session) -> None:
        deliver_pending(session, self.now or utcnow())

    # --- what each stage transition does --------------------------------------------------------
    def _do_sign(self, session, project, data, now):
        open_report(session, project, now)
        return data.get("note")

    def _do_admit(self, session, project, data, now):
        refusals = admission_refusals(session, project)
        if refusals:
            raise ValidationFailed(errors={"stage": [str(m) for m in refusals]})
        return data.get("note")

    def _do_start_production(self, session, project, data, now):
        self._close_open_report(session, project, now)
        return data.get("note")

    def _do_withdraw(self, session, project, data, now):
        self._close_open_report(session, project, now)
        return data.get("reason")

    @staticmethod
    def _close_open_report(session, project, now) -> None:
        """The month's unreported row and its clock go: no report is owed any more."""
        row = (session.query(ProjectReport)
               .filter_by(project_id=project.id, month=shanghai_month(now), reported_at=None)
               .one_or_none())
        if row is not None:
            clock = report_clock(session, row)
            if clock is not None:
                session.delete(clock)
            session.delete(row)
            session.flush()


class ReportCommands(RecordCommands):
    """A report is written as its project: the project's lead department. The month is kept as
    its first day; a month cannot be reported before it starts; progress is required. Filling a
    report in records who and when, and stops its month's clock."""

    def __init__(self, now: dt.datetime | None = None):
        super().__init__(ProjectReport)
        self.now = now

    def _check_write(self, item: ProjectReport, original_department_id, before=None) -> None:
        scope = current_scope()
        if original_department_id is not None and not scope.can_write(original_department_id):
            raise ForbiddenError()
        project = item.project
        if project is not None:
            if not scope.can_write(project.department_id):
                raise ValidationFailed(errors={"project": [ANOTHER_DEPARTMENT]})
            item.department_id = project.department_id  # (the project's lead department)
        if item.month is not None:
            item.month = month_start(item.month)
        super()._check_write(item, original_department_id, before)
        errors: dict = {}
        now = self.now or utcnow()
        if before is not None and (str(before.values.get("project_id")) != str(item.project_id)
                                   or str(before.values.get("month")) != str(item.month)):
            errors["month"] = [_("A report stays with its project and month.")]
        elif item.month is not None and item.month > shanghai_month(now):
            errors["month"] = [_("A month cannot be reported on before it starts.")]
        if not (item.progress or "").strip():
            errors["progress"] = [_("This field is required.")]
        if errors:
            raise ValidationFailed(errors=errors)
        if item.reported_at is None:
            item.reported_at = _naive(now)
            item.on_time = item.reported_at < month_end(item.month)
            actor = current_actor()
            item.reported_by_id = actor.id if actor is not None else None

    def update(self, item, before) -> None:
        def work(session):
            session.add(item)
            session.flush()
            self._check_write(item, before.department_id, before)
            clock = report_clock(session, item)
            if clock is not None and clock.stopped_at is None:
                stop_clock(session, clock, self.now or utcnow())
            history_row(session, item, "update", before.values, snapshot(item))

        self._run(work)

    def after_commit(self, session) -> None:
        deliver_pending(session, self.now or utcnow())
