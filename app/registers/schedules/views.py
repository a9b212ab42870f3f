"""A project's schedule page (table + Gantt), its one JSON endpoint, its printable handbook,
and the forms the approving department posts (duration, actual dates) — each a thin call of a
command in app.registers.schedules.commands.

Who reads a schedule: whoever reads the project (its lead department), and the departments
approving one of its items (they keep those items). Everyone else gets 404, on every route.
The page and the JSON cost a fixed number of queries whatever the number of items.
"""
from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.security.decorators import permission_name
from flask_babel import gettext
from flask_babel import lazy_gettext as _
from sqlalchemy.orm import joinedload

from app.clocks.service import load_calendar
from app.core.exceptions import CommandError
from app.core.models import reader_language
from app.core.parts.views import Panel, register_panel
from app.core.scope import current_scope
from app.core.security_labels import VIEW_MENU_LABELS
from app.core.timeutil import utcnow
from app.extensions import db
from app.registers.projects.models import Project
from app.registers.schedules import commands
from app.registers.schedules.models import STAGES, ApprovalItem, ScheduleItem

VIEW = "ScheduleView"
VIEW_MENU_LABELS[VIEW] = _("Approval schedule")  # (no menu entry names it)


def _items(project_id: int) -> list[ScheduleItem]:
    return (db.session.query(ScheduleItem)
            .options(joinedload(ScheduleItem.approval_item).joinedload(ApprovalItem.department),
                     joinedload(ScheduleItem.department))
            .filter(ScheduleItem.project_id == project_id)
            .order_by(ScheduleItem.late_start, ScheduleItem.id).all())


def readable_project(pk: int) -> tuple[Project, list[ScheduleItem]]:
    """The project and its items, if the reader may see them (else 404)."""
    project = db.session.get(Project, pk)
    if project is None:
        abort(404)
    items = _items(pk)
    scope = current_scope()
    if not (scope.can_read(project.department_id)
            or any(scope.can_read(i.department_id) for i in items)):
        abort(404)
    return project, items


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def gantt_data(project: Project, items: list[ScheduleItem], today: dt.date) -> dict:
    calendar = load_calendar(db.session)
    days = [d for i in items for d in (i.late_start, i.late_finish, i.early_start,
                                       i.actual_start, i.actual_end) if d]
    days += [today, project.target_production_start] if project.target_production_start else []
    off: list[list[str]] = []
    if days:
        day, last = min(days) - dt.timedelta(days=7), max(days) + dt.timedelta(days=7)
        while day <= last:
            if not calendar.is_working_day(day):
                if off and off[-1][1] == _iso(day - dt.timedelta(days=1)):
                    off[-1][1] = _iso(day)
                else:
                    off.append([_iso(day), _iso(day)])
            day += dt.timedelta(days=1)
    codes = {i.code: i.id for i in items}
    return {
        "project": {"id": project.id, "name": project.name,
                    "target": _iso(project.target_production_start)},
        "today": _iso(today),
        "non_working": off,
        "labels": {"planned": gettext("Planned (as late as possible)"),
                   "actual": gettext("Actual"), "today": gettext("Today"),
                   "critical": gettext("Critical path"), "target": gettext("Target date")},
        "items": [{
            "id": i.id, "code": i.code, "name": i.approval_item.name,
            "department": i.department.name if i.department else "",
            "duration": i.duration, "slack": i.slack, "critical": i.critical,
            "late_start": _iso(i.late_start), "late_finish": _iso(i.late_finish),
            "early_start": _iso(i.early_start), "early_finish": _iso(i.early_finish),
            "actual_start": _iso(i.actual_start), "actual_end": _iso(i.actual_end),
            "depends_on": [codes[c] for c in i.dependency_codes if c in codes],
        } for i in items],
    }


def _date(name: str) -> dt.date | None:
    value = (request.form.get(name) or "").strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(_("A date as YYYY-MM-DD."), {name: [_("A date as YYYY-MM-DD.")]}
                           ) from exc


class ScheduleView(BaseView):
    route_base = "/schedules"
    default_view = "show"
    base_permissions = ["can_show", "can_edit"]

    @expose("/project/<int:pk>")
    @has_access
    def show(self, pk):
        project, items = readable_project(pk)
        scope = current_scope()
        today = load_calendar(db.session).local_date(utcnow().replace(tzinfo=dt.UTC))
        return self.render_template(
            "schedules/show.html", project=project, items=items, today=today,
            writable={i.id for i in items if scope.can_write(i.department_id)},
            may_plan=commands._may_plan(project), stages=STAGES, lang=reader_language(),
            # (the handbook only to choose from before a schedule exists)
            handbook=[] if items else list(commands.handbook(db.session).values()),
            default_codes=set() if items else set(commands.default_codes(db.session, project)))

    @expose("/project/<int:pk>/data")
    @has_access
    @permission_name("show")
    def data(self, pk):
        project, items = readable_project(pk)
        today = load_calendar(db.session).local_date(utcnow().replace(tzinfo=dt.UTC))
        return jsonify(gantt_data(project, items, today))

    @expose("/project/<int:pk>/print")
    @has_access
    @permission_name("show")
    def print(self, pk):
        project, items = readable_project(pk)
        return self.render_template("schedules/print.html", project=project, items=items,
                                    stages=STAGES, lang=reader_language())

    @expose("/project/<int:pk>/plan", methods=["POST"])
    @has_access
    @permission_name("edit")
    def plan(self, pk):
        project, items = readable_project(pk)
        codes = request.form.getlist("items") or None
        try:
            if items:
                commands.recompute(project)
            else:
                commands.plan(project, codes)
            flash(gettext("The schedule was computed."), "success")
        except CommandError as exc:
            flash(str(exc.message), "danger")
        return redirect(url_for("ScheduleView.show", pk=pk), 303)

    @expose("/item/<int:pk>", methods=["POST"])
    @has_access
    def edit(self, pk):
        item = db.session.get(ScheduleItem, pk)
        if item is None:
            abort(404)
        readable_project(item.project_id)
        try:
            duration = request.form.get("duration")
            if duration is not None and duration.strip() and int_or_none(duration) != item.duration:
                commands.adjust_duration(item, int_or_none(duration))
            start, end = _date("actual_start"), _date("actual_end")
            if (start, end) != (item.actual_start, item.actual_end) and (start or end):
                commands.record_actual(item, start, end)
            flash(gettext("Saved."), "success")
        except CommandError as exc:
            details = "; ".join(str(m) for ms in exc.errors.values() for m in ms)
            flash(f"{exc.message} {details}".strip(), "danger")
        return redirect(url_for("ScheduleView.show", pk=item.project_id), 303)


def int_or_none(value: str):
    try:
        return int(value)
    except (TypeError, ValueError):
        return value  # refused by the command with its message


def schedule_panel(register, project) -> dict | None:
    """On a project's page: the schedule's state and the link to it."""
    if register.table != Project.__tablename__ or not current_app.appbuilder.sm.has_access(
            "can_show", VIEW):
        return None
    count = db.session.query(ScheduleItem.id).filter_by(project_id=project.id).count()
    return {"count": count, "url": url_for("ScheduleView.show", pk=project.id)}


templates = Blueprint("schedules_templates", __name__, template_folder="templates")


def install(appbuilder) -> None:
    if templates.name not in current_app.blueprints:
        current_app.register_blueprint(templates)
    appbuilder.add_view_no_menu(ScheduleView())
    register_panel(Panel("schedule", "schedules/panel.html", schedule_panel))
