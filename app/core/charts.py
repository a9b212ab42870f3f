"""Charts as configuration, computed in SQL, drawn by the app's own Apache ECharts.

A register declares ``Chart``s (group by a column, a month or the department; count, sum or
average; bar, pie or line). Data comes from one ``GROUP BY`` query through the register's scoped
data interface — department isolation holds — with the list's current filters applied. Every
chart has a data table beside it, translated labels, tooltips and "save as image".
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from flask import abort, jsonify
from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.security.decorators import permission_name
from flask_appbuilder.urltools import get_filter_args
from sqlalchemy import func, literal_column

from app.extensions import db

SHANGHAI_OFFSET_HOURS = 8  # instants are stored in UTC; months are Shanghai months


def month_of(column):
    """'YYYY-MM' of a UTC column, in Asia/Shanghai, on SQLite and PostgreSQL alike."""
    if db.engine.dialect.name == "postgresql":
        return func.to_char(column + literal_column(f"interval '{SHANGHAI_OFFSET_HOURS} hours'"),
                            "YYYY-MM")
    return func.strftime("%Y-%m", column, f"+{SHANGHAI_OFFSET_HOURS} hours")


@dataclass
class Chart:
    key: str
    title: object
    group: Callable          # model -> SQL expression to group by
    value: Callable = lambda model: func.count()  # model -> aggregate expression
    kind: str = "bar"        # bar | pie | line
    labels: Callable | dict | None = None  # group key -> display label
    value_label: object = None
    where: Callable | None = None          # model -> extra criterion
    percent: bool = False
    source: object = None  # another scoped datamodel (e.g. clocks on the work-order dashboard)
    # With a source: (record model, on-clause) joining the view's records, so that the list's
    # filters apply to these charts too.
    join: Callable | None = None

    def label(self, key) -> str:
        if key is None:
            return "—"
        if callable(self.labels):
            return str(self.labels(key))
        if isinstance(self.labels, dict):
            return str(self.labels.get(key, key))
        return str(key)


def month_label(key: str) -> str:
    """'2026-11' → 2026年11月 / Nov 2026, in the reader's language."""
    from babel.dates import format_skeleton
    from flask_babel import get_locale

    year, month = (int(part) for part in key.split("-"))
    return format_skeleton("yMMM", dt.date(year, month, 1), locale=str(get_locale() or "zh"))


def department_label(department_id) -> str:
    from app.core.models import Department

    department = db.session.get(Department, department_id)
    return str(department) if department else "—"


def aggregate(datamodel, chart: Chart, filters=None) -> list[tuple[str, float]]:
    """One GROUP BY over the scoped interface; the list's filters apply to its own model."""
    joined = None
    if chart.source is not None:
        joined = chart.join(chart.source.obj) if chart.join else None
        datamodel = chart.source
        if joined is None:
            filters = None
    model = datamodel.obj
    group = chart.group(model).label("k")
    query = db.session.query(group, chart.value(model).label("v")).select_from(model)
    if joined is not None:
        query = query.join(*joined)
    query = datamodel.scoped(query)
    if chart.where is not None:
        query = query.filter(chart.where(model))
    if filters is not None:
        query = filters.apply_all(query)
    rows = query.group_by(group).order_by(group).all()
    return [(chart.label(k), round(float(v or 0), 2)) for k, v in rows]


class ChartsView(BaseView):
    """A register's chart page: ``datamodel`` (scoped) and ``charts``; filters as on its list."""

    route_base = ""
    default_view = "page"
    datamodel = None
    charts: list[Chart] = []
    title = ""
    search_columns: list[str] = []
    template = "puwan/charts.html"

    def _filters(self):
        filters = self.datamodel.get_filters(self.search_columns)
        get_filter_args(filters, disallow_if_not_in_search=True)
        return filters

    def chart_data(self) -> list[dict]:
        filters = self._filters()
        out = []
        for chart in self.charts:
            rows = aggregate(self.datamodel, chart, filters)
            out.append({"key": chart.key, "title": str(chart.title), "kind": chart.kind,
                        "value_label": str(chart.value_label or ""), "percent": chart.percent,
                        "labels": [r[0] for r in rows], "values": [r[1] for r in rows]})
        return out

    @expose("/")
    @has_access
    @permission_name("charts")
    def page(self):
        return self.render_template(self.template, title=self.title, charts=self.chart_data())

    @expose("/data.json")
    @has_access
    @permission_name("charts")
    def data(self):
        charts = self.chart_data()
        if not charts:
            abort(404)
        return jsonify(charts)
