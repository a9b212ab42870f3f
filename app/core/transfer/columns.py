"""What a register exports and imports, read from its declaration (app.core.registry).

- Export: the columns its list page shows (``export_columns``, else ``list_columns``) with
  their labels, led by the columns of its natural key the list does not show (an event's list
  shows its title in the reader's language, its key is the Chinese one): an export reads back.
- Import: its add and edit columns (a column only the add form has is set when a record is
  created, never changed by an import), led by its natural key (``import_key``). A header
  names a column by its label in any of zh/ja/en or by its name, in any case and spacing
  (``名称(中文)`` = ``名称（中文）`` = ``name_zh``). A computed column of an export (e.g.
  ``industry_label``) carries the label of the column it shows (``industry``), so an export's
  header reads back to the column it came from.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any

from flask_babel import force_locale
from sqlalchemy import Boolean, Date, DateTime, Float, Integer, Numeric
from sqlalchemy.orm import RelationshipDirection

from app.core import fields
from app.core.models import LANGUAGES
from app.core.registry import Register

# The owning department of a new record is the author's unless the file names one
# (app.core.commands ``create``): never required in a file.
DEFAULTED_RELATIONS = ("department",)


@dataclass
class Field:
    """One importable column."""

    key: str                    # the model's attribute ("industry", "department", "name_zh")
    label: Any                  # a lazy label
    kind: str                   # text integer number decimal boolean date instant choice
                                # relation (many-to-one) relations (many-to-many)
    create: bool = True         # may be given for a new record
    update: bool = True         # may be changed on an existing one
    nullable: bool = True       # an empty cell clears it (else an empty cell keeps the value)
    required: bool = False      # a new record must have it (a relation is checked here,
                                # a column by the write command: app.core.fields.check)
    choices: dict = field(default_factory=dict)
    target: type | None = None  # a relation's model
    fk: str | None = None       # a relation's foreign-key attribute ("department_id")

    def __str__(self) -> str:
        return str(self.label)


def normalized(text) -> str:
    """A header or a label as compared: width-folded (full-width brackets and letters), caseless,
    without spaces or a required-marker star."""
    text = unicodedata.normalize("NFKC", str(text)).casefold()
    return "".join(text.split()).strip("*")


def _view(register: Register):
    return register.view_class or register.view


def labels(register: Register) -> dict:
    view = _view(register)
    return {**(getattr(view, "label_columns", None) or {}), **register.field_labels}


def export_columns(register: Register) -> list[str]:
    view = _view(register)
    columns = list(register.export_columns or getattr(view, "export_columns", None)
                   or register.list_columns or getattr(view, "list_columns", None)
                   or register.edit_columns)
    return [key for key in register.import_key if key not in columns] + columns


def _kind(column, choices: dict) -> str:
    if choices:
        return "choice"
    kind = column.type
    if isinstance(kind, Boolean):
        return "boolean"
    if isinstance(kind, DateTime):
        return "instant"
    if isinstance(kind, Date):
        return "date"
    if isinstance(kind, Integer):
        return "integer"
    if isinstance(kind, Numeric) and not isinstance(kind, Float):
        return "decimal"
    if isinstance(kind, Float):
        return "number"
    return "text"


def _describe(register: Register, key: str, label) -> Field | None:
    model = register.model
    column = fields._columns(model).get(key)
    if column is not None:
        choices = register.field_values.get(key) or {}
        return Field(key, label, _kind(column, choices), choices=choices,
                     nullable=column.nullable and not column.primary_key,
                     required=fields.required(column))
    rel = fields._relations(model).get(key)
    if rel is not None and rel.direction is RelationshipDirection.MANYTOMANY:
        # (the banks a financing need met: their names in one cell, 、 or ; between them)
        return Field(key, label, "relations", target=rel.mapper.class_)
    if rel is None or rel.direction is not RelationshipDirection.MANYTOONE \
            or len(rel.local_columns) != 1:
        return None  # (a computed column, a one-to-many collection: not imported)
    local = next(iter(rel.local_columns))
    fk = model.__mapper__.get_property_by_column(local).key
    return Field(key, label, "relation", target=rel.mapper.class_, fk=fk, nullable=local.nullable,
                 required=not local.nullable and key not in DEFAULTED_RELATIONS)


def import_fields(register: Register) -> list[Field]:
    """The register's importable columns: its natural key first, then the add form's columns,
    then those only its edit form has."""
    view = _view(register)
    edit = list(getattr(view, "edit_columns", None) or register.edit_columns)
    add = list(getattr(view, "add_columns", None) or register.add_columns or edit)
    names = labels(register)
    out = []
    for key in dict.fromkeys([*register.import_key, *add, *edit]):
        described = _describe(register, key, names.get(key, key))
        if described is None:
            continue
        described.create, described.update = key in add, key in edit
        out.append(described)
    return out


def header_names(importable: list[Field]) -> dict[str, str]:
    """normalized header -> column key: each column's name and its label in every language;
    a label two columns share names neither."""
    names: dict[str, set[str]] = {}
    for item in importable:
        names.setdefault(normalized(item.key), set()).add(item.key)
        for language in LANGUAGES:
            with force_locale(language):
                names.setdefault(normalized(item.label), set()).add(item.key)
    return {name: next(iter(keys)) for name, keys in names.items() if len(keys) == 1}


@dataclass
class Header:
    """Which cell of a row holds which column; what the file has that is not imported."""

    positions: dict[str, int]          # column key -> cell index
    ignored: list[str]                 # headers that name no importable column
    duplicates: list[str]              # columns named by two headers


def match_header(cells: list, importable: list[Field]) -> Header:
    names = header_names(importable)
    positions: dict[str, int] = {}
    ignored, duplicates = [], []
    for index, cell in enumerate(cells):
        text = "" if cell is None else str(cell).strip()
        if not text:
            continue
        key = names.get(normalized(text))
        if key is None:
            ignored.append(text)
        elif key in positions:
            duplicates.append(text)
        else:
            positions[key] = index
    return Header(positions, ignored, duplicates)
