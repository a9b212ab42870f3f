"""The project page's monthly reports panel (app.core.parts.views ``register_panel``): the
project's reports newest first with their status and clock, the month's report to fill in (or a
new one to add), in two queries whatever the number of reports. It reads only what the reader
may read (the reports' ``visible_clause``); the buttons show only to who may write the project's
reports (the command checks it again)."""
from __future__ import annotations

import datetime as dt

from flask import current_app, url_for
from sqlalchemy.orm import joinedload

from app.clocks.models import SlaClock
from app.clocks.views import STATES as CLOCK_STATES
from app.core.scope import current_scope, visibility_clause
from app.core.timeutil import format_display, format_due
from app.extensions import db
from app.registers.projects.commands import CLOCK, REPORT, shanghai_month
from app.registers.projects.lifecycle import CLOCK_NAMES
from app.registers.projects.models import Project, ProjectReport

PANEL_ROWS = 36  # three years of months
VIEW = "ProjectReportView"


def _may(permission: str) -> bool:
    return current_app.appbuilder.sm.has_access(permission, VIEW)


def project_reports(register, project) -> dict | None:
    if register.table != Project.__tablename__ or not _may("can_list"):
        return None
    query = db.session.query(ProjectReport).options(joinedload(ProjectReport.reported_by))
    clause = visibility_clause(ProjectReport)
    if clause is not None:
        query = query.filter(clause)
    rows = (query.filter(ProjectReport.project_id == project.id)
            .order_by(ProjectReport.month.desc()).limit(PANEL_ROWS).all())
    clocks = {c.subject_id: c for c in db.session.query(SlaClock).filter(
        SlaClock.subject_type == REPORT, SlaClock.name == CLOCK,
        SlaClock.subject_id.in_([r.id for r in rows]))} if rows else {}
    writable = _may("can_edit") and current_scope().can_write(project.department_id)
    month = shanghai_month(dt.datetime.now(dt.UTC))
    current = next((r for r in rows if r.month == month), None)
    return {
        "rows": [_row(r, clocks.get(r.id), writable) for r in rows],
        "month": month.strftime("%Y-%m"),
        "current": _row(current, clocks.get(current.id), writable) if current else None,
        "clock_name": CLOCK_NAMES[CLOCK],
        "add_url": url_for(f"{VIEW}.add", _flt_0_project=project.id)
        if writable and _may("can_add") else None,
    }


def _row(report: ProjectReport, clock: SlaClock | None, writable: bool) -> dict:
    return {
        "id": report.id, "month": report.month_label, "status": report.status,
        "status_label": report.status_label,
        "progress": report.progress or "", "problems": report.problems or "",
        "reported_by": str(report.reported_by or ""),
        "reported_at": format_display(report.reported_at) if report.reported_at else "",
        "clock_state": clock.state_now() if clock else "",
        "clock_label": str(CLOCK_STATES.get(clock.state_now(), "")) if clock else "",
        "due_at": format_due(clock.due_at) if clock else "",
        "show_url": url_for(f"{VIEW}.show", pk=report.id),
        "edit_url": url_for(f"{VIEW}.edit", pk=report.id) if writable else None,
    }
