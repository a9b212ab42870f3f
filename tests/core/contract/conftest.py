"""What the contract tests share: every declared register (a new one is covered the moment it is
declared), a record of each made from its declared sample through its own write command, as
a user of the owning department, and the form and REST values of a sample.

Isolation is tried as another department's user: ``edb`` against the records of ``IPB``.
"""
from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser

import pytest
from flask_login import login_user
from sqlalchemy import String, Text, inspect

import app.registers  # noqa: F401  (each register declares itself)
from app.core import fields, registry
from app.core.charts import ChartsView
from app.core.models import PuwanUser
from app.core.timeutil import format_display
from app.extensions import db
from tests.factories import Make

REGISTERS = registry.registers()
# Registers whose records belong to a department: every path of isolation applies to them.
OWNED = [r for r in REGISTERS if hasattr(r.model, "owning_department_id")]


def by_table(registers) -> dict:
    return {"argvalues": registers, "ids": [r.table for r in registers]}


def view_of(app, register):
    return next(v for v in app.appbuilder.baseviews if type(v) is register.view_class)


def api_of(app, register):
    return next(v for v in app.appbuilder.baseviews if type(v) is register.api_class)


def charts_of(app, register):
    return next((v for v in app.appbuilder.baseviews
                 if isinstance(v, ChartsView) and v.datamodel.obj is register.model), None)


def as_user(app, username: str):
    """A request context in which ``username`` is logged in (commands read their scope)."""
    context = app.test_request_context("/")
    context.push()
    login_user(db.session.query(PuwanUser).filter_by(username=username).one())
    return context


def create(app, register, username: str = "ipb", links: dict | None = None,
           **overrides) -> int:
    """A record of ``register`` from its sample, made by its view's write command as
    ``username`` (so it belongs to that user's department, with what the command adds).
    ``links``: {to-many relation: [ids]}."""
    context = as_user(app, username)
    try:
        item = register.model(**{**register.sample(Make), **overrides})
        for key, ids in (links or {}).items():
            target = getattr(register.model, key).property.mapper.class_
            setattr(item, key, [db.session.get(target, pk) for pk in ids])
        view_of(app, register).commands.create(item)  # (reference data too)
        return item.id
    finally:
        db.session.remove()
        context.pop()


def sample(app, register, username: str | None = None) -> dict:
    """A sample's values; ``username``: made as that user, so that the records it links (an
    event a registration is for) are of the user's department, as the user would link."""
    context = as_user(app, username) if username else app.app_context()
    if not username:
        context.push()
    try:
        return register.sample(Make)
    finally:
        db.session.remove()
        context.pop()


def link_values(register, model) -> dict:
    """The values the register's sample gives a record of ``model`` it links
    (``make.record(Event, kind="matchmaking")``): a link target the tests make needs them too
    for the register to accept it."""
    found: dict = {}

    class Links(_Keys):
        @staticmethod
        def record(target, **overrides):
            found.setdefault(target, overrides)
            return 0

    register.sample(Links)
    return found.get(model, {})


def row(app, model, pk) -> dict | None:
    """The stored columns of a record (None when it is gone)."""
    with app.app_context():
        item = db.session.get(model, pk)
        values = None if item is None else {
            c.key: getattr(item, c.key) for c in inspect(model).column_attrs}
        db.session.remove()
    return values


def count(app, model) -> int:
    with app.app_context():
        n = db.session.query(model).count()
        db.session.remove()
    return n


def relation_of(model, key: str) -> str | None:
    """The many-to-one relation whose foreign key ``key`` is (``service_type_id`` →
    ``service_type``): what forms and the API name."""
    mapper = inspect(model)
    for rel in mapper.relationships:
        if [mapper.get_property_by_column(c).key for c in rel.local_columns] == [key]:
            return rel.key
    return None


def api_payload(register, values: dict) -> dict:
    """A sample as the REST API takes it: relations by their name and the related id, instants
    (naive UTC) in ISO 8601 with their offset, days in ISO 8601."""
    return {(relation_of(register.model, key) or key):
            value.replace(tzinfo=dt.UTC).isoformat() if isinstance(value, dt.datetime)
            else value.isoformat() if isinstance(value, dt.date) else value
            for key, value in values.items()}


def form_payload(register, values: dict) -> dict:
    """A sample as a form posts it: text, an instant as a person types it (Shanghai time), a
    box ticked ("y") or left out."""
    data = {}
    for key, value in values.items():
        if value is False or value is None:
            continue
        key = relation_of(register.model, key) or key
        data[key] = "y" if value is True else format_display(value) \
            if isinstance(value, dt.datetime) else str(value)
    return data


def free_text(register, view=None) -> str:
    """A field of the sample people type freely (no choices, not unique, no code): what the
    tests change in an edit."""
    columns = fields._columns(register.model)
    for key in _sample_keys(register):
        column = columns.get(key)
        if column is None or not isinstance(column.type, (String, Text)):
            continue
        if column.unique or "choices" in column.info or key in register.field_values:
            continue
        if view is None or key in view.edit_columns:
            return key
    raise AssertionError(f"{register.table}: the sample has no free-text field to edit")


class _Keys:
    """A stand-in for ``Make`` that needs no database (a sample's keys, not its values)."""

    @staticmethod
    def uscc():
        return ""

    @staticmethod
    def text(prefix):
        return prefix

    @staticmethod
    def ref(model, **by):
        return 0

    @staticmethod
    def record(model, **overrides):
        return 0

    @staticmethod
    def instant(days=0, hour=1):
        return None


def _sample_keys(register) -> list[str]:
    # (the keys only: the values need the database, the keys do not)
    return list(register.sample(_Keys))


class FormValues(HTMLParser):
    """The values a record's form fills in, as a browser submits them untouched: each input's
    value, ticked boxes, a textarea's text, a select's chosen option (or its first)."""

    def __init__(self, form_id: str = "model_form"):
        super().__init__()
        self.form_id = form_id
        self.values: dict[str, list[str]] = {}
        self._inside = False
        self._select: tuple[str, list, bool] | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._inside = attrs.get("id") == self.form_id
            return
        if not self._inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind not in ("submit", "button", "file"):
                self.values.setdefault(name, []).append(attrs.get("value") or "")
        elif tag == "select" and name:
            self._select = (name, [], "multiple" in attrs)
        elif tag == "option" and self._select is not None:
            name, options, _multiple = self._select
            options.append((attrs.get("value") or "", "selected" in attrs))
        elif tag == "textarea" and name:
            self._textarea = name
            self.values[name] = [""]

    def handle_data(self, data):
        if self._textarea is not None:
            self.values[self._textarea][0] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._inside = False
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select" and self._select is not None:
            name, options, multiple = self._select
            chosen = [value for value, selected in options if selected]
            if not chosen and options and not multiple:
                chosen = [options[0][0]]
            if chosen:
                self.values[name] = chosen
            self._select = None


def form_values(client, path: str) -> dict[str, list[str]]:
    resp = client.get(path)
    assert resp.status_code == 200, (path, resp.status_code)
    parser = FormValues()
    parser.feed(resp.get_data(as_text=True))
    assert "csrf_token" in parser.values, f"no record form on {path}"
    return parser.values


@pytest.fixture(scope="session")
def clients(app):
    """Logged-in test clients and API tokens by user name, shared by the contract tests."""
    from tests.conftest import Auth

    auth, made = Auth(app), {}

    class Clients:
        @staticmethod
        def ui(username: str, lang: str = "en"):
            if (username, lang) not in made:
                made[username, lang] = auth.client(username, lang=lang)
            return made[username, lang]

        @staticmethod
        def api(username: str) -> dict:
            if username not in made:
                made[username] = auth.token(username)
            return made[username]

    return Clients()
