"""The event register's own view and API bases (the kit derives the classes on them):

- the add form starts with the lead and co-operating departments of the kind's measure
  (app.registers.events.defaults), and follows the kind when the person changes it;
- the record page shows the fields of the event's kind, and a summary panel: places
  (capacity / registered / waiting), attendance and the .ics download;
- ``GET /events/ics/<pk>``: the event as an iCalendar file (who may read it; another
  department's event is not found).
"""
from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, current_app, make_response, request, url_for
from flask_appbuilder import expose, has_access
from flask_appbuilder.security.decorators import permission_name
from flask_babel import lazy_gettext as _

from app.core.models import Department
from app.core.parts.views import Panel, register_panel
from app.core.scope import current_scope
from app.core.views import ScopedModelView, ScopedRestApi, writable_department_ids
from app.extensions import db
from app.registers.events.commands import EventCommands
from app.registers.events.defaults import all_defaults, defaults
from app.registers.events.ics import IcsEvent, calendar_file
from app.registers.events.models import KINDS, Event


def shown_columns(event: Event, columns: list[str]) -> list[str]:
    """The record page's columns for this event: those of its kind, and the reason for
    cancelling only on a cancelled one."""
    table = Event.__table__.columns
    out = []
    for name in columns:
        kinds = table[name].info.get("kinds") if name in table else None
        if kinds is not None and event.kind not in kinds:
            continue
        if name == "cancel_reason" and event.state != "cancelled":
            continue
        out.append(name)
    return out


class EventViewBase(ScopedModelView):
    add_template = "events/add.html"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.commands = EventCommands()
        # The record page reads its few co-operating departments and partner institutions with
        # the event (one query, not two more): room for the panels within the page's bound.
        self.datamodel.eager_one = (*self.datamodel.eager_one, "co_departments", "institutions")

    def _get_add_widget(self, form, exclude_cols=None, widgets=None):
        if request.method == "GET":  # (a form sent back with errors keeps what was sent)
            kind = request.args.get("kind")
            form.kind.data = kind if kind in KINDS else form.kind.data or next(iter(KINDS))
            lead, cooperating = defaults(form.kind.data, current_scope(),
                                         writable_department_ids())
            departments = {d.id: d for d in db.session.query(Department)}
            if lead is not None and "department" in form:
                form.department.data = departments[lead]
            if "co_departments" in form:
                form.co_departments.data = [departments[d] for d in cooperating]
        return super()._get_add_widget(form, exclude_cols=exclude_cols, widgets=widgets)

    def render_template(self, template, **kwargs):
        if template == self.add_template:
            kwargs["event_defaults"] = all_defaults(current_scope(), writable_department_ids())
        return super().render_template(template, **kwargs)

    def _get_show_widget(self, pk, item, widgets=None, actions=None, show_fieldsets=None):
        if show_fieldsets is None and not self.show_fieldsets:
            show_fieldsets = [(str(self.show_title), {
                "fields": shown_columns(item, self.show_columns)})]
        return super()._get_show_widget(pk, item, widgets=widgets, actions=actions,
                                        show_fieldsets=show_fieldsets)

    @expose("/ics/<int:pk>")
    @has_access
    @permission_name("show")
    def ics(self, pk):
        """The event as an .ics file, in the reader's language."""
        event = self.datamodel.get(pk, self._base_filters)
        if event is None:
            abort(404)
        body = calendar_file(ics_event(event), dt.datetime.now(dt.UTC))
        response = make_response(body)
        response.headers["Content-Type"] = "text/calendar; charset=utf-8"
        response.headers["Content-Disposition"] = f'attachment; filename="event-{event.id}.ics"'
        return response


def ics_event(event: Event) -> IcsEvent:
    parts = [event.description or ""]
    organiser = str(_("Organised by: %(department)s", department=event.department))
    parts.append(organiser)
    if event.state == "cancelled" and event.cancel_reason:
        parts.append(str(_("Cancelled: %(reason)s", reason=event.cancel_reason)))
    changed = event.changed_on or event.created_on
    return IcsEvent(
        uid=f"event-{event.id}@puwan-esp",
        starts_at=event.starts_at, ends_at=event.ends_at,
        summary=event.name, location=event.venue or "",
        description="\n\n".join(p for p in parts if p),
        url=url_for("EventView.show", pk=event.id, _external=True),
        cancelled=event.state == "cancelled",
        # grows with every change, so a calendar replaces the copy it imported before
        sequence=int((changed - event.created_on).total_seconds()) if changed else 0,
        changed_at=changed)


class EventApiBase(ScopedRestApi):
    def __init__(self):
        super().__init__()
        self.commands = EventCommands()

    def post_headless(self):
        # As the form: the lead and co-operating departments of the kind's measure, unless given.
        data = request.get_json(silent=True)
        if isinstance(data, dict) and data.get("kind") in KINDS:
            lead, cooperating = defaults(data["kind"], current_scope(), writable_department_ids())
            if data.get("department") is None and lead is not None:
                data["department"] = lead
            if "co_departments" not in data:
                data["co_departments"] = cooperating
        return super().post_headless()


# --- the record page's summary panel -----------------------------------------------------------------
def summary(register, event) -> dict | None:
    """Places and attendance of the event: one query over its registrations."""
    if register.table != Event.__tablename__:
        return None
    from app.registers.registrations.figures import by_status, event_figures

    figures = event_figures(event.id)
    people, firms = figures["people"], figures["enterprises"]
    registered, waiting = by_status(people, "registered"), by_status(people, "waitlisted")
    enterprises = by_status(firms, "registered")
    waiting_enterprises = by_status(firms, "waitlisted")
    present, absent, excused = (firms["registered", a] for a in ("present", "absent", "excused"))
    free = None if event.capacity is None else max(event.capacity - registered, 0)
    recorded = present + absent + excused
    return {
        "capacity": event.capacity, "registered": registered, "waiting": waiting,
        "enterprises": enterprises, "waiting_enterprises": waiting_enterprises, "free": free,
        "present": present, "absent": absent, "excused": excused,
        "unrecorded": max(enterprises - recorded, 0),
        "rate": round(100 * present / enterprises) if enterprises and recorded else None,
        "ics_url": url_for("EventView.ics", pk=event.id),
    }


templates = Blueprint("events_templates", __name__, template_folder="templates")


def install(appbuilder) -> None:
    """The register's templates and its record page's panel (once per app)."""
    app = current_app
    if templates.name not in app.blueprints:
        app.register_blueprint(templates)
    register_panel(Panel("summary", "events/summary.html", summary))
