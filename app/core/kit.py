"""The register kit: a register's FAB classes derived from its one declaration.

``install(appbuilder, register)`` makes (unless the register brings its own) a ``<Key>View``
(ModelView), a ``<Key>Api`` (ModelRestApi), when it declares charts a ``<Key>ChartsView`` and
when it declares a calendar a ``<Key>CalendarView`` — ordinary FAB classes on the scoped,
hardened bases (app.core.views), named so that their permission keys are stable — and adds them
to the menu. What the columns declare (app.core.fields: labels, choices, ranges) drives their
forms, formatters and checks.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _

from app.core import fields
from app.core.calendars import CalendarView, column_is_day
from app.core.charts import ChartsView
from app.core.interface import ScopedInterface
from app.core.parts.views import api_mixins, view_mixins
from app.core.registry import Register
from app.core.views import ScopedModelView, ScopedRestApi

# Menu categories: their untranslated name (a permission key), translated label and icon.
CATEGORIES = {
    "Registers": (_("Registers"), "fa-folder-open"),
    "Reference data": (_("Reference data"), "fa-book"),
    "Dashboards": (_("Dashboards"), "fa-dashboard"),
}
AUDIT_COLUMNS = ["created_on", "changed_on", "created_by", "changed_by"]


def _audit_columns(model) -> list[str]:
    return [c for c in AUDIT_COLUMNS if hasattr(model, c)]


def _api_column(model, column: str) -> str:
    """A relation as its records' ids (``department.id``), a column as itself."""
    rel = fields._relations(model).get(column)
    return f"{column}.id" if rel is not None else column


def labels(register: Register) -> dict:
    return {**register.field_labels, **{c: fields.labels(register.model).get(c, c)
                                        for c in _audit_columns(register.model)}}


def view_class(register: Register) -> type:
    if register.view is not None:
        return register.view
    model, edit = register.model, list(register.edit_columns)
    attrs = {
        "route_base": register.route,
        "datamodel": ScopedInterface(model),
        "list_title": register.label,
        "show_title": register.title,
        "add_title": register.add_title or register.title,
        "edit_title": register.edit_title or register.title,
        "label_columns": labels(register),
        "description_columns": fields.descriptions(model),
        "list_columns": register.list_columns or edit,
        "show_columns": register.show_columns or edit + _audit_columns(model),
        "add_columns": register.add_columns or edit,
        "edit_columns": edit,
        "search_columns": register.search_columns or edit,
        "order_columns": register.order_columns or [],
        "base_order": register.base_order,
        "export_columns": register.export_columns,
        "link_column": register.link_column,
        "import_key": register.import_key,
        **register.view_attrs,
    }
    # (with the routes of the record parts it declares: app.core.parts.views)
    bases = (*view_mixins(register), register.view_base or ScopedModelView)
    return type(register.view_name, bases, attrs)


def api_class(register: Register) -> type:
    if register.api is not None:
        return register.api
    model, edit = register.model, list(register.edit_columns)
    listed = register.api_list_columns or ["id"] + [
        _api_column(model, c) for c in (register.list_columns or edit)
        if c in fields._columns(model) or c in fields._relations(model)]
    shown = register.api_show_columns or ["id"] + [
        _api_column(model, c) for c in edit] + [
        c for c in ("created_on", "changed_on") if hasattr(model, c)]
    attrs = {
        "resource_name": register.resource,
        "datamodel": ScopedInterface(model),
        "label_columns": labels(register),
        "list_columns": listed,
        "show_columns": shown,
        "add_columns": register.add_columns or edit,
        "edit_columns": edit,
        "search_columns": register.search_columns or edit,
        "order_columns": register.order_columns or [],
        "base_order": register.base_order,
        **register.api_attrs,
    }
    bases = (*api_mixins(register), register.api_base or ScopedRestApi)
    return type(register.api_name, bases, attrs)


def charts_class(register: Register) -> type | None:
    if register.charts_view is not None or not register.charts:
        return register.charts_view
    return type(register.charts_view_name, (ChartsView,), {
        "route_base": f"{register.route}/charts",
        "datamodel": ScopedInterface(register.model),
        "title": register.charts_title or register.label,
        "search_columns": register.chart_search_columns or register.search_columns or [],
        "filter_controls": register.chart_filters,
        "charts": register.charts,
    })


def calendar_class(register: Register) -> type | None:
    calendar = register.calendar
    if calendar is None:
        return None
    model = register.model
    for column in (calendar.start, calendar.end):
        if column is not None and not column_is_day(model, column):
            raise ValueError(f"{register.name}: calendar column {column!r} is not a date")
    choices = register.field_values.get(calendar.color) if calendar.color else {}
    if choices is None:
        raise ValueError(f"{register.name}: calendar colour {calendar.color!r} has no choices")
    return type(register.calendar_view_name, (CalendarView,), {
        "route_base": f"{register.route}/calendar",
        "datamodel": ScopedInterface(model),
        "calendar": calendar,
        "title": register.label,
        "show_view": register.view_class.__name__,
        "choices": choices,
    })


def _menu(appbuilder, view, name, label, icon, category) -> None:
    category_label, category_icon = CATEGORIES[category]
    appbuilder.add_view(view, name, label=label, icon=icon, category=category,
                        category_label=category_label, category_icon=category_icon)


def derive(register: Register) -> None:
    """Make the register's classes once per process: every app (each test's, each worker's)
    then adds the same classes, as it would a module's, and ``register.view_class`` … name them
    whichever app is asked."""
    if register.view_class is not None:
        return
    register.view_class = view_class(register)
    register.calendar_class = calendar_class(register)
    register.api_class = api_class(register)
    register.charts_class = charts_class(register)
    if register.charts_class is not None:
        register.charts_class.rollup_columns = register.rollup_columns


def install(appbuilder, register: Register) -> None:
    """Add the register's views and API to FAB (menu entries under its category)."""
    derive(register)
    _menu(appbuilder, register.view_class, register.name, register.label, register.icon,
          register.category)
    calendar = register.calendar_class
    if calendar is not None:
        label = register.calendar.label or _("%(record)s calendar", record=register.title)
        _menu(appbuilder, calendar, register.calendar_name, label, "fa-calendar",
              register.category)
    appbuilder.add_api(register.api_class)
    if register.extra is not None:
        register.extra(appbuilder)
    charts = register.charts_class
    if charts is not None:
        _menu(appbuilder, charts, register.charts_name, register.charts_label or charts.title,
              "fa-bar-chart", "Dashboards")
