"""What can be approved for a booth subsidy: no more than requested, the year's share of the
booth fee (``SubsidyRule.fee_rate``) and what remains of the enterprise's yearly cap — counted
here once for the approval (commands) and for the amount the approve form starts with."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func

from app.registers.subsidies.models import BoothSubsidy, SubsidyRule

APPROVED = "approved"


def as_amount(value) -> Decimal:
    """A stored amount as a Decimal (a number set on the record before it is reloaded may
    still be a float)."""
    return Decimal(str(value)).quantize(Decimal("0.01"))


def approved_in_year(session, enterprise_id: int, year: int, but: int | None = None) -> Decimal:
    """What the enterprise was approved for the fairs of ``year`` (every department's)."""
    query = session.query(func.coalesce(func.sum(BoothSubsidy.approved_amount), 0)).filter(
        BoothSubsidy.enterprise_id == enterprise_id, BoothSubsidy.fair_year == year,
        BoothSubsidy.state == APPROVED)
    if but is not None:
        query = query.filter(BoothSubsidy.id != but)
    return as_amount(query.scalar())


def rule_of(session, subsidy: BoothSubsidy) -> SubsidyRule | None:
    return session.query(SubsidyRule).filter_by(year=subsidy.fair_year).one_or_none()


def share_of_fee(rule: SubsidyRule, subsidy: BoothSubsidy) -> Decimal | None:
    """The most the year's rule covers of the booth fee (None: no share limit)."""
    if not rule.fee_rate or subsidy.booth_fee is None:
        return None
    return (as_amount(subsidy.booth_fee) * rule.fee_rate / 100).quantize(Decimal("0.01"))


def most_approvable(session, subsidy: BoothSubsidy) -> Decimal | None:
    """The largest amount an approval would accept now (None: no rule for the year)."""
    rule = rule_of(session, subsidy)
    if rule is None or subsidy.requested_amount is None:
        return None
    limits = [as_amount(subsidy.requested_amount),
              max(rule.cap - approved_in_year(session, subsidy.enterprise_id, subsidy.fair_year,
                                              but=subsidy.id), Decimal("0"))]
    share = share_of_fee(rule, subsidy)
    if share is not None:
        limits.append(share)
    return min(limits)
