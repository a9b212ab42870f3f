"""Two sweeps at the same moment on PostgreSQL: every transition and hook happens once."""
import threading

import pytest

from app.clocks.models import SlaClock, SlaTransition, Supervision
from app.clocks.outbox import deliver_pending
from app.clocks.service import start_clock
from app.clocks.sweep import sweep
from app.extensions import db
from tests.clocks.conftest import at
from tests.factories import department_id

CLOCKS = 300


def test_two_simultaneous_sweeps_fire_each_hook_once(app, enterprises, received):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("row-level concurrency is PostgreSQL's; SQLite serialises writers")
        pk = enterprises.create("IPB")
        dept = department_id("IPB")
        for n in range(CLOCKS):
            start_clock(db.session, subject_type="enterprise", subject_id=pk, name=f"c{n}",
                        policy_code="consultation", department_id=dept,
                        at=at(2026, 11, 25, 10))
        db.session.commit()
        deliver_pending(db.session, at(2026, 11, 25, 10))
        db.session.remove()
    received.clear()

    barrier = threading.Barrier(2)
    errors = []

    def worker():
        try:
            with app.app_context():
                barrier.wait()
                sweep(db.session, at(2026, 12, 1))
                db.session.remove()
        except Exception as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    with app.app_context():
        breached = db.session.query(SlaTransition).filter_by(new_state="breached").count()
        assert breached == CLOCKS
        assert db.session.query(SlaClock).filter_by(state="breached").count() == CLOCKS
        assert db.session.query(Supervision).count() == CLOCKS
    breaches = [r for r in received if r[3] == "breached"]
    assert len(breaches) == CLOCKS
