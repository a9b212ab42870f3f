"""Events of departments, their registrations, and a user of a department that neither leads nor
co-operates (PCB): stored directly, so that a test is about what it reads, not how data came."""
from __future__ import annotations

import datetime as dt
import itertools

import pytest

from app.core.models import Department
from app.core.users import create_user
from app.extensions import db
from app.registers.events.models import Event, EventEvent
from app.registers.registrations.models import Registration
from tests.factories import PASSWORD, EnterpriseFactory, department_id

_seq = itertools.count(1)


class Events:
    def __init__(self, app):
        self.app = app

    def make(self, lead: str = "EDB", co: tuple[str, ...] = (), days: float = 10,
             **values) -> int:
        """An event of ``lead`` with ``co`` co-operating, starting ``days`` from now."""
        with self.app.app_context():
            start = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0) \
                + dt.timedelta(days=days)
            event = Event(**{"kind": "training", "name_zh": f"活动{next(_seq)}",
                             "starts_at": start, "ends_at": start + dt.timedelta(hours=2),
                             "state": "planned", **values})
            event.department_id = department_id(lead)
            event.co_departments = db.session.query(Department).filter(
                Department.code.in_(co)).all()
            db.session.add(event)
            db.session.commit()
            pk = event.id
            db.session.remove()
            return pk

    def register(self, event_id: int, n: int = 1, **values) -> list[int]:
        """``n`` registrations of new enterprises to the event (department as the event's)."""
        factory = EnterpriseFactory(self.app)
        enterprises = [factory.create(department="IPB") for _ in range(n)]
        with self.app.app_context():
            event = db.session.get(Event, event_id)
            rows = []
            for enterprise in enterprises:
                rows.append(Registration(
                    event_id=event_id, enterprise_id=enterprise, department_id=event.department_id,
                    **{"attendees": 1, "status": "registered", "channel": "staff", **values}))
            db.session.add_all(rows)
            db.session.commit()
            ids = [r.id for r in rows]
            db.session.remove()
            return ids

    def get(self, pk: int) -> dict:
        with self.app.app_context():
            event = db.session.get(Event, pk)
            out = {"state": event.state, "cancel_reason": event.cancel_reason,
                   "changed_on": event.changed_on, "starts_at": event.starts_at,
                   "timeline": [e.action for e in db.session.query(EventEvent)
                                .filter_by(event_id=pk).order_by(EventEvent.id)]}
            db.session.remove()
            return out

    def set(self, pk: int, **values) -> None:
        with self.app.app_context():
            event = db.session.get(Event, pk)
            for key, value in values.items():
                setattr(event, key, value)
            db.session.commit()
            db.session.remove()


@pytest.fixture
def events(app):
    return Events(app)


@pytest.fixture
def pcb(app):
    """Staff of the Planning and Construction Bureau: no part in EDB's or IPB's events."""
    with app.app_context():
        create_user("pcb_staff", PASSWORD, "PCB", ["Department staff"], first_name="PCB",
                    last_name="PCB", email="pcb_staff@test.local")
        db.session.commit()
        db.session.remove()
    return "pcb_staff"
