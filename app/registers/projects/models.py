"""Projects from a signed investment to a producing plant (measures A3, C1): the enterprise
investing, its industry (a chemical project needs an expert review before admission), size and
site, the stage it has reached, the lead department and the project service secretary, and the
target dates the approvals are scheduled back from."""
import datetime as dt

from flask_appbuilder import Model
from flask_babel import lazy_gettext as _
from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import relationship

from app.core.models import AuditMixin, DepartmentOwnedMixin, LocalizedNameMixin, PuwanUser
from app.core.parts.attachments import attachments_for
from app.core.parts.timeline import timeline_for
from app.core.timeutil import display_tz
from app.registers.enterprises.models import INDUSTRIES, Enterprise

STAGES = {
    "intention": _("Investment intention"),
    "signed": _("Signed"),
    "admitted": _("Admitted"),
    "approvals": _("Approvals"),
    "construction": _("Under construction"),
    "producing": _("Producing"),
    "withdrawn": _("Withdrawn"),
}
# industries whose projects are admitted only after an expert review (measure A1)
REVIEWED_INDUSTRIES = frozenset({"chemical"})


class Project(LocalizedNameMixin, AuditMixin, DepartmentOwnedMixin, Model):
    __tablename__ = "project"
    id = Column(Integer, primary_key=True)
    name_zh = Column(String(200), nullable=False, index=True,
                     info={"label": _("Project name (Chinese)")})
    name_ja = Column(String(200), info={"label": _("Project name (Japanese)")})
    name_en = Column(String(200), info={"label": _("Project name (English)")})
    enterprise_id = Column(Integer, ForeignKey("enterprise.id"), nullable=False, index=True)
    enterprise = relationship(Enterprise, info={"label": _("Enterprise")})
    industry = Column(String(32), nullable=False, index=True,
                      info={"label": _("Industry"), "choices": INDUSTRIES})
    # 10,000 CNY, mu (亩)
    investment = Column(Numeric(14, 2), info={"label": _("Investment (10k CNY)"), "min": 0})
    land_area = Column(Numeric(12, 2), info={"label": _("Land area (mu)"), "min": 0})
    site = Column(String(300), info={"label": _("Site")})
    stage = Column(String(16), nullable=False, default="intention", index=True,
                   info={"label": _("Stage"), "choices": STAGES})
    # the project service secretary (C1): approval guidance, tracking, monthly reports
    secretary_id = Column(Integer, ForeignKey("ab_user.id"), index=True)
    secretary = relationship(PuwanUser, foreign_keys=[secretary_id],
                             info={"label": _("Project service secretary"),
                                   "scope_check": False})
    target_construction_start = Column(Date, info={"label": _("Target start of construction")})
    target_production_start = Column(Date, info={"label": _("Target start of production")})
    description = Column(Text, info={"label": _("Description")})

    @property
    def needs_review(self) -> bool:
        """Whether admission waits for an expert review (a chemical project)."""
        return self.industry in REVIEWED_INDUSTRIES


# Its timeline and attachments (app.core.parts): ``project.events``, ``project.attachments``.
ProjectEvent = timeline_for(Project, table="project_event", fk="project_id")
ProjectAttachment = attachments_for(Project, table="project_attachment", fk="project_id")


REPORT_STATUSES = {
    "due": _("Due"),
    "on_time": _("Reported on time"),
    "late": _("Reported late"),
}


class ProjectReport(AuditMixin, DepartmentOwnedMixin, Model):
    """A project's monthly progress report (C1), one per project and month. The month's row is
    opened (empty, "due") when the month starts for a project in a reporting stage, with the
    ``monthly_report`` clock on it; filling it in stops the clock. It belongs to its project's
    lead department (``department_id`` follows the project)."""

    __tablename__ = "project_report"
    __table_args__ = (
        UniqueConstraint("project_id", "month", name="uq_project_report_month"),
    )
    id = Column(Integer, primary_key=True)
    project_id = Column(Integer, ForeignKey("project.id", ondelete="CASCADE"), nullable=False,
                        index=True)
    project = relationship(Project, info={"label": _("Project"), "parent": True})
    # the first day of the month reported on
    month = Column(Date, nullable=False, index=True,
                   info={"label": _("Month"),
                         "description": _("Any day of the month reported on.")})
    progress = Column(Text, info={"label": _("Progress this month")})
    problems = Column(Text, info={"label": _("Problems and requests")})
    next_steps = Column(Text, info={"label": _("Next steps")})
    reported_by_id = Column(Integer, ForeignKey("ab_user.id"))
    reported_by = relationship(PuwanUser, foreign_keys=[reported_by_id],
                               info={"label": _("Reported by"), "scope_check": False})
    reported_at = Column(DateTime, info={"label": _("Reported at")})
    # reported before the month's end (Asia/Shanghai); None while due
    on_time = Column(Boolean, info={"label": _("Reported on time")})

    @property
    def status(self) -> str:
        """Due (not yet reported), or reported on time / late (after the month's end)."""
        if self.reported_at is None:
            return "due"
        return "on_time" if self.on_time else "late"

    @property
    def status_label(self) -> str:
        return str(REPORT_STATUSES[self.status])

    @property
    def month_label(self) -> str:
        return self.month.strftime("%Y-%m") if self.month else ""

    def __str__(self) -> str:
        return f"{self.project} · {self.month_label}"


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def previous_month(day: dt.date) -> dt.date:
    return (day.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def month_end(month: dt.date) -> dt.datetime:
    """The instant (naive UTC) the month ends in Asia/Shanghai: its report is due then."""
    local = dt.datetime.combine(next_month(month), dt.time(), tzinfo=display_tz())
    return local.astimezone(dt.UTC).replace(tzinfo=None)
