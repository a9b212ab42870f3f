"""A FAB data interface that applies department isolation to every query it runs.

Stock FAB applies ``base_filters`` only on some paths (``action``/``action_post`` and the
related-object lookups fetch rows without them). Scoping here, below every view and API, covers
list, show, edit, delete, actions, ``_info``/related endpoints, rison filters, exports and charts
alike: a view cannot forget it.
"""
from __future__ import annotations

from typing import Any

from flask_appbuilder.models.sqla.interface import SQLAInterface

from app.core.scope import visibility_clause


class ScopedInterface(SQLAInterface):
    def scoped(self, query):
        clause = visibility_clause(self.obj)
        return query if clause is None else query.filter(clause)

    def apply_all(self, query, *args: Any, **kwargs: Any):
        return super().apply_all(self.scoped(query), *args, **kwargs)

    def query_count(self, query, *args: Any, **kwargs: Any) -> int:
        return super().query_count(self.scoped(query), *args, **kwargs)

    def _get_base_query(self, query, *args: Any, **kwargs: Any):
        return super()._get_base_query(self.scoped(query), *args, **kwargs)

    def get_related_obj(self, col_name: str, value: Any):
        return self.get_related_interface(col_name).get(value)
