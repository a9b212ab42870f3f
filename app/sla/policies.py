"""An SLA policy is data: a target (amount + unit), a warning threshold and pausing states."""
from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Unit(enum.StrEnum):
    MINUTES = "minutes"
    HOURS = "hours"
    CALENDAR_DAYS = "calendar_days"
    WORKING_DAYS = "working_days"

    @property
    def counts_working_time(self) -> bool:
        return self is Unit.WORKING_DAYS


@dataclass(frozen=True)
class Policy:
    code: str
    amount: int
    unit: Unit
    warning_percent: int = 75
    pause_states: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self):
        if self.amount <= 0:
            raise ValueError("amount must be positive")
        if not 0 < self.warning_percent <= 100:
            raise ValueError("warning_percent must be within 1..100")
