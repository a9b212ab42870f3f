"""SLA policies and calendar overrides (administrators), clocks and notices (departments)."""
from __future__ import annotations

import datetime as dt

from flask import abort, current_app, flash, g, redirect, url_for
from flask_appbuilder import ModelView, expose, has_access
from flask_appbuilder.actions import action
from flask_appbuilder.security.decorators import permission_name
from flask_babel import lazy_gettext as _
from markupsafe import Markup
from wtforms import SelectField, SelectMultipleField

from app.clocks.models import CalendarOverride, Notice, SlaClock, SlaPolicy, Supervision
from app.clocks.service import load_calendar
from app.clocks.year import FIRST_YEAR, LAST_YEAR, year_months
from app.core import registry
from app.core.calendars import weekday_names
from app.core.home import Row, Section, counted, list_url, may, register_section
from app.core.interface import Interface, ScopedInterface
from app.core.parts.views import Panel, register_panel
from app.core.timeutil import format_display, format_due, utcnow
from app.core.views import HardenedViewMixin, display_formatters
from app.extensions import db
from app.sla.calendar import SHANGHAI

UNITS = {
    "minutes": _("minutes"), "hours": _("hours"), "calendar_days": _("calendar days"),
    "working_days": _("working days"),
}
STATES = {
    "running": _("On track"), "warning": _("At risk"), "breached": _("Overdue"),
    "paused": _("Paused"), "met": _("Kept"), "missed": _("Broken"),
}


def clock_name(name: str) -> str:
    """A clock's name as its register declares it (e.g. an order's "Dispatch")."""
    return registry.clock_names().get(name, name)


def _pause_choices() -> list[tuple[str, str]]:
    # The registers' states in which a clock may pause (read when a form is made).
    return [(str(code), label) for code, label in registry.pause_states().items()]
NOTICE_TEXT = {
    "warning": _("%(clock)s of %(subject)s is at risk."),
    "breached": _("%(clock)s of %(subject)s is overdue; supervision has been opened."),
    "missed": _("%(clock)s of %(subject)s was kept late."),
}


def unconfirmed_years_message() -> str | None:
    """A visible warning while this year's or next year's schedule is not confirmed."""
    calendar = load_calendar(db.session)
    year = dt.datetime.now(SHANGHAI).year
    missing = [y for y in (year, year + 1) if not calendar.is_confirmed(y)]
    if not missing:
        return None
    return str(_(
        "The holiday schedule of %(years)s is not confirmed: due dates assume plain weekends. "
        "Add the official schedule as calendar overrides.",
        years=", ".join(str(y) for y in missing),
    ))


class CalendarWarningMixin:
    def render_template(self, template, **kwargs):
        message = unconfirmed_years_message()
        if message:
            flash(message, "warning")
        return super().render_template(template, **kwargs)


class SlaPolicyView(CalendarWarningMixin, HardenedViewMixin, ModelView):
    route_base = "/sla-policies"
    datamodel = Interface(SlaPolicy)
    base_permissions = ["can_list", "can_show", "can_edit"]
    list_title = _("SLA policies")
    show_title = edit_title = _("SLA policy")
    label_columns = {
        "name": _("Name"), "name_zh": _("Name (Chinese)"), "name_ja": _("Name (Japanese)"),
        "name_en": _("Name (English)"), "amount": _("Target"), "unit": _("Unit"),
        "warning_percent": _("Warning threshold (percent of time elapsed)"),
        "pause_states": _("Paused in states"),
    }
    # A policy by its name in the reader's language (its code is the seeds' key, not shown).
    list_columns = ["name", "amount", "unit", "warning_percent"]
    search_columns = ["name_zh", "name_ja", "name_en", "unit"]
    show_columns = ["name_zh", "name_ja", "name_en", "amount", "unit",
                    "warning_percent", "pause_states"]
    edit_columns = ["name_zh", "name_ja", "name_en", "amount", "unit", "warning_percent",
                    "pause_states"]
    edit_form_extra_fields = {
        "unit": SelectField(_("Unit"), choices=list(UNITS.items())),
        "pause_states": SelectMultipleField(
            _("Paused in states"), choices=_pause_choices),
    }

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.formatters_columns = {
            **display_formatters(self), "unit": lambda u: UNITS.get(u, u),
            "pause_states": lambda s: "、".join(str(registry.pause_states().get(x, x))
                                                for x in s or [])}

    def prefill_form(self, form, pk):
        form.pause_states.data = list(self.datamodel.get(pk).pause_states or [])

    def pre_update(self, item):
        if item.amount is None or item.amount <= 0:
            raise ValueError(_("The target must be a positive number."))
        if item.warning_percent is None or not 0 < item.warning_percent <= 100:
            raise ValueError(_("The warning threshold must be between 1 and 100."))


class CalendarOverrideView(CalendarWarningMixin, HardenedViewMixin, ModelView):
    route_base = "/calendar"
    datamodel = Interface(CalendarOverride)
    list_template = "puwan/calendar_list.html"
    list_title = _("Working-day calendar overrides")
    show_title = add_title = edit_title = _("Calendar override")
    label_columns = {"day": _("Date"), "working": _("Working day"), "note": _("Note")}
    list_columns = ["day", "working", "note"]
    add_columns = edit_columns = show_columns = search_columns = list_columns
    base_order = ("day", "desc")
    method_permission_name = {"year": "list"}

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.formatters_columns = display_formatters(self)

    @expose("/year/")
    @expose("/year/<int:year>")
    @has_access
    @permission_name("list")
    def year(self, year: int | None = None):
        """The year at a glance: official holidays, make-up working days and overrides."""
        year = year or dt.datetime.now(SHANGHAI).year
        if not FIRST_YEAR <= year <= LAST_YEAR:
            abort(404)
        calendar = load_calendar(db.session)
        overrides = dict(db.session.query(CalendarOverride.day, CalendarOverride.id).filter(
            CalendarOverride.day.between(dt.date(year, 1, 1), dt.date(year, 12, 31))))
        return self.render_template(
            "puwan/calendar_year.html", title=_("Working-day calendar %(year)s", year=year),
            year=year, months=year_months(calendar, year), weekdays=weekday_names(),
            overrides=overrides, confirmed=calendar.is_confirmed(year),
            first_year=FIRST_YEAR, last_year=LAST_YEAR)


def _clock_state(state):
    return STATES.get(state, state)


class SubjectInterface(ScopedInterface):
    """Rows that name a record of any register (``subject_type``, ``subject_id``): the records a
    page shows are read once, one query per register, for their labels and links (and only
    those the user may read)."""

    def get_values(self, lst, list_columns):
        lst = list(lst)
        _load_subjects(lst)
        return super().get_values(lst, list_columns)

    def get_values_item(self, item, show_columns):
        _load_subjects([item])
        return super().get_values_item(item, show_columns)


def _load_subjects(rows) -> None:
    from collections import defaultdict

    from app.core.scope import visibility_clause

    wanted = defaultdict(set)
    for row in rows:
        wanted[row.subject_type].add(row.subject_id)
    labels = g.setdefault("_puwan_subjects", {})
    for table, ids in wanted.items():
        model = registry.model_for(table)
        if model is None:
            continue
        query = db.session.query(model).filter(model.id.in_(ids))
        clause = visibility_clause(model)
        for record in query if clause is None else query.filter(clause):
            labels[(table, record.id)] = str(record)


def _show_endpoint(table: str) -> str | None:
    """The page of a register's record, if the user may open it (looked up once per request
    and register, not once per row)."""
    found = g.setdefault("_puwan_show_endpoints", {})
    if table not in found:
        appbuilder = current_app.appbuilder
        found[table] = next((
            f"{view.endpoint}.show" for view in appbuilder.baseviews
            if getattr(getattr(getattr(view, "datamodel", None), "obj", None), "__tablename__",
                       None) == table and hasattr(view, "show")
            and appbuilder.sm.has_access("can_show", view.class_permission_name)), None)
    return found[table]


def subject_link(row) -> str:
    """The supervised record by its own label (an order's ticket), linked to its page; by its
    register and number where the user may not read it."""
    from app.core.admin_views import register_label

    label = g.get("_puwan_subjects", {}).get((row.subject_type, row.subject_id))
    if label is None:
        return f"{register_label(row.subject_type)} #{row.subject_id}"
    endpoint = _show_endpoint(row.subject_type)
    if endpoint is None:
        return label
    return Markup('<a href="{}">{}</a>').format(url_for(endpoint, pk=row.subject_id), label)


class SlaClockView(CalendarWarningMixin, HardenedViewMixin, ModelView):
    route_base = "/sla-clocks"
    datamodel = SubjectInterface(SlaClock)
    base_permissions = ["can_list", "can_show"]
    list_title = _("SLA clocks")
    show_title = _("SLA clock")
    label_columns = {
        "subject_type": _("Register"), "subject_id": _("Record"), "subject": _("Record"),
        "name": _("Clock"), "policy": _("SLA policy"), "state": _("State"),
        "current_state": _("State"), "started_at": _("Started at"),
        "due_at": _("Due at"), "stopped_at": _("Stopped at"), "department": _("Department"),
        "unconfirmed": _("Unconfirmed calendar"),
    }
    # (the record by its label, e.g. an order's ticket; the state as it reads now)
    list_columns = ["subject_type", "subject", "name", "policy", "current_state", "due_at",
                    "department"]
    show_columns = ["subject_type", "subject", "name", "policy", "current_state", "started_at",
                    "due_at", "stopped_at", "department", "unconfirmed"]
    search_columns = ["subject_type", "subject_id", "name", "state", "department", "due_at"]
    base_order = ("due_at", "asc")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        from app.core.admin_views import register_label

        self.formatters_columns = {**display_formatters(self), "state": _clock_state,
                                   "current_state": _clock_state, "subject": subject_link,
                                   "due_at": format_due,
                                   "name": clock_name,
                                   "subject_type": register_label}


def notice_text(notice) -> str:
    from app.core.admin_views import register_label

    template = NOTICE_TEXT.get(notice.kind)
    # the record by its own label (an order's ticket) where the page loaded it (SubjectInterface)
    subject = g.get("_puwan_subjects", {}).get((notice.subject_type, notice.subject_id)) \
        or f"{register_label(notice.subject_type)} #{notice.subject_id}"
    clock = clock_name(notice.clock_name)
    return str(template) % {"clock": clock, "subject": subject} if template else ""


class NoticeView(HardenedViewMixin, ModelView):
    route_base = "/notices"
    datamodel = SubjectInterface(Notice)
    base_permissions = ["can_list", "can_show", "mark_read"]
    list_title = _("Notices")
    show_title = _("Notice")
    label_columns = {"created_at": _("Time"), "text": _("Notice"), "read_at": _("Read at"),
                     "department": _("Department")}
    list_columns = ["created_at", "text", "department", "read_at"]
    show_columns = list_columns
    search_columns = ["created_at", "department", "read_at"]
    base_order = ("created_at", "desc")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.formatters_columns = {**display_formatters(self), "text": notice_text}

    @action("mark_read", _("Mark as read"), None, "fa-check", single=False)
    def mark_read(self, items):
        items = items if isinstance(items, list) else [items]
        for item in items:
            item.read_at = item.read_at or utcnow()
        db.session.commit()
        return redirect(self.get_redirect())


SUPERVISION_REASONS = {"breach": _("A promise was broken (opened automatically)"),
                       "office": _("Opened by the Office")}


class SupervisionView(HardenedViewMixin, ModelView):
    """督办 entries: each department sees those on its own work, the Office and readers all."""

    route_base = "/supervision"
    datamodel = SubjectInterface(Supervision)
    base_permissions = ["can_list", "can_show"]
    list_title = _("Supervision")
    show_title = _("Supervision entry")
    label_columns = {"opened_at": _("Opened at"), "subject": _("Supervised record"),
                     "reason": _("Reason"), "department": _("Supervised department"),
                     "note": _("Note"), "closed_at": _("Closed at")}
    list_columns = ["opened_at", "subject", "reason", "department", "note", "closed_at"]
    show_columns = list_columns
    search_columns = ["opened_at", "reason", "department", "note", "closed_at"]
    order_columns = ["opened_at", "reason", "closed_at"]
    base_order = ("opened_at", "desc")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.formatters_columns = {**display_formatters(self), "subject": subject_link,
                                   "reason": lambda r: SUPERVISION_REASONS.get(r, r)}


def unread_notices(actor) -> Section | None:
    """The notices to the user's department that nobody has read yet, newest first."""
    if not may("can_list", "NoticeView"):
        return None
    query = (db.session.query(Notice)
             .filter(Notice.department_id == actor.department_id, Notice.read_at.is_(None))
             .order_by(Notice.created_at.desc(), Notice.id.desc()))
    count, rows = counted(query)
    _load_subjects([notice for (notice,) in rows])
    endpoints = {}
    for (notice,) in rows:
        if notice.subject_type not in endpoints:
            endpoints[notice.subject_type] = _show_endpoint(notice.subject_type)
    return Section(
        "notices", _("Unread notices"), count, (_("Time"), _("Notice")),
        [Row(cells=[format_display(n.created_at), notice_text(n)],
             url=url_for(endpoints[n.subject_type], pk=n.subject_id)
             if endpoints[n.subject_type] else None) for (n,) in rows],
        url=list_url("NoticeView", department=actor.department_id), css="info")


def record_clocks(register, record) -> list[dict] | None:
    """The record page's panel of its clocks (for a register that declares clocks)."""
    if not register.clocks:
        return None
    clocks = (db.session.query(SlaClock)
              .filter_by(subject_type=register.table, subject_id=record.id)
              .order_by(SlaClock.id))
    return [{"name": register.clocks.get(c.name, c.name), "state": _clock_state(c.state_now()),
             "due": format_due(c.due_at), "unconfirmed": c.unconfirmed} for c in clocks]


def register(appbuilder) -> None:
    register_section("clocks.notices", unread_notices)
    register_panel(Panel("clocks", "puwan/parts/clocks.html", record_clocks))
    appbuilder.add_view(NoticeView, "Notices", label=_("Notices"), icon="fa-bell",
                        category="SLA", category_label=_("Service promises"),
                        category_icon="fa-clock-o")
    appbuilder.add_view(SupervisionView, "Supervision", label=_("Supervision"), icon="fa-flag",
                        category="SLA")
    appbuilder.add_view(SlaClockView, "SLA clocks", label=_("SLA clocks"), icon="fa-clock-o",
                        category="SLA")
    appbuilder.add_view(SlaPolicyView, "SLA policies", label=_("SLA policies"),
                        icon="fa-sliders", category="Reference data")
    appbuilder.add_view(CalendarOverrideView, "Working-day calendar",
                        label=_("Working-day calendar"), icon="fa-calendar",
                        category="Reference data")
    appbuilder.add_link("Working-day calendar by year", href="/calendar/year/",
                        label=_("Working-day calendar by year"), icon="fa-calendar-o",
                        category="Reference data")
