"""Reference data from seeds/*.yaml, loaded idempotently and all-or-nothing.

A bad file is reported with its name and line, and nothing is loaded.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from flask import current_app

from app.core.models import Department, Measure, MeasureDepartment
from app.core.scope import SCOPE_PERMISSIONS, SCOPE_VIEW
from app.extensions import db


class SeedError(Exception):
    def __init__(self, path: Path, line: int | None, message: str):
        self.path, self.line, self.message = path, line, message
        where = f"{path.name}:{line}" if line else path.name
        super().__init__(f"{where}: {message}")


class _LineLoader(yaml.SafeLoader):
    """Keeps the line of every mapping so errors point at the entry."""


def _construct_mapping(loader, node, deep=False):
    mapping = yaml.SafeLoader.construct_mapping(loader, node, deep=True)
    return _Entry(mapping, node.start_mark.line + 1)


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


class _Entry(dict):
    def __init__(self, data, line):
        super().__init__(data)
        self.line = line


def _load(path: Path) -> list:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise SeedError(path, mark.line + 1 if mark else None, str(exc.problem or exc)) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise SeedError(path, None, str(exc)) from exc
    if not isinstance(data, list):
        raise SeedError(path, 1, "expected a list of entries")
    return data


def _require(path: Path, entry, *keys: str) -> None:
    if not isinstance(entry, _Entry):
        raise SeedError(path, None, f"expected a mapping, got {entry!r}")
    for key in keys:
        value = entry.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            raise SeedError(path, entry.line, f"missing '{key}'")


@dataclass
class SeedReport:
    created: int = 0
    updated: int = 0

    def __str__(self) -> str:
        return f"{self.created} created, {self.updated} updated"


def _upsert(session, model, key: dict, values: dict, report: SeedReport):
    row = session.query(model).filter_by(**key).one_or_none()
    if row is None:
        row = model(**key, **values)
        session.add(row)
        report.created += 1
    else:
        changed = {k: v for k, v in values.items() if getattr(row, k) != v}
        for k, v in changed.items():
            setattr(row, k, v)
        report.updated += bool(changed)
    return row


def parse_named_codes(path: Path) -> list:
    """Entries with a unique code and names in zh/ja/en (departments, service types)."""
    entries, seen = _load(path), set()
    for entry in entries:
        _require(path, entry, "code", "name_zh", "name_ja", "name_en")
        if entry["code"] in seen:
            raise SeedError(path, entry.line, f"duplicate code '{entry['code']}'")
        seen.add(entry["code"])
    return entries


def parse_measures(path: Path, department_codes: set[str]) -> list:
    entries = _load(path)
    for entry in entries:
        _require(path, entry, "code", "title_zh", "title_ja", "title_en", "lead")
        coop = entry.get("cooperating") or []
        if coop != "all" and not isinstance(coop, list):
            raise SeedError(path, entry.line, "'cooperating' must be a list or 'all'")
        for code in list(entry["lead"]) + ([] if coop == "all" else coop):
            if code not in department_codes:
                raise SeedError(path, entry.line, f"unknown department '{code}'")
    return entries


def parse_roles(path: Path) -> list:
    entries = _load(path)
    for entry in entries:
        _require(path, entry, "name", "grants")
        label = entry.get("label")
        if label is not None and not (isinstance(label, dict) and label.get("zh")):
            raise SeedError(path, entry.line, "'label' must give the name by language: {zh: …}")
        for grant in entry["grants"]:
            if not (isinstance(grant, list) and len(grant) == 2):
                raise SeedError(path, entry.line, f"grant must be [view, permission]: {grant!r}")
            for pattern in grant:
                try:
                    re.compile(pattern)
                except re.error as exc:
                    raise SeedError(path, entry.line, f"bad pattern {pattern!r}: {exc}") from exc
    return entries


UNITS = ("minutes", "hours", "calendar_days", "working_days")


def parse_sla_policies(path: Path) -> list:
    entries = _load(path)
    for entry in entries:
        _require(path, entry, "code", "name_zh", "name_ja", "name_en", "amount", "unit")
        if entry["unit"] not in UNITS:
            raise SeedError(path, entry.line, f"unit must be one of {', '.join(UNITS)}")
        if not isinstance(entry["amount"], int) or entry["amount"] <= 0:
            raise SeedError(path, entry.line, "amount must be a positive whole number")
        if not 0 < int(entry.get("warning_percent", 75)) <= 100:
            raise SeedError(path, entry.line, "warning_percent must be within 1..100")
    return entries


def _write_sla_policies(session, policies: list, report: SeedReport) -> None:
    """Only missing policies are added: administrators own them once they exist."""
    from app.clocks.models import SlaPolicy

    for entry in policies:
        if session.query(SlaPolicy).filter_by(code=entry["code"]).first() is None:
            session.add(SlaPolicy(
                code=entry["code"], name_zh=entry["name_zh"], name_ja=entry["name_ja"],
                name_en=entry["name_en"], amount=entry["amount"], unit=entry["unit"],
                warning_percent=int(entry.get("warning_percent", 75)),
                pause_states=list(entry.get("pause_states") or []),
            ))
            report.created += 1


def _write_service_types(session, entries: list, report: SeedReport) -> None:
    """Only missing types are added: administrators own the names once they exist."""
    from app.registers.workorders.models import ServiceType

    for entry in entries:
        if session.query(ServiceType).filter_by(code=entry["code"]).first() is None:
            values = {k: str(entry[k]).strip() for k in ("name_zh", "name_ja", "name_en")}
            session.add(ServiceType(code=entry["code"], **values))
            report.created += 1


def _write_reference_data(session, departments: list, measures: list, report: SeedReport) -> None:
    by_code = {}
    for entry in departments:
        values = {k: str(entry[k]).strip() for k in ("name_zh", "name_ja", "name_en")}
        by_code[entry["code"]] = _upsert(session, Department, {"code": entry["code"]}, values, report)
    session.flush()
    for entry in measures:
        coop = entry.get("cooperating") or []
        values = {k: str(entry[k]) for k in ("title_zh", "title_ja", "title_en")}
        values["all_departments_cooperate"] = coop == "all"
        measure = _upsert(session, Measure, {"code": entry["code"]}, values, report)
        session.flush()
        wanted = {(by_code[c].id, "lead") for c in entry["lead"]}
        wanted |= {(by_code[c].id, "cooperating") for c in ([] if coop == "all" else coop)}
        if wanted != {(p.department_id, p.role) for p in measure.participants}:
            measure.participants = [
                MeasureDepartment(department_id=d, role=r) for d, r in sorted(wanted)
            ]
            report.updated += 1


def _write_roles(sm, roles: list, report: SeedReport) -> None:
    """Create the default roles and grant what their patterns match (additive: admins' later
    grants are kept). FAB's security manager commits each of these itself."""
    for permission in SCOPE_PERMISSIONS:
        sm.add_permission_view_menu(permission, SCOPE_VIEW)
    all_pvms = sm.session.query(sm.permissionview_model).all()
    for entry in roles:
        role = sm.find_role(entry["name"])
        if role is None:
            role = sm.add_role(entry["name"])
            report.created += 1
        granted = set(role.permissions)
        for view_re, perm_re in entry["grants"]:
            for pvm in all_pvms:
                if (
                    pvm not in granted
                    and re.fullmatch(view_re, pvm.view_menu.name)
                    and re.fullmatch(perm_re, pvm.permission.name)
                ):
                    role.permissions.append(pvm)
                    granted.add(pvm)
                    report.updated += 1
    sm.session.commit()


def load_all(seeds_dir: str | None = None) -> SeedReport:
    """Validate every seed file first, then write; a bad file loads nothing."""
    directory = Path(seeds_dir or current_app.config["SEEDS_DIR"])
    departments = parse_named_codes(directory / "departments.yaml")
    measures = parse_measures(directory / "measures.yaml", {e["code"] for e in departments})
    roles = parse_roles(directory / "roles.yaml")
    policies = parse_sla_policies(directory / "sla_policies.yaml")
    service_types = parse_named_codes(directory / "service_types.yaml")

    report = SeedReport()
    session = db.session
    try:
        _write_reference_data(session, departments, measures, report)
        _write_sla_policies(session, policies, report)
        _write_service_types(session, service_types, report)
        session.commit()
    except Exception:
        session.rollback()
        raise
    appbuilder = current_app.appbuilder
    from flask_appbuilder.security.manager import BaseSecurityManager

    # FAB's own roles (Admin, Public) — its table-creating create_db is off (FAB_CREATE_DB).
    # Quietly: it would advise "flask fab create-admin", which makes a user with no department.
    fab_log = logging.getLogger("flask_appbuilder.security.manager")
    level = fab_log.level
    fab_log.setLevel(logging.ERROR)
    try:
        BaseSecurityManager.create_db(appbuilder.sm)
    finally:
        fab_log.setLevel(level)
    # Permissions of every registered view (FAB_UPDATE_PERMS is off at start-up).
    appbuilder.add_permissions(update_perms=True)
    _write_roles(appbuilder.sm, roles, report)
    return report
