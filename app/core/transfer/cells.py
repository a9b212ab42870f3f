"""Values as cells and cells as values.

Out (``Renderer``): what the list page shows, typed — a code as its translated label, a related
record by its name, yes/no in the reader's language, an instant in Asia/Shanghai (a real date
in Excel), numbers as numbers.

In (``parse``): what people type — a choice by its label in any language or its code; yes/no as
是/否/はい/いいえ/yes/no/1/0/true/false/✓; dates as the forms read them (app.core.forms) or as
``2026年11月28日``; instants in Shanghai time; a related record by its natural key
(``Resolver``). A value that cannot be read raises ``CellRefused`` with a translated reason.
"""
from __future__ import annotations

import datetime as dt
import decimal
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from flask_babel import force_locale
from flask_babel import lazy_gettext as _
from markupsafe import Markup
from sqlalchemy import String, or_

from app.core import fields, registry
from app.core.forms import DATE_EXAMPLE, DATETIME_EXAMPLE, parse_date, parse_instant
from app.core.models import LANGUAGES, reader_language
from app.core.scope import visibility_clause
from app.core.timeutil import from_display, to_display
from app.core.transfer.columns import Field, normalized
from app.core.transfer.sheets import CellError

YES, NO = _("Yes"), _("No")
TRUE_WORDS = {"1", "true", "yes", "y", "是", "はい", "✓", "✔", "☑", "○", "有"}
FALSE_WORDS = {"0", "false", "no", "n", "否", "いいえ", "✗", "✘", "☐", "×", "无", "無"}
FORMULA_QUOTED = re.compile(r"'[=+\-@\t\r]")
CJK_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")


@dataclass(frozen=True)
class Reference:
    """How records of a model are named in a spreadsheet where a name alone does not tell them
    apart (an event held every year under the same title: by its title and date). A register's
    package declares it (``register_reference``); core never imports the register.

    ``name(record)``: its cell in an export; ``lookup(query, text)``: the readable records'
    ``query`` narrowed to those ``text`` names (None: the kit's own lookup); ``hint``: what to
    write (the import page); ``several``: the refusal when the text names several records."""

    name: Callable[[Any], str]
    lookup: Callable[[Any, str], Any]
    hint: Any = None
    several: Any = None


_REFERENCES: dict[type, Reference] = {}


def register_reference(model: type, reference: Reference) -> None:
    _REFERENCES[model] = reference


def reference_for(model: type) -> Reference | None:
    return _REFERENCES.get(model)


class CellRefused(Exception):
    """A cell that cannot be read as its column's value: ``reason`` says why (translated)."""

    def __init__(self, reason):
        self.reason = reason
        super().__init__(str(reason))


# --- out -------------------------------------------------------------------------------------
def yes_no(value: bool) -> str:
    return str(YES if value else NO)


class Renderer:
    """A record's cell for each export column, as typed values for ``sheets``."""

    def __init__(self, model, choices: dict, columns: list[str], formatters: dict):
        self.columns = columns
        self.formatters = formatters
        self.choices = choices  # {column: {code: label}}
        self.plain = fields._columns(model)
        self.labels: dict = {}  # (column, code) or yes/no -> translated label, once per export

    def row(self, item) -> list:
        return [self.cell(item, column) for column in self.columns]

    def cell(self, item, column: str):
        value = item
        for part in column.split("."):
            value = getattr(value, part, None) if value is not None else None
        if callable(value):
            value = value()
        if column in self.choices and column in self.plain:
            return self._label(column, value)
        return self.typed(value, column)

    def _label(self, column, value):
        if value is None:
            return None
        key = (column, value)
        if key not in self.labels:
            label = self.choices[column].get(value)
            self.labels[key] = str(label) if label is not None else value
        return self.labels[key]

    def typed(self, value, column: str = ""):
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            if value not in self.labels:  # (translated once per export)
                self.labels[value] = yes_no(value)
            return self.labels[value]
        if isinstance(value, Markup):
            return value.striptags() or None
        if isinstance(value, dt.datetime):  # (to the second: read back, it is the same)
            return to_display(value).replace(tzinfo=None, microsecond=0)
        if isinstance(value, (dt.date, int, float, decimal.Decimal)):
            return value
        if isinstance(value, str):
            return value
        if isinstance(value, (list, tuple, set)):  # a relation's records: by name
            return joined(str(self.typed(v)) for v in value)
        reference = _REFERENCES.get(type(value))
        if reference is not None:
            return reference.name(value)
        formatter = self.formatters.get(column)
        if formatter is not None:
            value = formatter(value)
        if isinstance(value, Markup):
            return value.striptags() or None
        return str(value) if value is not None else None


def joined(names) -> str:
    """Several records in one cell: 、 between them (English: "; ", as names hold commas);
    ``split_names`` reads either back."""
    return ("; " if reader_language() == "en" else "、").join(names)


def split_names(text: str) -> list[str]:
    return [part.strip() for part in SEPARATORS.split(text) if part.strip()]


SEPARATORS = re.compile(r"[、;；\n，]")


# --- in --------------------------------------------------------------------------------------
def _text(value) -> str | None:
    """A cell as text: numbers without a spurious ".0", dates as typed, formula quotes of our
    own CSV exports taken off."""
    if value is None:
        return None
    if isinstance(value, CellError):
        raise CellRefused(_("The cell holds an error (%(code)s).", code=value.code))
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M") if value.time() != dt.time(0) else \
            value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    if FORMULA_QUOTED.match(text):
        text = text[1:]
    return text or None


class Choices:
    """A coded column's values by code or by label in any language (normalized)."""

    def __init__(self, choices: dict):
        names: dict[str, set] = {}
        for code, label in choices.items():
            names.setdefault(normalized(code), set()).add(code)
            for language in LANGUAGES:
                with force_locale(language):
                    names.setdefault(normalized(label), set()).add(code)
        self.names = names
        self.choices = choices
        self.known: dict = {}

    def code(self, text: str):
        if text not in self.known:  # (a column repeats few values: each is read once)
            try:
                self.known[text] = self._code(text)
            except CellRefused as refused:
                self.known[text] = refused
        found = self.known[text]
        if isinstance(found, CellRefused):
            raise found
        return found

    def _code(self, text: str):
        codes = self.names.get(normalized(text), set())
        if len(codes) == 1:
            return next(iter(codes))
        if codes:
            raise CellRefused(_("“%(value)s” could mean several values; give its code.",
                                value=text))
        shown = "、".join(str(label) for label in self.choices.values()) \
            if len(self.choices) <= 12 else ""
        if shown:
            raise CellRefused(_("“%(value)s” is not one of: %(choices)s.", value=text,
                                choices=shown))
        raise CellRefused(_("“%(value)s” is not a value of this column.", value=text))


@cache
def _word(text: str) -> bool | None:
    word = normalized(text)
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return None


def _boolean(value, text: str) -> bool:
    if isinstance(value, bool):
        return value
    known = _word(text)
    if known is not None:
        return known
    word = normalized(text)
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    for language in LANGUAGES:
        with force_locale(language):
            if word == normalized(YES):
                return True
            if word == normalized(NO):
                return False
    raise CellRefused(_("Write yes or no (是/否, はい/いいえ, 1/0)."))


def _integer(value, text: str) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    cleaned = text.replace(",", "").replace(" ", "")
    if re.fullmatch(r"[+-]?\d+", cleaned):
        return int(cleaned)
    raise CellRefused(_("Enter a whole number."))


def _number(value, text: str, exact: bool):
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return decimal.Decimal(str(value)) if exact else float(value)
    cleaned = text.replace(",", "").replace(" ", "")
    try:
        return decimal.Decimal(cleaned) if exact else float(cleaned)
    except (ValueError, decimal.InvalidOperation) as exc:
        raise CellRefused(_("Enter a number.")) from exc


def _date(value, text: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    day = parse_date(CJK_DATE.sub(r"\1-\2-\3", text))
    if day is None:
        raise CellRefused(_("Enter a date such as %(example)s.", example=DATE_EXAMPLE))
    return day


def _instant(value, text: str) -> dt.datetime:
    """An instant typed (or kept by Excel) in Shanghai time, as naive UTC."""
    if isinstance(value, dt.datetime):
        return from_display(value.replace(tzinfo=None))
    if isinstance(value, dt.date):
        return from_display(dt.datetime.combine(value, dt.time(0)))
    typed = CJK_DATE.sub(r"\1-\2-\3", text)
    moment = parse_instant(typed)
    if moment is None:
        day = parse_date(typed)
        moment = from_display(dt.datetime.combine(day, dt.time(0))) if day else None
    if moment is None:
        raise CellRefused(_("Enter a date and time such as %(example)s.",
                            example=DATETIME_EXAMPLE))
    return moment


def parser(item: Field, resolver: Resolver) -> Callable:
    """``parse(cell) -> value`` for the column (None: an empty cell)."""
    choices = Choices(item.choices) if item.kind == "choice" else None

    def parse(value):
        text = _text(value)
        if text is None:
            return None
        kind = item.kind
        if kind == "text":
            return text
        if kind == "choice":
            if isinstance(value, (int, float)) and value in item.choices:
                return int(value) if isinstance(value, float) else value
            return choices.code(text)
        if kind == "boolean":
            return _boolean(value, text)
        if kind == "integer":
            return _integer(value, text)
        if kind in ("number", "decimal"):
            return _number(value, text, kind == "decimal")
        if kind == "date":
            return _date(value, text)
        if kind == "instant":
            return _instant(value, text)
        if kind == "relations":  # (each name once, in the cell's order)
            found = [resolver.find(item, name) for name in split_names(text)]
            return list(dict.fromkeys(found))
        return resolver.find(item, text)

    return parse


class Resolver:
    """Related records by their natural key, among those the user may read: the related
    register's ``import_key`` (an enterprise's USCC), a code, a name in any language; a user by
    user name or full name. Each value is looked up once per import."""

    def __init__(self, session):
        self.session = session
        self.cache: dict = {}

    @staticmethod
    def _columns(target) -> list:
        declared = registry.get(target.__tablename__)
        keys = list(declared.import_key) if declared is not None else []
        keys += ["code", "username", "name_zh", "name_ja", "name_en"]
        columns = target.__table__.columns
        return [getattr(target, key) for key in dict.fromkeys(keys)
                if key in columns and isinstance(columns[key].type, String)]

    def find(self, item: Field, text: str):
        target = item.target
        cache_key = (target, normalized(text))
        if cache_key not in self.cache:
            self.cache[cache_key] = self._lookup(target, text)
        found = self.cache[cache_key]
        if isinstance(found, CellRefused):
            raise found
        return found

    def _lookup(self, target, text: str):
        reference = _REFERENCES.get(target)
        if reference is not None:
            query = self.session.query(target)
            visible = visibility_clause(target)
            if visible is not None:
                query = query.filter(visible)
            narrowed = reference.lookup(query, text)
            if narrowed is not None:
                found = narrowed.limit(2).all()
                if len(found) == 1:
                    return found[0]
                if found:
                    return CellRefused(reference.several % {"value": text} if reference.several
                                       else _("“%(value)s” matches several records; give its "
                                              "code.", value=text))
                return CellRefused(_("No record “%(value)s” was found.", value=text))
        variants = {text, text.upper(), text.lower()}
        clauses = [column.in_(variants) for column in self._columns(target)]
        if hasattr(target, "first_name") and hasattr(target, "last_name"):
            clauses.append(target.first_name + " " + target.last_name == text)
        query = self.session.query(target).filter(or_(*clauses))
        visible = visibility_clause(target)
        if visible is not None:
            query = query.filter(visible)
        found = query.limit(2).all()
        if len(found) == 1:
            return found[0]
        if found:
            return CellRefused(_("“%(value)s” matches several records; give its code.",
                                 value=text))
        return CellRefused(_("No record “%(value)s” was found.", value=text))
