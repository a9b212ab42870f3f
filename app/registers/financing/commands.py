"""Financing-need commands: one write path for forms, REST and imports, and what each
lifecycle action does (``_do_<action>``; app.core.parts.lifecycle checks and records it).

- A need belongs to its event's lead department (``department_id`` follows the event, as a
  registration's does) and cannot move to another event; the event must be a bank–enterprise
  matchmaking; the banks met are banks.
- A signed intention starts the follow-up clock (policy ``financing_follow_up``); a loan signed
  or the need dropped stops it. The clock's transitions are delivered (notices) after commit.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _

from app.clocks.models import SlaClock
from app.clocks.outbox import deliver_pending
from app.clocks.service import start_clock, stop_clock
from app.core.commands import RecordCommands
from app.core.exceptions import ValidationFailed
from app.core.timeutil import display_tz
from app.registers.events.commands import event_linked
from app.registers.financing.lifecycle import FOLLOW_UP_POLICY
from app.registers.financing.models import AMOUNT_MAX, AMOUNT_MIN, FinancingNeed
from app.registers.institutions.models import Institution

SUBJECT = "financing_need"  # clocks and notices name the table
OTHER_EVENT = _("A financing need cannot move to another event; record it at the other event.")
NOT_MATCHMAKING = _("Choose a bank–enterprise matchmaking event.")
NOT_A_BANK = _("Only banks can be chosen here.")


def shanghai_day(instant: dt.datetime) -> dt.date:
    """The day (Asia/Shanghai) of a stored (naive UTC) or aware instant."""
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=dt.UTC)
    return instant.astimezone(display_tz()).date()


def parse_amount(data: dict, key: str) -> Decimal:
    try:
        value = Decimal(str(data.get(key)).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        raise ValidationFailed(errors={key: [_("Not a valid amount.")]}) from None
    if not value.is_finite() or not AMOUNT_MIN <= value <= AMOUNT_MAX:
        raise ValidationFailed(errors={key: [_("Give an amount from %(min)s to %(max)s.",
                                               min=AMOUNT_MIN, max=AMOUNT_MAX)]})
    return value.quantize(Decimal("0.01"))


def parse_day(data: dict, key: str) -> dt.date:
    text = str(data.get(key) or "").strip().replace("/", "-").replace(".", "-")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValidationFailed(errors={key: [_("Not a valid day: %(value)s (use YYYY-MM-DD).",
                                               value=text)]}) from None


def follow_up_clock(session, need: FinancingNeed) -> SlaClock | None:
    return (session.query(SlaClock)
            .filter_by(subject_type=SUBJECT, subject_id=need.id, name="follow_up")
            .one_or_none())


class FinancingCommands(RecordCommands):
    def __init__(self, now: dt.datetime | None = None):
        super().__init__(FinancingNeed)
        self.now = now

    def _check_write(self, item: FinancingNeed, original_department_id, before=None) -> None:
        event = event_linked(item, original_department_id, before, "matchmaking",
                             NOT_MATCHMAKING, OTHER_EVENT)
        item.met_on = shanghai_day(event.starts_at)
        super()._check_write(item, original_department_id, before)
        errors: dict = {}
        if any(bank.kind != "bank" for bank in item.banks):
            errors["banks"] = [NOT_A_BANK]
        if errors:
            raise ValidationFailed(errors=errors)

    def after_commit(self, session) -> None:
        deliver_pending(session, self.now or dt.datetime.now(dt.UTC))

    # --- what each lifecycle action does -------------------------------------------------------
    def _do_sign_intention(self, session, need, data, now):
        need.intention = str(data["intention"]).strip()
        need.intention_signed_on = shanghai_day(now)
        if follow_up_clock(session, need) is None:
            start_clock(session, subject_type=SUBJECT, subject_id=need.id, name="follow_up",
                        policy_code=FOLLOW_UP_POLICY, department_id=need.department_id, at=now)
        return need.intention

    def _do_sign_loan(self, session, need, data, now):
        errors: dict = {}
        amount = day = bank = None
        try:
            amount = parse_amount(data, "loan_amount")
        except ValidationFailed as error:
            errors.update(error.errors)
        try:
            day = parse_day(data, "loan_signed_on")
            if day > shanghai_day(now):
                errors["loan_signed_on"] = [_("The day cannot be in the future.")]
            elif need.intention_signed_on is not None and day < need.intention_signed_on:
                errors["loan_signed_on"] = [_("The loan cannot be signed before the intention.")]
        except ValidationFailed as error:
            errors.update(error.errors)
        try:
            bank = session.get(Institution, int(data.get("loan_bank")))
        except (TypeError, ValueError):
            bank = None
        if bank is None or bank.kind != "bank":
            errors["loan_bank"] = [NOT_A_BANK]
        if errors:
            raise ValidationFailed(errors=errors)
        need.loan_amount, need.loan_signed_on, need.loan_bank = amount, day, bank
        self._stop(session, need, now)
        return f"{bank} · {amount}"

    def _do_drop(self, session, need, data, now):
        need.drop_reason = str(data["reason"]).strip()
        self._stop(session, need, now)
        return need.drop_reason

    @staticmethod
    def _stop(session, need, now) -> None:
        clock = follow_up_clock(session, need)
        if clock is not None and clock.stopped_at is None:
            stop_clock(session, clock, now)
