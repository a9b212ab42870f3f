"""The SLA policies of the plan (seeds/sla_policies.yaml), loaded with the reference data:
only missing policies are added, since administrators own them once they exist."""
from __future__ import annotations

from pathlib import Path

from app.clocks.models import SlaPolicy
from app.core.seeds import Seed, SeedError, SeedReport, declare, read_entries, require

UNITS = ("minutes", "hours", "calendar_days", "working_days")


def parse_sla_policies(path: Path) -> list:
    entries = read_entries(path)
    for entry in entries:
        require(path, entry, "code", "name_zh", "name_ja", "name_en", "amount", "unit")
        if entry["unit"] not in UNITS:
            raise SeedError(path, entry.line, f"unit must be one of {', '.join(UNITS)}")
        if not isinstance(entry["amount"], int) or entry["amount"] <= 0:
            raise SeedError(path, entry.line, "amount must be a positive whole number")
        if not 0 < int(entry.get("warning_percent", 75)) <= 100:
            raise SeedError(path, entry.line, "warning_percent must be within 1..100")
    return entries


def write_sla_policies(session, policies: list, report: SeedReport) -> None:
    for entry in policies:
        if session.query(SlaPolicy).filter_by(code=entry["code"]).first() is None:
            session.add(SlaPolicy(
                code=entry["code"], name_zh=entry["name_zh"], name_ja=entry["name_ja"],
                name_en=entry["name_en"], amount=entry["amount"], unit=entry["unit"],
                warning_percent=int(entry.get("warning_percent", 75)),
                pause_states=list(entry.get("pause_states") or []),
            ))
            report.created += 1


SEED = declare(Seed("sla_policies.yaml", parse_sla_policies, write_sla_policies))
