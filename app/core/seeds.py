"""Reference data from seeds/*.yaml, loaded idempotently and all-or-nothing.

A bad file is reported with its name and line, and nothing is loaded. Core loads its own
(departments, measures, roles); the rest is declared by the package that owns the table, as a
``Seed``: a register in its declaration (``Register(seeds=[…])``, e.g. the work orders' service
types), anything else with ``declare`` (the SLA policies of the clocks). Core never imports them.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml
from flask import current_app

from app.core import registry
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


def read_entries(path: Path) -> list:
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


def require(path: Path, entry, *keys: str) -> None:
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


@dataclass(frozen=True)
class Seed:
    """A seed file (under SEEDS_DIR) and how to load it: ``parse(path)`` checks every entry
    (raising SeedError with the line) before anything is written; ``write(session, entries,
    report)`` then adds or updates rows in the load's one transaction, without committing."""

    file: str
    parse: Callable[[Path], list]
    write: Callable[..., None]


_DECLARED: list[Seed] = []


def declare(seed: Seed) -> Seed:
    """Load this seed file with the reference data (a package that is not a register)."""
    if seed not in _DECLARED:
        _DECLARED.append(seed)
    return seed


def declared() -> list[Seed]:
    """The seed files of the packages and registers, in the order they were declared."""
    return [*_DECLARED, *(seed for register in registry.registers() for seed in register.seeds)]


def parse_named_codes(path: Path) -> list:
    """Entries with a unique code and names in zh/ja/en (departments, service types)."""
    entries, seen = read_entries(path), set()
    for entry in entries:
        require(path, entry, "code", "name_zh", "name_ja", "name_en")
        if entry["code"] in seen:
            raise SeedError(path, entry.line, f"duplicate code '{entry['code']}'")
        seen.add(entry["code"])
    return entries


def parse_measures(path: Path, department_codes: set[str]) -> list:
    entries = read_entries(path)
    for entry in entries:
        require(path, entry, "code", "title_zh", "title_ja", "title_en", "lead")
        coop = entry.get("cooperating") or []
        if coop != "all" and not isinstance(coop, list):
            raise SeedError(path, entry.line, "'cooperating' must be a list or 'all'")
        for code in list(entry["lead"]) + ([] if coop == "all" else coop):
            if code not in department_codes:
                raise SeedError(path, entry.line, f"unknown department '{code}'")
    return entries


def parse_roles(path: Path) -> list:
    """Roles with the profiles they are given ({profile: read|write}, expanded over every
    register of the profile by ``registry.profile_grants``) and explicit grants for the rest."""
    entries = read_entries(path)
    for entry in entries:
        require(path, entry, "name")
        label = entry.get("label")
        if label is not None and not (isinstance(label, dict) and label.get("zh")):
            raise SeedError(path, entry.line, "'label' must give the name by language: {zh: …}")
        profiles = entry.setdefault("profiles", {})
        if not isinstance(profiles, dict):
            raise SeedError(path, entry.line, "'profiles' must map a profile to read or write")
        for profile, level in profiles.items():
            if profile not in registry.PROFILES:
                raise SeedError(path, entry.line, f"unknown profile {profile!r} (one of "
                                f"{', '.join(registry.PROFILES)})")
            if level not in registry.LEVELS:
                raise SeedError(path, entry.line, f"profile {profile!r}: level must be one of "
                                f"{', '.join(registry.LEVELS)}, not {level!r}")
        if not isinstance(entry.setdefault("grants", []), list):
            raise SeedError(path, entry.line, "'grants' must be a list of [view, permission]")
        for grant in entry["grants"]:
            if not (isinstance(grant, list) and len(grant) == 2):
                raise SeedError(path, entry.line, f"grant must be [view, permission]: {grant!r}")
            for pattern in grant:
                try:
                    re.compile(pattern)
                except re.error as exc:
                    raise SeedError(path, entry.line, f"bad pattern {pattern!r}: {exc}") from exc
    return entries


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
    """Create the default roles and grant what their profiles give and their patterns match
    (additive: admins' later grants are kept). FAB's security manager commits each of these
    itself."""
    for permission in SCOPE_PERMISSIONS:
        sm.add_permission_view_menu(permission, SCOPE_VIEW)
    all_pvms = sm.session.query(sm.permissionview_model).all()
    for entry in roles:
        role = sm.find_role(entry["name"])
        if role is None:
            role = sm.add_role(entry["name"])
            report.created += 1
        granted = set(role.permissions)
        given = set().union(*(registry.profile_grants(profile, level)
                              for profile, level in entry["profiles"].items()))
        for pvm in all_pvms:
            if pvm not in granted and (pvm.view_menu.name, pvm.permission.name) in given:
                role.permissions.append(pvm)
                granted.add(pvm)
                report.updated += 1
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
    more = [(seed, seed.parse(directory / seed.file)) for seed in declared()]

    report = SeedReport()
    session = db.session
    try:
        _write_reference_data(session, departments, measures, report)
        for seed, entries in more:
            seed.write(session, entries, report)
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
