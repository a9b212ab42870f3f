"""Charts as configuration, computed in SQL, drawn by the app's own Apache ECharts.

A register declares ``Chart``s (group by a column, a month or the department; count, sum or
average; bar, pie or line). Data comes from one ``GROUP BY`` query through the register's scoped
data interface — department isolation holds — with the list's current filters applied. Every
chart has a data table beside it, translated labels, tooltips and "save as image".

A chart page's filter bar is configuration too (``FilterControl``): each control sets one of
the list's ``_flt_<index>_<column>`` arguments, so a dashboard URL filters like the list's.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from flask import abort, g, jsonify, request
from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.security.decorators import permission_name
from flask_appbuilder.urltools import get_filter_args
from flask_babel import get_locale
from flask_babel import lazy_gettext as _
from sqlalchemy import case, func, insert, literal_column, or_

from app.core import fields
from app.core.scope import visibility_clause
from app.core.timeutil import display_tz, format_display
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
    # model -> SQL expression to group by; or a column's name: its declared choices
    # (app.core.fields) then name the groups unless ``labels`` says otherwise
    group: Callable | str
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

    def __post_init__(self):
        self.column = self.group if isinstance(self.group, str) else None
        if self.column is not None:
            self.group = lambda model, name=self.column: getattr(model, name)

    def labelled_by(self, model) -> None:
        """Group names from the column's declared choices, where the chart names none."""
        if self.labels is None and self.column is not None:
            self.labels = fields.choices(model).get(self.column)

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


def _visibility_columns(view, model) -> tuple[str, ...]:
    """The rollup columns the view's register declares (``rollup_columns``) that ``model`` has:
    what its ``visible_clause`` reads."""
    return tuple(c for c in view.rollup_columns if c in model.__table__.columns)


def refresh_rollup(view) -> int:
    """Recompute ``view``'s rollup in one transaction; returns the rows written."""
    from app.core.models import ChartRollup, ChartRollupRun
    from app.core.timeutil import utcnow

    name = type(view).__name__
    rows = []
    for source, group in _by_source(view.datamodel, view.charts).values():
        columns = _visibility_columns(view, source.obj)
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


# --- the filter bar ------------------------------------------------------------------------------
@dataclass
class FilterControl:
    """One control of a chart page's filter bar, setting the list filter ``op`` (FAB's
    ``arg_name``: ``eq``, ``gt``, ``lt``) of a search column. The control follows the column: a
    select of ``choices`` (a dict code → label; a relation's rows by default), a day for ``gt``
    ("from") and ``lt`` ("to") on a time column, a check box for a yes/no column."""

    column: str
    label: object
    op: str = "eq"
    choices: dict | None = None


def _filter_index(datamodel, filters, control: FilterControl) -> int:
    op = "rel_o_m" if datamodel.is_relation(control.column) and control.op == "eq" else control.op
    names = [f.arg_name for f in filters.get_search_filters()[control.column]]
    return names.index(op)


def _choices(datamodel, control: FilterControl) -> list[tuple[str, str]]:
    if control.choices is not None:
        return [(str(code), str(label)) for code, label in control.choices.items()]
    model = datamodel.get_related_model(control.column)
    return [(str(row.id), str(row)) for row in db.session.query(model).order_by(model.id)]


def period_bound(value: str, op: str) -> dt.datetime:
    """A day or time typed on a chart page (Asia/Shanghai) as the UTC instant bounding the
    period: "from" a day counts from its first moment, "to" a day includes the whole day."""
    text = value.strip()
    moment = dt.datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=display_tz())
    if len(text) == 10:  # a day
        moment += {"gt": -dt.timedelta(microseconds=1), "lt": dt.timedelta(days=1)}.get(op, dt.timedelta())
    return moment.astimezone(dt.UTC).replace(tzinfo=None)


def typed_filters(datamodel, filters) -> list[str]:
    """Drop the controls left empty (no filter) and read days and times as Shanghai time.
    Returns the translated errors of values that are not days; those filters are dropped."""
    errors, kept = [], []
    for flt, values in zip(filters.filters, filters.values, strict=True):
        values = [v for v in (values if isinstance(values, list) else [values]) if str(v).strip()]
        if values and datamodel.is_datetime(flt.column_name) and flt.arg_name in ("gt", "lt"):
            try:
                values = [period_bound(v, flt.arg_name) for v in values]
            except ValueError:
                errors.append(str(_("Not a valid day: %(value)s (use YYYY-MM-DD).",
                                    value=values[0])))
                values = []
        if values:
            kept.append((flt, values))
    filters.filters = [flt for flt, _values in kept]
    filters.values = [values for _flt, values in kept]
    return errors


class ChartsView(BaseView):
    """A register's chart page: ``datamodel`` (scoped) and ``charts``; filters as on its list."""

    route_base = ""
    default_view = "page"
    datamodel = None
    charts: list[Chart] = []
    title = ""
    search_columns: list[str] = []
    template = "puwan/charts.html"
    filter_controls: list[FilterControl] = []
    # The columns a rollup row keeps (of ROLLUP_COLUMNS) so that the charted model's
    # ``visible_clause`` can apply to it: declared by the register.
    rollup_columns: tuple[str, ...] = ("department_id",)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        for chart in self.charts:
            chart.labelled_by(self.datamodel.obj)

    def _filters(self):
        """The request's list filters and the errors of values that could not be read."""
        filters = self.datamodel.get_filters(self.search_columns)
        get_filter_args(filters, disallow_if_not_in_search=True)
        errors = typed_filters(self.datamodel, filters)
        return filters, errors

    def controls(self) -> list[dict]:
        """The filter bar, each control showing the value chosen now."""
        filters = self.datamodel.get_filters(self.search_columns)
        out = []
        for control in self.filter_controls:
            arg = f"_flt_{_filter_index(self.datamodel, filters, control)}_{control.column}"
            if self.datamodel.is_boolean(control.column):
                kind, choices = "check", []
            elif control.op in ("gt", "lt") and self.datamodel.is_datetime(control.column):
                kind, choices = "day", []
            else:
                kind, choices = "select", _choices(self.datamodel, control)
            value = request.args.get(arg, "").strip()
            shown = dict(choices).get(value, value) if kind == "select" else value
            out.append({"arg": arg, "id": f"filter-{control.column}-{control.op}",
                        "label": str(control.label), "kind": kind, "choices": choices,
                        "value": value, "shown": shown, "locale": str(get_locale() or "en")})
        return out

    # Unfiltered figures come from the rollup when there is one (``flask charts refresh``, run
    # from cron); filtered ones are computed live.
    rollup = False

    def chart_data(self, filters=None) -> list[dict]:
        filters = filters if filters is not None else self._filters()[0]
        rolled = None
        if self.rollup and not filters.values:
            rolled = read_rollup(self)
        live = {} if rolled else aggregate_all(self.datamodel, self.charts, filters)
        out = []
        for chart in self.charts:
            rows = rolled[0][chart.key] if rolled else live[chart.key]
            out.append({"key": chart.key, "title": str(chart.title), "kind": chart.kind,
                        "value_label": str(chart.value_label or ""), "percent": chart.percent,
                        "integer": chart.agg == "count",  # counts: whole-number axis ticks
                        "labels": [chart.label(k) for k, _n, _t in rows],
                        "values": [chart.value(n, t) for _k, n, t in rows],
                        "as_of": format_display(rolled[1]) if rolled else None})
        return out

    @expose("/")
    @has_access
    @permission_name("charts")
    def page(self):
        filters, errors = self._filters()
        charts = self.chart_data(filters)
        return self.render_template(self.template, title=self.title, charts=charts,
                                    as_of=charts[0]["as_of"] if charts else None,
                                    controls=self.controls(), filtered=bool(filters.values),
                                    errors=errors), 422 if errors else 200

    @expose("/data.json")
    @has_access
    @permission_name("charts")
    def data(self):
        filters, errors = self._filters()
        if errors:
            return jsonify({"message": errors}), 422
        charts = self.chart_data(filters)
        if not charts:
            abort(404)
        return jsonify(charts)
