"""The events dashboard, as configuration (app.core.charts).

Computed live, never from a rollup: a rollup row keeps only its ``rollup_columns``
(``department_id``), and an event is read by its co-operating departments too — a many-to-many
link no rollup row can carry. Live, each chart page is one GROUP BY over the (scoped) events and
one over the (scoped) registrations joined to their events: the same ``visible_clause`` as the
lists, so a co-operating department counts exactly the events it reads. The registration
figures read the index (event_id, status); 10,000 events and 1,000,000 registrations are
counted in well under a second (bench/RESULTS.md).
"""
from __future__ import annotations

from flask import g
from flask_babel import lazy_gettext as _
from sqlalchemy import case

from app.core.charts import Chart, FilterControl, department_label, month_label, month_of
from app.core.interface import ScopedInterface
from app.registers.events.models import KINDS, Event
from app.registers.registrations.models import Registration

REGISTRATIONS = ScopedInterface(Registration)


def _events(registration):
    """Registrations joined to their events: the list's filters (kind, period …) apply."""
    return Event, registration.event_id == Event.id


def _held(model):
    return model.state != "cancelled"


def _attendance_percent(registration):
    return case((registration.attendance == "present", 100.0), else_=0.0)


def _registered_at_held(registration):
    """Registered (not waiting, not cancelled) at an event that took place."""
    return (registration.status == "registered") & Event.state.in_(["held", "closed"])


def job_fair_label(event_id) -> str:
    """A job fair's title: those the page shows, read in one query (scoped, as the chart)."""
    names = g.get("_puwan_job_fair_names")
    if names is None:
        from app.extensions import db

        query = db.session.query(Event).filter(Event.kind == "job_fair")
        names = {e.id: f"{e.name} ({e.starts_at:%Y-%m-%d})"
                 for e in ScopedInterface(Event).scoped(query)}
        g._puwan_job_fair_names = names
    return names.get(event_id, "—")


def _score(name):
    return lambda m: getattr(m, name)


def _scored(name):
    return lambda m: getattr(m, name).isnot(None)


SCORES = {"attitude": _("Attitude"), "quality": _("Quality"), "efficiency": _("Efficiency")}
EVENTS = _("Events")
ATTENDED = _("Attended (percent of registered)")

CHARTS = [
    Chart("by_state", _("Events by state"), "state", kind="pie", value_label=EVENTS),
    Chart("by_kind", _("Events by kind (cancelled ones not counted)"), "kind", kind="pie",
          value_label=EVENTS, where=_held),
    Chart("by_month", _("Events by month (cancelled ones not counted)"),
          lambda m: month_of(m.starts_at), kind="line", labels=month_label, value_label=EVENTS,
          where=_held),
    Chart("attendance_by_kind", _("Attendance rate by kind of event (percent)"),
          lambda m: Event.kind, _attendance_percent, "avg", labels=KINDS, percent=True,
          where=_registered_at_held, source=REGISTRATIONS, join=_events,
          value_label=ATTENDED),
    Chart("attendance_by_department", _("Attendance rate by lead department (percent)"),
          lambda m: Event.department_id, _attendance_percent, "avg", labels=department_label,
          percent=True, where=_registered_at_held, source=REGISTRATIONS, join=_events,
          value_label=ATTENDED),
    Chart("hires", _("Hires per job fair"), lambda m: m.event_id, lambda m: m.hires, "sum",
          labels=job_fair_label, where=lambda m: (Event.kind == "job_fair") & m.hires.isnot(None),
          source=REGISTRATIONS, join=_events, value_label=_("Hires")),
    *(Chart(f"{score}_by_kind", title, lambda m: Event.kind, _score(score), "avg", labels=KINDS,
            where=_scored(score), source=REGISTRATIONS, join=_events, value_label=SCORES[score])
      for score, title in (
          ("attitude", _("Average attitude score by kind of event")),
          ("quality", _("Average quality score by kind of event")),
          ("efficiency", _("Average efficiency score by kind of event")))),
    *(Chart(f"{score}_by_department", title, lambda m: Event.department_id, _score(score),
            "avg", labels=department_label, where=_scored(score), source=REGISTRATIONS,
            join=_events, value_label=SCORES[score])
      for score, title in (
          ("attitude", _("Average attitude score by organising department")),
          ("quality", _("Average quality score by organising department")),
          ("efficiency", _("Average efficiency score by organising department")))),
]

FILTERS = [
    FilterControl("kind", _("Kind of event"), choices=KINDS),
    FilterControl("department", _("Lead department")),
    FilterControl("starts_at", _("Starting from"), "gt"),
    FilterControl("starts_at", _("Starting until"), "lt"),
]
SEARCH_COLUMNS = ["kind", "department", "starts_at", "state"]
