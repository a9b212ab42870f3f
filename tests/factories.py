"""Test data factories: valid, unique values by sequence; override only what a test is about."""
from __future__ import annotations

import itertools

from app.core.models import Department, PuwanUser
from app.extensions import db
from app.registers.enterprises.models import Enterprise
from app.registers.enterprises.validators import uscc_check_char

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
