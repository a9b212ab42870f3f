"""An import: a file's rows planned against the database, then written all or nothing.

``Importer.preview()`` reads the file and says for each row what would happen, writing
nothing: **create**, **update** (which fields, before → after), **unchanged**, or **refused**
with its translated reasons — a cell that cannot be read, a key already on another row, a
record of another department, or what the write command itself refuses (its checks run on
each planned record: ``RecordCommands.check``). ``Importer.commit()`` plans the rows again (the
database may have changed since the preview) and writes them through
``RecordCommands.import_rows``: one transaction, each record checked as a single write and
leaving its history row; a row refused now refuses the whole import.

A row is matched to an existing record by the register's natural key (``import_key``, e.g. an
enterprise's USCC; caseless): a record the user may see is updated (or unchanged: re-importing
an export changes nothing), one they may not see refuses the row; without a match the row
creates a record. An empty cell clears an optional column, and keeps the value of one that must
have a value (a new record gets its default). Rows are read and written in chunks, so memory
does not grow with the file.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import decimal
import gc
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _
from sqlalchemy import inspect

from app.core.commands import RecordCommands
from app.core.exceptions import CommandError, ForbiddenError
from app.core.registry import Register
from app.core.scope import visibility_clause
from app.core.timeutil import format_display
from app.core.transfer.cells import NO, YES, CellRefused, Resolver, joined, parser
from app.core.transfer.columns import Field, import_fields, labels, match_header, normalized
from app.core.transfer.sheets import FileRefused, open_table
from app.extensions import db

CHUNK = 500
PREVIEW_ROWS = 500  # rows a preview lists (refused ones first); the totals count them all
MAX_ROWS = 100_000
ACTIONS = ("create", "update", "unchanged", "refused")
EMPTY = _("The file is empty.")
NO_ROWS = _("The file has no rows below its header row.")
NO_COLUMNS = _("None of the file's columns is a column of this register: its first row must "
               "name the columns (download the template).")


class ImportChanged(CommandError):
    status = 409
    default_message = _("The records changed since the preview, and some rows are refused now. "
                        "Nothing was imported: upload the file again to see why.")


def commands_for(register: Register) -> RecordCommands:
    return register.commands() if register.commands is not None else RecordCommands(
        register.model)


def max_rows() -> int:
    return int(current_app.config.get("IMPORT_MAX_ROWS") or MAX_ROWS) if has_app_context() \
        else MAX_ROWS


@dataclass
class Outcome:
    """What happens to one row."""

    row: int
    action: str = "refused"
    name: str = ""
    changes: list = field(default_factory=list)   # [label, before, after] as people read them
    raw: list = field(default_factory=list)       # [(field, before, after)]
    reasons: list = field(default_factory=list)   # translated, for a refused row

    def as_json(self) -> dict:
        return {"row": self.row, "action": self.action, "name": self.name,
                "changes": self.changes, "reasons": [str(r) for r in self.reasons]}


class Tally:
    """Totals of every row; the rows of a preview, bounded (refused ones first)."""

    def __init__(self):
        self.counts = dict.fromkeys(ACTIONS, 0)
        self.refused: list[Outcome] = []
        self.changed: list[Outcome] = []

    def add(self, outcome: Outcome, describe: Callable[[Outcome], None]) -> None:
        self.counts[outcome.action] += 1
        if outcome.action == "refused" and len(self.refused) < PREVIEW_ROWS:
            self.refused.append(outcome)
        elif outcome.action in ("create", "update") and len(self.changed) < PREVIEW_ROWS:
            describe(outcome)  # (only the rows shown are described)
            self.changed.append(outcome)

    def summary(self, ignored: list[str]) -> dict:
        shown = (self.refused + self.changed)[:PREVIEW_ROWS]
        return {"counts": self.counts, "total": sum(self.counts.values()),
                "rows": [o.as_json() for o in sorted(shown, key=lambda o: o.row)],
                "ignored": ignored}


def _same(old, new) -> bool:
    if old == new:
        return True
    if old in (None, "") and new in (None, ""):
        return True
    if isinstance(old, dt.datetime) and isinstance(new, dt.datetime) and not new.microsecond:
        # an export shows an instant to the second (Excel) or to the minute (CSV)
        precision = {"microsecond": 0} if new.second else {"second": 0, "microsecond": 0}
        return old.replace(**precision) == new
    if isinstance(old, (decimal.Decimal, float)) and isinstance(new, (decimal.Decimal, float)):
        return abs(float(old) - float(new)) < 1e-9
    return False


def messages(error: CommandError, names: dict) -> list[str]:
    """A refusal's reasons: each field's message with the field's label, else its message."""
    if not error.errors:
        return [str(error.message)]
    return [f"{names.get(key, key)}: {'; '.join(str(m) for m in texts)}"
            for key, texts in error.errors.items()]


class Importer:
    """The rows of ``path`` for ``register``, as the current user (their scope and language)."""

    def __init__(self, register: Register, path: str, row_limit: int | None = None):
        self.register = register
        self.model = register.model
        self.path = path
        self.row_limit = row_limit or max_rows()
        self.session = db.session
        self.fields = import_fields(register)
        self.by_key = {f.key: f for f in self.fields}
        self.names = {**labels(register), **{f.key: f.label for f in self.fields}}
        self.commands = commands_for(register)
        self.resolver = Resolver(self.session)
        self.key = [k for k in register.import_key if k in self.by_key]
        self.pk = inspect(self.model).primary_key[0]
        self.ignored: list[str] = []
        self.progress = 0.0
        self.rows = 0
        self.texts: dict = {}
        # The preview runs the write command's checks on each planned record; the import
        # leaves them to the command (RecordCommands.import_rows), which runs them anyway.
        self.checking = True

    # --- reading ---------------------------------------------------------------------------------
    def _open(self):
        table = open_table(self.path)
        rows = table.rows()
        try:
            first = next(rows, None)
            if first is None:
                raise FileRefused(EMPTY)
            header = match_header(first[1], self.fields)
            if header.duplicates:
                raise FileRefused(_("Two columns of the file are both “%(column)s”.",
                                    column=header.duplicates[0]))
            if not header.positions:
                raise FileRefused(NO_COLUMNS)
            for key in self.key:
                if self.by_key[key].create and key not in header.positions:
                    raise FileRefused(_("The file has no “%(column)s” column: its rows are "
                                        "matched to records by it.", column=self.names[key]))
        except Exception:
            table.close()
            raise
        self.ignored = header.ignored
        return table, header, rows

    def _counted(self, rows) -> Iterator[list]:
        """The data rows in chunks; a file over the row limit or without rows is refused."""
        chunk: list = []
        self.rows = 0
        for row in rows:
            self.rows += 1
            if self.rows > self.row_limit:
                raise FileRefused(_("The file has more than %(max)s rows: split it into "
                                    "several files.", max=f"{self.row_limit:,}"))
            chunk.append(row)
            if len(chunk) >= CHUNK:
                yield chunk
                chunk = []
        if chunk:
            yield chunk
        if not self.rows:
            raise FileRefused(NO_ROWS)

    def _parse(self, cells: list, header, parsers: dict) -> tuple[dict, list]:
        values, reasons = {}, []
        for key, index in header.positions.items():
            cell = cells[index] if index < len(cells) else None
            try:
                values[key] = parsers[key](cell)
            except CellRefused as refused:
                reasons.append(f"{self.names[key]}: {refused.reason}")
        return values, reasons

    def _key_part(self, key: str, value):
        """A key's value as rows and records are matched on: a related record by its id, an
        instant to the minute (as a CSV export shows it), anything else caseless text."""
        if self.by_key[key].kind == "relation":
            return getattr(value, "id", value)
        if isinstance(value, dt.datetime):
            return value.replace(second=0, microsecond=0)
        return normalized(value)

    def _key(self, values: dict) -> tuple | None:
        parts = [values.get(k) for k in self.key]
        if not parts or any(p is None for p in parts):
            return None
        return tuple(self._key_part(k, p) for k, p in zip(self.key, parts, strict=True))

    def _record_key(self, item) -> tuple:
        return tuple(self._key_part(k, getattr(item, self.by_key[k].fk or k)) for k in self.key)

    def _key_clause(self, key: str, values: list):
        """The records whose ``key`` may match one of the rows' ``values``."""
        field_ = self.by_key[key]
        if field_.kind == "relation":
            return getattr(self.model, field_.fk).in_({value.id for value in values})
        column = getattr(self.model, key)
        if field_.kind == "instant":  # (matched to the minute: a range, compared in Python)
            return column.between(min(values).replace(second=0, microsecond=0),
                                  max(values).replace(second=59, microsecond=999999))
        variants = set()
        for value in values:
            variants |= {value, value.upper(), value.lower()} if isinstance(value, str) \
                else {value}
        return column.in_(variants)

    def _existing(self, parsed: list) -> tuple[dict, set]:
        """The records the chunk's keys name (whatever their department), and which of them
        the user may see."""
        wanted = [values for _n, values, _r, key in parsed if key is not None]
        if not wanted:
            return {}, set()
        clauses = [self._key_clause(key, [values[key] for values in wanted]) for key in self.key]
        if self.register.import_matches is not None:
            clauses.append(self.register.import_matches(self.model))
        found = self.session.query(self.model).filter(*clauses).all()
        by_key = {self._record_key(item): item for item in found}
        ids = [getattr(item, self.pk.key) for item in found]
        clause = visibility_clause(self.model)
        if clause is None or not ids:
            return by_key, set(ids)
        visible = {pk for (pk,) in self.session.query(self.pk).filter(self.pk.in_(ids), clause)}
        return by_key, visible

    # --- planning --------------------------------------------------------------------------------
    def _text(self, label) -> str:
        """A lazy label, translated once per import (not once per row)."""
        key = id(label)
        if key not in self.texts:
            self.texts[key] = (label, str(label))
        return self.texts[key][1]

    def _shown(self, item: Field, value) -> str:
        if value is None or value == "":
            return ""
        if item.kind == "choice":
            return self._text(item.choices[value]) if value in item.choices else str(value)
        if isinstance(value, bool):
            return self._text(YES if value else NO)
        if isinstance(value, dt.datetime):
            return format_display(value)
        if isinstance(value, list):  # (a many-to-many's records)
            return joined(str(v) for v in value)
        if isinstance(value, dt.date):
            return value.isoformat()
        return str(value)

    def _apply(self, record, values: dict, creating: bool, outcome: Outcome) -> list:
        """Set the row's values on ``record``: [(field, before, after)] of those that change."""
        changes = []
        for key, value in values.items():
            item = self.by_key[key]
            if not creating and key in self.key:
                continue  # (the record was found by it: the same, whatever its case)
            if value is None and not item.nullable:
                continue  # (an empty cell keeps a value that must be there; a new record: default)
            if item.kind == "relations":  # (an empty cell: none)
                value = value or []
            if creating:  # (nothing to compare with: a value given is a change)
                old, new_id, differs = None, getattr(value, "id", None), value not in (None, [])
            elif item.kind == "relation":
                old_id, new_id = getattr(record, item.fk), getattr(value, "id", None)
                differs = old_id != new_id
                old = getattr(record, key) if differs else None
            elif item.kind == "relations":
                old, new_id = list(getattr(record, key)), None
                differs = {r.id for r in old} != {r.id for r in value}
            else:
                old = getattr(record, key)
                differs = not _same(old, value)
            if not differs:
                continue
            if not (item.create if creating else item.update):
                outcome.reasons.append(
                    _("%(column)s: can be given only when a record is created.", column=item.label)
                    if item.create else
                    _("%(column)s: can be changed only on an existing record.", column=item.label))
                continue
            setattr(record, key, value)
            if item.kind == "relation":
                setattr(record, item.fk, new_id)
            changes.append((item, old, value))
        return changes

    def _describe(self, outcome: Outcome) -> None:
        outcome.changes = [[self._text(item.label), self._shown(item, old), self._shown(item, new)]
                           for item, old, new in outcome.raw]

    def _checked(self, outcome: Outcome, record, before) -> bool:
        try:
            self.commands.check(record, before)
        except CommandError as error:
            outcome.reasons += messages(error, self.names)
            return False
        return True

    def _plan_row(self, number: int, values: dict, reasons: list, key: tuple | None,
                  existing: dict, visible: set, seen: dict) -> tuple[Outcome, object, object]:
        outcome = Outcome(number, reasons=list(reasons),
                          name=" · ".join(str(values[k]) for k in self.key) if key else
                          next((str(v) for v in values.values() if isinstance(v, str)), ""))
        if key is not None:
            if key in seen:
                outcome.reasons.append(_("Row %(row)s has the same %(column)s.", row=seen[key],
                                         column=" · ".join(str(self.names[k]) for k in self.key)))
            else:
                seen[key] = number
        if outcome.reasons:
            return outcome, None, None
        record = existing.get(key) if key is not None else None
        if record is not None:
            return self._plan_update(outcome, record, values, visible)
        if key is not None and not all(self.by_key[k].create for k in self.key):
            outcome.reasons.append(_("No record has this %(column)s.",
                                     column=" · ".join(str(self.names[k]) for k in self.key)))
            return outcome, None, None
        return self._plan_create(outcome, values)

    def _plan_update(self, outcome, record, values, visible):
        if getattr(record, self.pk.key) not in visible:
            outcome.reasons.append(ForbiddenError.default_message)
            return outcome, None, None
        before = self.commands.before(record)
        changes = self._apply(record, values, False, outcome)
        if outcome.reasons:
            return outcome, None, None
        if changes and self.checking and self._checked(outcome, record, before):
            # (the checks may normalise a value back to what it was, e.g. a code's case)
            changes = [(item, old, getattr(record, item.key)) for item, old, _new in changes
                       if not _same(old, getattr(record, item.key))]
        if outcome.reasons:
            return outcome, None, None
        if not changes:
            outcome.action = "unchanged"
            return outcome, None, None
        outcome.action, outcome.raw = "update", changes
        return outcome, record, before

    def _plan_create(self, outcome, values):
        record = self.model()
        changes = self._apply(record, values, True, outcome)
        for item in self.fields:
            if item.kind == "relation" and item.required and item.create \
                    and getattr(record, item.fk) is None:
                outcome.reasons.append(f"{item.label}: {_('This field is required.')}")
        if outcome.reasons or (self.checking and not self._checked(outcome, record, None)):
            return outcome, None, None
        outcome.action = "create"
        outcome.raw = [(item, None, getattr(record, item.key)) for item, _old, _new in changes]
        return outcome, record, None

    def plan(self) -> Iterator[list[tuple[Outcome, object, object]]]:
        """The file's rows, planned, in chunks of (outcome, record or None, before or None)."""
        table, header, rows = self._open()
        parsers = {key: parser(self.by_key[key], self.resolver) for key in header.positions}
        seen: dict = {}
        try:
            for chunk in self._counted(rows):
                with self.session.no_autoflush:
                    parsed = []
                    for number, cells in chunk:
                        values, reasons = self._parse(cells, header, parsers)
                        parsed.append((number, values, reasons, self._key(values)))
                    existing, visible = self._existing(parsed)
                    planned = [self._plan_row(*row, existing, visible, seen) for row in parsed]
                self.progress = table.progress
                yield planned
        finally:
            table.close()

    # --- running ---------------------------------------------------------------------------------
    def preview(self, progress: Callable[[float], None] | None = None) -> dict:
        """What the import would do, row by row; nothing is written."""
        tally = Tally()
        with fewer_collections():
            try:
                for chunk in self.plan():
                    for outcome, _record, _before in chunk:
                        tally.add(outcome, self._describe)
                    self.session.rollback()  # (the planned changes of updated records)
                    if progress is not None:
                        progress(self.progress)
            finally:
                self.session.rollback()
        return tally.summary(self.ignored)

    def commit(self, progress: Callable[[float], None] | None = None) -> dict:
        """Write the rows (all or nothing): {create, update, unchanged} counts."""
        unchanged = 0
        self.checking = False

        def chunks():
            nonlocal unchanged
            for chunk in self.plan():
                refused = [outcome for outcome, _r, _b in chunk if outcome.action == "refused"]
                if refused:
                    raise ImportChanged(errors={
                        str(_("Row %(row)s", row=o.row)): o.reasons for o in refused[:20]})
                unchanged += sum(1 for outcome, _r, _b in chunk if outcome.action == "unchanged")
                yield [(outcome.row, record, before) for outcome, record, before in chunk
                       if record is not None]
                if progress is not None:
                    progress(self.progress)

        with fewer_collections():
            counts = self.commands.import_rows(chunks())
        return {**counts, "unchanged": unchanged}


@contextlib.contextmanager
def fewer_collections():
    """An import makes millions of short-lived objects: Python's cycle collector, run every
    700 allocations, would scan the whole long-lived heap of the app again and again (a
    quarter of the time). Meanwhile the app's objects are set aside (``gc.freeze``) and the
    collector runs less often; it is all put back after."""
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(max(threshold[0], 50_000), *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()
