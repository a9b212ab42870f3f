"""Experts of the joint review meetings (measure A1), with their declared ties to enterprises."""
from flask_appbuilder import Model
from flask_babel import lazy_gettext as _
from sqlalchemy import Column, Integer, String, Text
from sqlalchemy.orm import relationship

from app.core.models import AuditMixin, DepartmentOwnedMixin, LocalizedNameMixin, link_table
from app.registers.enterprises.models import Enterprise

FIELDS = {
    "chemical_process": _("Chemical process and technology"), "energy": _("Energy consumption"),
    "environment": _("Environmental protection"), "safety": _("Work safety"),
    "economics": _("Technical economics"), "planning": _("Planning and land use"),
    "other": _("Other"),
}
TITLES = {"professor": _("Professor-level senior engineer"), "senior": _("Senior engineer"),
          "engineer": _("Engineer"), "academic": _("Professor"), "other": _("Other")}


class Expert(LocalizedNameMixin, AuditMixin, DepartmentOwnedMixin, Model):
    __tablename__ = "expert"
    id = Column(Integer, primary_key=True)
    name_zh = Column(String(100), nullable=False, index=True, info={"label": _("Name (Chinese)")})
    name_ja = Column(String(100), info={"label": _("Name (Japanese)")})
    name_en = Column(String(150), info={"label": _("Name (English)")})
    field = Column(String(32), nullable=False, info={"label": _("Field"), "choices": FIELDS})
    title = Column(String(16), info={"label": _("Professional title"), "choices": TITLES})
    employer = Column(String(200), info={"label": _("Employer")})
    phone = Column(String(40), info={"label": _("Contact phone")})
    email = Column(String(200), info={"label": _("Contact e-mail")})
    notes = Column(Text, info={"label": _("Notes")})
    # An expert is not asked to review a project of an enterprise they are tied to (A1).
    ties = relationship(Enterprise, secondary=link_table("expert", "enterprise"),
                        order_by=Enterprise.name_zh,
                        info={"label": _("Declared ties to enterprises"), "scope_check": "read"})
