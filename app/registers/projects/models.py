"""Projects from a signed investment to a producing plant (measures A3, C1): the enterprise
investing, its industry (a chemical project needs an expert review before admission), size and
site, the stage it has reached, the lead department and the project service secretary, and the
target dates the approvals are scheduled back from."""
from flask_appbuilder import Model
from flask_babel import lazy_gettext as _
from sqlalchemy import Column, Date, ForeignKey, Integer, Numeric, String, Text
from sqlalchemy.orm import relationship

from app.core.models import AuditMixin, DepartmentOwnedMixin, LocalizedNameMixin, PuwanUser
from app.core.parts.attachments import attachments_for
from app.core.parts.timeline import timeline_for
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
