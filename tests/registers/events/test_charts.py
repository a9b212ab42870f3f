"""The events dashboard: every chart counts exactly the events the reader's lists show — its
department's, and those it co-operates on (a many-to-many link: the charts are live, never a
rollup that could not carry it) — and the page costs a fixed number of queries."""
from __future__ import annotations

import datetime as dt

import pytest

from tests.core.test_list_at_scale import page_queries

DAY = dt.datetime(2026, 10, 15, 2, 0)


@pytest.fixture
def dashboard(events):
    """An EDB training and job fair IPB co-operates on, an IPB trade fair, an EDB planned one."""
    training = events.make("EDB", co=("IPB",), kind="training", state="held", starts_at=DAY)
    events.register(training, 3, attendance="present", attitude=5, quality=4, efficiency=3)
    events.register(training, 1, attendance="absent")
    fair = events.make("EDB", co=("IPB",), kind="job_fair", state="closed", name_zh="秋季招聘会",
                       starts_at=DAY + dt.timedelta(days=30))
    events.register(fair, 2, attendance="present", applicants=10, hires=4)
    events.register(fair, 2, attendance="present")
    own = events.make("IPB", kind="trade_fair", state="held", starts_at=DAY)
    events.register(own, 2, attendance="present", attitude=3, quality=3, efficiency=3)
    events.make("EDB", kind="matchmaking", state="planned", starts_at=DAY)
    events.make("EDB", kind="matchmaking", state="cancelled", starts_at=DAY)
    return {"training": training, "fair": fair, "own": own}


def charts(auth, user, query="") -> dict:
    resp = auth.client(user, lang="en").get(f"/events/charts/data.json{query}")
    assert resp.status_code == 200, resp.get_data(as_text=True)[:300]
    return {c["key"]: dict(zip(c["labels"], c["values"], strict=True)) for c in resp.json}


def test_the_lead_department_sees_its_events_figures(auth, dashboard):
    data = charts(auth, "edb")
    assert data["by_kind"] == {"Training": 1, "Job fair": 1, "Bank–enterprise matchmaking": 1}
    assert data["by_month"] == {"Oct 2026": 2, "Nov 2026": 1}
    assert data["attendance_by_kind"] == {"Training": 75.0, "Job fair": 100.0}
    assert data["attendance_by_department"] == {"Economic Development Bureau": 87.5}
    assert list(data["hires"].values()) == [8.0]
    assert "秋季招聘会" in next(iter(data["hires"]))
    assert data["attitude_by_kind"] == {"Training": 5.0}
    assert data["efficiency_by_department"] == {"Economic Development Bureau": 3.0}


def test_a_co_operating_department_counts_the_events_it_co_operates_on(auth, dashboard):
    data = charts(auth, "ipb")
    assert data["by_kind"] == {"Training": 1, "Job fair": 1, "Trade fair": 1}
    assert data["attendance_by_department"] == {"Economic Development Bureau": 87.5,
                                                "Investment Promotion Bureau": 100.0}
    assert list(data["hires"].values()) == [8.0]
    assert data["quality_by_kind"] == {"Training": 4.0, "Trade fair": 3.0}


def test_another_department_sees_nothing_of_them(auth, dashboard, pcb):
    assert all(values == {} for values in charts(auth, pcb).values())


def test_filters_narrow_the_figures_and_never_widen_them(auth, dashboard, pcb):
    query = "?_flt_0_kind=job_fair"
    assert charts(auth, "ipb", query)["by_kind"] == {"Job fair": 1}
    assert charts(auth, "ipb", query)["attendance_by_kind"] == {"Job fair": 100.0}
    assert all(values == {} for values in charts(auth, pcb, query).values())


def test_the_page_is_drawn_and_costs_the_same_queries_for_few_or_many(app, auth, events):
    client = auth.client("ipb", lang="ja")
    pk = events.make("EDB", co=("IPB",), kind="job_fair", state="held", starts_at=DAY)
    events.register(pk, 2, attendance="present", hires=1, applicants=2)
    few = page_queries(app, client, "/events/charts/")
    for n in range(6):
        pk = events.make("EDB", co=("IPB",), kind="job_fair", state="held",
                         starts_at=DAY + dt.timedelta(days=31 * n))
        events.register(pk, 5, attendance="present", hires=2, applicants=3, attitude=4)
    assert page_queries(app, client, "/events/charts/") == few <= 8
