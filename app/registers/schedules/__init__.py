"""Approval schedules (measure A3): the approval handbook (reference data seeded from
seeds/approval_items.yaml) and each project's schedule computed backwards from its target date
on the China working-day calendar (app.sla.schedule), with SLA clocks on every item's latest
start and due end."""
from flask_babel import lazy_gettext as _

from app.core.registry import declare_clock_subject
from app.core.seeds import declare
from app.registers.schedules import handbook, models, notices, views  # noqa: F401

SEED = declare(handbook.SEED)
declare_clock_subject(models.ScheduleItem.__tablename__, _("Scheduled approval item"), {
    "approval_start": _("Latest start"), "approval_end": _("Due end")})
