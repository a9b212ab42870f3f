"""The resolution lifecycle as a table: assigned → in progress → completed, or cancelled.

The responsible department reports progress and completes (with evidence attached); the
department keeping the meeting (the Office, which supervises: 督办) extends the deadline or
cancels. The deadline clock starts with the resolution; completing or cancelling stops it; an
extension moves its due instant (recorded in the timeline and the history)."""
from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _

from app.core.parts.lifecycle import Input, Lifecycle, Transition, Who
from app.registers.resolutions.models import STATES


class State(enum.StrEnum):
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


OPEN = frozenset({State.ASSIGNED, State.IN_PROGRESS})
CLOCK_NAMES = {"deadline": _("Resolution deadline")}
DEADLINE_POLICY = "resolution_deadline"

ROLES = {
    "supervisor": Who(lambda scope, r: scope.can_write(r.department_id),
                      _("Only the department keeping the meeting (the Office) may do this.")),
}

INPUTS = {
    "deadline": Input(_("New deadline (YYYY-MM-DD)"),
                      default=lambda r: r.deadline.isoformat() if r.deadline else ""),
}

TRANSITIONS = [
    Transition("report_progress", OPEN, State.IN_PROGRESS, "handler",
               _("Report progress"), ("note",)),
    Transition("complete", OPEN, State.COMPLETED, "handler",
               _("Complete with evidence"), ("note",)),
    Transition("extend", OPEN, None, "supervisor", _("Extend the deadline"),
               ("deadline", "reason")),
    Transition("cancel", OPEN, State.CANCELLED, "supervisor", _("Cancel the resolution"),
               ("reason",), danger=True),
]

LIFECYCLE = Lifecycle(
    states=STATES, transitions=TRANSITIONS, inputs=INPUTS, roles=ROLES,
    not_now=_("The resolution is “%(state)s”: “%(action)s” is not possible now."))
