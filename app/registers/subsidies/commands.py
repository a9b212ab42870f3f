"""Booth-subsidy commands: one write path for forms, REST and imports, and what each lifecycle
action does (``_do_<action>``; app.core.parts.lifecycle checks and records it).

- An application belongs to its fair's lead department (``department_id`` follows the event)
  and cannot move to another event; the event must be a trade fair; the request cannot exceed
  the booth fee.
- Submitting starts the decision clock (policy ``booth_subsidy_decision``); approving or
  refusing stops it.
- Approving: an amount no more than requested, no more than the year's share of the booth fee
  (``SubsidyRule.fee_rate``), and within the enterprise's yearly cap counted over every
  department's approvals of fairs that year. The enterprise's row is locked while it is counted,
  so two approvals at once cannot pass the cap together.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask_babel import lazy_gettext as _

from app.clocks.models import SlaClock
from app.clocks.outbox import deliver_pending
from app.clocks.service import naive, start_clock, stop_clock
from app.core.commands import RecordCommands
from app.core.exceptions import ValidationFailed
from app.core.parts.timeline import add_event
from app.registers.enterprises.models import Enterprise
from app.registers.events.commands import event_linked
from app.registers.financing.commands import parse_amount, shanghai_day
from app.registers.subsidies.amounts import approved_in_year, as_amount, rule_of, share_of_fee
from app.registers.subsidies.lifecycle import DECISION_POLICY, State
from app.registers.subsidies.models import BoothSubsidy

SUBJECT = "booth_subsidy"  # clocks and notices name the table
OTHER_EVENT = _("An application cannot move to another event; file it for the other fair.")
NOT_A_FAIR = _("Choose a trade fair.")
ABOVE_FEE = _("The subsidy cannot exceed the booth fee (%(fee)s).")
ABOVE_REQUEST = _("No more than the amount requested (%(requested)s) can be approved.")
ABOVE_SHARE = _("The %(year)s rule covers at most %(rate)s%% of the booth fee: %(most)s.")
NO_RULE = _("There is no booth-subsidy rule for %(year)s: an administrator adds it under "
            "Reference data → Booth-subsidy rules.")
ABOVE_CAP = _("Approving %(amount)s would exceed the yearly cap of %(cap)s (10k CNY) of "
              "%(enterprise)s for %(year)s: %(remaining)s remains.")


def decision_clock(session, subsidy: BoothSubsidy) -> SlaClock | None:
    return (session.query(SlaClock)
            .filter_by(subject_type=SUBJECT, subject_id=subsidy.id, name="decision")
            .one_or_none())


class SubsidyCommands(RecordCommands):
    def __init__(self, now: dt.datetime | None = None):
        super().__init__(BoothSubsidy)
        self.now = now

    def _now(self) -> dt.datetime:
        return self.now or dt.datetime.now(dt.UTC)

    def _prepare_new(self, item: BoothSubsidy) -> None:
        super()._prepare_new(item)
        item.submitted_at = item.submitted_at or naive(self._now())

    def create(self, item: BoothSubsidy) -> None:
        item.submitted_at = item.submitted_at or naive(self._now())
        super().create(item)

    def _check_write(self, item: BoothSubsidy, original_department_id, before=None) -> None:
        event = event_linked(item, original_department_id, before, "trade_fair", NOT_A_FAIR,
                             OTHER_EVENT)
        item.fair_year = shanghai_day(event.starts_at).year
        super()._check_write(item, original_department_id, before)
        errors: dict = {}
        if item.booth_fee is not None and item.requested_amount is not None \
                and item.requested_amount > item.booth_fee:
            errors["requested_amount"] = [ABOVE_FEE % {"fee": item.booth_fee}]
        if item.approved_amount is not None and item.requested_amount is not None \
                and item.approved_amount > item.requested_amount:
            errors["requested_amount"] = [ABOVE_REQUEST % {"requested": item.requested_amount}]
        if errors:
            raise ValidationFailed(errors=errors)

    def after_create(self, session, subsidy: BoothSubsidy) -> None:
        submitted = subsidy.submitted_at.replace(tzinfo=dt.UTC)
        start_clock(session, subject_type=SUBJECT, subject_id=subsidy.id, name="decision",
                    policy_code=DECISION_POLICY, department_id=subsidy.department_id,
                    at=submitted)
        add_event(subsidy, "submit", None, State.SUBMITTED, at=submitted)

    def after_commit(self, session) -> None:
        deliver_pending(session, self._now())

    # --- what each lifecycle action does -------------------------------------------------------
    def _do_approve(self, session, subsidy, data, now):
        amount = parse_amount(data, "approved_amount")
        requested = as_amount(subsidy.requested_amount)
        if amount > requested:
            raise ValidationFailed(errors={"approved_amount": [
                ABOVE_REQUEST % {"requested": requested}]})
        year = subsidy.fair_year
        rule = rule_of(session, subsidy)
        if rule is None:
            raise ValidationFailed(errors={"approved_amount": [NO_RULE % {"year": year}]})
        most = share_of_fee(rule, subsidy)
        if most is not None and amount > most:
            raise ValidationFailed(errors={"approved_amount": [ABOVE_SHARE % {
                "year": year, "rate": rule.fee_rate, "most": most}]})
        # (one approval at a time per enterprise: the cap is counted under this lock)
        session.query(Enterprise.id).filter(Enterprise.id == subsidy.enterprise_id) \
            .with_for_update().one()
        used = approved_in_year(session, subsidy.enterprise_id, year, but=subsidy.id)
        if used + amount > rule.cap:
            remaining = max(rule.cap - used, Decimal("0"))
            raise ValidationFailed(errors={"approved_amount": [ABOVE_CAP % {
                "amount": amount, "cap": rule.cap, "enterprise": subsidy.enterprise,
                "year": year, "remaining": remaining}]})
        subsidy.approved_amount = amount
        subsidy.decided_at = naive(now)
        self._stop(session, subsidy, now)
        return str(amount)

    def _do_refuse(self, session, subsidy, data, now):
        subsidy.refusal_reason = str(data["reason"]).strip()
        subsidy.decided_at = naive(now)
        self._stop(session, subsidy, now)
        return subsidy.refusal_reason

    @staticmethod
    def _stop(session, subsidy, now) -> None:
        clock = decision_clock(session, subsidy)
        if clock is not None and clock.stopped_at is None:
            stop_clock(session, clock, now)
