"""A new event's lead and co-operating departments, from the measure its kind serves.

The plan names, for each measure, the department that leads it and those that co-operate
(seeds/measures.yaml → Measure, MeasureDepartment). A new event defaults to them, as the person
adding it may write:

- lead: the measure's lead department when the user may write it (EDB staff, an administrator);
  otherwise the user's own department (IPB staff organising a trade fair lead it themselves);
- co-operating: the measure's other departments (its lead included when the user leads
  instead). A measure where "all departments" co-operate (B3 training) ticks none: every
  department co-operating on every training would say nothing — the person ticks those that
  take part in this one.
"""
from __future__ import annotations

from flask import g

from app.core.models import Measure, MeasureDepartment
from app.core.scope import Scope
from app.extensions import db
from app.registers.events.models import KINDS, MEASURES


def measure_departments() -> dict[str, tuple[list[int], list[int]]]:
    """measure code -> (lead department ids, co-operating ones), read once per request."""
    cached = g.get("_puwan_event_measures")
    if cached is not None:
        return cached
    table: dict[str, tuple[list[int], list[int]]] = {code: ([], [])
                                                     for code in set(MEASURES.values())}
    rows = (db.session.query(Measure.code, MeasureDepartment.department_id,
                             MeasureDepartment.role)
            .join(MeasureDepartment, MeasureDepartment.measure_id == Measure.id)
            .filter(Measure.code.in_(list(table)))
            .order_by(Measure.code, MeasureDepartment.department_id))
    for code, department_id, role in rows:
        table[code][0 if role == "lead" else 1].append(department_id)
    g._puwan_event_measures = table
    return table


def defaults(kind: str, scope: Scope, writable: list[int]) -> tuple[int | None, list[int]]:
    """(lead department id, co-operating department ids) of a new event of ``kind`` added by
    the user of ``scope`` (``writable``: the departments they may write, in order)."""
    leads, cooperating = measure_departments().get(MEASURES.get(kind, ""), ([], []))
    lead = next((d for d in leads if scope.can_write(d)), None)
    if lead is None:
        own = scope.department_id
        lead = own if own is not None and scope.can_write(own) else next(iter(writable), None)
    others = [d for d in [*leads, *cooperating] if d != lead]
    return lead, list(dict.fromkeys(others))


def all_defaults(scope: Scope, writable: list[int]) -> dict[str, dict]:
    """{kind: {"lead": id, "co": [ids]}} for the add form's script."""
    return {kind: dict(zip(("lead", "co"), defaults(kind, scope, writable), strict=True))
            for kind in KINDS}
