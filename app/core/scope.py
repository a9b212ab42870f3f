"""Department isolation: who may read and write which department's records.

The scope is derived from permissions (not role names) so administrators can grant it:
``can_read_all`` / ``can_write_all`` / ``can_serve_japanese_funded`` on the ``DepartmentScope``
view-menu. Everyone else reads and writes their own department only.
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass

from flask import current_app, g, has_request_context
from sqlalchemy import false, inspect
from sqlalchemy.orm import RelationshipDirection

from app.core.models import current_actor

SCOPE_VIEW = "DepartmentScope"
READ_ALL = "can_read_all"
WRITE_ALL = "can_write_all"
SERVE_JAPANESE = "can_serve_japanese_funded"
DISPATCH = "can_dispatch"  # the Management Committee Office dispatches work orders
SCOPE_PERMISSIONS = (READ_ALL, WRITE_ALL, SERVE_JAPANESE, DISPATCH)


@dataclass(frozen=True)
class Scope:
    """``None`` means every department; a frozenset lists the departments allowed."""

    read: frozenset[int] | None
    write: frozenset[int] | None
    serves_japanese: bool = False
    department_id: int | None = None
    dispatcher: bool = False

    def can_read(self, department_id: int | None) -> bool:
        return self.read is None or department_id in self.read

    def can_write(self, department_id: int | None) -> bool:
        return self.write is None or department_id in self.write


UNRESTRICTED = Scope(read=None, write=None, serves_japanese=True, dispatcher=True)
NOBODY = Scope(read=frozenset(), write=frozenset())


def _has(actor, permission: str) -> bool:
    # The security manager's per-request permission set: no extra query.
    return (permission, SCOPE_VIEW) in current_app.appbuilder.sm.permission_set(actor)


def scope_for(actor) -> Scope:
    if actor is None:
        return NOBODY
    own = frozenset({actor.department_id}) if actor.department_id else frozenset()
    return Scope(
        read=None if _has(actor, READ_ALL) else own,
        write=None if _has(actor, WRITE_ALL) else own,
        serves_japanese=_has(actor, SERVE_JAPANESE),
        department_id=actor.department_id,
        dispatcher=_has(actor, DISPATCH),
    )


def current_scope() -> Scope:
    """The scope of this request, computed once per request; unrestricted outside requests (CLI)."""
    if not has_request_context():
        return UNRESTRICTED
    actor = current_actor()
    cached = g.get("_puwan_scope")
    if cached is not None and cached[0] == getattr(actor, "id", None):
        return cached[1]
    scope = scope_for(actor)
    g._puwan_scope = (getattr(actor, "id", None), scope)
    return scope


@contextmanager
def acting_as_system():
    """For trusted intake channels (portal, e-mail, WeChat, Open311): the channel, not a user,
    writes. Validation still applies; only the department checks are lifted."""
    previous = g.get("_puwan_scope")
    g._puwan_scope = (getattr(current_actor(), "id", None), UNRESTRICTED)
    try:
        yield
    finally:
        if previous is None:
            g.pop("_puwan_scope", None)
        else:
            g._puwan_scope = previous


def visibility_clause(model, on=None):
    """SQL criterion restricting ``model`` to what the current actor may read; None = no limit.

    ``on``: apply ``model``'s rule to another table's same-named columns (a chart rollup)."""
    declared = getattr(model, "visible_clause", None)
    if declared is None:
        return None
    scope = current_scope()
    if scope.read is None:
        return None
    if not scope.read and not scope.serves_japanese:
        return false()
    return declared.__func__(on, scope) if on is not None else declared(scope)


def scoped_relationships(model):
    """The many-to-one and many-to-many relationships whose targets belong to a department:
    the write command checks each link a write makes (app.core.commands), the forms and the
    API offer only the targets it accepts (app.core.views)."""
    for rel in inspect(model).relationships:
        if rel.direction is RelationshipDirection.ONETOMANY or rel.viewonly:
            continue
        if rel.info.get("scope_check", True) is False:
            continue
        if hasattr(rel.mapper.class_, "owning_department_id"):
            yield rel


def child_relationships(model):
    """The one-to-many relationships a write can change: the record's child rows (e.g. its
    contacts). A child a write adds is checked like a link (app.core.commands)."""
    for rel in inspect(model).relationships:
        if rel.direction is RelationshipDirection.ONETOMANY and not rel.viewonly:
            yield rel


def owned(model) -> bool:
    """Whether ``model``'s rows belong to a department. A row without one (roles, permissions,
    reference data such as institutions) is governed by the view's permissions alone."""
    return hasattr(model, "owning_department_id")


def may_write(item) -> bool:
    """Whether the current user may change ``item``: the edit check, for buttons and actions."""
    if not owned(type(item)):
        return True
    return current_scope().can_write(item.owning_department_id)
