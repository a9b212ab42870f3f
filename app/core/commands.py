"""The one write path for a department-owned record, shared by UI views and REST APIs.

Each command runs in one transaction: flush, check (department scope, targets of relations,
the model's own rules), then commit — or roll back everything and raise a CommandError.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask_appbuilder import Model
from flask_babel import lazy_gettext as _
from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from app.core import fields, registry
from app.core.exceptions import CommandError, ForbiddenError, ValidationFailed
from app.core.history import record, snapshot
from app.core.parts import attachments, lifecycle
from app.core.scope import current_scope, scoped_relationships, visibility_clause
from app.extensions import db


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


@dataclass(frozen=True)
class Before:
    """A record as it was before an edit: take it before the form or JSON touches the item."""

    values: dict
    department_id: int | None


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
        return Before(snapshot(item), item.owning_department_id)

    # --- checks ------------------------------------------------------------------------------
    def _check_write(self, item, original_department_id: int | None) -> None:
        scope = current_scope()
        if original_department_id is not None and not scope.can_write(original_department_id):
            raise ForbiddenError()
        department_id = item.owning_department_id
        if department_id is None:
            raise ValidationFailed(errors={"department": [_("Choose a department.")]})
        if not scope.can_write(department_id):
            raise ForbiddenError(_("You may not put a record into another department."))
        for rel in scoped_relationships(type(item)):
            target = getattr(item, rel.key)
            if rel.key == "department" or target is None:
                continue
            # "read": pointing at any record the user may see is fine (e.g. an order's enterprise)
            if rel.info.get("scope_check") == "read":
                allowed = _readable(target)
            else:
                allowed = scope.can_write(target.owning_department_id)
            if not allowed:
                raise ValidationFailed(
                    errors={rel.key: [_("This record belongs to another department.")]}
                )
        validate = getattr(item, "validate_record", None)  # the model's own rules first
        if validate is not None:
            validate()
        errors = fields.check(item)  # then what the columns declare (choices, ranges, lengths)
        if errors:
            raise ValidationFailed(errors=errors)

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
        self.after_commit(session)

    def create(self, item) -> None:
        def work(session):
            scope = current_scope()
            # A new record belongs to the author's department unless one was chosen.
            if item.owning_department_id is None and scope.department_id is not None:
                item.department_id = scope.department_id
            if item.owning_department_id is None:
                raise ValidationFailed(errors={"department": [_("Choose a department.")]})
            session.add(item)
            session.flush()
            self._check_write(item, None)
            self.after_create(session, item)
            record(session, item, "create", None, snapshot(item))

        self._run(work)

    def update(self, item, before: Before) -> None:
        def work(session):
            session.add(item)
            session.flush()
            self._check_write(item, before.department_id)
            record(session, item, "update", before.values, snapshot(item))

        self._run(work)

    def delete(self, items: Iterable) -> None:
        """Deletes the records with what belongs to them: their children by foreign key go by
        the relationships' and the database's cascades (a child that may not go refuses the
        delete), their SLA clocks, notices and supervision entries here (``_delete_subjects``),
        their attachments' files once the delete is committed."""
        items = list(items)
        scope = current_scope()
        files: list[str] = []

        def work(session):
            for item in items:
                if not scope.can_write(item.owning_department_id):
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
