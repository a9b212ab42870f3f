"""Booth subsidies of trade fairs (measure B4): an exhibiting enterprise's application — booth
area and fee, the amount requested, its documents — decided within an SLA clock: approved (an
amount no more than requested and within the enterprise's yearly cap) or refused with a reason.

The yearly cap per enterprise (and an optional share of the booth fee) is policy data:
``SubsidyRule``, one per year, kept by administrators and seeded from seeds/.

An application belongs to its fair's lead department (``department_id`` follows the event, as a
registration's does) and is read by the fair's co-operating departments too.
"""
from decimal import Decimal

from flask_appbuilder import Model
from flask_babel import lazy_gettext as _
from sqlalchemy import (
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import relationship

from app.core.models import AuditMixin, DepartmentOwnedMixin
from app.core.parts.attachments import attachments_for
from app.core.parts.timeline import timeline_for
from app.registers.enterprises.models import Enterprise
from app.registers.events.models import Event, OfEventMixin

STATES = {
    "submitted": _("Submitted"),
    "approved": _("Approved"),
    "refused": _("Not approved"),
}
AMOUNT_MIN, AMOUNT_MAX = Decimal("0.01"), Decimal("100000")  # 10k CNY


class BoothSubsidy(OfEventMixin, AuditMixin, DepartmentOwnedMixin, Model):
    __tablename__ = "booth_subsidy"
    __table_args__ = (
        UniqueConstraint("event_id", "enterprise_id", name="uq_booth_subsidy_enterprise"),
        # the cap: what an enterprise was approved in a year
        Index("ix_booth_subsidy_enterprise_year", "enterprise_id", "fair_year"),
    )
    id = Column(Integer, primary_key=True)
    event_id = Column(Integer, ForeignKey("event.id", ondelete="CASCADE"), nullable=False,
                      index=True)
    event = relationship(Event, info={
        "label": _("Trade fair"),
        "description": _("A trade fair your department leads: its lead department records and "
                         "decides the applications; the co-operating departments read them.")})
    enterprise_id = Column(Integer, ForeignKey("enterprise.id"), nullable=False, index=True)
    # any enterprise the user can see (the link is checked for reading)
    enterprise = relationship(Enterprise, info={"label": _("Exhibiting enterprise"),
                                                "scope_check": "read"})
    booth_area = Column(Numeric(8, 2), info={"label": _("Booth area (m²)"),
                                             "min": Decimal("0.01"), "max": Decimal("10000")})
    booth_fee = Column(Numeric(12, 2), info={"label": _("Booth fee (10k CNY)"),
                                             "min": AMOUNT_MIN, "max": AMOUNT_MAX})
    requested_amount = Column(Numeric(12, 2), nullable=False,
                              info={"label": _("Subsidy requested (10k CNY)"),
                                    "min": AMOUNT_MIN, "max": AMOUNT_MAX,
                                    "description": _(
                                        "What the enterprise asks for. An approval covers at "
                                        "most the year's share of the booth fee, within the "
                                        "enterprise's yearly cap (Reference data → "
                                        "Booth-subsidy rules).")})
    notes = Column(Text, info={"label": _("Notes")})
    state = Column(String(16), nullable=False, default="submitted", index=True,
                   info={"label": _("State"), "choices": STATES})
    # the fair's year (Asia/Shanghai): the year whose cap applies
    fair_year = Column(Integer, info={"label": _("Year of the fair")})
    submitted_at = Column(DateTime, index=True, info={"label": _("Submitted at")})
    decided_at = Column(DateTime, info={"label": _("Decided at")})
    approved_amount = Column(Numeric(12, 2), info={"label": _("Subsidy approved (10k CNY)"),
                                                   "min": AMOUNT_MIN, "max": AMOUNT_MAX})
    refusal_reason = Column(String(500), info={"label": _("Reason for refusing")})

    @property
    def state_label(self) -> str:
        return str(STATES.get(self.state, self.state or ""))

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.event}"


class SubsidyRule(Model):
    """The booth-subsidy policy of a year: the most an enterprise may be granted in it, and
    optionally the largest share of a booth's fee a subsidy may cover."""

    __tablename__ = "booth_subsidy_rule"
    id = Column(Integer, primary_key=True)
    year = Column(Integer, nullable=False, unique=True, info={"label": _("Year")})
    cap = Column(Numeric(12, 2), nullable=False,
                 info={"label": _("Yearly cap per enterprise (10k CNY)")})
    fee_rate = Column(Integer, info={"label": _("Largest share of the booth fee (%)")})
    note = Column(String(300), info={"label": _("Note")})

    def __str__(self) -> str:
        return str(self.year)


# Its timeline and attachments (app.core.parts): ``subsidy.events``, ``subsidy.attachments``.
BoothSubsidyEvent = timeline_for(BoothSubsidy, table="booth_subsidy_event",
                                 fk="booth_subsidy_id")
BoothSubsidyAttachment = attachments_for(BoothSubsidy, table="booth_subsidy_attachment",
                                         fk="booth_subsidy_id")
