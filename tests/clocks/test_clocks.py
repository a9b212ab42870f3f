"""Stored clocks: start, sweep, pause/resume, stop; transitions once; notices, supervision, hooks."""
import datetime as dt

from app.clocks.models import Notice, SlaClock, SlaTransition, Supervision
from app.clocks.outbox import deliver_pending
from app.clocks.service import pause_clock, resume_clock, start_clock, stop_clock
from app.clocks.sweep import sweep
from app.extensions import db
from tests.clocks.conftest import at
from tests.factories import department_id


def _start(enterprise_id, policy="general", when=None, name="resolution"):
    row = start_clock(db.session, subject_type="enterprise", subject_id=enterprise_id, name=name,
                      policy_code=policy, department_id=department_id("IPB"),
                      at=when or at(2026, 9, 30, 10))
    db.session.commit()
    return row


def _transitions():
    return [(t.old_state, t.new_state) for t in db.session.query(SlaTransition).order_by(SlaTransition.id)]


def test_started_clock_is_due_per_the_calendar(ctx, enterprises):
    row = _start(enterprises.create("IPB"))
    assert row.state == "running"
    assert row.due_at == dt.datetime(2026, 10, 9, 16, 0)  # end of Fri 10-09 in Shanghai, in UTC
    assert {d["day"] for d in row.calendar_data["days"]} >= {"2026-10-01", "2026-10-07"}
    assert not row.unconfirmed


def test_clock_in_an_unconfirmed_year_is_marked(ctx, enterprises):
    row = _start(enterprises.create("IPB"), when=at(2027, 3, 1, 10))
    assert row.unconfirmed and row.calendar_data["unconfirmed_years"] == [2027]


def test_sweep_moves_to_warning_then_breached_once(ctx, enterprises, received):
    pk = enterprises.create("IPB")
    _start(pk, policy="consultation", when=at(2026, 11, 25, 10))   # due end of 11-26
    deliver_pending(db.session, at(2026, 11, 25, 10))
    received.clear()
    assert sweep(db.session, at(2026, 11, 25, 12)).warning == 0
    report = sweep(db.session, at(2026, 11, 26, 18))
    assert (report.warning, report.breached) == (1, 0)
    report = sweep(db.session, at(2026, 11, 27, 0, 1))
    assert (report.warning, report.breached) == (0, 1)
    assert sweep(db.session, at(2026, 11, 28)).breached == 0
    assert _transitions() == [(None, "running"), ("running", "warning"), ("warning", "breached")]
    assert received == [("enterprise", pk, "running", "warning"),
                        ("enterprise", pk, "warning", "breached")]


def test_breach_notifies_the_department_and_opens_supervision(ctx, enterprises):
    pk = enterprises.create("IPB")
    _start(pk, policy="consultation", when=at(2026, 11, 25, 10))
    sweep(db.session, at(2026, 11, 28))
    notices = db.session.query(Notice).all()
    assert [(n.kind, n.department.code, n.subject_id) for n in notices] == [("breached", "IPB", pk)]
    supervision = db.session.query(Supervision).one()
    assert (supervision.reason, supervision.subject_id) == ("breach", pk)


def test_pause_and_resume_move_due_and_are_recorded(ctx, enterprises):
    row = _start(enterprises.create("IPB"), policy="consultation", when=at(2026, 11, 25, 10))
    due = row.due_at
    pause_clock(db.session, row, at(2026, 11, 26, 0))
    resume_clock(db.session, row, at(2026, 11, 27, 0))   # all of Thursday paused
    db.session.commit()
    assert row.due_at - due == dt.timedelta(days=1)
    assert _transitions()[-2:] == [("running", "paused"), ("paused", "running")]


def test_stop_in_time_is_met_and_hooks_fire_after_commit(ctx, enterprises, received):
    pk = enterprises.create("IPB")
    row = _start(pk, policy="consultation", when=at(2026, 11, 25, 10))
    stop_clock(db.session, row, at(2026, 11, 26, 9))
    assert received == []            # nothing before the commit
    db.session.commit()
    deliver_pending(db.session, at(2026, 11, 26, 9))
    assert ("enterprise", pk, "running", "met") in received
    assert row.state == "met"


def test_stop_after_due_is_missed_and_noticed(ctx, enterprises):
    row = _start(enterprises.create("IPB"), policy="consultation", when=at(2026, 11, 25, 10))
    stop_clock(db.session, row, at(2026, 11, 27, 9))
    db.session.commit()
    deliver_pending(db.session, at(2026, 11, 27, 9))
    assert row.state == "missed"
    assert db.session.query(Notice).filter_by(kind="missed").count() == 1


def test_undelivered_transitions_survive_a_restart(ctx, enterprises, received):
    """A sweep that died after committing its transitions: the next one delivers them."""
    from app.clocks.sweep import _move

    pk = enterprises.create("IPB")
    _start(pk, policy="consultation", when=at(2026, 11, 25, 10))
    deliver_pending(db.session, at(2026, 11, 25, 10))
    received.clear()
    _move(db.session, "running", "breached", SlaClock.due_at, dt.datetime(2026, 11, 30))
    db.session.commit()                        # ... and the process dies here
    assert received == []
    report = sweep(db.session, at(2026, 11, 30, 12))
    assert report.delivered == 1 and received == [("enterprise", pk, "running", "breached")]
    assert db.session.query(Supervision).count() == 1


def test_a_clock_with_a_date_of_its_own_is_due_then_and_warns_per_its_policy(ctx, enterprises):
    """A resolution's deadline is set by the meeting, not by a policy: due at the end of that
    day, warned at the policy's share of the working time, the holidays kept beside it."""
    row = start_clock(db.session, subject_type="enterprise", subject_id=enterprises.create("IPB"),
                      name="resolution", policy_code="general", department_id=department_id("IPB"),
                      at=at(2026, 9, 28, 9), due_at=at(2026, 10, 13, 0))
    db.session.commit()
    assert row.due_at == dt.datetime(2026, 10, 12, 16, 0)  # midnight ending Mon 10-12, in UTC
    assert row.state == "running"
    assert {d["day"] for d in row.calendar_data["days"]} >= {"2026-10-01", "2026-10-10"}
    # warned within the working time before it (the National Day week does not count)
    assert dt.datetime(2026, 9, 30, 0) < row.warn_at < row.due_at
    sweep(db.session, at(2026, 10, 13, 0, 1))
    db.session.commit()
    assert db.session.get(SlaClock, row.id).state == "breached"
