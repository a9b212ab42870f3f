"""The demo data set: a newcomer finds every state, overdue orders, notices and charts with real
figures; loading it again adds nothing; the same seed gives the same data."""
import datetime as dt
import re
from collections import Counter

import pytest

from app.clocks.models import Notice, SlaClock, Supervision
from app.core.models import PuwanUser
from app.demo.dataset import DEMO_ENTERPRISES, DEMO_PASSWORD, load_demo, plan_orders
from app.extensions import db
from app.registers.enterprises.models import Enterprise
from app.registers.projects.models import Project, ProjectReport
from app.registers.window.models import WindowService
from app.registers.workorders.lifecycle import State
from app.registers.workorders.models import WorkOrder, WorkOrderEvent
from tests.clocks.conftest import at
from tests.conftest import clean_records, csrf_token

NOW = at(2026, 11, 20, 15, 0)  # a Friday afternoon in Shanghai


@pytest.fixture(scope="module")
def demo(app):
    """The demo, loaded once for this module (on the test database: SQLite or PostgreSQL)."""
    with app.app_context():
        report = load_demo(now=NOW)
        db.session.remove()
    yield report
    clean_records(app)


@pytest.fixture(autouse=True)
def _clean_records():
    """The demo stays loaded across this module's tests (the fixture above removes it)."""
    yield


def _counts():
    models = (WorkOrder, WorkOrderEvent, SlaClock, Notice, Supervision, Enterprise, PuwanUser,
              WindowService, Project, ProjectReport)
    return {m.__name__: db.session.query(m).count() for m in models}


def test_demo_has_a_few_hundred_orders_in_every_state(demo, ctx):
    states = Counter(state for (state,) in db.session.query(WorkOrder.state))
    assert set(states) == {str(s) for s in State}, states
    assert 200 <= sum(states.values()) <= 500
    assert db.session.query(Enterprise).count() == len(DEMO_ENTERPRISES) >= 30
    assert db.session.query(Enterprise).filter_by(japanese_funded=True).count() >= 10


def test_demo_orders_spread_over_the_last_months(demo, ctx):
    received = [r for (r,) in db.session.query(WorkOrder.received_at)]
    assert max(received) <= NOW.astimezone(dt.UTC).replace(tzinfo=None)
    months = {(r + dt.timedelta(hours=8)).strftime("%Y-%m") for r in received}
    assert len(months) >= 4


def test_demo_has_extensions_ratings_returns_reopenings_and_supervision(demo, ctx):
    assert db.session.query(WorkOrder).filter(WorkOrder.extension_requested.isnot(None)).count()
    actions = Counter(a for (a,) in db.session.query(WorkOrderEvent.action))
    for action in ("approve_extension", "reject_extension", "return", "reopen", "supervise",
                   "wait", "resume", "follow_up", "close"):
        assert actions[action], action
    ratings = {r for (r,) in db.session.query(WorkOrder.rating) if r}
    assert ratings == {1, 2, 3, 4, 5}


def test_demo_has_overdue_and_at_risk_orders_and_their_notices(demo, ctx):
    overdue = db.session.query(SlaClock).filter_by(name="resolution", state="breached").count()
    assert overdue >= 3
    assert db.session.query(SlaClock).filter_by(name="dispatch", state="breached").count()
    notices = Counter(n.kind for n in db.session.query(Notice))
    assert notices["breached"] >= overdue and notices["missed"]
    assert db.session.query(Supervision).count()


def test_demo_timelines_follow_the_clock_and_name_who_acted(demo, ctx):
    now = NOW.astimezone(dt.UTC).replace(tzinfo=None)
    for order in db.session.query(WorkOrder):
        times = [e.at for e in order.events]
        assert times == sorted(times) and times[-1] <= now, order.ticket
        assert order.events[0].action == "receive" and times[0] == order.received_at
        assert all(e.actor is not None for e in order.events[1:]), order.ticket
    stopped = [c.stopped_at for c in db.session.query(SlaClock) if c.stopped_at]
    assert max(stopped) <= now


def test_demo_projects_at_every_stage_report_monthly_and_one_month_is_missing(demo, ctx):
    stages = Counter(stage for (stage,) in db.session.query(Project.stage))
    assert set(stages) == {"intention", "signed", "admitted", "approvals", "construction",
                           "producing", "withdrawn"}, stages
    from app.demo.projects import PROJECTS

    ours = [p for p in db.session.query(Project) if p.name_zh in {row[0] for row in PROJECTS}]
    assert len(ours) == len(PROJECTS)
    assert all(p.secretary is not None and p.name_ja and p.name_en for p in ours)
    reports = db.session.query(ProjectReport).all()
    assert len({r.month for r in reports if r.reported_at is not None}) >= 3
    overdue = db.session.query(SlaClock).filter_by(subject_type="project_report",
                                                   state="breached").count()
    assert overdue >= 1
    assert db.session.query(Notice).filter_by(subject_type="project_report").count() >= 1


def test_loading_the_demo_again_adds_nothing(demo, app):
    with app.app_context():
        before = _counts()
        report = load_demo(now=NOW)
        assert _counts() == before
        assert report.startswith("0 users") and " 0 enterprises, 0 work orders" in report
        db.session.remove()


def _actions(plans) -> dict:
    return {plan.ref: [step.action for step in plan.steps] for plan in plans}


def test_the_demo_plan_is_the_same_for_the_same_seed():
    assert plan_orders(NOW) == plan_orders(NOW)
    assert plan_orders(NOW) != plan_orders(NOW, seed=7)
    # Whatever the day it is loaded, the orders go through the same steps (every state).
    later = NOW + dt.timedelta(days=45, hours=7)
    assert _actions(plan_orders(later)) == _actions(plan_orders(NOW))
    now = NOW.astimezone(dt.UTC)
    for plan in plan_orders(NOW):
        end = plan.received_at + dt.timedelta(hours=sum(s.hours for s in plan.steps))
        assert end < now


def _as(app, username, lang="zh"):
    client = app.test_client()
    resp = client.post("/login/", data={"username": username, "password": DEMO_PASSWORD,
                                        "csrf_token": csrf_token(client)})
    assert resp.status_code == 302
    client.get(f"/lang/{lang}")
    return client


@pytest.mark.parametrize("path", ["/workorders/dashboard/data.json",
                                  "/enterprises/charts/data.json"])


def test_every_chart_shows_demo_figures(demo, app, path):
    charts = _as(app, "office_dispatcher").get(path).json
    empty = [c["key"] for c in charts if not c["values"]]
    assert not empty


@pytest.mark.parametrize("path", ["/workorders/list/", "/enterprises/list/", "/notices/list/",
                                  "/sla-clocks/list/", "/history/list/"])


def test_every_list_shows_demo_records(demo, app, path):
    html = _as(app, "office_dispatcher").get(path).get_data(as_text=True)
    assert not re.search(r"没有找到记录|No records found", html), path


def test_a_departments_home_page_shows_its_overdue_orders(demo, app):
    html = _as(app, "pcb_staff").get("/").get_data(as_text=True)
    assert "已超时" in html


def test_the_demo_has_portal_registrations_and_a_private_link_to_open(demo, app):
    client = app.test_client()
    client.get("/lang/zh")
    html = client.get("/portal/events/registration/demo-portal-1").get_data(as_text=True)
    assert "银企对接会" in html and 'id="registration-status">已报名<' in html
    with app.app_context():
        from app.demo.portal_events import TITLE
        from app.registers.events.models import Event
        from app.registers.registrations.models import Registration

        statuses = Counter(s for (s,) in db.session.query(Registration.status)
                           .join(Event).filter(Event.name_zh == TITLE,
                                               Registration.channel == "portal"))
        db.session.remove()
    assert statuses == {"registered": 3, "waitlisted": 1}


def test_the_demo_has_investment_meetings_resolutions_in_every_state_and_two_monthly_reports(
        demo, ctx):
    from app.registers.resolutions.models import InvestmentMeeting, Resolution, SupervisionReport

    assert db.session.query(InvestmentMeeting).count() == 3
    resolutions = db.session.query(Resolution).all()
    assert len(resolutions) >= 18
    states = Counter(r.state for r in resolutions)
    assert states["completed"] and states["in_progress"]
    assert any(r.completed_on and r.completed_on > r.deadline for r in resolutions)
    assert any(r.extended for r in resolutions)
    overdue = db.session.query(SlaClock).filter_by(subject_type="resolution",
                                                   state="breached").count()
    assert overdue and db.session.query(Supervision).filter_by(
        subject_type="resolution").count() == overdue
    assert db.session.query(SupervisionReport.month).distinct().count() == 2


def test_demo_has_approval_schedules_with_items_done_and_one_late(demo, ctx):
    from app.clocks.models import SlaClock
    from app.registers.schedules.models import ScheduleItem

    items = db.session.query(ScheduleItem).all()
    assert len({i.project_id for i in items}) >= 3
    assert any(i.actual_end for i in items)
    late = [i for i in items if i.actual_start and not i.actual_end]
    assert late and db.session.query(SlaClock).filter(
        SlaClock.subject_type == "schedule_item", SlaClock.subject_id.in_([i.id for i in late]),
        SlaClock.name == "approval_end", SlaClock.state == "breached").count() >= 1


def test_the_demo_has_a_decided_review_and_one_scoring_with_a_link_outstanding(demo, ctx):
    from app.registers.reviews.models import Review, ReviewMeeting

    meetings = {m.state: m for m in db.session.query(ReviewMeeting)}
    assert {"decided", "scoring", "planned"} <= set(meetings)
    assert meetings["decided"].decision == "admit_conditions"
    scoring = db.session.query(Review).filter_by(meeting_id=meetings["scoring"].id).all()
    assert sorted(r.channel or "" for r in scoring) == ["", "link", "staff"]
    assert [r.token_hash is not None for r in scoring if not r.submitted] == [True]


def test_the_demo_window_served_japanese_funded_enterprises_and_shows_them(demo, app):
    with app.app_context():
        services = db.session.query(WindowService).all()
        assert 25 <= len(services) <= 35
        assert all(s.enterprise.japanese_funded for s in services)
        assert {s.handler.username for s in services} == {"ja_window"}
        opened = [s.work_order for s in services if s.work_order is not None]
        assert opened and any(o.state == State.DISPATCHED for o in opened)
        assert len({s.served_at.month for s in services}) >= 4
        db.session.remove()
    window = _as(app, "ja_window", "ja")
    page = window.get("/window/").get_data(as_text=True)
    assert "大連松木自動車部品有限公司" in page and "日本語窓口" in page
    charts = window.get("/window/services/charts/data.json").json
    assert not [c["key"] for c in charts if not c["values"]]
