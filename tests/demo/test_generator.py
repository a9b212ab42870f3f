"""`flask demo generate`: reproducible, realistic, and usable by the platform afterwards."""
import datetime as dt

from sqlalchemy import func, inspect

from app.clocks.models import SlaClock
from app.demo.generator import generate
from app.extensions import db
from app.registers.enterprises.models import Enterprise
from app.registers.enterprises.validators import is_valid_uscc
from app.registers.workorders.models import WorkOrder

UNTIL = dt.date(2026, 11, 25)


def _fingerprint():
    rows = db.session.query(WorkOrder.channel, WorkOrder.category, WorkOrder.state,
                            WorkOrder.received_at).order_by(WorkOrder.id).all()
    return [(c, k, s, r.isoformat()) for c, k, s, r in rows]


def _wipe():
    for model in (SlaClock, WorkOrder, Enterprise):
        db.session.query(model).delete()
    db.session.commit()


def test_same_seed_gives_the_same_data(ctx):
    generate(enterprises=50, workorders=400, seed=7, until=UNTIL)
    first = _fingerprint()
    _wipe()
    generate(enterprises=50, workorders=400, seed=7, until=UNTIL)
    assert _fingerprint() == first
    _wipe()
    generate(enterprises=50, workorders=400, seed=8, until=UNTIL)
    assert _fingerprint() != first
    _wipe()


def test_generated_data_is_realistic_and_consistent(ctx):
    counts = generate(enterprises=100, workorders=2000, seed=1, until=UNTIL)
    assert (counts["enterprises"], counts["workorders"], counts["clocks"]) == (100, 2000, 4000)
    assert all(is_valid_uscc(u) for (u,) in db.session.query(Enterprise.uscc))
    states = dict(db.session.query(WorkOrder.state, func.count()).group_by(WorkOrder.state))
    assert states.get("closed", 0) > 1000 and states.get("received", 0) > 0
    channels = {c for (c,) in db.session.query(WorkOrder.channel).distinct()}
    assert {"hotline", "wechat", "email"} <= channels
    oldest = db.session.query(func.min(WorkOrder.received_at)).scalar()
    assert oldest < dt.datetime(2024, 3, 1)          # spread over three years
    # every order has its two clocks, and breached resolution clocks are really past due
    assert db.session.query(SlaClock).count() == 4000
    late = db.session.query(SlaClock).filter_by(name="resolution", state="breached").all()
    assert late and all(c.due_at <= dt.datetime(2026, 11, 25, 4) for c in late)
    # the secondary indexes are back after the bulk load
    names = {i["name"] for i in inspect(db.engine).get_indexes("work_order")}
    assert "ix_work_order_received_at" in names
    _wipe()


def test_open_orders_are_the_newest(ctx):
    generate(enterprises=10, workorders=400, seed=5, until=UNTIL, open_orders=60)
    done = ("resolved", "followed_up", "closed")
    rows = db.session.query(WorkOrder.received_at, WorkOrder.state).order_by(
        WorkOrder.received_at.desc()).all()
    assert all(state not in done for _at, state in rows[:60])
    assert all(state in done for _at, state in rows[60:])
    _wipe()


def test_rows_made_in_a_second_process_are_the_same_rows(ctx, monkeypatch):
    from app.demo import generator

    monkeypatch.setattr(generator, "BATCH", 100)  # several batches through the pipe
    generate(enterprises=20, workorders=450, seed=11, until=UNTIL, parallel=False)
    sequential = _fingerprint()
    clocks = db.session.query(SlaClock.subject_id, SlaClock.name, SlaClock.due_at).order_by(
        SlaClock.id).all()
    _wipe()
    counts = generate(enterprises=20, workorders=450, seed=11, until=UNTIL, parallel=True)
    assert counts["workorders"] == 450 and counts["distinct_due_dates"] > 0
    assert _fingerprint() == sequential
    assert db.session.query(SlaClock.subject_id, SlaClock.name, SlaClock.due_at).order_by(
        SlaClock.id).all() == clocks
    _wipe()
