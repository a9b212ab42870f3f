"""Monthly progress reports (C1) as the lead department (IPB) enters them, and the
``monthly_report`` clock: opened with the month's report when a project enters the reporting
stages and by the sweep at each month's start, due at the month's end (Asia/Shanghai), stopped
by the report (kept on time, broken when late), overdue → a notice to the lead department."""
from __future__ import annotations

import datetime as dt

import pytest

from app.clocks.models import Notice, SlaClock
from app.clocks.sweep import sweep
from app.extensions import db
from app.registers.projects.models import ProjectReport, month_end
from tests.core.test_list_at_scale import Statements, page_queries
from tests.factories import department_id
from tests.registers.projects.helpers import PROJECTS, REPORTS, act, new_project

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def this_month() -> dt.date:
    return dt.datetime.now(SHANGHAI).date().replace(day=1)


def last_month() -> dt.date:
    return (this_month() - dt.timedelta(days=1)).replace(day=1)


def reports(app, project: int) -> dict:
    """month -> (report values, its clock's state and due) of a project."""
    with app.app_context():
        out = {}
        for r in db.session.query(ProjectReport).filter_by(project_id=project):
            clock = db.session.query(SlaClock).filter_by(
                subject_type="project_report", subject_id=r.id, name="monthly_report").first()
            out[r.month] = {"id": r.id, "status": r.status, "progress": r.progress,
                            "reported_by": r.reported_by_id,
                            "clock": clock.state if clock else None,
                            "due": clock.due_at if clock else None}
        db.session.remove()
    return out


def run_sweep(app, now: dt.datetime) -> None:
    with app.app_context():
        sweep(db.session, now)
        db.session.remove()


@pytest.fixture
def signed(api, enterprises):
    return new_project(api, enterprises.create("IPB"), stage="signed")


def test_a_signed_project_owes_this_months_report_due_at_the_months_end(app, signed):
    month = reports(app, signed)[this_month()]
    assert month["status"] == "due" and month["clock"] in ("running", "warning")
    # the month's end in Shanghai is 16:00 UTC of its last day
    assert month["due"] == month_end(this_month())
    assert month["due"].hour == 16


def test_the_project_page_says_the_report_is_due_by_the_end_of_the_months_last_day(
        auth, signed):
    """As the work orders say it: "2026-11-30 24:00", not the next month's "12-01 00:00"."""
    last_day = (month_end(this_month()) + dt.timedelta(hours=8) - dt.timedelta(days=1)).date()
    html = auth.client("ipb", lang="ja").get(f"/projects/show/{signed}").get_data(as_text=True)
    assert f"{last_day.isoformat()} 24:00" in html


def test_an_intention_owes_no_report_until_it_is_signed(app, api, enterprises):
    pk = new_project(api, enterprises.create("IPB"))
    assert reports(app, pk) == {}
    act(api, pk, "sign")
    assert reports(app, pk)[this_month()]["status"] == "due"


def test_the_report_in_the_month_keeps_the_clock(app, api, signed):
    row = reports(app, signed)[this_month()]
    resp = api("put", f"{REPORTS}{row['id']}", json={
        "progress": "完成土地摘牌，环评报告已受理", "problems": "施工用电待协调",
        "next_steps": "办理建设工程规划许可"})
    assert resp.status_code == 200, resp.json
    after = reports(app, signed)[this_month()]
    assert after["status"] == "on_time" and after["clock"] == "met"
    assert after["reported_by"] is not None


def test_a_report_needs_its_progress(app, api, signed):
    row = reports(app, signed)[this_month()]
    resp = api("put", f"{REPORTS}{row['id']}", json={"problems": "无"})
    assert resp.status_code == 422 and "progress" in resp.json["errors"]
    assert reports(app, signed)[this_month()]["status"] == "due"


def test_one_report_per_project_and_month(app, api, signed):
    resp = api("post", REPORTS, json={"project": signed, "month": str(this_month()),
                                      "progress": "重复"})
    assert resp.status_code == 422
    assert len(reports(app, signed)) == 1


def test_a_month_cannot_be_reported_before_it_starts(app, api, signed):
    future = (this_month() + dt.timedelta(days=40)).replace(day=1)
    resp = api("post", REPORTS, json={"project": signed, "month": str(future),
                                      "progress": "预报"})
    assert resp.status_code == 422 and "month" in resp.json["errors"]


def test_a_report_for_a_past_month_is_kept_as_the_months_first_day(app, api, signed):
    resp = api("post", REPORTS, json={"project": signed,
                                      "month": str(last_month().replace(day=15)),
                                      "progress": "补报上月进展"})
    assert resp.status_code == 201, resp.json
    assert reports(app, signed)[last_month()]["progress"] == "补报上月进展"


def test_the_sweep_opens_the_months_reports_once_and_the_missed_one_is_noticed(
        app, api, enterprises):
    pk = new_project(api, enterprises.create("IPB"), stage="signed")
    producing = new_project(api, enterprises.create("IPB"), stage="signed")
    for action in ("admit", "start_approvals", "start_construction", "start_production"):
        act(api, producing, action)
    # last month: the sweep opens last month's report (the project was signed then)
    with app.app_context():
        db.session.query(ProjectReport).delete()
        db.session.query(SlaClock).filter_by(subject_type="project_report").delete()
        db.session.commit()
        db.session.remove()
    run_sweep(app, dt.datetime.combine(last_month(), dt.time(3), tzinfo=dt.UTC))
    run_sweep(app, dt.datetime.combine(last_month(), dt.time(4), tzinfo=dt.UTC))
    assert list(reports(app, pk)) == [last_month()]
    assert reports(app, producing) == {}
    # past the month's end: breached, a notice to the lead department; this month opened
    run_sweep(app, dt.datetime.now(dt.UTC))
    months = reports(app, pk)
    assert months[last_month()]["clock"] == "breached"
    assert months[this_month()]["status"] == "due"
    with app.app_context():
        notices = db.session.query(Notice).filter_by(
            subject_type="project_report", subject_id=months[last_month()]["id"]).all()
        assert {n.kind for n in notices} >= {"breached"}
        assert {n.department_id for n in notices} == {department_id("IPB")}
        db.session.remove()
    # the late report stops the clock: broken, reported late
    resp = api("put", f"{REPORTS}{months[last_month()]['id']}", json={"progress": "迟报"})
    assert resp.status_code == 200
    late = reports(app, pk)[last_month()]
    assert late["status"] == "late" and late["clock"] == "missed"


def test_opening_the_months_reports_costs_one_search_whatever_the_number_of_projects(
        app, api, enterprises):
    for _n in range(3):
        new_project(api, enterprises.create("IPB"), stage="signed")
    counter = Statements(app)
    try:
        run_sweep(app, dt.datetime.now(dt.UTC))  # (every project has its report already)
    finally:
        counter.close()
    few = counter.n
    for _n in range(5):
        new_project(api, enterprises.create("IPB"), stage="signed")
    counter = Statements(app)
    try:
        run_sweep(app, dt.datetime.now(dt.UTC))
    finally:
        counter.close()
    assert counter.n == few


def test_withdrawing_removes_the_months_unreported_report_and_its_clock(app, api, signed):
    act(api, signed, "withdraw", reason="企业决定暂停投资")
    assert reports(app, signed) == {}


def test_reports_are_read_and_written_as_their_project(app, api, auth, signed):
    row = reports(app, signed)[this_month()]
    assert api("get", f"{REPORTS}{row['id']}", "edb").status_code == 404
    assert api("put", f"{REPORTS}{row['id']}", "edb", json={"progress": "x"}).status_code == 404
    assert api("put", f"{REPORTS}{row['id']}", "reader",
               json={"progress": "x"}).status_code in (403, 404)
    assert api("get", f"{REPORTS}{row['id']}", "reader").status_code == 200
    listed = auth.client("edb").get("/project-reports/list/").get_data(as_text=True)
    assert "fine-chemicals" not in listed
    assert "fine-chemicals" in auth.client("ipb").get("/project-reports/list/").get_data(as_text=True)
    assert reports(app, signed)[this_month()]["status"] == "due"


def test_the_project_page_shows_the_months_report_and_its_clock(app, auth, signed):
    html = auth.client("ipb").get(f"{PROJECTS.replace('/api/v1/project/', '/projects/')}"
                                  f"show/{signed}").get_data(as_text=True)
    assert 'id="project-reports"' in html and 'id="fill-report"' in html
    assert "On track" in html or "At risk" in html


def test_the_project_page_costs_the_same_queries_for_few_or_many_reports(app, auth, signed):
    client = auth.client("ipb")
    path = f"/projects/show/{signed}"
    few = page_queries(app, client, path)
    with app.app_context():
        report = db.session.query(ProjectReport).filter_by(project_id=signed).one()
        month = report.month
        for n in range(1, 8):
            month = (month - dt.timedelta(days=1)).replace(day=1)
            db.session.add(ProjectReport(project_id=signed, month=month, progress=f"进展{n}",
                                         department_id=report.department_id))
        db.session.commit()
        db.session.remove()
    assert page_queries(app, client, path) == few
