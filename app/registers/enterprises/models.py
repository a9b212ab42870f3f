"""Enterprises register (measures A4, B4, C1): the exemplar department-owned register."""
from __future__ import annotations

from flask_appbuilder import Model
from flask_babel import lazy_gettext as _
from sqlalchemy import Boolean, Column, ForeignKey, Integer, String, or_
from sqlalchemy.orm import relationship

from app.core.exceptions import ValidationFailed
from app.core.models import AuditMixin, DepartmentOwnedMixin, PuwanUser, localized
from app.registers.enterprises.validators import is_valid_uscc, normalize_uscc

INDUSTRIES = {
    "chemical": _("Petrochemical and new materials"),
    "equipment": _("Equipment manufacturing"),
    "automotive": _("Automotive and parts"),
    "electronics": _("Electronics and information"),
    "food": _("Food processing"),
    "logistics": _("Logistics and trade"),
    "energy": _("Clean energy"),
    "biomedicine": _("Biomedicine"),
    "services": _("Modern services"),
    "other": _("Other"),
}

STAGES = {
    "construction": _("Project under construction"),
    "producing": _("In production"),
}


class Enterprise(AuditMixin, DepartmentOwnedMixin, Model):
    __tablename__ = "enterprise"

    id = Column(Integer, primary_key=True)
    uscc = Column(String(18), unique=True, nullable=False,
                  info={"label": _("Unified social credit code")})
    name_zh = Column(String(200), nullable=False, index=True, info={"label": _("Name (Chinese)")})
    name_ja = Column(String(200), info={"label": _("Name (Japanese)")})
    name_en = Column(String(200), info={"label": _("Name (English)")})
    japanese_funded = Column(Boolean, nullable=False, default=False, index=True,
                             info={"label": _("Japanese-funded")})
    industry = Column(String(32), nullable=False, default="other", index=True,
                      info={"label": _("Industry"), "choices": INDUSTRIES})
    stage = Column(String(16), nullable=False, default="construction", index=True,
                   info={"label": _("Stage"), "choices": STAGES})
    export_enterprise = Column(Boolean, nullable=False, default=False,
                               info={"label": _("Export enterprise")})
    address = Column(String(300), info={"label": _("Address")})
    contact_name = Column(String(100), info={"label": _("Contact person")})
    contact_phone = Column(String(40), info={"label": _("Contact phone")})
    contact_email = Column(String(200), info={"label": _("Contact e-mail")})
    secretary_id = Column(Integer, ForeignKey("ab_user.id"), index=True)
    secretary = relationship(PuwanUser, foreign_keys=[secretary_id],
                             info={"label": _("Work secretary")})

    @classmethod
    def visible_clause(cls, scope):
        own = cls.department_id.in_(scope.read or ())
        # The Japanese-language window serves every Japanese-funded enterprise (measure A4).
        return or_(own, cls.japanese_funded.is_(True)) if scope.serves_japanese else own

    def validate_record(self) -> None:
        self.uscc = normalize_uscc(self.uscc)
        if not is_valid_uscc(self.uscc):
            raise ValidationFailed(errors={"uscc": [USCC_ERROR]})

    def industry_label(self) -> str:
        return str(INDUSTRIES.get(self.industry, self.industry))

    def stage_label(self) -> str:
        return str(STAGES.get(self.stage, self.stage))

    @property
    def name(self) -> str:
        """In the reader's language where the enterprise has a name in it (else Chinese)."""
        return localized(self, "name")

    def __str__(self) -> str:
        return self.name


USCC_ERROR = _(
    "Not a valid unified social credit code: 18 characters whose last one is the "
    "GB 32100-2015 check character."
)
