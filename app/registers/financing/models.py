"""Financing needs met at bank–enterprise matchmaking events (measure A5): per enterprise, the
need (amount, purpose, term), the banks it met and its intention; then an intention signed
(followed up on an SLA clock), a loan signed (amount, day, bank) or the need dropped.

A need belongs to its event's lead department (``department_id`` follows the event, as a
registration's does) and is read by the event's co-operating departments too.
"""
from decimal import Decimal

from flask_appbuilder import Model
from flask_babel import lazy_gettext as _
from sqlalchemy import (
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    select,
)
from sqlalchemy.orm import relationship

from app.core.models import AuditMixin, DepartmentOwnedMixin, link_table
from app.core.parts.timeline import timeline_for
from app.registers.enterprises.models import Enterprise
from app.registers.events.models import Event, OfEventMixin
from app.registers.institutions.models import Institution

PURPOSES = {
    "working_capital": _("Working capital"),
    "equipment": _("Equipment purchase"),
    "construction": _("Project construction"),
    "rnd": _("Research and development"),
    "trade": _("Trade finance"),
    "other": _("Other"),
}
STATES = {
    "open": _("Open"),
    "intention": _("Intention signed"),
    "loan": _("Loan signed"),
    "dropped": _("Dropped"),
}
AMOUNT_MIN, AMOUNT_MAX = Decimal("0.01"), Decimal("10000000")  # 10k CNY

financing_need_bank = link_table("financing_need", "institution")


class FinancingNeed(OfEventMixin, AuditMixin, DepartmentOwnedMixin, Model):
    __tablename__ = "financing_need"
    __table_args__ = (
        UniqueConstraint("event_id", "enterprise_id", name="uq_financing_need_enterprise"),
        Index("ix_financing_need_met_on", "met_on"),
        Index("ix_financing_need_loan_signed_on", "loan_signed_on"),
    )
    id = Column(Integer, primary_key=True)
    event_id = Column(Integer, ForeignKey("event.id", ondelete="CASCADE"), nullable=False,
                      index=True)
    event = relationship(Event, info={
        "label": _("Matchmaking event"),
        "description": _("A bank–enterprise matchmaking your department leads (its co-operating "
                         "departments read the needs).")})
    enterprise_id = Column(Integer, ForeignKey("enterprise.id"), nullable=False, index=True)
    # any enterprise the user can see (the link is checked for reading)
    enterprise = relationship(Enterprise, info={"label": _("Enterprise"), "scope_check": "read"})
    # the event's day (Asia/Shanghai): the month the need counts in
    met_on = Column(Date, info={"label": _("Met on")})
    amount = Column(Numeric(12, 2), nullable=False,
                    info={"label": _("Financing need (10k CNY)"), "min": AMOUNT_MIN,
                          "max": AMOUNT_MAX})
    purpose = Column(String(24), nullable=False,
                     info={"label": _("Purpose"), "choices": PURPOSES})
    term_months = Column(Integer, info={"label": _("Term (months)"), "min": 1, "max": 360})
    banks = relationship(Institution, secondary=financing_need_bank, order_by=Institution.name_zh,
                         info={"label": _("Banks met")})
    intention = Column(Text, info={"label": _("Intention"),
                                   "description": _("What the enterprise and the banks agreed "
                                                    "to pursue.")})
    state = Column(String(16), nullable=False, default="open", index=True,
                   info={"label": _("State"), "choices": STATES})
    intention_signed_on = Column(Date, info={"label": _("Intention signed on")})
    loan_amount = Column(Numeric(12, 2), info={"label": _("Loan signed (10k CNY)"),
                                               "min": AMOUNT_MIN, "max": AMOUNT_MAX})
    loan_signed_on = Column(Date, info={"label": _("Loan signed on")})
    loan_bank_id = Column(Integer, ForeignKey("institution.id"), index=True)
    loan_bank = relationship(Institution, info={"label": _("Lending bank")})
    drop_reason = Column(String(500), info={"label": _("Reason for dropping")})

    @property
    def state_label(self) -> str:
        return str(STATES.get(self.state, self.state or ""))

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.event}"


class FinancingNeedBank(Model):
    """A bank a need met (a row of the many-to-many table), as the "needs by bank" chart counts
    them; read only, isolated as its need."""

    __table__ = financing_need_bank
    __mapper_args__ = {"confirm_deleted_rows": False}

    @classmethod
    def visible_clause(cls, scope):
        needs = select(FinancingNeed.id).where(FinancingNeed.visible_clause(scope))
        return cls.financing_need_id.in_(needs)


# Its timeline (app.core.parts): ``need.events``.
FinancingNeedEvent = timeline_for(FinancingNeed, table="financing_need_event",
                                  fk="financing_need_id")
