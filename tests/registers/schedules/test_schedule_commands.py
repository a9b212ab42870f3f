"""A project's schedule through its commands: laid backwards from the target, adjusted by the
approving department, recomputed when the target moves, clocks on every item."""
import datetime as dt
from pathlib import Path

import pytest

from app.clocks.models import Notice, SlaClock, Supervision
from app.clocks.sweep import sweep
from app.core.exceptions import ForbiddenError, TransitionError, ValidationFailed
from app.core.models import PuwanUser
from app.core.seeds import SeedError
from app.extensions import db
from app.registers.schedules import commands
from app.registers.schedules.handbook import parse_items
from app.registers.schedules.models import ApprovalItem, ScheduleItem
from tests.factories import department_id
from tests.registers.schedules.conftest import NOW

D = dt.date
SEEDS = Path(__file__).resolve().parents[3] / "seeds"


def slots(project):
    return {i.code: (i.late_start, i.late_finish) for i in
            db.session.query(ScheduleItem).filter_by(project_id=project.id)}


def item(project, code):
    return (db.session.query(ScheduleItem).join(ApprovalItem)
            .filter(ScheduleItem.project_id == project.id, ApprovalItem.code == code).one())


def clocks(schedule_item):
    return {c.name: c for c in db.session.query(SlaClock).filter_by(
        subject_type="schedule_item", subject_id=schedule_item.id)}


def test_a_chemical_project_gets_every_item_its_industry_needs(project):
    chemical, food = project("chemical"), project("food")
    commands.plan(chemical, now=NOW)
    commands.plan(food, now=NOW)
    assert {"safety_conditions", "hazchem_production_licence"} <= set(slots(chemical))
    assert "safety_conditions" not in slots(food)
    assert {"filing", "eia", "construction_permit", "completion_filing"} <= set(slots(food))


def test_the_plan_is_computed_backwards_from_the_target(project):
    # energy_review (15 days) ends on the target Fri Oct 16 2026; back 15 working days:
    # Oct 16, 15, 14, 13, 12, (11 Sun) 10 (make-up Sat), 9, 8, (Oct 7…1 off) Sep 30, 29, 28,
    # (27, 26 weekend, 25 Mid-Autumn) 24, 23, 22, 21 → starts Mon Sep 21.
    # filing (2 days) ends the working day before: the make-up Sunday Sep 20; then Fri Sep 18.
    p = project()
    commands.plan(p, ["filing", "energy_review"], now=NOW)
    assert slots(p) == {"energy_review": (D(2026, 9, 21), D(2026, 10, 16)),
                        "filing": (D(2026, 9, 18), D(2026, 9, 20))}
    assert item(p, "filing").critical and item(p, "energy_review").critical
    assert [e.action for e in p.events] == ["schedule"]


def test_an_item_left_out_still_passes_on_its_dependencies(project):
    p = project()
    commands.plan(p, ["filing", "land_title"], now=NOW)
    assert item(p, "land_title").dependency_codes == ["filing"]


def test_each_item_has_clocks_on_its_latest_start_and_due_end_for_its_department(project):
    p = project()
    commands.plan(p, ["filing", "energy_review"], now=NOW)
    energy = item(p, "energy_review")
    due = {name: clock.due_at for name, clock in clocks(energy).items()}
    # due at the end (Shanghai midnight) of Sep 21 and of Oct 16, stored as naive UTC
    assert due == {"approval_start": dt.datetime(2026, 9, 21, 16, 0),
                   "approval_end": dt.datetime(2026, 10, 16, 16, 0)}
    assert {c.department_id for c in clocks(energy).values()} == {department_id("AAB")}


def test_the_approving_department_adjusts_a_duration_and_the_plan_follows(project, acting):
    # energy_review 15 → 10 days: back from Oct 16: 16, 15, 14, 13, 12, 10, 9, 8, Sep 30, 29
    # → starts Tue Sep 29; filing ends Mon Sep 28, 2 days: Sep 28 and (27, 26 weekend,
    # 25 Mid-Autumn) Thu Sep 24.
    p = project()
    commands.plan(p, ["filing", "energy_review"], now=NOW)
    context = acting("aab_clerk", "AAB")
    try:
        commands.adjust_duration(item(p, "energy_review"), 10, now=NOW)
    finally:
        context.pop()
    assert slots(p) == {"energy_review": (D(2026, 9, 29), D(2026, 10, 16)),
                        "filing": (D(2026, 9, 24), D(2026, 9, 28))}
    assert clocks(item(p, "filing"))["approval_end"].due_at == dt.datetime(2026, 9, 28, 16, 0)
    adjusted = [e for e in p.events if e.action == "adjust"]
    assert len(adjusted) == 1 and "energy_review: 15 → 10" in adjusted[0].note
    assert adjusted[0].actor.username == "aab_clerk"


def test_another_department_may_not_adjust_and_nothing_changes(project, acting):
    p = project()
    commands.plan(p, ["filing", "energy_review"], now=NOW)
    before = slots(p)
    context = acting("edb")
    try:
        with pytest.raises(ForbiddenError):
            commands.adjust_duration(item(p, "energy_review"), 10, now=NOW)
        with pytest.raises(ForbiddenError):
            commands.record_actual(item(p, "filing"), D(2026, 8, 31), now=NOW)
    finally:
        context.pop()
    db.session.expire_all()
    assert slots(p) == before and item(p, "energy_review").duration == 15
    assert item(p, "filing").actual_start is None
    assert [e.action for e in p.events] == ["schedule"]


@pytest.mark.parametrize("duration", [0, -3, 1000, "ten", None])
def test_a_bad_duration_is_refused_and_nothing_changes(project, duration):
    p = project()
    commands.plan(p, ["filing", "energy_review"], now=NOW)
    with pytest.raises(ValidationFailed):
        commands.adjust_duration(item(p, "energy_review"), duration, now=NOW)
    db.session.expire_all()
    assert item(p, "energy_review").duration == 15


def test_a_moved_target_recomputes_the_plan_and_records_what_moved(project):
    # One week later (Fri Oct 23): energy_review ends Oct 23, starts 15 working days back:
    # Oct 23…19 (5), 16…12 (10), 10 make-up (11), 9, 8 (13), Sep 30 (14), 29 (15) → Sep 29;
    # filing ends Mon Sep 28 and starts Thu Sep 24.
    p = project()
    commands.plan(p, ["filing", "energy_review"], now=NOW)
    p.target_production_start = D(2026, 10, 23)
    db.session.commit()
    changes = commands.recompute(p, now=NOW)
    assert {c.item for c in changes} == {"filing", "energy_review"}
    assert slots(p) == {"energy_review": (D(2026, 9, 29), D(2026, 10, 23)),
                        "filing": (D(2026, 9, 24), D(2026, 9, 28))}
    moved = [e for e in p.events if e.action == "reschedule"]
    assert len(moved) == 1 and "2026-10-23" in moved[0].note
    assert clocks(item(p, "energy_review"))["approval_end"].due_at \
        == dt.datetime(2026, 10, 23, 16, 0)


def test_without_a_target_date_the_schedule_is_refused(project):
    p = project(target=None)
    with pytest.raises(ValidationFailed):
        commands.plan(p, now=NOW)
    assert db.session.query(ScheduleItem).filter_by(project_id=p.id).count() == 0


def test_a_second_plan_is_refused(project):
    p = project()
    commands.plan(p, ["filing"], now=NOW)
    with pytest.raises(TransitionError):
        commands.plan(p, ["filing"], now=NOW)


def test_a_late_item_breaches_and_reaches_the_approving_department(project):
    # filing is due to end on Sun Sep 20 (make-up day): at 09:00 on Mon Sep 21 it is late.
    p = project()
    commands.plan(p, ["filing", "energy_review"], now=NOW)
    filing = item(p, "filing")
    sweep(db.session, dt.datetime(2026, 9, 21, 1, 0, tzinfo=dt.UTC))
    assert clocks(filing)["approval_end"].state == "breached"
    notices = db.session.query(Notice).filter_by(subject_type="schedule_item",
                                                subject_id=filing.id).all()
    assert {(n.department_id, n.kind, n.clock_name) for n in notices} >= {
        (department_id("AAB"), "breached", "approval_end")}
    assert db.session.query(Supervision).filter_by(subject_type="schedule_item",
                                                   subject_id=filing.id).count() >= 1


def test_recording_the_actual_dates_stops_the_clocks_met_or_missed(project, acting):
    p = project()
    commands.plan(p, ["filing", "energy_review"], now=NOW)
    today = dt.datetime(2026, 9, 25, 1, 0)
    context = acting("aab_clerk", "AAB")
    try:
        commands.record_actual(item(p, "filing"), D(2026, 9, 17), D(2026, 9, 18), now=today)
        commands.record_actual(item(p, "energy_review"), D(2026, 9, 22), now=today)
    finally:
        context.pop()
    assert item(p, "filing").actual_end == D(2026, 9, 18)
    assert {n: c.state for n, c in clocks(item(p, "filing")).items()} == {
        "approval_start": "met", "approval_end": "met"}
    # energy_review should have started by Sep 21
    assert clocks(item(p, "energy_review"))["approval_start"].state == "missed"
    assert [e.action for e in p.events][-2:] == ["actual", "actual"]


def test_an_actual_date_in_the_future_is_refused(project):
    p = project()
    commands.plan(p, ["filing"], now=NOW)
    with pytest.raises(ValidationFailed):
        commands.record_actual(item(p, "filing"), D(2026, 9, 2), now=NOW)
    db.session.expire_all()
    assert item(p, "filing").actual_start is None


def test_the_seeded_handbook_runs_from_filing_to_completion_acceptance(ctx):
    codes = [i.code for i in db.session.query(ApprovalItem).order_by(ApprovalItem.position)]
    assert codes[0] == "filing" and "completion_filing" in codes
    entries = parse_items(SEEDS / "approval_items.yaml")
    assert all(e["documents_zh"] and e["documents_ja"] and e["documents_en"] for e in entries)


def test_a_handbook_with_a_cycle_is_refused_naming_the_items(tmp_path):
    path = tmp_path / "approval_items.yaml"
    entry = ("- {{code: {c}, stage: project, department: AAB, days: 2, name_zh: {c}, "
             "name_ja: {c}, name_en: {c}, depends_on: [{d}]}}\n")
    path.write_text(entry.format(c="a", d="b") + entry.format(c="b", d="a"), encoding="utf-8")
    with pytest.raises(SeedError) as refused:
        parse_items(path)
    assert "a, b" in str(refused.value)


def test_a_breach_reaches_the_project_secretary_of_another_department(project):
    p = project()
    p.secretary = db.session.query(PuwanUser).filter_by(username="edb").one()
    db.session.commit()
    commands.plan(p, ["filing", "energy_review"], now=NOW)
    filing = item(p, "filing")
    sweep(db.session, dt.datetime(2026, 9, 21, 1, 0, tzinfo=dt.UTC))
    told = {(n.department_id, n.kind) for n in db.session.query(Notice).filter_by(
        subject_type="schedule_item", subject_id=filing.id, clock_name="approval_end")}
    assert told == {(department_id("AAB"), "breached"), (department_id("EDB"), "breached")}


def test_a_notice_names_the_clock_and_the_item_as_people_read_them(project, app):
    from app.clocks.views import notice_text

    p = project()
    commands.plan(p, ["filing", "energy_review"], now=NOW)
    sweep(db.session, dt.datetime(2026, 9, 21, 1, 0, tzinfo=dt.UTC))
    notice = db.session.query(Notice).filter_by(subject_type="schedule_item",
                                                clock_name="approval_end").first()
    with app.test_request_context():  # (in Chinese, the default)
        text = notice_text(notice)
    assert "应办结日" in text and "倒排审批事项" in text
    assert "approval_end" not in text and "schedule_item" not in text
