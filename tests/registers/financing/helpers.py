"""What the outcome tests share: events of a kind (lead IPB, EDB co-operating), banks,
enterprises, a user of a department that has nothing to do with the event, REST calls and the
stored state of a record and its clock."""
from __future__ import annotations

import datetime as dt

from app.clocks.models import SlaClock
from app.core.models import Department, PuwanUser
from app.core.users import create_user
from app.extensions import db
from app.registers.events.models import Event
from app.registers.institutions.models import Institution
from tests.factories import PASSWORD, department_id

STRANGER = "pcb_outsider"  # a department neither leading nor co-operating


def make_event(app, kind: str, lead: str = "IPB", co: tuple = ("EDB",), name: str | None = None,
               starts_at: dt.datetime | None = None) -> int:
    with app.app_context():
        event = Event(kind=kind, name_zh=name or f"{kind}活动{dt.datetime.now().timestamp()}",
                      starts_at=starts_at or dt.datetime(2026, 11, 10, 2, 0), state="open",
                      department_id=department_id(lead),
                      fair_scope="international" if kind == "trade_fair" else None)
        event.co_departments = [db.session.query(Department).filter_by(code=c).one() for c in co]
        db.session.add(event)
        db.session.commit()
        pk = event.id
        db.session.remove()
    return pk


def make_bank(app, name: str, kind: str = "bank") -> int:
    with app.app_context():
        bank = Institution(name_zh=name, kind=kind)
        db.session.add(bank)
        db.session.commit()
        pk = bank.id
        db.session.remove()
    return pk


def stranger(app, auth):
    """A logged-in client and API headers of PCB staff (removed with the test's records)."""
    with app.app_context():
        if db.session.query(PuwanUser).filter_by(username=STRANGER).first() is None:
            create_user(STRANGER, PASSWORD, "PCB", ["Department staff"], first_name="PCB",
                        last_name="PCB", email="pcb@test.local")
            db.session.commit()
        db.session.remove()
    return auth.client(STRANGER), auth.token(STRANGER)


def stored(app, model, pk) -> dict | None:
    with app.app_context():
        item = db.session.get(model, pk)
        values = None if item is None else {
            c.key: getattr(item, c.key) for c in model.__table__.columns}
        db.session.remove()
    return values


def clock(app, subject: str, pk: int, name: str) -> dict | None:
    with app.app_context():
        row = db.session.query(SlaClock).filter_by(subject_type=subject, subject_id=pk,
                                                   name=name).one_or_none()
        out = None if row is None else {"state": row.state, "due_at": row.due_at,
                                        "stopped": row.stopped_at is not None,
                                        "policy": row.policy.code}
        db.session.remove()
    return out
