"""Work-order commands: creation (ticket, clocks, timeline) and every lifecycle transition.

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
    pause_clock,
    recategorize_clock,
    resume_clock,
    start_clock,
    stop_clock,
)
from app.core.commands import RecordCommands
from app.core.exceptions import CommandError, ForbiddenError, NotFoundError, ValidationFailed
from app.core.history import record, snapshot
from app.core.models import Department, PuwanUser, current_actor
from app.core.scope import current_scope
from app.registers.workorders.lifecycle import STATE_LABELS, TRANSITIONS, Actor, State
from app.registers.workorders.models import BAD_RATINGS, CATEGORIES, WorkOrder, WorkOrderEvent
from app.sla.policies import Unit

SUBJECT = "work_order"  # clocks and notices name the table
MAX_EXTENSION_DAYS = 10


class TransitionError(CommandError):
    status = 409
    default_message = _("The order is not in a state that allows this.")


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or dt.datetime.now(dt.UTC)


def _office_id(session) -> int:
    return session.query(Department.id).filter_by(code="OFFICE").scalar()


def _clock(session, order: WorkOrder, name: str) -> SlaClock | None:
    return (session.query(SlaClock)
            .filter_by(subject_type=SUBJECT, subject_id=order.id, name=name).one_or_none())


def _event(order, action, from_state, to_state, note=None, at=None):
    actor = current_actor()
    order.events.append(WorkOrderEvent(
        action=action, from_state=from_state, to_state=to_state, note=note,
        actor_id=getattr(actor, "id", None), at=naive(at) if at else None))


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
        _event(order, "receive", None, State.RECEIVED, at=received)

    def after_commit(self, session) -> None:
        deliver_pending(session, _now(self.now))

    # --- transitions ------------------------------------------------------------------------------
    def perform(self, order: WorkOrder, action: str, data: dict,
                by_requester: bool = False) -> WorkOrder:
        """Run one lifecycle action. ``by_requester``: the enterprise itself rates the service
        through its private tracking link (the only action it may take)."""
        transition = TRANSITIONS.get(action)
        if transition is None or (by_requester and action != "follow_up"):
            raise NotFoundError(_("Unknown action."))
        scope = current_scope()
        if by_requester:
            pass
        elif transition.actor is Actor.DISPATCHER and not scope.dispatcher:
            raise ForbiddenError(_("Only the Management Committee Office may do this."))
        if transition.actor is Actor.HANDLER and not (
                order.handling_department_id is not None
                and scope.can_write(order.handling_department_id)):
            raise ForbiddenError(_("Only the handling department may do this."))
        if order.state not in transition.sources:
            raise TransitionError(_(
                "The order is “%(state)s”: “%(action)s” is not possible now.",
                state=STATE_LABELS.get(order.state, order.state), action=transition.label))
        missing = {field: [_("This field is required.")] for field in transition.needs
                   if data.get(field) in (None, "")}
        if missing:
            raise ValidationFailed(errors=missing)

        def work(session):
            now = _now(self.now)
            before, values = order.state, snapshot(order)
            note = getattr(self, f"_do_{action}")(session, order, data, now)
            if transition.target is not None:
                order.state = str(transition.target)
                self._sync_pauses(session, order, now)
            _event(order, action, before, order.state, note, at=now)
            session.flush()
            # The history row names the action; a reason no column keeps goes with it.
            record(session, order, action, values, snapshot(order),
                   extra={"reason": data.get("reason")})

        self._run(work)
        return order

    @staticmethod
    def _sync_pauses(session, order, now):
        """Each policy lists the states that pause its clock (data, editable by admins)."""
        clocks = session.query(SlaClock).filter_by(subject_type=SUBJECT, subject_id=order.id,
                                                   stopped_at=None)
        for clock in clocks:
            pausing = order.state in (clock.policy.pause_states or ())
            if pausing and clock.paused_since is None:
                pause_clock(session, clock, now)
            elif not pausing and clock.paused_since is not None:
                resume_clock(session, clock, now)

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


MAX_ATTACHMENT = 20 * 1024 * 1024


def add_attachment(order: WorkOrder, filename: str, content_type: str, data: bytes) -> None:
    """Attach a file to an order: the Office, the unit that took it in or the handling unit."""
    import uuid

    from app.core.attachments import attachment_dir
    from app.registers.workorders.models import WorkOrderAttachment

    scope = current_scope()
    if not (scope.dispatcher or scope.can_write(order.department_id)
            or (order.handling_department_id and scope.can_write(order.handling_department_id))):
        raise ForbiddenError()
    if not filename or not data:
        raise ValidationFailed(errors={"file": [_("Choose a file.")]})
    if len(data) > MAX_ATTACHMENT:
        raise ValidationFailed(errors={"file": [_("The file is larger than 20 MB.")]})
    stored = uuid.uuid4().hex
    path = attachment_dir() / stored
    path.write_bytes(data)
    commands = WorkOrderCommands()

    def work(session):
        order.attachments.append(WorkOrderAttachment(
            filename=filename[:255], content_type=(content_type or "application/octet-stream")[:100],
            size=len(data), stored_name=stored))
        _event(order, "attach", order.state, order.state, filename[:255])
        session.flush()
        values = snapshot(order)
        record(session, order, "attach", values, values, extra={"attachment": filename[:255]})

    try:
        commands._run(work)
    except CommandError:
        path.unlink(missing_ok=True)
        raise


def _int(data: dict, field: str) -> int:
    try:
        return int(data.get(field))
    except (TypeError, ValueError) as exc:
        raise ValidationFailed(errors={field: [_("Not a valid number.")]}) from exc

