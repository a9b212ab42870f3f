"""The one write path for a department-owned record, shared by UI views and REST APIs.

Each command runs in one transaction: flush, check (department scope, targets of relations,
the model's own rules), then commit — or roll back everything and raise a CommandError.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from flask_appbuilder import Model
from flask_babel import lazy_gettext as _
from sqlalchemy import Integer, event, func, insert, inspect
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import RelationshipDirection, Session, attributes

from app.core import fields, registry
from app.core.exceptions import CommandError, ForbiddenError, ValidationFailed
from app.core.history import record, snapshot
from app.core.models import RecordChange
from app.core.parts import attachments, lifecycle
from app.core.scope import (
    child_relationships,
    current_scope,
    may_write,
    owned,
    scoped_relationships,
    visibility_clause,
)
from app.extensions import db

ANOTHER_DEPARTMENT = _("This record belongs to another department.")


def subject_models() -> list[type]:
    """The models whose rows belong to a record of any register by ``subject_type`` (its
    table) and ``subject_id`` rather than by a foreign key — SLA clocks, notices, supervision —
    those referring to others first (the order they are deleted in)."""
    tables = {table: n for n, table in enumerate(Model.metadata.sorted_tables)}
    models = [mapper.class_ for mapper in Model.registry.mappers
              if {"subject_type", "subject_id"} <= set(mapper.columns.keys())]
    return sorted(models, key=lambda model: -tables[model.__table__])


def _delete_subjects(session, items) -> None:
    """No foreign key protects these rows: without this they would outlive their record, and
    a new record given the freed id (SQLite reuses it) would inherit them or clash with them."""
    ids: dict[str, list] = {}
    for item in items:
        ids.setdefault(type(item).__tablename__, []).append(inspect(item).identity[0])
    for model in subject_models():
        for table, keys in ids.items():
            for row in session.query(model).filter(model.subject_type == table,
                                                   model.subject_id.in_(keys)):
                session.delete(row)  # (with the ORM cascades, e.g. a clock's transitions)
        session.flush()


def _readable(record) -> bool:
    """The user may read ``record`` by the rule its own lists apply (visibility_clause: e.g. the
    Japanese window reads every Japanese-funded enterprise, not only its department's)."""
    model = type(record)
    clause = visibility_clause(model)
    if clause is None:
        return True
    identity = inspect(record).identity
    if identity is None:  # not stored yet: nobody else's
        return True
    pk = inspect(model).primary_key[0]
    return db.session.query(pk).filter(pk == identity[0], clause).first() is not None


# --- links: what a write links the record to -------------------------------------------------------
def _pk(obj):
    identity = inspect(obj).identity
    return identity[0] if identity else None


def _to_many(model) -> list:
    """The relations holding many records a write can change: many-to-many ones to records of a
    department, and child rows."""
    return [*(rel for rel in scoped_relationships(model)
              if rel.direction is RelationshipDirection.MANYTOMANY),
            *child_relationships(model)]


def _may_link(rel, target, scope=None) -> bool:
    """Whether the user may link ``target`` through ``rel``: read it (a relation marked
    ``scope_check="read"``) or write it (the rule by default)."""
    if rel.info.get("scope_check") == "read":
        return _readable(target)
    return (scope or current_scope()).can_write(target.owning_department_id)


def links(item) -> dict[str, frozenset]:
    """The ids ``item``'s to-many relations hold (what an edit is compared with)."""
    return {rel.key: frozenset(_pk(obj) for obj in getattr(item, rel.key))
            for rel in _to_many(type(item))}


MOVED = "puwan_moved_children"


@cache
def _children(model) -> tuple:
    return tuple(child_relationships(model))


@event.listens_for(Session, "before_flush")
def _note_moved_children(session, _context, _instances) -> None:
    """A child row taken from another parent: until this flush its foreign key still names the
    parent it leaves. Noted for the write check (``RecordCommands._check_children``), whichever
    flush — the command's, or an earlier automatic one — moves it."""
    for parent in (*session.dirty, *session.new):
        for rel in _children(type(parent)):
            added = attributes.get_history(parent, rel.key,
                                           passive=attributes.PASSIVE_NO_INITIALIZE).added
            for child in added or ():
                state = inspect(child)
                if state.key is not None and state.key not in session.info.get(MOVED, {}):
                    session.info.setdefault(MOVED, {})[state.key] = _parent_of(child, rel)


def _parent_of(child, rel):
    """The parent id ``child``'s foreign key of ``rel`` holds."""
    mapper = inspect(type(child))
    values = [getattr(child, mapper.get_property_by_column(column).key)
              for column in rel.remote_side]
    return values[0] if len(values) == 1 else tuple(values)


@cache
def _defaults(model) -> tuple:
    """(attribute, default) of the model's columns with a Python-side default."""
    mapper = inspect(model)
    return tuple((mapper.get_property_by_column(column).key, column.default)
                 for column in mapper.columns
                 if column.default is not None and not column.primary_key
                 and (column.default.is_scalar or column.default.is_callable))


def _number_new_rows(session, items: list) -> None:
    """Give new records their ids as SQLite would (the highest + 1, …), so that the ORM inserts
    them in one statement: SQLite cannot say which id a multi-row INSERT gave which row, so
    without ids the ORM sends one INSERT per record. Only once the transaction has written (it
    then holds SQLite's write lock: nobody takes an id meanwhile); never elsewhere (PostgreSQL's
    sequences number rows, and a multi-row INSERT there returns the ids in order)."""
    if not items or session.get_bind().dialect.name != "sqlite":
        return
    model = type(items[0])
    keys = inspect(model).primary_key
    if len(keys) != 1 or not isinstance(keys[0].type, Integer):
        return
    with session.no_autoflush:
        last = session.query(func.max(keys[0])).scalar() or 0
    attribute = inspect(model).get_property_by_column(keys[0]).key
    for number, item in enumerate(items, last + 1):
        setattr(item, attribute, number)


@dataclass(frozen=True)
class Before:
    """A record as it was before an edit: take it before the form or JSON touches the item.
    ``links``: its to-many relations' ids (None: unknown, every link is checked as new)."""

    values: dict
    department_id: int | None
    links: dict | None = None


class RecordCommands:
    # The moment the commands act at (aware UTC); None: now. (The demo acts in the past.)
    now = None

    def __init__(self, model):
        self.model = model

    @property
    def register(self) -> registry.Register | None:
        return registry.get(self.model.__tablename__)

    @staticmethod
    def before(item) -> Before:
        department_id = item.owning_department_id if owned(type(item)) else None
        return Before(snapshot(item), department_id, links(item))

    # --- checks ------------------------------------------------------------------------------
    def _check_write(self, item, original_department_id: int | None,
                     before: Before | None = None) -> None:
        """``before``: the record before an edit (None for a new one). Every link the write
        makes — many-to-one, many-to-many, a child row added — is checked; a link the record
        already had is not (one to a record the user can no longer read does not block an
        unrelated edit). A record without a department (reference data) is governed by the
        view's permissions alone: only its links and values are checked."""
        if owned(type(item)):
            self._check_department(item, original_department_id)
        self._check_links(item, before)
        self._check_children(item, before)
        register = self.register
        if register is not None and register.kind_column is not None:
            kind = getattr(item, register.kind_column)
            if kind is not None:  # (no kind: refused below)
                fields.clear_other_kinds(item, kind)
        validate = getattr(item, "validate_record", None)  # the model's own rules first
        if validate is not None:
            validate()
        errors = fields.check(item)  # then what the columns declare (choices, ranges, lengths)
        if errors:
            raise ValidationFailed(errors=errors)

    @staticmethod
    def _check_department(item, original_department_id: int | None) -> None:
        scope = current_scope()
        if original_department_id is not None and not scope.can_write(original_department_id):
            raise ForbiddenError()
        department_id = item.owning_department_id
        if department_id is None:
            raise ValidationFailed(errors={"department": [_("Choose a department.")]})
        if not scope.can_write(department_id):
            raise ForbiddenError(_("You may not put a record into another department."))

    @staticmethod
    def _check_links(item, before: Before | None, skip=frozenset({"department"})) -> None:
        """Each many-to-one or many-to-many link new to ``item`` is to a record the user may
        write — or, for a relation marked ``scope_check="read"``, may read (an order's
        enterprise, an expert's ties)."""
        scope = current_scope()
        values = before.values if before is not None else None
        old = before.links if before is not None else None
        for rel in scoped_relationships(type(item)):
            if rel.key in skip:
                continue
            if rel.direction is RelationshipDirection.MANYTOMANY:
                known = old.get(rel.key, frozenset()) if old is not None else frozenset()
                targets = [t for t in getattr(item, rel.key) if _pk(t) not in known]
            else:
                keys = [inspect(type(item)).get_property_by_column(c).key
                        for c in rel.local_columns]
                unchanged = values is not None and all(
                    k in values and values[k] == getattr(item, k) for k in keys)
                target = getattr(item, rel.key)
                targets = [] if unchanged or target is None else [target]
            for target in targets:
                if not _may_link(rel, target, scope):
                    raise ValidationFailed(errors={rel.key: [ANOTHER_DEPARTMENT]})

    def _check_children(self, item, before: Before | None) -> None:
        """A child row new to ``item``: taken from another record, the user must be able to
        write that one (and the row itself, if it is a department's record); its own links are
        checked like the record's."""
        moved = db.session.info.get(MOVED, {})
        old = before.links if before is not None else None
        for rel in child_relationships(type(item)):
            known = (old or {}).get(rel.key, frozenset())
            for child in getattr(item, rel.key):
                if _pk(child) in known:
                    continue
                state = inspect(child)
                if state.key in moved:  # a row that existed: moving it changes it
                    parent = moved[state.key]
                    left = (db.session.get(type(item), parent)
                            if parent is not None and parent != _pk(item) else None)
                    if (left is not None and not may_write(left)) or not may_write(child):
                        raise ValidationFailed(errors={rel.key: [ANOTHER_DEPARTMENT]})
                try:
                    back = {r.key for r in scoped_relationships(type(child))
                            if r.local_columns & rel.remote_side}
                    self._check_links(child, None, skip=back)
                except ValidationFailed:
                    raise ValidationFailed(errors={rel.key: [ANOTHER_DEPARTMENT]}) from None

    # --- extension points (inside the transaction, after the checks) ---------------------------------
    def after_create(self, session, item) -> None:
        """Registers add what a new record brings with it (numbers, clocks, timeline)."""

    def after_commit(self, session) -> None:
        """Runs once the change is committed (e.g. delivering SLA hooks)."""

    # --- transaction ---------------------------------------------------------------------------
    def _run(self, work) -> None:
        session = db.session
        try:
            work(session)
            session.commit()
        except CommandError:
            session.rollback()
            raise
        except IntegrityError as exc:
            session.rollback()
            raise ValidationFailed(
                _("A record with the same unique value already exists, or a required value is missing.")
            ) from exc
        except SQLAlchemyError as exc:
            session.rollback()
            raise CommandError(_("The database rejected the change; nothing was saved.")) from exc
        finally:
            session.info.pop(MOVED, None)
        self.after_commit(session)

    def create(self, item) -> None:
        def work(session):
            self._default_department(item)
            if owned(type(item)) and item.owning_department_id is None:
                raise ValidationFailed(errors={"department": [_("Choose a department.")]})
            session.add(item)
            session.flush()
            self._check_write(item, None)
            self.after_create(session, item)
            record(session, item, "create", None, snapshot(item))

        self._run(work)

    @staticmethod
    def _keep_hidden_links(item, before: Before) -> None:
        """A many-to-many link the user could not make (another department's enterprise an
        administrator tied an expert to) is not offered by the form, so a save cannot mean to
        remove it: it is kept."""
        for rel in scoped_relationships(type(item)):
            if rel.direction is not RelationshipDirection.MANYTOMANY:
                continue
            collection = getattr(item, rel.key)
            kept = {_pk(target) for target in collection}
            for pk in (before.links or {}).get(rel.key, frozenset()) - kept:
                target = db.session.get(rel.mapper.class_, pk)
                if target is not None and not _may_link(rel, target):
                    collection.append(target)

    def update(self, item, before: Before) -> None:
        def work(session):
            session.add(item)
            self._keep_hidden_links(item, before)
            session.flush()
            self._check_write(item, before.department_id, before)
            record(session, item, "update", before.values, snapshot(item))

        self._run(work)

    # --- imports (app.core.transfer): many records, one transaction ------------------------------
    def _default_department(self, item) -> None:
        # A new record belongs to the author's department unless one was chosen.
        scope = current_scope()
        if owned(type(item)) and item.owning_department_id is None \
                and scope.department_id is not None:
            item.department_id = scope.department_id

    def _prepare_new(self, item) -> None:
        """What create() has before its check: the author's department, and (its flush gives
        them) the columns' defaults — here without a flush."""
        self._default_department(item)
        for key, default in _defaults(type(item)):
            if getattr(item, key) is None:
                setattr(item, key, default.arg(None) if default.is_callable else default.arg)

    def check(self, item, before: Before | None = None) -> None:
        """The write check of a create (``before`` None) or an update, writing nothing: an
        import's preview says with it which rows would be refused, and why."""
        if before is None:
            self._prepare_new(item)
        self._check_write(item, None if before is None else before.department_id, before)

    def import_rows(self, rows: Iterable[list[tuple]]) -> dict:
        """Creates and updates in ONE transaction, all or nothing. ``rows`` yields lists
        (chunks) of ``(ref, item, before)``: ``before`` None creates ``item``, else it updates
        it (``before``: ``RecordCommands.before(item)`` taken before the changes). Each record
        passes the check of a single create or update and leaves its history row; the first
        refusal rolls everything back and raises its error with ``error.row = ref``. Chunks are
        flushed one by one, so a large import holds one chunk of records in memory."""
        counts = {"create": 0, "update": 0}

        def work(session):
            wrote = False
            for chunk in rows:
                for ref, item, before in chunk:
                    try:
                        if before is None:
                            self._prepare_new(item)
                            session.add(item)
                        else:
                            self._keep_hidden_links(item, before)
                        self._check_write(item, None if before is None else before.department_id,
                                          before)
                    except CommandError as error:
                        error.row = ref
                        raise
                if wrote:  # (the first writes took the write lock)
                    _number_new_rows(session, [item for _r, item, b in chunk if b is None])
                session.flush()
                wrote = wrote or bool(chunk)
                history: list[dict] = []  # (inserted in one statement per chunk)
                for _ref, item, before in chunk:
                    if before is None:
                        self.after_create(session, item)
                        record(session, item, "create", None, snapshot(item), rows=history)
                        counts["create"] += 1
                    else:
                        record(session, item, "update", before.values, snapshot(item),
                               rows=history)
                        counts["update"] += 1
                session.flush()
                if history:
                    session.execute(insert(RecordChange), history)

        self._run(work)
        return counts

    def delete(self, items: Iterable) -> None:
        """Deletes the records with what belongs to them: their children by foreign key go by
        the relationships' and the database's cascades (a child that may not go refuses the
        delete), their SLA clocks, notices and supervision entries here (``_delete_subjects``),
        their attachments' files once the delete is committed."""
        items = list(items)
        files: list[str] = []

        def work(session):
            for item in items:
                if not may_write(item):
                    raise ForbiddenError()
                record(session, item, "delete", snapshot(item), None)
            files.extend(attachments.stored_names(session, self.register, items))
            _delete_subjects(session, items)
            for item in items:
                session.delete(item)
            session.flush()

        self._run(work)
        attachments.remove_files(files)

    # --- record parts (app.core.parts) ------------------------------------------------------------
    def perform(self, item, action: str, data: dict, by_requester: bool = False):
        """Run one transition of the register's lifecycle on ``item`` (one command)."""
        return lifecycle.perform(self, item, action, data, by_requester=by_requester,
                                 now=self.now)

    def attach(self, item, filename: str, data: bytes) -> None:
        """Attach an uploaded file to ``item`` (one command)."""
        attachments.attach(self, item, filename, data)
