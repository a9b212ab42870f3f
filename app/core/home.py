"""The home page shows each person what needs attention now."""
from __future__ import annotations

import datetime as dt

from flask_appbuilder import IndexView, expose

from app.core.models import current_actor
from app.core.scope import current_scope
from app.core.timeutil import display_tz, format_due
from app.extensions import db

LIMIT = 20


def _today_end_utc() -> dt.datetime:
    local = dt.datetime.now(display_tz()).date() + dt.timedelta(days=1)
    end = dt.datetime.combine(local, dt.time(0), display_tz())
    return end.astimezone(dt.UTC).replace(tzinfo=None)


def attention():
    """Resolution clocks of my department's orders: overdue, at risk, or due by tonight; and,
    for the Office, the orders still waiting for dispatch with their dispatch clocks."""
    from app.clocks.models import SlaClock
    from app.clocks.views import STATES
    from app.registers.workorders.lifecycle import STATE_LABELS
    from app.registers.workorders.models import WorkOrder

    actor = current_actor()
    if actor is None:
        return None
    rows = (db.session.query(SlaClock, WorkOrder)
            .join(WorkOrder, WorkOrder.id == SlaClock.subject_id)
            .filter(SlaClock.subject_type == "work_order", SlaClock.name == "resolution",
                    SlaClock.stopped_at.is_(None),
                    SlaClock.department_id == actor.department_id,
                    (SlaClock.state.in_(["warning", "breached"]))
                    | (SlaClock.due_at <= _today_end_utc()))
            .order_by(SlaClock.due_at).limit(LIMIT).all())
    mine = [{"id": o.id, "ticket": o.ticket, "subject": o.subject,
             "state": STATES.get(c.state, c.state), "clock_state": c.state,
             "due": format_due(c.due_at)} for c, o in rows]
    undispatched = None
    if current_scope().dispatcher:
        rows = (db.session.query(WorkOrder, SlaClock)
                .outerjoin(SlaClock, (SlaClock.subject_type == "work_order")
                           & (SlaClock.subject_id == WorkOrder.id) & (SlaClock.name == "dispatch"))
                .filter(WorkOrder.state.in_(["received", "returned"]))
                .order_by(SlaClock.due_at).limit(LIMIT).all())
        undispatched = [{"id": o.id, "ticket": o.ticket, "subject": o.subject,
                         "order_state": STATE_LABELS.get(o.state, o.state),
                         "state": STATES.get(c.state, c.state) if c else "",
                         "clock_state": c.state if c else "",
                         "due": format_due(c.due_at) if c else ""} for o, c in rows]
    return {"mine": mine, "undispatched": undispatched}


class HomeView(IndexView):
    index_template = "puwan/index.html"

    @expose("/")
    def index(self):
        return self.render_template(self.index_template, appbuilder=self.appbuilder,
                                    attention=attention())
