"""Panels of other registers' record pages (app.core.parts.views ``register_panel``):

- an event's registrations with their attendance — check-in on the day, attendance in bulk
  afterwards, a job fair's outcome, feedback from those present — in two queries whatever the
  number of registrations;
- an enterprise's attendance figures by year, in one query.

Both read only what the reader may read (the registrations' ``visible_clause``); the buttons show
only to who may write the event's registrations (the command checks it again).
"""
from __future__ import annotations

from flask import current_app, url_for
from sqlalchemy.orm import joinedload

from app.core.models import localized
from app.core.scope import current_scope, visibility_clause
from app.core.timeutil import format_display, to_display
from app.extensions import db
from app.registers.events.models import Event
from app.registers.registrations.commands import (
    CANCELLABLE_STATES,
    TAKING,
    attendance_open,
)
from app.registers.registrations.figures import by_status, event_figures
from app.registers.registrations.models import ATTENDANCE, SCORES, STATUSES, Registration

PANEL_ROWS = 500  # registrations an event's page lists (the summary counts them all)
VIEW = "RegistrationView"


def _may(permission: str) -> bool:
    return current_app.appbuilder.sm.has_access(permission, VIEW)


def _scoped(query):
    clause = visibility_clause(Registration)
    return query if clause is None else query.filter(clause)


def event_registrations(register, event) -> dict | None:
    """The event's registrations (first come first), for its record page."""
    if register.table != Event.__tablename__ or not _may("can_list"):
        return None
    rows = (_scoped(db.session.query(Registration))
            .options(joinedload(Registration.enterprise))
            .filter(Registration.event_id == event.id)
            .order_by(Registration.created_on, Registration.id).limit(PANEL_ROWS).all())
    figures = event_figures(event.id)
    totals = {status: (by_status(figures["enterprises"], status),
                       by_status(figures["people"], status)) for status in STATUSES}
    writable = _may("can_edit") and current_scope().can_write(event.department_id)
    return {
        "event": event,
        "rows": [_row(r) for r in rows],
        "more": sum(c for c, _p in totals.values()) > len(rows),
        "registered": totals["registered"], "waiting": totals["waitlisted"],
        "cancelled": totals["cancelled"],
        "capacity": event.capacity,
        "writable": writable,
        "add_url": url_for(f"{VIEW}.add", _flt_0_event=event.id)
        if _may("can_add") and writable and event.state in TAKING["staff"] else None,
        "check_in": writable and event.state in ("open", "held") and attendance_open(event),
        "bulk": writable and attendance_open(event),
        "cancellable": writable and event.state in CANCELLABLE_STATES,
        "job_fair": event.kind == "job_fair",
        "attendance": ATTENDANCE,
        "scores": SCORES,
    }


def _row(item: Registration) -> dict:
    enterprise = item.enterprise
    contact = " · ".join(v for v in (item.contact_name, item.contact_phone) if v)
    return {
        "id": item.id, "enterprise": localized(enterprise, "name"), "uscc": enterprise.uscc,
        "contact": contact, "attendees": item.attendees, "status": item.status,
        "status_label": STATUSES.get(item.status, item.status),
        "attendance": item.attendance,
        "attendance_label": ATTENDANCE.get(item.attendance, "") if item.attendance else "",
        "excuse_reason": item.excuse_reason,
        "checked_in_at": format_display(item.checked_in_at) if item.checked_in_at else "",
        "positions_offered": item.positions_offered, "applicants": item.applicants,
        "hires": item.hires,
        "attitude": item.attitude, "quality": item.quality, "efficiency": item.efficiency,
        "feedback_comment": item.feedback_comment or "",
    }


def enterprise_figures(register, enterprise) -> dict | None:
    """The enterprise's events by year (Beijing time): registered, attended, excused, absent."""
    if register.table != "enterprise" or not _may("can_list"):
        return None
    query = (_scoped(db.session.query(Event.starts_at, Registration.status,
                                      Registration.attendance))
             .join(Event, Registration.event_id == Event.id)
             .filter(Registration.enterprise_id == enterprise.id))
    years: dict[int, dict] = {}
    for starts_at, status, attendance in query:
        if status == "cancelled":
            continue
        year = years.setdefault(to_display(starts_at).year, dict.fromkeys(
            ("registered", "waiting", "present", "excused", "absent"), 0))
        year["registered" if status == "registered" else "waiting"] += 1
        if status == "registered" and attendance in ATTENDANCE:
            year[attendance] += 1
    rows = []
    for year, counts in sorted(years.items(), reverse=True):
        taken = counts["present"] + counts["excused"] + counts["absent"]
        rate = f"{counts['present'] * 100 // taken}%" if taken else ""
        rows.append({"year": year, **counts, "rate": rate})
    return {"rows": rows, "list_url": url_for(f"{VIEW}.list", _flt_0_enterprise=enterprise.id)}
