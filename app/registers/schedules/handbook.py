"""The approval handbook as reference data: seeds/approval_items.yaml, checked entry by entry
(codes unique, departments known, dependencies known and acyclic, time limits positive) before
anything is written. Seeding again only adds missing items: administrators own them after."""
from __future__ import annotations

from pathlib import Path

from app.core.models import Department
from app.core.seeds import Seed, SeedError, SeedReport, read_entries, require
from app.registers.schedules.models import STAGES, ApprovalItem
from app.sla.schedule import ScheduleError, Task, topological_order

LANGS = ("zh", "ja", "en")


def parse_items(path: Path) -> list:
    entries, seen = read_entries(path), {}
    for entry in entries:
        require(path, entry, "code", "stage", "department", "days",
                *(f"name_{lang}" for lang in LANGS))
        if entry["code"] in seen:
            raise SeedError(path, entry.line, f"duplicate code '{entry['code']}'")
        seen[entry["code"]] = entry
        if entry["stage"] not in STAGES:
            raise SeedError(path, entry.line, f"unknown stage '{entry['stage']}'")
        if not isinstance(entry["days"], int) or entry["days"] < 1:
            raise SeedError(path, entry.line, "days must be a whole number of working days ≥ 1")
        for key in ("depends_on", "industries", *(f"documents_{lang}" for lang in LANGS)):
            if not isinstance(entry.get(key) or [], list):
                raise SeedError(path, entry.line, f"'{key}' must be a list")
    for entry in entries:
        unknown = [c for c in entry.get("depends_on") or [] if c not in seen]
        if unknown:
            raise SeedError(path, entry.line, f"unknown items depended on: {', '.join(unknown)}")
    try:
        topological_order({e["code"]: Task(e["code"], e["days"], tuple(e.get("depends_on") or ()))
                           for e in entries})
    except ScheduleError as exc:
        raise SeedError(path, seen[exc.items[0]].line, str(exc)) from exc
    return entries


def write_items(session, entries: list, report: SeedReport) -> None:
    departments = {d.code: d for d in session.query(Department)}
    existing = {code for (code,) in session.query(ApprovalItem.code)}
    for position, entry in enumerate(entries, start=1):
        if entry["code"] in existing:
            continue
        department = departments.get(entry["department"])
        if department is None:
            raise SeedError(Path("approval_items.yaml"), entry.line,
                            f"unknown department '{entry['department']}'")
        session.add(ApprovalItem(
            code=entry["code"], position=position * 10, stage=entry["stage"],
            department=department, days=entry["days"],
            depends_on=" ".join(entry.get("depends_on") or []),
            industries=" ".join(entry.get("industries") or []),
            **{f"name_{lang}": str(entry[f"name_{lang}"]).strip() for lang in LANGS},
            **{f"documents_{lang}": "\n".join(entry.get(f"documents_{lang}") or [])
               for lang in LANGS}))
        report.created += 1


SEED = Seed("approval_items.yaml", parse_items, write_items)


def effective_dependencies(handbook: dict[str, ApprovalItem], chosen: list[str]
                           ) -> dict[str, list[str]]:
    """For each chosen item, the chosen items it waits for — through items left out too (if B
    is left out of A → B → C, C still waits for A)."""
    wanted = set(chosen)
    out: dict[str, list[str]] = {}
    for code in chosen:
        found: list[str] = []
        seen: set[str] = set()
        todo = list(handbook[code].dependency_codes)
        while todo:
            dep = todo.pop(0)
            if dep in seen or dep not in handbook:
                continue
            seen.add(dep)
            if dep in wanted:
                found.append(dep)
            else:
                todo.extend(handbook[dep].dependency_codes)
        out[code] = found
    return out
