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

from flask import abort, g, jsonify
from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.security.decorators import permission_name
from flask_appbuilder.urltools import get_filter_args
from sqlalchemy import func, insert, literal_column

from app.core.scope import visibility_clause
from app.core.timeutil import format_display
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
    measure: Callable | None = None  # model -> value per row; None counts rows
    agg: str = "count"       # count | sum | avg (of ``measure``)
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

    def partials(self, model):
        """(n, total) aggregates that add up across groups, so a rollup can be summed again."""
        if self.measure is None:
            return func.count(), func.count()
        value = self.measure(model)
        return func.count(value), func.sum(value)

    def value(self, n, total) -> float:
        n, total = float(n or 0), float(total or 0)
        if self.agg == "avg":
            return round(total / n, 2) if n else 0.0
        return round(total if self.agg == "sum" else n, 2)


def month_label(key: str) -> str:
    """'2026-11' → 2026年11月 / Nov 2026, in the reader's language."""
    from babel.dates import format_skeleton
    from flask_babel import get_locale

    year, month = (int(part) for part in key.split("-"))
    return format_skeleton("yMMM", dt.date(year, month, 1), locale=str(get_locale() or "zh"))


def _names(model) -> dict:
    """id -> display name of a small reference table, read once per request."""
    cache = g.setdefault("_puwan_names", {})
    if model not in cache:
        cache[model] = {row.id: str(row) for row in db.session.query(model)}
    return cache[model]


def department_label(department_id) -> str:
    from app.core.models import Department

    return _names(Department).get(department_id, "—")


def reference_label(model):
    return lambda pk: _names(model).get(pk, "—")


def _source(datamodel, chart: Chart):
    return chart.source if chart.source is not None else datamodel


def aggregate(datamodel, chart: Chart, filters=None) -> list[tuple]:
    """One GROUP BY over the scoped interface; the list's filters apply to its own model.
    Returns (group key, n, total) rows."""
    joined = None
    if chart.source is not None:
        joined = chart.join(chart.source.obj) if chart.join and filters is not None else None
        datamodel = chart.source
        if joined is None:
            filters = None
    model = datamodel.obj
    group = chart.group(model).label("k")
    n, total = chart.partials(model)
    query = db.session.query(group, n.label("n"), total.label("t")).select_from(model)
    if joined is not None:
        query = query.join(*joined)
    query = datamodel.scoped(query)
    if chart.where is not None:
        query = query.filter(chart.where(model))
    if filters is not None:
        query = filters.apply_all(query)
    return query.group_by(group).order_by(group).all()


# --- rollups: the unfiltered figures, pre-aggregated -----------------------------------------------
ROLLUP_COLUMNS = ("department_id", "handling_department_id", "japanese_funded")


def _visibility_columns(model) -> list[str]:
    return [c for c in ROLLUP_COLUMNS if c in model.__table__.columns]


def refresh_rollup(view) -> int:
    """Recompute ``view``'s rollup in one transaction; returns the rows written."""
    from app.core.models import ChartRollup, ChartRollupRun
    from app.core.timeutil import utcnow

    name = type(view).__name__
    rows = []
    for chart in view.charts:
        model = _source(view.datamodel, chart).obj
        columns = _visibility_columns(model)
        group = chart.group(model).label("k")
        n, total = chart.partials(model)
        dims = [getattr(model, c) for c in columns]
        query = db.session.query(group, *dims, n, total).select_from(model)
        if chart.where is not None:
            query = query.filter(chart.where(model))
        for key, *values in query.group_by(group, *dims):
            *dim_values, count, summed = values
            is_int = isinstance(key, (bool, int))
            rows.append({"view": name, "chart": chart.key,
                         **{c: None for c in ROLLUP_COLUMNS}, **dict(zip(columns, dim_values,
                                                                         strict=True)),
                         "key_int": int(key) if is_int else None,
                         "key_text": None if is_int or key is None else str(key),
                         "n": float(count or 0), "total": float(summed or 0)})
    try:
        db.session.query(ChartRollup).filter_by(view=name).delete()
        if rows:
            db.session.execute(insert(ChartRollup), rows)
        db.session.merge(ChartRollupRun(view=name, refreshed_at=utcnow()))
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return len(rows)


def read_rollup(view):
    """{chart key: [(group key, n, total)]} for the current user, and when it was computed;
    None when the view has never been rolled up."""
    from app.core.models import ChartRollup, ChartRollupRun

    name = type(view).__name__
    run = db.session.get(ChartRollupRun, name)
    if run is None:
        return None
    out: dict = {chart.key: [] for chart in view.charts}
    sources: dict = {}
    for chart in view.charts:
        sources.setdefault(_source(view.datamodel, chart).obj, []).append(chart.key)
    for model, keys in sources.items():
        query = (db.session.query(ChartRollup.chart, ChartRollup.key_int, ChartRollup.key_text,
                                  func.sum(ChartRollup.n), func.sum(ChartRollup.total))
                 .filter(ChartRollup.view == name, ChartRollup.chart.in_(keys)))
        clause = visibility_clause(model, on=ChartRollup)
        if clause is not None:
            query = query.filter(clause)
        grouped = query.group_by(ChartRollup.chart, ChartRollup.key_int, ChartRollup.key_text)
        for chart_key, key_int, key_text, n, total in grouped:
            out[chart_key].append((key_text if key_int is None else key_int, n, total))
    for rows in out.values():
        rows.sort(key=lambda row: (row[0] is None, row[0]))
    return out, run.refreshed_at


def refresh_all(app) -> dict:
    """Refresh every rolled-up dashboard of ``app``; returns {view name: rows}."""
    with app.app_context():
        return {type(view).__name__: refresh_rollup(view) for view in app.appbuilder.baseviews
                if isinstance(view, ChartsView) and view.rollup}


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

    # Unfiltered figures come from the rollup when there is one (``flask charts refresh``, run
    # from cron); filtered ones are computed live.
    rollup = False

    def chart_data(self) -> list[dict]:
        filters = self._filters()
        rolled = None
        if self.rollup and not filters.values:
            rolled = read_rollup(self)
        out = []
        for chart in self.charts:
            rows = rolled[0][chart.key] if rolled else aggregate(self.datamodel, chart, filters)
            out.append({"key": chart.key, "title": str(chart.title), "kind": chart.kind,
                        "value_label": str(chart.value_label or ""), "percent": chart.percent,
                        "labels": [chart.label(k) for k, _n, _t in rows],
                        "values": [chart.value(n, t) for _k, n, t in rows],
                        "as_of": format_display(rolled[1]) if rolled else None})
        return out

    @expose("/")
    @has_access
    @permission_name("charts")
    def page(self):
        charts = self.chart_data()
        return self.render_template(self.template, title=self.title, charts=charts,
                                    as_of=charts[0]["as_of"] if charts else None)

    @expose("/data.json")
    @has_access
    @permission_name("charts")
    def data(self):
        charts = self.chart_data()
        if not charts:
            abort(404)
        return jsonify(charts)
