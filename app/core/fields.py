"""Field knowledge, written once on the column (``Column(…, info={…})``) and read everywhere.

A column's (or relationship's) ``info`` may say:

- ``label``: what people read (a lazy string) — the form, the list header, exports, the import
  template's header, the change history and the charts all use it;
- ``choices``: ``{code: lazy label}`` — a select in forms, the label in lists and exports, a
  code or a label accepted by imports, the history's value, the chart's group names; a value
  outside it is refused by the write command;
- ``min`` / ``max``: the range of a number (refused outside it);
- ``description``: the help text under a form field;
- ``kinds``: the kinds of record the field belongs to (``("training",)``), for a register whose
  records have a kind (``Register.kind``): its form shows the field only while the chosen kind
  is one of these, its record page leaves it out, empty, on a record of another kind, and the
  write command clears it there (``clear_other_kinds``), so no stale value lingers.

A column that is NOT NULL without a default is required. The write command checks all of this
on every path (form, REST, import), so a view cannot forget it (``check``).
"""
from __future__ import annotations

from functools import cache

from flask_babel import lazy_gettext as _
from sqlalchemy import Column, String, Text, inspect
from sqlalchemy.orm import RelationshipDirection

REQUIRED = _("This field is required.")
NOT_A_CHOICE = _("Choose a value from the list.")


@cache
def _columns(model) -> dict:
    """attribute key -> Column, for the model's mapped table columns (not computed ones)."""
    return {attr.key: attr.columns[0] for attr in inspect(model).column_attrs
            if isinstance(attr.columns[0], Column)}


@cache
def _relations(model) -> dict:
    return {rel.key: rel for rel in inspect(model).relationships}


def info(model, key: str) -> dict:
    column = _columns(model).get(key)
    if column is not None:
        return column.info
    rel = _relations(model).get(key)
    return rel.info if rel is not None else {}


@cache
def descriptions(model) -> dict:
    """key -> the help text a column or relationship declares (shown under its form field)."""
    out = {key: rel.info["description"] for key, rel in _relations(model).items()
           if "description" in rel.info}
    out.update({key: column.info["description"] for key, column in _columns(model).items()
                if "description" in column.info})
    return out


@cache
def labels(model) -> dict:
    """key -> label for every column and relationship that declares one; a foreign key column
    is labelled as its relationship (``department_id`` reads "Owning department")."""
    out = {}
    for key, rel in _relations(model).items():
        if "label" in rel.info:
            out[key] = rel.info["label"]
            if rel.direction is RelationshipDirection.MANYTOONE and len(rel.local_columns) == 1:
                column = next(iter(rel.local_columns))
                fk_key = inspect(model).get_property_by_column(column).key
                out.setdefault(fk_key, rel.info["label"])
    for key, column in _columns(model).items():
        if "label" in column.info:
            out[key] = column.info["label"]
    return out


@cache
def choices(model) -> dict:
    """key -> {code: label} for the coded columns."""
    return {key: column.info["choices"] for key, column in _columns(model).items()
            if "choices" in column.info}


@cache
def kind_specific(model) -> dict:
    """key -> the kinds its column belongs to, for the columns that declare ``kinds``."""
    return {key: tuple(column.info["kinds"]) for key, column in _columns(model).items()
            if "kinds" in column.info}


def not_of_kind(model, kind) -> set:
    """The kind-specific columns a record of ``kind`` does not have."""
    return {key for key, kinds in kind_specific(model).items() if kind not in kinds}


def clear_other_kinds(item, kind) -> None:
    """Empty the kind-specific columns ``item``'s kind does not have (a record whose kind
    changed keeps no value of its former kind)."""
    for key in not_of_kind(type(item), kind):
        if getattr(item, key) is not None:
            setattr(item, key, None)


def required(column) -> bool:
    return (not column.nullable and column.default is None and column.server_default is None
            and not column.primary_key)


def check(item) -> dict:
    """{key: [messages]} for the values of ``item`` its columns' declarations refuse."""
    errors: dict = {}
    for key, column in _columns(type(item)).items():
        value = getattr(item, key, None)
        if isinstance(value, str) and isinstance(column.type, (String, Text)):
            if value != value.strip():
                value = value.strip()
                setattr(item, key, value)  # (what people paste often ends with a space)
            if value == "" and column.nullable:
                setattr(item, key, None)
                value = None
        declared = column.info
        if value is None or value == "":
            if required(column) and not column.foreign_keys and declared.get("label"):
                errors[key] = [REQUIRED]
            continue
        if "choices" in declared and value not in declared["choices"]:
            errors[key] = [NOT_A_CHOICE]
        length = getattr(column.type, "length", None)
        if isinstance(value, str) and length and len(value) > length:
            errors[key] = [_("At most %(max)s characters.", max=length)]
        if "min" in declared and value < declared["min"]:
            errors[key] = [_("At least %(min)s.", min=declared["min"])]
        if "max" in declared and value > declared["max"]:
            errors[key] = [_("At most %(max)s.", max=declared["max"])]
    return errors
