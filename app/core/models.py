"""Shared models and mixins: departments, the department-aware user, ownership and audit."""
from __future__ import annotations

import hmac
import secrets

from flask import g, has_request_context
from flask_appbuilder import Model
from flask_appbuilder.security.sqla.models import User
from flask_babel import get_locale
from flask_babel import lazy_gettext as _
from flask_login import current_user
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    event,
)
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import declared_attr, relationship

from app.core.timeutil import utcnow

LANGUAGES = ("zh", "ja", "en")


def reader_language() -> str:
    """The request's language (zh outside requests)."""
    return str(get_locale() or "zh")[:2] if has_request_context() else "zh"


def localized(obj, field: str) -> str:
    """``obj.<field>_<lang>`` in the request's language, falling back to Chinese."""
    return getattr(obj, f"{field}_{reader_language()}", None) or getattr(obj, f"{field}_zh")


def shown_label(label) -> str:
    """A stored label in the reader's language: a plain string, or names by language
    (``{"zh": …, "ja": …}``) falling back to Chinese."""
    if isinstance(label, dict):
        return label.get(reader_language()) or label.get("zh") or next(iter(label.values()), "")
    return "" if label is None else str(label)


class LocalizedNameMixin:
    """A record named ``name_zh`` (and optionally ``name_ja``/``name_en``): shown by its name
    in the reader's language, falling back to Chinese."""

    @property
    def name(self) -> str:
        return localized(self, "name")

    def __str__(self) -> str:
        return self.name


def link_table(left: str, right: str) -> Table:
    """The many-to-many table ``<left>_<right>`` between two tables' records; a link goes
    with either record (ON DELETE CASCADE) and is found from the right side by index."""
    return Table(
        f"{left}_{right}", Model.metadata,
        Column(f"{left}_id", Integer, ForeignKey(f"{left}.id", ondelete="CASCADE"),
               primary_key=True),
        Column(f"{right}_id", Integer, ForeignKey(f"{right}.id", ondelete="CASCADE"),
               primary_key=True, index=True))


class NamedMixin:
    """Reference data named in the three languages of the platform; shown in the reader's."""

    name_zh = Column(String(100), nullable=False)
    name_ja = Column(String(100), nullable=False)
    name_en = Column(String(150), nullable=False)

    @property
    def name(self) -> str:
        return localized(self, "name")

    def __str__(self) -> str:
        return self.name


class Department(NamedMixin, Model):
    """An organisation unit of the plan (reference data, seeded from seeds/departments.yaml)."""

    __tablename__ = "department"
    id = Column(Integer, primary_key=True)
    code = Column(String(16), unique=True, nullable=False)

    @property
    def owning_department_id(self) -> int:
        return self.id


class Measure(Model):
    """A measure of the plan (A1–C4). Departments take part as lead or co-operating."""

    __tablename__ = "measure"
    id = Column(Integer, primary_key=True)
    code = Column(String(4), unique=True, nullable=False)
    title_zh = Column(String(200), nullable=False)
    title_ja = Column(String(200), nullable=False)
    title_en = Column(String(200), nullable=False)
    # True when the plan says "all departments" co-operate.
    all_departments_cooperate = Column(Boolean, nullable=False, default=False)
    participants = relationship("MeasureDepartment", cascade="all, delete-orphan")

    @property
    def departments(self) -> tuple[list[str], list[str], bool]:
        leads = [str(p.department) for p in self.participants if p.role == "lead"]
        coop = [str(p.department) for p in self.participants if p.role == "cooperating"]
        return leads, coop, self.all_departments_cooperate

    def __str__(self) -> str:
        return f"{self.code} {localized(self, 'title')}"


class MeasureDepartment(Model):
    """谁牵头谁负责: the lead department owns a measure, co-operating departments support it."""

    __tablename__ = "measure_department"
    measure_id = Column(Integer, ForeignKey("measure.id", ondelete="CASCADE"), primary_key=True)
    department_id = Column(Integer, ForeignKey("department.id"), primary_key=True)
    role = Column(String(12), nullable=False)  # "lead" or "cooperating"
    department = relationship(Department)


def new_session_stamp() -> str:
    return secrets.token_hex(16)


class PuwanUser(User):
    """FAB's user with the department it belongs to, its remembered UI language and its
    session stamp.

    The stamp is part of every session cookie (``get_id``) and API token (a JWT claim) issued to
    the user; a session or token is honoured only while it carries the stamp the database holds.
    Rotating the stamp (logout, password change, deactivation) therefore ends every session and
    token of the user at once, on every worker.
    """

    __tablename__ = "ab_user"
    # Every user belongs to a department (isolation keys on it).
    department_id = Column(Integer, ForeignKey("department.id"), nullable=False, index=True)
    department = relationship(Department)
    locale = Column(String(8), nullable=True)
    session_stamp = Column(String(32), nullable=False, default=new_session_stamp)

    def get_id(self) -> str:
        # What Flask-Login keeps in the session cookie.
        return f"{self.id}:{self.session_stamp}"

    def has_stamp(self, stamp: str | None) -> bool:
        return bool(stamp and self.session_stamp
                    and hmac.compare_digest(stamp, self.session_stamp))

    def end_sessions(self) -> None:
        """Make every session cookie and API token issued so far useless (not committed)."""
        self.session_stamp = new_session_stamp()

    @property
    def owning_department_id(self) -> int | None:
        # Before a flush the relationship may be set while the column is not yet; a row read
        # from the database has its column (no query for the relation, as on a list page).
        if "department" in sa_inspect(self).unloaded:
            return self.department_id
        department = self.department
        return department.id if department is not None else self.department_id

    @classmethod
    def visible_clause(cls, scope):
        return cls.department_id.in_(scope.read or ())


@event.listens_for(PuwanUser.password, "set", active_history=True)
def _password_changed(user, value, oldvalue, _initiator):
    # Whatever path changes a password (own reset, an administrator's, the CLI, an API).
    if value != oldvalue:
        user.end_sessions()


@event.listens_for(PuwanUser.active, "set", active_history=True)
def _deactivated(user, value, oldvalue, _initiator):
    # Reactivating the user later must not bring back what was open before.
    if oldvalue is True and not value:
        user.end_sessions()


def current_actor():
    """The authenticated user of this request (session or JWT), or None outside requests."""
    if not has_request_context():
        return None
    user = getattr(g, "user", None)
    if user is not None and getattr(user, "is_authenticated", False):
        return user
    if current_user and current_user.is_authenticated:
        return current_user
    return None


def _actor_id() -> int | None:
    actor = current_actor()
    return getattr(actor, "id", None)


class AuditMixin:
    """Created/changed by and at, in UTC."""

    created_on = Column(DateTime, default=utcnow, nullable=False, info={"label": _("Created at")})
    changed_on = Column(DateTime, default=utcnow, onupdate=utcnow, nullable=False,
                        info={"label": _("Changed at")})

    @declared_attr
    def created_by_fk(cls):
        return Column(Integer, ForeignKey("ab_user.id"), default=_actor_id, nullable=True)

    @declared_attr
    def changed_by_fk(cls):
        return Column(
            Integer, ForeignKey("ab_user.id"), default=_actor_id, onupdate=_actor_id, nullable=True
        )

    @declared_attr
    def created_by(cls):
        return relationship(
            PuwanUser,
            primaryjoin=f"{cls.__name__}.created_by_fk == PuwanUser.id",
            info={"scope_check": False, "label": _("Created by")},
        )

    @declared_attr
    def changed_by(cls):
        return relationship(
            PuwanUser,
            primaryjoin=f"{cls.__name__}.changed_by_fk == PuwanUser.id",
            info={"scope_check": False, "label": _("Changed by")},
        )


class DepartmentOwnedMixin:
    """A record owned by one department; department isolation keys on ``department_id``."""

    @declared_attr
    def department_id(cls):
        return Column(Integer, ForeignKey("department.id"), nullable=False, index=True)

    @declared_attr
    def department(cls):
        return relationship(Department, info={"label": _("Owning department")})

    @property
    def owning_department_id(self) -> int | None:
        # Before a flush the relationship may be set while the column is not yet; it is read
        # only when loaded or set (a list asking each row costs no query per row).
        department = self.__dict__.get("department")
        return department.id if department is not None else self.department_id

    @classmethod
    def visible_clause(cls, scope):
        return cls.department_id.in_(scope.read or ())


ABSENT = object()  # a side of a change the row does not have (see RecordChange.changes)


class RecordChange(DepartmentOwnedMixin, Model):
    """One row per write made through the command layer (the auditors' history): create,
    update, delete or a register's own action (e.g. a work order's "dispatch").

    Written in the same transaction as the change itself, so a change and its record stand or
    fall together (app.core.history). ``before``/``after`` hold only the columns that changed,
    related records with their names; ``record_label`` is how the record was named then.
    """

    __tablename__ = "record_change"
    id = Column(Integer, primary_key=True)
    table_name = Column(String(64), nullable=False, index=True)
    record_id = Column(Integer, nullable=False, index=True)
    # A string (a ticket) or names by language ({"zh": …, "ja": …}): see shown_label.
    record_label = Column(JSON, nullable=True)
    action = Column(String(24), nullable=False)  # create / update / delete / a register's own
    changed_at = Column(DateTime, default=utcnow, nullable=False, index=True)
    changed_by_fk = Column(Integer, ForeignKey("ab_user.id"), default=_actor_id, nullable=True)
    changed_by = relationship(PuwanUser, foreign_keys=[changed_by_fk], info={"scope_check": False})
    before = Column(JSON, nullable=True)
    after = Column(JSON, nullable=True)

    @property
    def changes(self) -> list[tuple[str, object, object]]:
        """(column, before, after) in the model's column order; a value only one side has is
        a create's, a delete's or what an action brought (e.g. its reason)."""
        before, after = self.before or {}, self.after or {}
        keys = list(after) + [key for key in before if key not in after]
        return [(key, before.get(key, ABSENT), after.get(key, ABSENT)) for key in keys]

    @property
    def record(self) -> str:
        return shown_label(self.record_label) or f"#{self.record_id}"

    @property
    def summary(self) -> RecordChange:
        # The list shows the whole change; its formatter needs the table to name the fields.
        return self


class ChartRollup(Model):
    """Pre-aggregated chart figures (``flask charts refresh``), so that a dashboard over a million
    records reads a few thousand rows. One row per chart, group key and combination of the
    visibility columns of the charted model; department isolation applies to these rows with
    the charted model's own ``visible_clause`` (the columns carry the same names)."""

    __tablename__ = "chart_rollup"
    __table_args__ = (Index("ix_chart_rollup_view_chart", "view", "chart"),)
    id = Column(Integer, primary_key=True)
    view = Column(String(64), nullable=False)
    chart = Column(String(64), nullable=False)
    department_id = Column(Integer)
    handling_department_id = Column(Integer)
    japanese_funded = Column(Boolean)
    key_int = Column(Integer)
    key_text = Column(String(64))
    n = Column(Float, nullable=False)      # rows, or values counted for an average
    total = Column(Float, nullable=False)  # sum of the values


class ChartRollupRun(Model):
    """When a view's rollup was last computed (its figures are "as of" then)."""

    __tablename__ = "chart_rollup_run"
    view = Column(String(64), primary_key=True)
    refreshed_at = Column(DateTime, nullable=False)
