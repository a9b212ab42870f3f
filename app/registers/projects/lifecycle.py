"""The project's stages as a table: intention → signed → admitted → approvals → construction →
producing, one step at a time; withdrawn (with a reason) from any stage before producing. The
lead department moves it. Admission runs the admission checks (app.registers.projects.hooks)."""
from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _

from app.core.parts.lifecycle import Lifecycle, Transition
from app.registers.projects.models import STAGES


class Stage(enum.StrEnum):
    INTENTION = "intention"
    SIGNED = "signed"
    ADMITTED = "admitted"
    APPROVALS = "approvals"
    CONSTRUCTION = "construction"
    PRODUCING = "producing"
    WITHDRAWN = "withdrawn"


# the stages a project reports on monthly (its secretary's monthly progress report)
REPORTING_STAGES = (Stage.SIGNED, Stage.ADMITTED, Stage.APPROVALS, Stage.CONSTRUCTION)
# a new project starts at either of these (an intention, or a contract already signed)
START_STAGES = {Stage.INTENTION: STAGES["intention"], Stage.SIGNED: STAGES["signed"]}

CLOCK_NAMES = {"monthly_report": _("Monthly progress report")}
REPORT_POLICY = "project_monthly_report"


def _step(action, source, target, label):
    return Transition(action, frozenset({source}), target, "owner", label, asks=("note",))


TRANSITIONS = [
    _step("sign", Stage.INTENTION, Stage.SIGNED, _("Record the contract signed")),
    _step("admit", Stage.SIGNED, Stage.ADMITTED, _("Admit the project")),
    _step("start_approvals", Stage.ADMITTED, Stage.APPROVALS, _("Start the approvals")),
    _step("start_construction", Stage.APPROVALS, Stage.CONSTRUCTION,
          _("Record the start of construction")),
    _step("start_production", Stage.CONSTRUCTION, Stage.PRODUCING,
          _("Record the start of production")),
    Transition("withdraw", frozenset(set(Stage) - {Stage.PRODUCING, Stage.WITHDRAWN}),
               Stage.WITHDRAWN, "owner", _("Withdraw the project"), ("reason",), danger=True),
]

LIFECYCLE = Lifecycle(
    states=STAGES, transitions=TRANSITIONS, column="stage",
    not_now=_("The project is “%(state)s”: “%(action)s” is not possible now."))
