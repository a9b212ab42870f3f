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
from sqlalchemy import case, func, insert, literal_column, or_

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


def _by_source(datamodel, charts) -> dict:
    """Charts grouped by the scoped datamodel they count (the view's own, or a ``source``)."""
    groups: dict = {}
    for chart in charts:
        source = _source(datamodel, chart)
        groups.setdefault(id(source), (source, []))[1].append(chart)
    return groups


def _same_expression_key(expr) -> tuple:
    compiled = expr.compile()
    return str(compiled), tuple(sorted((k, repr(v)) for k, v in compiled.params.items()))


def cube(datamodel, charts: list[Chart], filters=None, dims: tuple = ()) -> dict:
    """The figures of several charts of one model in ONE ``GROUP BY`` (one scan of the table
    instead of one per chart): grouped by every chart's group expression (and ``dims``), each
    chart's ``where`` turned into a condition inside its own aggregates.

    Returns {chart key: {(group key, *dims): [n, total]}}. Department isolation comes from the
    scoped ``datamodel``; the list's ``filters`` apply (through the chart's ``join`` when the
    charted model is another one)."""
    model = datamodel.obj
    groups, slots, slot_of = [], {}, {}
    for chart in charts:
        expr = chart.group(model)
        key = _same_expression_key(expr)
        if key not in slots:
            slots[key] = len(groups)
            groups.append(expr)
        slot_of[chart.key] = slots[key]
    aggregates = []
    for chart in charts:
        condition = chart.where(model) if chart.where is not None else None
        if chart.measure is None:
            n = func.sum(case((condition, 1), else_=0)) if condition is not None else func.count()
            aggregates += [n, n]
        else:
            value = chart.measure(model)
            if condition is not None:
                value = case((condition, value), else_=None)
            aggregates += [func.count(value), func.sum(value)]
    dim_columns = [getattr(model, d) for d in dims]
    labelled = [g.label(f"g{i}") for i, g in enumerate(groups)]
    query = db.session.query(*labelled, *dim_columns, *aggregates).select_from(model)
    joined = charts[0].join(model) if filters is not None and charts[0].join else None
    if joined is not None:
        query = query.join(*joined)
    query = datamodel.scoped(query)
    wheres = [chart.where(model) if chart.where is not None else None for chart in charts]
    if all(w is not None for w in wheres):
        query = query.filter(or_(*wheres))  # rows no chart counts are not grouped at all
    if filters is not None and (joined is not None or charts[0].source is None):
        query = filters.apply_all(query)
    out: dict = {chart.key: {} for chart in charts}
    base = len(groups) + len(dims)
    for row in query.group_by(*labelled, *dim_columns):
        dim_values = tuple(row[len(groups):base])
        for i, chart in enumerate(charts):
            n, total = row[base + 2 * i], row[base + 2 * i + 1]
            if not n:
                continue
            cell = out[chart.key].setdefault((row[slot_of[chart.key]], *dim_values), [0.0, 0.0])
            cell[0] += float(n)
            cell[1] += float(total or 0)
    return out


def _sorted(cells: dict) -> list[tuple]:
    return sorted(((k[0], n, t) for k, (n, t) in cells.items()),
                  key=lambda row: (row[0] is None, row[0]))


def aggregate_all(datamodel, charts: list[Chart], filters=None) -> dict:
    """{chart key: [(group key, n, total)]}, live: one query per charted model."""
    out = {}
    for source, group in _by_source(datamodel, charts).values():
        for key, cells in cube(source, group, filters).items():
            out[key] = _sorted(cells)
    return out


# --- rollups: the unfiltered figures, pre-aggregated -----------------------------------------------
ROLLUP_COLUMNS = ("department_id", "handling_department_id", "japanese_funded")


def _visibility_columns(model) -> tuple[str, ...]:
    return tuple(c for c in ROLLUP_COLUMNS if c in model.__table__.columns)


def refresh_rollup(view) -> int:
    """Recompute ``view``'s rollup in one transaction; returns the rows written."""
    from app.core.models import ChartRollup, ChartRollupRun
    from app.core.timeutil import utcnow

    name = type(view).__name__
    rows = []
    for source, group in _by_source(view.datamodel, view.charts).values():
        columns = _visibility_columns(source.obj)
        # Unscoped: the rollup holds every department's figures, each row with its columns.
        for chart_key, cells in cube(_Unscoped(source), group, dims=columns).items():
            for (key, *dim_values), (n, total) in cells.items():
                is_int = isinstance(key, (bool, int))
                rows.append({"view": name, "chart": chart_key,
                             **dict.fromkeys(ROLLUP_COLUMNS),
                             **dict(zip(columns, dim_values, strict=True)),
                             "key_int": int(key) if is_int else None,
                             "key_text": None if is_int or key is None else str(key),
                             "n": n, "total": total})
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


class _Unscoped:
    """A datamodel stand-in that applies no department criterion (for the rollup only, whose
    rows are filtered by department when they are read)."""

    def __init__(self, datamodel):
        self.obj = datamodel.obj

    @staticmethod
    def scoped(query):
        return query


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
        live = {} if rolled else aggregate_all(self.datamodel, self.charts, filters)
        out = []
        for chart in self.charts:
            rows = rolled[0][chart.key] if rolled else live[chart.key]
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
