"""Lists stay bounded however many rows there are: counts stop at a cap, pages hold at most 100
rows, related columns and permissions do not cost a query per row or per check."""
import datetime as dt
import re

import pytest
from sqlalchemy import event

from app.core import interface
from app.demo.generator import generate
from app.extensions import db

UNTIL = dt.date(2026, 11, 25)


@pytest.fixture
def many(app):
    """150 work orders taken in by the Office (and their clocks), through the bulk generator."""
    with app.app_context():
        generate(enterprises=0, workorders=150, seed=3, until=UNTIL)
        db.session.remove()


class Statements:
    def __init__(self, app):
        self.n = 0
        with app.app_context():
            self.engine = db.engine
        event.listen(self.engine, "before_cursor_execute", self._count)

    def _count(self, *_args):
        self.n += 1

    def close(self):
        event.remove(self.engine, "before_cursor_execute", self._count)


def page_queries(app, client, path: str) -> int:
    """The statements a second request for ``path`` runs (the first warms the caches)."""
    client.get(path)
    counter = Statements(app)
    try:
        assert client.get(path).status_code == 200
    finally:
        counter.close()
    return counter.n


def _rows(html: str) -> int:
    # each row links to its record (the show button, and the ticket): count records, not links
    return len(set(re.findall(r'href="/workorders/show/(\d+)', html)))


def test_counts_stop_at_the_cap_and_say_so(many, auth, monkeypatch):
    office = auth.client("office", lang="en")
    token = auth.token("office")
    monkeypatch.setattr(interface, "COUNT_CAP", 100)
    html = office.get("/workorders/list/").get_data(as_text=True)
    assert "more than 100" in html
    listed = office.get("/api/v1/workorder/", headers=token).json
    assert listed["count"] == 101 and listed["count_capped"] is True
    monkeypatch.setattr(interface, "COUNT_CAP", 1000)
    html = office.get("/workorders/list/").get_data(as_text=True)
    assert re.search(r"Record Count:</strong>\s*150\b", html)
    listed = office.get("/api/v1/workorder/", headers=token).json
    assert listed["count"] == 150 and listed["count_capped"] is False
    zh = auth.client("office", lang="zh")
    monkeypatch.setattr(interface, "COUNT_CAP", 100)
    assert "超过 100" in zh.get("/workorders/list/").get_data(as_text=True)


def test_page_size_is_bounded_and_bad_paging_is_a_clear_error(many, auth):
    office = auth.client("office", lang="en")
    assert _rows(office.get("/workorders/list/").get_data(as_text=True)) == 25
    huge = office.get("/workorders/list/?psize_WorkOrderView=1000000")
    assert huge.status_code == 200 and _rows(huge.get_data(as_text=True)) == 100
    assert office.get("/workorders/list/?psize_WorkOrderView=lots").status_code == 400
    assert office.get("/workorders/list/?page_WorkOrderView=x").status_code == 400
    first = office.get("/workorders/list/?page_WorkOrderView=-4")
    assert first.status_code == 200 and _rows(first.get_data(as_text=True)) == 25
    api = office.get("/api/v1/workorder/?q=(page_size:100000)", headers=auth.token("office"))
    assert api.status_code == 200 and len(api.json["result"]) == 100


def test_a_list_page_costs_the_same_few_queries_for_25_or_100_rows(many, auth, app):
    office = auth.client("office", lang="en")
    office.get("/workorders/list/")
    counter = Statements(app)
    try:
        for size in (25, 100):
            counter.n = 0
            html = office.get(f"/workorders/list/?psize_WorkOrderView={size}&_flt_2_subject=%E8%9E%8D")
            assert html.status_code == 200
            # user with roles, permissions, capped count, page with its departments,
            # the filters' department and service-type choices: no query per row or per check
            assert counter.n <= 6, (size, counter.n)
        token = auth.token("office")
        api = app.test_client()  # an API client: no browser session
        counter.n = 0
        assert api.get("/api/v1/workorder/?q=(page_size:100)", headers=token).status_code == 200
        # user with roles, public permissions, permissions, capped count, page
        assert counter.n <= 5, counter.n
    finally:
        counter.close()


def test_an_order_page_costs_the_same_queries_however_long_its_history(orders, auth, app):
    """The order, its relations, attachments, clocks and timeline (with each entry's actor)
    are read in a fixed number of queries: not one per timeline entry or per person."""
    office = auth.client("office", lang="en")

    def queries(pk) -> int:
        office.get(f"/workorders/show/{pk}")
        counter = Statements(app)
        try:
            page = office.get(f"/workorders/show/{pk}")
            assert page.status_code == 200
        finally:
            counter.close()
        return counter.n

    short = orders.dispatched(to="IPB")
    long = orders.dispatched(to="IPB")
    for action, who in (("accept", "ipb"), ("start", "ipb2"), ("wait", "ipb"),
                        ("resume", "ipb2"), ("wait", "ipb"), ("resume", "ipb2")):
        data = {"reason": "等待企业补充材料"} if action == "wait" else {}
        assert orders.act(long, action, who, **data).status_code == 200, action
    assert queries(long) == queries(short) <= 7


def test_a_revoked_permission_applies_on_the_next_request(app, auth):
    with app.app_context():
        sm = app.appbuilder.sm
        role = sm.find_role("Department staff")
        pv = sm.find_permission_view_menu("can_list", "WorkOrderView")
        assert pv in role.permissions
    ipb = auth.client("ipb", lang="en")
    assert ipb.get("/workorders/list/").status_code == 200
    with app.app_context():
        sm.del_permission_role(sm.find_role("Department staff"),
                               sm.find_permission_view_menu("can_list", "WorkOrderView"))
    try:
        assert ipb.get("/workorders/list/").status_code in (302, 403)
    finally:
        with app.app_context():
            sm.add_permission_role(sm.find_role("Department staff"),
                                   sm.find_permission_view_menu("can_list", "WorkOrderView"))
    assert ipb.get("/workorders/list/").status_code == 200
