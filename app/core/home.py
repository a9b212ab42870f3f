"""The home page is each department's inbox: what waits for it now, section by section.

The parts of the platform that own the records (a register, the clocks) declare the sections with
``register_section``; core reads them and never imports a register. A section is one query
whatever the number of records: its first rows and their total come in the same statement.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from flask import current_app, url_for
from flask_appbuilder import IndexView, expose
from sqlalchemy import func

from app.core.models import current_actor
from app.core.timeutil import display_tz

LIMIT = 20  # rows a section lists; its count says how many there are in all


@dataclass
class Row:
    cells: list           # one per column of its section; the first links to the record
    url: str | None = None
    css: str = ""         # a Bootstrap row class (overdue, at risk)


@dataclass
class Section:
    key: str              # HTML id
    title: str
    count: int
    columns: tuple = ()   # headers
    rows: list[Row] = field(default_factory=list)
    url: str | None = None  # all of them, where a list can be filtered so
    css: str = ""         # the colour of its count when there is something to do


# name -> function of the actor returning its section, or None when it is not for this user
_SECTIONS: dict[str, Callable] = {}


def register_section(name: str, section: Callable) -> None:
    _SECTIONS[name] = section


def counted(query, limit: int = LIMIT) -> tuple[int, list]:
    """The first ``limit`` rows of ``query`` and how many rows it has, in one statement."""
    rows = query.add_columns(func.count().over()).limit(limit).all()
    return (rows[0][-1] if rows else 0), [row[:-1] for row in rows]


def today_end_utc() -> dt.datetime:
    """Midnight ending today in Shanghai, as naive UTC."""
    local = dt.datetime.now(display_tz()).date() + dt.timedelta(days=1)
    end = dt.datetime.combine(local, dt.time(0), display_tz())
    return end.astimezone(dt.UTC).replace(tzinfo=None)


def may(permission: str, view_name: str) -> bool:
    return current_app.appbuilder.sm.has_access(permission, view_name)


def list_url(view_name: str, **equal) -> str | None:
    """The list of ``view_name`` filtered on ``column == value`` for each argument (FAB's
    ``_flt_<index>_<column>`` arguments), or None when the user may not open it."""
    if not may("can_list", view_name):
        return None
    view = next((v for v in current_app.appbuilder.baseviews
                 if v.__class__.__name__ == view_name), None)
    if view is None:
        return None
    args = {}
    for column, value in equal.items():
        filters = view._filters.get_search_filters().get(column, [])
        index = next((i for i, f in enumerate(filters) if f.arg_name in ("eq", "rel_o_m")), None)
        if index is None:
            return None
        args[f"_flt_{index}_{column}"] = value
    return url_for(f"{view.endpoint}.list", **args)


def inbox() -> list[Section] | None:
    actor = current_actor()
    if actor is None:
        return None
    sections = (make(actor) for make in _SECTIONS.values())
    return [section for section in sections if section is not None]


class HomeView(IndexView):
    index_template = "puwan/index.html"

    @expose("/")
    def index(self):
        return self.render_template(self.index_template, appbuilder=self.appbuilder,
                                    sections=inbox())
