"""What work orders put in a department's inbox (the home page, app.core.home): orders to
dispatch (the Office), to accept (待签收), the department's promises overdue, at risk or due
today, and extension requests (the Office decides them; a unit follows its own)."""
from __future__ import annotations

from flask import url_for
from flask_babel import lazy_gettext as _
from markupsafe import Markup
from sqlalchemy import and_
from sqlalchemy.orm import joinedload

from app.clocks.models import SlaClock
from app.core.home import Row, Section, counted, list_url, may, register_section, today_end_utc
from app.core.scope import current_scope, visibility_clause
from app.core.timeutil import format_due
from app.extensions import db
from app.registers.workorders.commands import SUBJECT
from app.registers.workorders.lifecycle import CLOCK_NAMES, STATE_LABELS, State
from app.registers.workorders.models import WorkOrder
from app.registers.workorders.views import CLOCK_ROW_CLASSES, LABELS, clock_state_label

VIEW = "WorkOrderView"
ORDER_COLUMNS = (LABELS["ticket"], LABELS["subject"], LABELS["state"], LABELS["clock"],
                 LABELS["clock_due_at"])


def _orders(*related):
    """Orders the user may read, with the relations a section shows."""
    query = db.session.query(WorkOrder).options(*(joinedload(r) for r in related))
    clause = visibility_clause(WorkOrder)
    return query if clause is None else query.filter(clause)


# both clocks: an order's row shows the one that matters now
CLOCKS = (WorkOrder.dispatch_clock, WorkOrder.resolution_clock)


def _row(order: WorkOrder, clock: SlaClock | None = None) -> Row:
    clock = clock if clock is not None else order.clock
    clock_text = clock_state_label(clock)
    if clock is not None and clock.name != "dispatch":  # (the label names the dispatch clock)
        # every clock named: an order may be overdue on two of its promises at once
        clock_text = Markup("{} · {}").format(CLOCK_NAMES.get(clock.name, clock.name), clock_text)
    return Row(cells=[order.ticket, order.subject, STATE_LABELS.get(order.state, order.state),
                      clock_text, format_due(clock.due_at) if clock is not None else ""],
               url=url_for(f"{VIEW}.show", pk=order.id),
               css=CLOCK_ROW_CLASSES.get(clock.state_now(), "") if clock is not None else "")


def to_dispatch(actor) -> Section | None:
    if not current_scope().dispatcher:
        return None
    query = (_orders(*CLOCKS).filter(WorkOrder.state.in_([State.RECEIVED, State.RETURNED]))
             .order_by(WorkOrder.received_at, WorkOrder.id))
    count, rows = counted(query)
    return Section("undispatched", _("Waiting for dispatch"), count, ORDER_COLUMNS,
                   [_row(order) for (order,) in rows], css="primary")


def to_accept(actor) -> Section | None:
    if not may("can_transition", VIEW):
        return None
    query = (_orders(*CLOCKS).filter(WorkOrder.state == State.DISPATCHED,
                              WorkOrder.handling_department_id == actor.department_id)
             .order_by(WorkOrder.received_at, WorkOrder.id))
    count, rows = counted(query)
    return Section("to-accept", _("Waiting to be accepted"), count, ORDER_COLUMNS,
                   [_row(order) for (order,) in rows], css="primary",
                   url=list_url(VIEW, state=State.DISPATCHED,
                                handling_department=actor.department_id))


def _clocks(actor, key, title, criterion, css, url=None) -> Section | None:
    """The department's running promises on orders that meet ``criterion``, soonest due first."""
    if not may("can_list", VIEW):
        return None
    query = (_orders().add_entity(SlaClock)
             .join(SlaClock, and_(SlaClock.subject_type == SUBJECT,
                                  SlaClock.subject_id == WorkOrder.id))
             .filter(SlaClock.department_id == actor.department_id,
                     SlaClock.stopped_at.is_(None), criterion)
             .order_by(SlaClock.due_at, SlaClock.id))
    count, rows = counted(query)
    return Section(key, title, count, ORDER_COLUMNS,
                   [_row(order, clock) for order, clock in rows], css=css, url=url)


def overdue(actor) -> Section | None:
    return _clocks(actor, "overdue", _("Overdue"), SlaClock.state == "breached", "danger",
                   list_url("SlaClockView", state="breached", department=actor.department_id))


def at_risk(actor) -> Section | None:
    return _clocks(actor, "at-risk", _("At risk"), SlaClock.state == "warning", "warning",
                   list_url("SlaClockView", state="warning", department=actor.department_id))


def due_today(actor) -> Section | None:
    return _clocks(actor, "due-today", _("Due today"),
                   and_(SlaClock.state == "running", SlaClock.due_at <= today_end_utc()), "info")


def extensions(actor) -> Section | None:
    """The Office decides every pending extension request; a unit sees its own waiting."""
    query = _orders(WorkOrder.handling_department).filter(
        WorkOrder.extension_requested.isnot(None))
    if current_scope().dispatcher:
        title = _("Extension requests to decide")
    elif may("can_transition", VIEW):
        title = _("Extension requests waiting for the Office")
        query = query.filter(WorkOrder.handling_department_id == actor.department_id)
    else:
        return None
    count, rows = counted(query.order_by(WorkOrder.changed_on, WorkOrder.id))
    columns = (LABELS["ticket"], LABELS["subject"], LABELS["handling_department"],
               LABELS["extension_requested"], LABELS["extension_reason"])
    return Section("extensions", title, count, columns, [
        Row(cells=[o.ticket, o.subject, o.handling_department or "", o.extension_requested,
                   o.extension_reason or ""], url=url_for(f"{VIEW}.show", pk=o.id))
        for (o,) in rows], css="warning")


SECTIONS = {"to_dispatch": to_dispatch, "to_accept": to_accept, "overdue": overdue,
            "at_risk": at_risk, "due_today": due_today, "extensions": extensions}


def register() -> None:
    for name, section in SECTIONS.items():
        register_section(f"work_order.{name}", section)
