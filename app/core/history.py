"""The change history (Audit → Change history): one readable row for every write.

Rows are written by the command that makes the change, in its transaction
(app.core.commands). Each keeps only what really changed (an empty value replaced by another
empty one is no change), the related records with their names and the record's own label *as
they were at the time* (so a renamed or deleted record still reads as it did, and the list
needs no query per row), and the action: create / update / delete, or a register's own (e.g. a
work order's "dispatch"). Links to many records — many-to-many relations and the record's
child rows — are kept as lists of the linked records' ids and names ("A、B → A、C").
Values are shown in the reader's language and time zone.
"""
from __future__ import annotations

import datetime as dt
import decimal
from dataclasses import dataclass, field
from functools import cache

from flask_appbuilder import Model
from sqlalchemy import DateTime, inspect
from sqlalchemy.orm import RelationshipDirection

from app.core import fields, registry
from app.core.display import display_value
from app.core.models import LANGUAGES, RecordChange, reader_language, shown_label
from app.core.scope import current_scope, owned
from app.core.timeutil import format_display

AUDIT_IGNORED = {"id", "changed_on", "changed_by_fk", "created_on", "created_by_fk"}


@dataclass(frozen=True)
class AuditedTable:
    """How the change history names a table that is not a register's but keeps a history too
    (e.g. the SLA hooks): its label, its columns' labels, coded values and its own actions."""

    label: object
    fields: dict
    values: dict = field(default_factory=dict)
    actions: dict = field(default_factory=dict)


# Declared by the package that writes the rows (core imports nothing of it).
AUDITED_TABLES: dict[str, AuditedTable] = {}


def _jsonable(value):
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def snapshot(item) -> dict:
    """The record's columns as JSON values, in the model's column order, then its links to
    many records (``link_relations``) as ``[{"id", "label"}]`` sorted by id — named as they are
    now, so that a link removed, or a child row deleted, by the change still reads as it was."""
    # Models name columns the history must not keep (e.g. the hash behind a private link).
    ignored = AUDIT_IGNORED | set(getattr(item, "__audit_exclude__", ()))
    values = {
        column.key: _jsonable(getattr(item, column.key))
        for column in inspect(type(item)).column_attrs
        if column.key not in ignored
    }
    for key in link_relations(type(item)):
        if key not in ignored:
            linked = [(_key(obj), obj) for obj in getattr(item, key)]
            values[key] = [{"id": pk, "label": label_of(obj)}
                           for pk, obj in sorted(linked, key=lambda pair: pair[0])
                           if pk is not None]
    return values


@cache
def link_relations(model) -> tuple[str, ...]:
    """The to-many relations the history keeps: every many-to-many (e.g. an expert's declared
    ties to enterprises) and the child rows (one-to-many) the record names as one of its
    fields (a label on the relation or in its register). A child relation without a label —
    a work order's timeline and attachments, the record's own log — is left to the actions
    that write it, each of which is a history row of its own."""
    named = {**fields.labels(model), **registry.field_labels(model.__tablename__)}
    return tuple(
        rel.key for rel in inspect(model).relationships
        if not rel.viewonly and (rel.direction is RelationshipDirection.MANYTOMANY or (
            rel.direction is RelationshipDirection.ONETOMANY and rel.key in named)))


def _key(obj):
    identity = inspect(obj).identity
    return identity[0] if identity else None


def label_of(obj) -> str | dict[str, str]:
    """How a record is named: its names by language where it has them (``name_zh`` …),
    otherwise its ``str()`` (a work order's ticket, a user's full name)."""
    names = {lang: getattr(obj, f"name_{lang}", None) for lang in LANGUAGES}
    if names["zh"]:
        return {lang: name for lang, name in names.items() if name}
    return str(obj)


@cache
def _references(model) -> dict[str, type]:
    """Foreign-key column -> the model it points at (many-to-one relations)."""
    mapper = inspect(model)
    out = {}
    for rel in mapper.relationships:
        if rel.direction is not RelationshipDirection.MANYTOONE or len(rel.local_columns) != 1:
            continue
        key = mapper.get_property_by_column(next(iter(rel.local_columns))).key
        if key not in AUDIT_IGNORED:
            out[key] = rel.mapper.class_
    return out


def _named(session, model, values: dict | None) -> dict | None:
    """Foreign keys as ``{"id": …, "label": …}``: the related record's name at the time."""
    if not values:
        return values
    for key, target in _references(model).items():
        if values.get(key) is not None:
            related = session.get(target, values[key])
            values[key] = {"id": values[key],
                           "label": label_of(related) if related is not None else None}
    return values


def _empty(value) -> bool:
    return value is None or value == "" or value == []


def _same(old, new) -> bool:
    return old == new or (_empty(old) and _empty(new))


def record(session, item, action: str, before: dict | None, after: dict | None,
           extra: dict | None = None, department_id: int | None = None,
           rows: list | None = None) -> None:
    """Add the history row of a write (before/after: ``snapshot()``s, None for a create's
    before and a delete's after). ``extra``: what the action brought that no column keeps
    (e.g. the reason given for a return); a value already shown by a column is left out.
    An edit that changed nothing leaves no row; any other action always leaves one.
    ``department_id``: where a row of a record without a department is filed; by default
    under its author's department (reference data an administrator keeps), and a change made
    outside a request by no one (a seed) leaves none.
    ``rows``: append the row's values there instead (an import inserts them in bulk)."""
    if before is not None and after is not None:
        changed = [k for k in after if not _same(before.get(k), after[k])]
        before = {k: before.get(k) for k in changed}
        after = {k: after[k] for k in changed}
    else:
        before = None if before is None else {k: v for k, v in before.items() if not _empty(v)}
        after = None if after is None else {k: v for k, v in after.items() if not _empty(v)}
    shown = list((after or {}).values())
    extra = {k: v for k, v in (extra or {}).items() if not _empty(v) and v not in shown}
    if action == "update" and not after and not extra:
        return
    model = type(item)
    if department_id is None:
        department_id = item.owning_department_id if owned(model) \
            else current_scope().department_id
    if department_id is None:
        return
    if extra:
        after = {**(after or {}), **extra}
    values = {
        "table_name": model.__tablename__,
        "record_id": inspect(item).identity[0],
        "record_label": label_of(item),
        "action": action,
        "department_id": department_id,
        "before": _named(session, model, before),
        "after": _named(session, model, after),
    }
    if rows is not None:
        rows.append(values)
    else:
        session.add(RecordChange(**values))


# --- reading ---------------------------------------------------------------------------------
@cache
def _instants(table: str) -> frozenset[str]:
    """The table's instant columns (naive UTC): shown in the display time zone."""
    columns = Model.metadata.tables[table].columns if table in Model.metadata.tables else ()
    return frozenset(c.key for c in columns if isinstance(c.type, DateTime))


def shown_value(table: str, key: str, value, codes: dict) -> str:
    """A stored value as the reader sees it: a related record by its name, a code by its
    translated label, an instant in the display time zone, yes/no for booleans."""
    if isinstance(value, dict) and "id" in value:
        return shown_label(value.get("label")) or f"#{value['id']}"
    if isinstance(value, list):  # linked records (many-to-many, child rows): by name
        separator = ", " if reader_language() == "en" else "、"
        return separator.join(shown_value(table, key, v, codes) for v in value)
    if value in codes.get(key, {}):
        return str(codes[key][value])
    if isinstance(value, str) and key in _instants(table):
        try:
            return format_display(dt.datetime.fromisoformat(value))
        except ValueError:
            return value
    return str(display_value(value))
