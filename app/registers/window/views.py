"""The Japanese window's page (/window/): the Japanese-funded enterprises the reader may read,
each with its projects, open work orders and upcoming event registrations — names in Japanese
where the records have them (else Chinese, marked), with links to the records.

Four queries whatever the number of enterprises: a page of enterprises with their total, then
the page's projects, orders and registrations. Each register's own rule says what the reader
sees of it (``visibility_clause``): the window reads every Japanese-funded enterprise, and of
their projects, orders and registrations what its department may read; another department's
staff see only their own Japanese-funded enterprises.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask import abort, current_app, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import lazy_gettext as _
from sqlalchemy import func
from sqlalchemy.orm import contains_eager, joinedload

from app.core.scope import visibility_clause
from app.core.timeutil import format_display, format_due, utcnow
from app.extensions import db
from app.registers.enterprises.models import Enterprise
from app.registers.events.models import Event
from app.registers.projects.models import STAGES, Project
from app.registers.registrations.models import STATUSES, Registration
from app.registers.workorders.lifecycle import STATE_LABELS, State
from app.registers.workorders.models import WorkOrder

PAGE_SIZE = 20     # enterprises a page lists
ROWS_CAP = 1000    # projects, orders or registrations read for one page at most
CLOSED = (State.RESOLVED, State.FOLLOWED_UP, State.CLOSED)
SERVICE_VIEW = "WindowServiceView"
PAGE_PERMISSION = "can_list"


@dataclass
class Name:
    """A record's name in Japanese, or its Chinese name marked as such."""

    text: str
    fallback: bool = False


def japanese_name(record) -> Name:
    if getattr(record, "name_ja", None):
        return Name(record.name_ja)
    return Name(record.name_zh, fallback=True)


@dataclass
class EnterpriseRow:
    id: int
    name: Name
    url: str | None
    log_url: str | None
    projects: list = field(default_factory=list)
    orders: list = field(default_factory=list)
    registrations: list = field(default_factory=list)


def _scoped(query, model):
    clause = visibility_clause(model)
    return query if clause is None else query.filter(clause)


def _show_url(view: str, pk: int) -> str | None:
    if not current_app.appbuilder.sm.has_access("can_show", view):
        return None
    return url_for(f"{view}.show", pk=pk)


def _may_list(view: str) -> bool:
    return current_app.appbuilder.sm.has_access("can_list", view)


def enterprises_page(page: int) -> tuple[int, list[Enterprise]]:
    query = (_scoped(db.session.query(Enterprise), Enterprise)
             .filter(Enterprise.japanese_funded.is_(True))
             .order_by(func.coalesce(Enterprise.name_ja, Enterprise.name_zh), Enterprise.id)
             .add_columns(func.count().over())
             .offset(page * PAGE_SIZE).limit(PAGE_SIZE))
    rows = query.all()
    return (rows[0][-1] if rows else 0), [row[0] for row in rows]


def window_rows(enterprises: list[Enterprise]) -> list[EnterpriseRow]:
    may_add = current_app.appbuilder.sm.has_access("can_add", SERVICE_VIEW)
    rows = {e.id: EnterpriseRow(
        e.id, japanese_name(e), _show_url("EnterpriseView", e.id),
        url_for(f"{SERVICE_VIEW}.add", _flt_0_enterprise=e.id) if may_add else None)
        for e in enterprises}
    if not rows:
        return []
    ids = list(rows)
    if _may_list("ProjectView"):
        projects = (_scoped(db.session.query(Project), Project)
                    .filter(Project.enterprise_id.in_(ids))
                    .order_by(Project.enterprise_id, Project.name_zh, Project.id)
                    .limit(ROWS_CAP))
        for p in projects:
            rows[p.enterprise_id].projects.append({
                "name": japanese_name(p), "url": _show_url("ProjectView", p.id),
                "stage": STAGES.get(p.stage, p.stage),
                "target": p.target_production_start or ""})
    if _may_list("WorkOrderView"):
        orders = (_scoped(db.session.query(WorkOrder), WorkOrder)
                  .options(joinedload(WorkOrder.dispatch_clock),
                           joinedload(WorkOrder.resolution_clock))
                  .filter(WorkOrder.enterprise_id.in_(ids), WorkOrder.state.notin_(CLOSED))
                  .order_by(WorkOrder.enterprise_id, WorkOrder.received_at, WorkOrder.id)
                  .limit(ROWS_CAP))
        for o in orders:
            rows[o.enterprise_id].orders.append({
                "ticket": o.ticket, "subject": o.subject, "url": _show_url("WorkOrderView", o.id),
                "state": STATE_LABELS.get(o.state, o.state),
                "due": format_due(o.clock_due_at)})
    if _may_list("RegistrationView"):
        registrations = (_scoped(db.session.query(Registration), Registration)
                         .join(Registration.event).options(contains_eager(Registration.event))
                         .filter(Registration.enterprise_id.in_(ids),
                                 Registration.status != "cancelled",
                                 Event.starts_at >= utcnow())
                         .order_by(Registration.enterprise_id, Event.starts_at, Registration.id)
                         .limit(ROWS_CAP))
        for r in registrations:
            rows[r.enterprise_id].registrations.append({
                "event": japanese_name(r.event), "url": _show_url("EventView", r.event_id),
                "starts_at": format_display(r.event.starts_at),
                "status": STATUSES.get(r.status, r.status)})
    return list(rows.values())


class WindowPageView(BaseView):
    """Granted with the log (app.registers.window.WindowRegister): whoever may read the
    window's services may open it."""

    route_base = "/window"
    default_view = "index"
    method_permission_name = {"index": "list"}

    @expose("/")
    @has_access
    def index(self):
        try:
            page = max(int(request.args.get("page", 0)), 0)
        except ValueError:
            abort(400)
        total, enterprises = enterprises_page(page)
        pages = (total + PAGE_SIZE - 1) // PAGE_SIZE
        return self.render_template(
            "window/page.html", title=_("Japanese window"), rows=window_rows(enterprises),
            total=total, page=page, pages=pages,
            services_url=url_for(f"{SERVICE_VIEW}.list"))
