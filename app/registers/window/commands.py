"""Window-service commands: the one write path of the log for forms, REST and imports.

- The author is who handled the service (``handler``), unless one is already given.
- A service cannot be served in the future.
- Logged with "Open a work order" ticked, the follow-up becomes a work order of "123 instant
  handling" in the same transaction, through the work orders' own command (its ticket, clocks
  and timeline, its history row): either both are saved or neither. The service keeps the order
  it opened (``work_order``); the order names the service it came from (``external_ref``
  ``window:<id>``, shown on its page by this register's panel).
"""
from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _

from app.clocks.outbox import deliver_pending
from app.clocks.service import naive
from app.core.commands import RecordCommands
from app.core.exceptions import ValidationFailed
from app.core.history import record, snapshot
from app.core.models import current_actor
from app.registers.window.models import MATTERS, SERVICE_TYPES, WindowService
from app.registers.workorders.commands import WorkOrderCommands
from app.registers.workorders.models import ServiceType, WorkOrder

NO_FOLLOW_UP = _("Describe the follow-up: it becomes the work order's request.")
IN_THE_FUTURE = _("A service cannot be served in the future.")
REF_PREFIX = "window:"  # a work order opened from a service: external_ref "window:<service id>"
SUBJECT_MAX = 200


def order_ref(service_id: int) -> str:
    return f"{REF_PREFIX}{service_id}"


class WindowServiceCommands(RecordCommands):
    def __init__(self, now: dt.datetime | None = None):
        super().__init__(WindowService)
        self.now = now
        self._orders: WorkOrderCommands | None = None

    def _now(self) -> dt.datetime:
        return self.now or dt.datetime.now(dt.UTC)

    def create(self, item: WindowService) -> None:
        if item.handler_id is None and item.handler is None:
            item.handler_id = getattr(current_actor(), "id", None)
        self._orders = None
        super().create(item)

    def _check_write(self, item, original_department_id, before=None) -> None:
        if item.served_at is not None:  # (to the minute, as it is typed and exported)
            item.served_at = item.served_at.replace(second=0, microsecond=0)
        super()._check_write(item, original_department_id, before)
        errors: dict = {}
        if item.served_at is not None and item.served_at > naive(self._now()) + dt.timedelta(
                minutes=5):  # (a clock a little fast is not the future)
            errors["served_at"] = [IN_THE_FUTURE]
        if not (item.result or "").strip():
            errors["result"] = [_("This field is required.")]
        if getattr(item, "open_work_order", False) and not (item.follow_up or "").strip():
            errors["follow_up"] = [NO_FOLLOW_UP]
        if errors:
            raise ValidationFailed(errors=errors)

    def after_create(self, session, item: WindowService) -> None:
        if getattr(item, "open_work_order", False):
            item.work_order = self._open_order(session, item)
            session.flush()

    def _open_order(self, session, service: WindowService) -> WorkOrder:
        """The follow-up as a work order taken in by the window's department, checked and
        recorded as the work orders' command does for any new order (same transaction)."""
        text = service.follow_up.strip()
        kind = session.query(ServiceType.id).filter_by(
            code=SERVICE_TYPES.get(service.matter, "other")).scalar()
        order = WorkOrder(
            channel="walk_in", language=service.language, category="general",
            subject=text.splitlines()[0][:SUBJECT_MAX], content=text,
            service_type_id=kind, enterprise_id=service.enterprise_id,
            department_id=service.department_id, received_at=naive(self._now()),
            external_ref=order_ref(service.id))
        orders = WorkOrderCommands(now=self.now)
        session.add(order)
        session.flush()
        orders._check_write(order, None)
        orders.after_create(session, order)
        record(session, order, "create", None, snapshot(order))
        self._orders = orders
        return order

    def after_commit(self, session) -> None:
        if self._orders is not None:  # the new order's clocks: their hooks once committed
            self._orders = None
            deliver_pending(session, self._now())


def matter_label(code: str) -> str:
    return str(MATTERS.get(code, code))
