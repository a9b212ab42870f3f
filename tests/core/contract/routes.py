"""The standard routes of the registers' derived classes: FAB's list, show, add, edit, delete,
actions, export, REST and chart routes of each register's view, API and charts view. The
contract tests check them from the declaration (test_permissions); the golden permission
matrix keeps every other route (a register's own, FAB's security views, the clocks …)."""
from __future__ import annotations

from app.core import registry
from app.core.charts import ChartsView
from app.core.views import ScopedModelView, ScopedRestApi

BASES = (ScopedModelView, ScopedRestApi, ChartsView)


def register_views(app, register) -> list:
    """The register's view, API and charts view (instances, as FAB holds them)."""
    return [v for v in app.appbuilder.baseviews
            if type(v) in (register.view_class, register.api_class)
            or (isinstance(v, ChartsView) and v.datamodel.obj is register.model)]


def standard_routes(app, register) -> list[tuple[str, str, object, str]]:
    """(method, rule, view, function) of each standard route of the register's classes: a
    route whose function the standard base (ScopedModelView, ScopedRestApi, ChartsView) has."""
    views = {v.endpoint: v for v in register_views(app, register)}
    found = []
    for rule in app.url_map.iter_rules():
        endpoint, _dot, function = rule.endpoint.partition(".")
        view = views.get(endpoint)
        if view is None:
            continue
        base = next(b for b in BASES if isinstance(view, b))
        if not hasattr(base, function):
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            found.append((method, rule.rule, view, function))
    return found


def standard_rules(app) -> set[tuple[str, str]]:
    """(method, rule) of every register's standard routes."""
    return {(method, rule) for register in registry.registers()
            for method, rule, _view, _function in standard_routes(app, register)}
