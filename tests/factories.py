"""Test data factories: valid, unique values by sequence; override only what a test is about."""
from __future__ import annotations

import datetime as dt
import itertools

from app.clocks.models import SlaClock
from app.core import registry
from app.core.models import Department, PuwanUser
from app.core.scope import current_scope
from app.extensions import db
from app.registers.enterprises.models import Enterprise
from app.registers.enterprises.validators import uscc_check_char
from app.registers.workorders.models import ServiceType, WorkOrder

PASSWORD = "Test-password-2026"
_seq = itertools.count(1)


def valid_uscc(n: int | None = None) -> str:
    n = next(_seq) if n is None else n
    body = f"91210200{n:09d}"
    return body + uscc_check_char(body)


def department_id(code: str) -> int:
    return db.session.query(Department).filter_by(code=code).one().id


def user_id(username: str) -> int:
    return db.session.query(PuwanUser).filter_by(username=username).one().id


class EnterpriseFactory:
    def __init__(self, app):
        self.app = app

    def payload(self, **overrides) -> dict:
        n = next(_seq)
        data = {
            "uscc": valid_uscc(n),
            "name_zh": f"测试企业{n}",
            "industry": "chemical",
            "stage": "construction",
            "japanese_funded": False,
            "export_enterprise": False,
        }
        data.update(overrides)
        return data

    def create(self, department: str = "IPB", **overrides) -> int:
        with self.app.app_context():
            data = self.payload(**overrides)
            secretary = data.pop("secretary", None)
            item = Enterprise(**data, department_id=department_id(department))
            if secretary:
                item.secretary_id = user_id(secretary)
            db.session.add(item)
            db.session.commit()
            pk = item.id
            db.session.remove()
            return pk

    def get(self, pk: int) -> dict | None:
        with self.app.app_context():
            item = db.session.get(Enterprise, pk)
            result = None if item is None else {
                "name_zh": item.name_zh, "department": item.department.code,
                "secretary": item.secretary.username if item.secretary else None,
                "uscc": item.uscc,
            }
            db.session.remove()
            return result

    def count(self) -> int:
        with self.app.app_context():
            n = db.session.query(Enterprise).count()
            db.session.remove()
            return n


class Orders:
    """Drive work orders through the REST API as the people who would."""

    def __init__(self, app, auth):
        self.app, self.auth, self.client = app, auth, app.test_client()
        self._tokens = {}

    def headers(self, username):
        if username not in self._tokens:
            self._tokens[username] = self.auth.token(username)
        return self._tokens[username]

    def create(self, username="office", **overrides) -> int:
        with self.app.app_context():
            service_type = db.session.query(ServiceType).filter_by(code="policy").one().id
        payload = {"channel": "hotline", "subject": "咨询补贴政策", "content": "请问申报条件",
                   "service_type": service_type, "category": "general", "language": "zh"}
        payload.update(overrides)
        resp = self.client.post("/api/v1/workorder/", json=payload, headers=self.headers(username))
        assert resp.status_code == 201, resp.json
        return resp.json["id"]

    def act(self, pk, action, username, **data):
        return self.client.post(f"/api/v1/workorder/{pk}/transition/{action}", json=data,
                                headers=self.headers(username))

    def state(self, pk) -> str:
        with self.app.app_context():
            state = db.session.get(WorkOrder, pk).state
            db.session.remove()
            return state

    def clock(self, pk, name):
        with self.app.app_context():
            row = db.session.query(SlaClock).filter_by(subject_type="work_order", subject_id=pk,
                                                       name=name).one_or_none()
            result = None if row is None else {"state": row.state, "due_at": row.due_at,
                                               "paused": row.paused_since is not None}
            db.session.remove()
            return result

    def dispatched(self, to="IPB", **overrides) -> int:
        pk = self.create(**overrides)
        with self.app.app_context():
            dept = department_id(to)
        assert self.act(pk, "dispatch", "office", department=dept).status_code == 200
        return pk


class Make:
    """What a register's ``sample(make)`` asks for: unique, valid values."""

    department: str | None = None  # the department records it makes belong to (default: the user's)

    @staticmethod
    def uscc() -> str:
        return valid_uscc()

    @staticmethod
    def text(prefix: str) -> str:
        return f"{prefix}{next(_seq)}"

    @staticmethod
    def ref(model, **by) -> int:
        """The id of a stored row of reference data (e.g. a seeded service type)."""
        return db.session.query(model.id).filter_by(**by).scalar()

    @staticmethod
    def record(model, **overrides) -> int:
        """The id of a new stored record of another register, made from that register's
        sample: of the current user's department (IPB outside a request)."""
        register = registry.get(model.__tablename__)
        item = model(**{**register.sample(Make), **overrides})
        if hasattr(model, "department_id") and getattr(item, "department_id", None) is None:
            item.department_id = (department_id(Make.department) if Make.department
                                  else current_scope().department_id or department_id("IPB"))
        db.session.add(item)
        db.session.commit()
        return item.id

    @staticmethod
    def instant(days: int = 0, hour: int = 1) -> dt.datetime:
        """A whole hour ``days`` from today (naive UTC, as stored)."""
        today = dt.datetime.now(dt.UTC).replace(tzinfo=None, minute=0, second=0, microsecond=0)
        return today.replace(hour=hour) + dt.timedelta(days=days)


def sample_record(app, register, department: str = "IPB", **overrides) -> int:
    """A stored record of ``register`` (its declared ``sample``) owned by ``department``."""
    with app.app_context():
        Make.department = department  # (what it links is made in the same department)
        try:
            item = register.model(**{**register.sample(Make), **overrides})
        finally:
            Make.department = None
        if hasattr(register.model, "department_id"):
            item.department_id = department_id(department)
        db.session.add(item)
        db.session.commit()
        pk = item.id
        db.session.remove()
        return pk
