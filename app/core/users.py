"""Creating users. FAB's add_user flushes before a caller could set the (required) department,
so users are created here, with FAB's own password hashing settings."""
from __future__ import annotations

from flask import current_app
from werkzeug.security import generate_password_hash

from app.core.models import Department, PuwanUser
from app.extensions import db


class UserError(ValueError):
    pass


def create_user(username: str, password: str, department_code: str, role_names,
                first_name: str = "", last_name: str = "", email: str | None = None,
                locale: str | None = None, password_hash: str | None = None) -> PuwanUser:
    """Add a user (not committed: the caller owns the transaction). ``password_hash``: the
    hash of ``password`` when the caller has one already (users sharing a password)."""
    sm = current_app.appbuilder.sm
    department = db.session.query(Department).filter_by(code=department_code).one_or_none()
    if department is None:
        raise UserError(f"unknown department {department_code}")
    roles = [sm.find_role(name) for name in role_names]
    if None in roles:
        raise UserError(f"unknown role in {list(role_names)}")
    if sm.find_user(username=username) is not None:
        raise UserError(f"user {username} exists")
    user = PuwanUser(
        username=username, first_name=first_name or username, last_name=last_name or "-",
        email=email or f"{username}@puwan.local", active=True, roles=roles,
        department_id=department.id, locale=locale,
        password=password_hash or generate_password_hash(
            password,
            method=current_app.config.get("FAB_PASSWORD_HASH_METHOD", "scrypt"),
            salt_length=current_app.config.get("FAB_PASSWORD_HASH_SALT_LENGTH", 16),
        ),
    )
    db.session.add(user)
    return user
