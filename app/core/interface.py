"""A FAB data interface that applies department isolation to every query it runs.

Stock FAB applies ``base_filters`` only on some paths (``action``/``action_post`` and the
related-object lookups fetch rows without them). Scoping here, below every view and API, covers
list, show, edit, delete, actions, ``_info``/related endpoints, rison filters, exports and charts
alike: a view cannot forget it.

It also keeps list pages fast at millions of rows:
- the row count of a list is exact up to ``COUNT_CAP`` and reported as ``COUNT_CAP + 1``
  ("more than …") beyond it: the database stops counting there, instead of FAB's
  ``count(*)`` over a subquery of every matching row;
- the to-one relations a list shows are loaded in the page's query (no query per row), and
  those a record's page shows with the record;
- an unpaginated fetch (the choices of a relation filter or select box) runs no count query and
  is read once per request;
- text filters match ``%`` and ``_`` literally and use LIKE for caseless terms (app.core.filters).
"""
from __future__ import annotations

from typing import Any

from flask import g, has_request_context
from flask_appbuilder.models.sqla.interface import SQLAInterface
from sqlalchemy import func
from sqlalchemy.orm import joinedload

from app.core.filters import FilterConverter, Filters
from app.core.scope import visibility_clause

COUNT_CAP = 1000


def count_is_capped(count: int) -> bool:
    return count > COUNT_CAP


class Interface(SQLAInterface):
    """FAB's interface with our text filters: the reference-data views (no department)."""

    filter_converter_class = FilterConverter

    def get_filters(self, search_columns=None, search_filters=None) -> Filters:
        return Filters(self.filter_converter_class, self, search_columns=search_columns,
                       search_filters=search_filters)

    def get_inner_filters(self, filters) -> Filters:
        # FAB's, building our (lean) Filters: the filters applied to the inner query.
        inner = Filters(self.filter_converter_class, self)
        for flt, value in zip(filters.filters, filters.values, strict=True) if filters else ():
            root = flt.column_name.split(".")[0]
            if "." not in flt.column_name or self.is_relation_many_to_one(root) \
                    or self.is_relation_one_to_one(root):
                inner.add_filter(flt.column_name, flt.__class__, value)
        return inner


class ScopedInterface(Interface):
    def __init__(self, obj, session=None):
        super().__init__(obj, session)
        self.eager: tuple[str, ...] = ()  # to-one relations loaded with the rows
        self.eager_one: tuple[str, ...] = ()  # … and with a single record (show, edit)

    def scoped(self, query):
        clause = visibility_clause(self.obj)
        return query if clause is None else query.filter(clause)

    def _to_one(self, columns) -> tuple[str, ...]:
        roots = {c.split(".")[0] for c in columns or ()}
        return tuple(sorted(c for c in roots if self.is_relation_many_to_one(c)
                            or self.is_relation_one_to_one(c)))

    def eager_load(self, columns, record_columns=()) -> None:
        """Load these columns' to-one relations with the rows (what a list shows) and
        ``record_columns``' with a single record (what its page shows)."""
        self.eager = self._to_one(columns)
        self.eager_one = tuple(c for c in self._to_one(record_columns) if c not in self.eager)

    def apply_all(self, query, filters=None, order_column="", order_direction="", page=None,
                  page_size=None, select_columns=None, outer_default_load=False):
        query = super().apply_all(self.scoped(query), filters, order_column, order_direction,
                                  page, page_size, select_columns, outer_default_load)
        if self.eager and not select_columns:  # (with select_columns FAB joins them itself)
            query = query.options(*(joinedload(getattr(self.obj, c)) for c in self.eager))
        return query

    def get(self, id, filters=None, select_columns=None, outer_default_load=False):
        if select_columns or not self.eager_one or self.is_pk_composite():
            return super().get(id, filters, select_columns, outer_default_load)
        # FAB's get, with the record's relations in the same query.
        one = filters.copy() if filters else Filters(self.filter_converter_class, self)
        one.add_filter(self.get_pk_name(), self.FilterEqual, id)
        query = self.apply_all(self.session.query(self.obj), one)
        return query.options(*(joinedload(getattr(self.obj, c)) for c in self.eager_one)
                             ).one_or_none()

    def query_count(self, query, filters=None, select_columns=None) -> int:
        inner = self._apply_inner_all(self.scoped(query), filters, select_columns=select_columns,
                                      aliases_mapping={})
        pk = getattr(self.obj, self.get_pk_name())  # (a literal would lose the FROM clause)
        limited = inner.with_entities(pk).order_by(None).limit(COUNT_CAP + 1).subquery()
        return self.session.query(func.count()).select_from(limited).scalar()

    def query(self, filters=None, order_column="", order_direction="", page=None,
              page_size=None, select_columns=None, outer_default_load=False):
        if page is not None or page_size is not None or select_columns:
            return super().query(filters, order_column, order_direction, page, page_size,
                                 select_columns, outer_default_load)
        # Unpaginated: the rows are the count. Choices lists ask for the same rows several
        # times per page (a search filter and a form field): once per request is enough.
        key = (self.obj, order_column, order_direction)
        cache = g.setdefault("_puwan_choices", {}) if has_request_context() else {}
        if filters is None and key in cache:
            return len(cache[key]), cache[key]
        rows = self.apply_all(self.session.query(self.obj), filters, order_column,
                              order_direction).all()
        if filters is None:
            cache[key] = rows
        return len(rows), rows

    def _get_base_query(self, query, *args: Any, **kwargs: Any):
        return super()._get_base_query(self.scoped(query), *args, **kwargs)

    def get_related_interface(self, col_name: str):
        # FAB makes a new interface (mapper inspection included) for each relation filter of
        # each request; they hold no request state, so one per relation is enough.
        cache = self.__dict__.setdefault("_related_interfaces", {})
        if col_name not in cache:
            cache[col_name] = self.__class__(self.get_related_model(col_name))
        return cache[col_name]

    def get_related_obj(self, col_name: str, value: Any):
        return self.get_related_interface(col_name).get(value)
