"""Institutions the zone works with (measures A1, A5, B3): banks, universities, vocational
colleges, talent agencies and intermediary institutions — shared reference data that events,
financing needs and (later) expert review meetings name."""
from flask_appbuilder import Model
from flask_babel import lazy_gettext as _
from sqlalchemy import Column, Integer, String, Text

from app.core.models import AuditMixin, LocalizedNameMixin

KINDS = {
    "bank": _("Bank"),
    "university": _("University"),
    "vocational_college": _("Vocational college"),
    "talent_agency": _("Talent agency"),
    "engineering_management": _("Engineering management"),
    "technology_services": _("Technology services"),
    "energy_services": _("Energy services"),
    "financial_services": _("Financial services"),
    "law_firm": _("Law firm"),
    "accounting_firm": _("Accounting firm"),
    "other": _("Other"),
}


class Institution(LocalizedNameMixin, AuditMixin, Model):
    __tablename__ = "institution"
    id = Column(Integer, primary_key=True)
    name_zh = Column(String(200), nullable=False, unique=True,
                     info={"label": _("Name (Chinese)")})
    name_ja = Column(String(200), info={"label": _("Name (Japanese)")})
    name_en = Column(String(200), info={"label": _("Name (English)")})
    kind = Column(String(32), nullable=False, index=True,
                  info={"label": _("Kind of institution"), "choices": KINDS})
    contact_name = Column(String(100), info={"label": _("Contact person")})
    phone = Column(String(40), info={"label": _("Contact phone")})
    email = Column(String(200), info={"label": _("Contact e-mail")})
    address = Column(String(300), info={"label": _("Address")})
    notes = Column(Text, info={"label": _("Notes")})
