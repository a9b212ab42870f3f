"""The one write path for a department-owned record, shared by UI views and REST APIs.

Each command runs in one transaction: flush, check (department scope, targets of relations,
the model's own rules), then commit — or roll back everything and raise a CommandError.
"""
from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _
from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from app.core.exceptions import CommandError, ForbiddenError, ValidationFailed
from app.core.models import RecordChange
from app.core.scope import current_scope, scoped_relationships, visibility_clause
from app.extensions import db

AUDIT_IGNORED = {"id", "changed_on", "changed_by_fk", "created_on", "created_by_fk"}


def _jsonable(value):
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def _snapshot(item) -> dict:
    # Models name columns the history must not keep (e.g. the hash behind a private link).
    ignored = AUDIT_IGNORED | set(getattr(item, "__audit_exclude__", ()))
    return {
        column.key: _jsonable(getattr(item, column.key))
        for column in inspect(type(item)).column_attrs
        if column.key not in ignored
    }


def _record(session, item, action: str, before: dict | None, after: dict | None) -> None:
    if before is not None and after is not None:
        changed = {k for k in after if before.get(k) != after[k]}
        if not changed:
            return
        before = {k: before.get(k) for k in changed}
        after = {k: after[k] for k in changed}
    session.add(RecordChange(
        table_name=type(item).__tablename__,
        record_id=inspect(item).identity[0],
        action=action,
        department_id=item.owning_department_id,
        before=before,
        after=after,
    ))


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
    def __init__(self, model):
        self.model = model

    @staticmethod
    def before(item) -> Before:
        return Before(_snapshot(item), item.owning_department_id)

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
        validate = getattr(item, "validate_record", None)
        if validate is not None:
            validate()

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
            _record(session, item, "create", None, _snapshot(item))

        self._run(work)

    def update(self, item, before: Before) -> None:
        def work(session):
            session.add(item)
            session.flush()
            self._check_write(item, before.department_id)
            _record(session, item, "update", before.values, _snapshot(item))

        self._run(work)

    def delete(self, items: Iterable) -> None:
        items = list(items)
        scope = current_scope()

        def work(session):
            for item in items:
                if not scope.can_write(item.owning_department_id):
                    raise ForbiddenError()
                _record(session, item, "delete", _snapshot(item), None)
                session.delete(item)
            session.flush()

        self._run(work)
