"""Approval schedules (measure A3): the approval handbook (reference data seeded from
seeds/approval_items.yaml) and each project's schedule computed backwards from its target date
on the China working-day calendar (app.sla.schedule), with SLA clocks on every item's latest
start and due end."""
from app.core.seeds import declare
from app.registers.schedules import handbook, models, notices, views  # noqa: F401

SEED = declare(handbook.SEED)
