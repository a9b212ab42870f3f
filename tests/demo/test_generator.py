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


# --- events, institutions and registrations ----------------------------------------------------

def _event_fingerprint():
    from app.registers.events.models import Event
    from app.registers.registrations.models import Registration

    events = db.session.query(Event.kind, Event.state, Event.starts_at, Event.capacity,
                              Event.department_id).order_by(Event.id).all()
    registrations = db.session.query(Registration.event_id, Registration.enterprise_id,
                                     Registration.status, Registration.attendance,
                                     Registration.attitude).order_by(Registration.id).all()
    return events, registrations


def _wipe_events():
    from app.registers.events.models import Event
    from app.registers.institutions.models import Institution
    from app.registers.registrations.models import Registration

    for model in (Registration, Event, Institution):
        db.session.query(model).delete()
    _wipe()


def test_events_and_registrations_are_consistent(ctx):
    from app.core.models import Department, Measure
    from app.registers.events.models import Event, event_department, event_institution
    from app.registers.institutions.models import Institution
    from app.registers.registrations.models import Registration

    counts = generate(enterprises=300, workorders=0, seed=4, until=UNTIL, institutions=30,
                      events=200, registrations=6000)
    assert (counts["institutions"], counts["events"], counts["registrations"]) == (30, 200, 6000)
    assert db.session.query(Registration).count() == 6000
    now = dt.datetime(2026, 11, 25, 4)  # noon in Shanghai, naive UTC
    events = db.session.query(Event).all()
    assert {e.kind for e in events} == {"training", "job_fair", "matchmaking", "trade_fair"}
    assert {e.state for e in events} >= {"planned", "open", "closed", "cancelled"}
    for e in events:
        assert e.ends_at > e.starts_at
        assert (e.topic is not None) == (e.kind == "training")
        assert (e.fair_scope is not None) == (e.kind == "trade_fair")
        assert (e.state == "cancelled") == bool(e.cancel_reason)
        if e.state in ("held", "closed"):
            assert e.ends_at <= now, e
        if e.state == "planned":
            assert e.starts_at > now, e
    # lead and co-operating departments as the event's measure says (A5, B3, B4)
    measures = {m.code: m for m in db.session.query(Measure)}
    codes = {d.id: d.code for d in db.session.query(Department)}
    links = {}
    for event_id, department_id in db.session.execute(event_department.select()):
        links.setdefault(event_id, set()).add(codes[department_id])
    for e in events:
        measure = measures[{"training": "B3", "job_fair": "A5", "matchmaking": "A5",
                            "trade_fair": "B4"}[e.kind]]
        leads = {p.department.code for p in measure.participants if p.role == "lead"}
        cooperating = ({c for c in codes.values()} - leads if measure.all_departments_cooperate
                       else {p.department.code for p in measure.participants
                             if p.role == "cooperating"})
        assert codes[e.department_id] in leads
        assert links.get(e.id, set()) == cooperating - {codes[e.department_id]}
    banks = {i.id for i in db.session.query(Institution).filter_by(kind="bank")}
    partners = db.session.execute(event_institution.select()).all()
    kinds = {e.id: e.kind for e in events}
    assert any(kinds[event] == "matchmaking" for event, _i in partners)
    assert all(i in banks for event, i in partners if kinds[event] == "matchmaking")

    registrations = db.session.query(Registration).all()
    pairs = [(r.event_id, r.enterprise_id) for r in registrations]
    assert len(set(pairs)) == len(pairs)                       # one per event and enterprise
    by_event = {}
    for r in registrations:
        by_event.setdefault(r.event_id, []).append(r)
    statuses = {r.status for r in registrations}
    assert statuses == {"registered", "waitlisted", "cancelled"}
    assert {r.attendance for r in registrations} == {None, "present", "absent", "excused"}
    for e in events:
        rows = by_event.get(e.id, [])
        assert all(r.department_id == e.department_id for r in rows)
        if e.state == "cancelled":
            assert all(r.status == "cancelled" for r in rows)
        taken = sum(r.attendees for r in rows if r.status == "registered")
        if e.capacity is None:
            assert not any(r.status == "waitlisted" for r in rows)
        else:
            # within capacity; nobody waits who would fit in the places left
            assert taken <= e.capacity
            assert all(r.attendees > e.capacity - taken for r in rows
                       if r.status == "waitlisted")
        for r in rows:
            assert r.created_on <= min(e.starts_at, now)
            if r.attendance is not None:
                assert e.state in ("held", "closed") and r.status == "registered"
            if e.state == "closed" and r.status == "registered":
                assert r.attendance is not None             # closed: attendance all taken
            assert (r.attendance == "excused") == bool(r.excuse_reason)
            assert (r.attendance == "present") == (r.checked_in_at is not None)
            if r.attitude is not None:                       # feedback only from those present
                assert r.attendance == "present" and r.feedback_at <= now
                assert all(1 <= s <= 5 for s in (r.attitude, r.quality, r.efficiency))
            if r.hires is not None:
                assert e.kind == "job_fair" and r.attendance == "present"
                assert r.hires <= r.applicants
            else:
                assert r.positions_offered is None
    assert any(r.hires is not None for r in registrations)
    assert any(r.attitude is not None for r in registrations)
    assert any(r.token_hash for r in registrations if r.channel == "portal")
    # the secondary indexes are back after the bulk load
    names = {i["name"] for i in inspect(db.engine).get_indexes("event_registration")}
    assert {"ix_event_registration_created_on", "ix_event_registration_event_status"} <= names
    _wipe_events()


def test_events_same_seed_same_rows_in_one_process_or_two(ctx, monkeypatch):
    from app.demo import generator

    monkeypatch.setattr(generator, "BATCH", 500)  # several batches through the pipe
    generate(enterprises=100, workorders=50, seed=9, until=UNTIL, institutions=10, events=40,
             registrations=1200, parallel=False)
    first, orders = _event_fingerprint(), _fingerprint()
    _wipe_events()
    generate(enterprises=100, workorders=50, seed=9, until=UNTIL, institutions=10, events=40,
             registrations=1200, parallel=True)
    assert _event_fingerprint() == first
    _wipe_events()
    # the work orders do not change when events are asked for too
    generate(enterprises=100, workorders=50, seed=9, until=UNTIL)
    assert _fingerprint() == orders
    _wipe_events()


def test_registrations_stop_at_one_per_event_and_enterprise(ctx):
    from app.registers.registrations.models import Registration

    counts = generate(enterprises=5, workorders=0, seed=2, until=UNTIL, events=3,
                      registrations=100)
    assert counts["registrations"] == db.session.query(Registration).count() <= 15
    _wipe_events()
