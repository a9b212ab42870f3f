"""The approval handbook and the projects' schedules (measure A3).

``ApprovalItem`` is reference data (seeds/approval_items.yaml): an approval a project passes,
its approving department, documents, time limit in working days and the items before it.
``ScheduleItem`` is one item of one project's schedule: its duration (the handbook's, adjusted
by the Approval Bureau), the items it waits for within the project, the dates the backward
scheduler computed (app.sla.schedule) and the actual start and end the approving department
records. It belongs to the approving department, which keeps it; the project's own timeline
records the recomputations.
"""
from flask_appbuilder import Model
from flask_babel import lazy_gettext as _
from sqlalchemy import (
    Boolean,
    Column,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import relationship

from app.core.models import (
    AuditMixin,
    Department,
    DepartmentOwnedMixin,
    LocalizedNameMixin,
    localized,
)
from app.registers.projects.models import Project

STAGES = {
    "project": _("Project approval"),
    "land_planning": _("Land use and planning permission"),
    "works_permit": _("Construction project permission"),
    "construction_permit": _("Construction permit"),
    "construction": _("Construction"),
    "acceptance": _("Completion acceptance"),
}


def _codes(text: str | None) -> list[str]:
    return [c for c in (text or "").split() if c]


class ApprovalItem(LocalizedNameMixin, Model):
    __tablename__ = "approval_item"
    id = Column(Integer, primary_key=True)
    code = Column(String(48), nullable=False, unique=True, info={"label": _("Code")})
    position = Column(Integer, nullable=False, default=0)
    stage = Column(String(24), nullable=False, info={"label": _("Stage"), "choices": STAGES})
    name_zh = Column(String(200), nullable=False, info={"label": _("Name (Chinese)")})
    name_ja = Column(String(200), info={"label": _("Name (Japanese)")})
    name_en = Column(String(200), info={"label": _("Name (English)")})
    department_id = Column(Integer, ForeignKey("department.id"), nullable=False)
    department = relationship(Department, info={"label": _("Approving department")})
    days = Column(Integer, nullable=False,
                  info={"label": _("Time limit (working days)"), "min": 1})
    # one document a line, in each language
    documents_zh = Column(Text, info={"label": _("Required documents (Chinese)")})
    documents_ja = Column(Text, info={"label": _("Required documents (Japanese)")})
    documents_en = Column(Text, info={"label": _("Required documents (English)")})
    # codes separated by spaces: the items done before it; the industries needing it (none: all)
    depends_on = Column(String(500), nullable=False, default="",
                        info={"label": _("Depends on")})
    industries = Column(String(200), nullable=False, default="",
                        info={"label": _("Only for industries")})

    @property
    def dependency_codes(self) -> list[str]:
        return _codes(self.depends_on)

    def applies_to(self, industry: str | None) -> bool:
        wanted = _codes(self.industries)
        return not wanted or industry in wanted

    @property
    def documents(self) -> list[str]:
        return [line for line in (localized(self, "documents") or "").splitlines() if line]


class ScheduleItem(AuditMixin, DepartmentOwnedMixin, Model):
    __tablename__ = "schedule_item"
    __table_args__ = (UniqueConstraint("project_id", "approval_item_id"),)
    id = Column(Integer, primary_key=True)
    project_id = Column(Integer, ForeignKey("project.id", ondelete="CASCADE"), nullable=False,
                        index=True)
    project = relationship(Project, info={"label": _("Project")})
    approval_item_id = Column(Integer, ForeignKey("approval_item.id"), nullable=False)
    approval_item = relationship(ApprovalItem, lazy="joined",
                                 info={"label": _("Approval item")})
    duration = Column(Integer, nullable=False,
                      info={"label": _("Duration (working days)"), "min": 1, "max": 999})
    # handbook codes of the project's items this one waits for (through items left out too)
    depends_on = Column(String(500), nullable=False, default="")
    late_start = Column(Date, info={"label": _("Latest start")})
    late_finish = Column(Date, info={"label": _("Due end")})
    early_start = Column(Date, info={"label": _("Earliest start")})
    early_finish = Column(Date, info={"label": _("Earliest end")})
    slack = Column(Integer, info={"label": _("Slack (working days)")})
    critical = Column(Boolean, nullable=False, default=False,
                      info={"label": _("On the critical path")})
    actual_start = Column(Date, info={"label": _("Actual start")})
    actual_end = Column(Date, info={"label": _("Actual end")})

    @property
    def code(self) -> str:
        return self.approval_item.code

    @property
    def dependency_codes(self) -> list[str]:
        return _codes(self.depends_on)

    def __str__(self) -> str:
        return self.approval_item.name
