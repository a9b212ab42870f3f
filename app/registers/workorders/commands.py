"""Work-order commands: creation (ticket, clocks, timeline) and what each lifecycle action
does (``_do_<action>``; the kit's ``perform`` checks and records it, app.core.parts.lifecycle).

The UI's buttons and the REST API call these same functions; each runs in one transaction and
delivers the SLA hooks after its commit.
"""
from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _

from app.clocks.models import SlaClock, Supervision
from app.clocks.outbox import deliver_pending
from app.clocks.service import (
    extend_clock,
    naive,
    recategorize_clock,
    start_clock,
    stop_clock,
)
from app.core.commands import RecordCommands
from app.core.exceptions import TransitionError, ValidationFailed
from app.core.models import Department, PuwanUser, current_actor
from app.core.parts.timeline import add_event
from app.registers.workorders.lifecycle import MAX_EXTENSION_DAYS, State
from app.registers.workorders.models import BAD_RATINGS, CATEGORIES, WorkOrder
from app.sla.policies import Unit

SUBJECT = "work_order"  # clocks and notices name the table


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or dt.datetime.now(dt.UTC)


def _office_id(session) -> int:
    return session.query(Department.id).filter_by(code="OFFICE").scalar()


def _clock(session, order: WorkOrder, name: str) -> SlaClock | None:
    return (session.query(SlaClock)
            .filter_by(subject_type=SUBJECT, subject_id=order.id, name=name).one_or_none())


class WorkOrderCommands(RecordCommands):
    def __init__(self, now: dt.datetime | None = None):
        super().__init__(WorkOrder)
        self.now = now

    def create(self, item: WorkOrder) -> None:
        if item.received_at is None:
            item.received_at = naive(_now(self.now))
        super().create(item)

    def after_create(self, session, order: WorkOrder) -> None:
        received = order.received_at.replace(tzinfo=dt.UTC)
        order.ticket = f"PW-{received.year}-{order.id:06d}"
        office = _office_id(session)
        start_clock(session, subject_type=SUBJECT, subject_id=order.id, name="dispatch",
                    policy_code="dispatch", department_id=office, at=received)
        start_clock(session, subject_type=SUBJECT, subject_id=order.id, name="resolution",
                    policy_code=order.category, department_id=office, at=received)
        add_event(order, "receive", None, State.RECEIVED, at=received)

    def after_commit(self, session) -> None:
        deliver_pending(session, _now(self.now))

    # --- what each lifecycle action does (app.core.parts.lifecycle runs and records it) -------------
    def _do_dispatch(self, session, order, data, now):
        department = session.get(Department, _int(data, "department"))
        if department is None:
            raise ValidationFailed(errors={"department": [_("Choose a department.")]})
        order.handling_department_id = department.id
        order.handler_id = None
        if data.get("handler"):
            handler = session.get(PuwanUser, _int(data, "handler"))
            if handler is None or handler.department_id != department.id:
                raise ValidationFailed(
                    errors={"handler": [_("The handler must work in the handling department.")]})
            order.handler_id = handler.id
        dispatch = _clock(session, order, "dispatch")
        if dispatch is not None and dispatch.stopped_at is None:
            stop_clock(session, dispatch, now)
        resolution = _clock(session, order, "resolution")
        category = data.get("category") or order.category
        if category not in CATEGORIES:
            raise ValidationFailed(errors={"category": [_("Choose a category from the list.")]})
        if resolution is not None:
            resolution.department_id = department.id
            if category != order.category:
                recategorize_clock(session, resolution, category, now)
        order.category = category
        return str(department)

    def _do_accept(self, session, order, data, now):
        order.handler_id = order.handler_id or getattr(current_actor(), "id", None)

    def _do_return(self, session, order, data, now):
        resolution = _clock(session, order, "resolution")
        if resolution is not None:
            resolution.department_id = _office_id(session)
        return data["reason"]

    def _do_start(self, session, order, data, now):
        return None

    def _do_wait(self, session, order, data, now):
        return data["reason"]  # the clock pauses by its policy's pause_states

    def _do_resume(self, session, order, data, now):
        return None

    def _do_resolve(self, session, order, data, now):
        order.reply = data["reply"]
        resolution = _clock(session, order, "resolution")
        if resolution is not None and resolution.stopped_at is None:
            stop_clock(session, resolution, now)
        return data["reply"]

    def _do_follow_up(self, session, order, data, now):
        scores = {}
        for field in ("rating", "attitude", "quality", "efficiency"):
            value = data.get(field)
            if value in (None, "") and field != "rating":
                continue
            try:
                value = int(value)
            except (TypeError, ValueError):
                value = 0
            if not 1 <= value <= 5:
                raise ValidationFailed(errors={field: [_("Give a score from 1 to 5.")]})
            scores[field] = value
        order.rating = scores["rating"]
        order.rating_attitude = scores.get("attitude")
        order.rating_quality = scores.get("quality")
        order.rating_efficiency = scores.get("efficiency")
        order.rating_comment = data.get("comment")
        if order.rating in BAD_RATINGS and _clock(session, order, "rectification") is None:
            start_clock(session, subject_type=SUBJECT, subject_id=order.id, name="rectification",
                        policy_code="rectification",
                        department_id=order.handling_department_id or order.department_id,
                        at=now)
        return data.get("comment")

    def _do_close(self, session, order, data, now):
        return None

    def _do_reopen(self, session, order, data, now):
        return data["reason"]

    def _do_request_extension(self, session, order, data, now):
        days = _int(data, "days")
        if not 1 <= days <= MAX_EXTENSION_DAYS:
            raise ValidationFailed(errors={"days": [_(
                "Ask for 1 to %(max)s working days.", max=MAX_EXTENSION_DAYS)]})
        if order.extension_requested:
            raise TransitionError(_("An extension request is already waiting for a decision."))
        order.extension_requested = days
        order.extension_reason = data["reason"]
        return data["reason"]

    def _pending_extension(self, order):
        if not order.extension_requested:
            raise TransitionError(_("There is no extension request to decide."))
        return order.extension_requested

    def _do_approve_extension(self, session, order, data, now):
        days = self._pending_extension(order)
        resolution = _clock(session, order, "resolution")
        if resolution is not None and resolution.stopped_at is None:
            extend_clock(session, resolution, days, Unit.WORKING_DAYS, now)
        order.extension_requested = None
        return str(days)

    def _do_reject_extension(self, session, order, data, now):
        self._pending_extension(order)
        order.extension_requested = None
        return data["reason"]

    def _do_supervise(self, session, order, data, now):
        session.add(Supervision(
            subject_type=SUBJECT, subject_id=order.id, reason="office", note=data["reason"],
            department_id=order.handling_department_id or order.department_id,
            opened_at=naive(now)))
        return data["reason"]


def _int(data: dict, field: str) -> int:
    try:
        return int(data.get(field))
    except (TypeError, ValueError) as exc:
        raise ValidationFailed(errors={field: [_("Not a valid number.")]}) from exc

