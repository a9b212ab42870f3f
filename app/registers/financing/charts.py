"""Financing needs against loans signed, by month and by bank (charts as configuration,
app.core.charts). Computed live through the scoped data interface, so each reader counts
exactly the needs the list shows them: the event's lead department and its co-operating
departments (a rollup row keeps only one department and could not say the latter)."""
from flask_babel import lazy_gettext as _
from sqlalchemy import func

from app.core.charts import Chart, FilterControl, month_label, reference_label
from app.core.interface import ScopedInterface
from app.extensions import db
from app.registers.financing.models import PURPOSES, STATES, FinancingNeed, FinancingNeedBank
from app.registers.institutions.models import Institution


def month_of_day(column):
    """'YYYY-MM' of a day column (a day has no time zone to convert)."""
    if db.engine.dialect.name == "postgresql":
        return func.to_char(column, "YYYY-MM")
    return func.strftime("%Y-%m", column)


def _loan(need):
    return need.state == "loan"


def _needs(link):
    return FinancingNeed, link.financing_need_id == FinancingNeed.id


NEEDS = _("Financing needs")
LOANS = _("Loans signed")
AMOUNT = _("10k CNY")
BANK = reference_label(Institution)

FILTERS = [
    FilterControl("department", _("Lead department")),
    FilterControl("purpose", _("Purpose"), choices=PURPOSES),
    FilterControl("state", _("State"), choices=STATES),
]
CHARTS = [
    Chart("needs_by_month", _("Financing needs by month"), lambda m: month_of_day(m.met_on),
          kind="line", labels=month_label, value_label=NEEDS),
    Chart("loans_by_month", _("Loans signed by month"),
          lambda m: month_of_day(m.loan_signed_on), kind="line", labels=month_label,
          where=_loan, value_label=LOANS),
    Chart("need_amount_by_month", _("Financing needed by month (10k CNY)"),
          lambda m: month_of_day(m.met_on), lambda m: m.amount, "sum", labels=month_label,
          value_label=AMOUNT),
    Chart("loan_amount_by_month", _("Loans signed by month (10k CNY)"),
          lambda m: month_of_day(m.loan_signed_on), lambda m: m.loan_amount, "sum",
          labels=month_label, where=_loan, value_label=AMOUNT),
    Chart("needs_by_bank", _("Financing needs by bank met"), lambda m: m.institution_id,
          labels=BANK, value_label=NEEDS, source=ScopedInterface(FinancingNeedBank),
          join=_needs),
    Chart("loans_by_bank", _("Loans signed by bank"), lambda m: m.loan_bank_id, labels=BANK,
          where=_loan, value_label=LOANS),
    Chart("loan_amount_by_bank", _("Loans signed by bank (10k CNY)"), lambda m: m.loan_bank_id,
          lambda m: m.loan_amount, "sum", labels=BANK, where=_loan, value_label=AMOUNT),
    Chart("state", _("Financing needs by state"), "state", kind="pie", value_label=NEEDS),
]
