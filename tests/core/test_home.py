"""The home page is each department's inbox: orders to dispatch (the Office) and to accept, the
department's promises overdue, at risk and due today, extension requests and unread notices,
each with its count; the top bar counts the unread notices on every page."""
import datetime as dt
import re

import pytest

from app.clocks.models import Notice, SlaClock
from app.clocks.sweep import sweep
from app.core.home import today_end_utc
from app.extensions import db
from tests.clocks.conftest import at
from tests.core.test_list_at_scale import page_queries
from tests.factories import department_id

ALL = {"undispatched", "to-accept", "overdue", "at-risk", "due-today", "extensions", "notices"}
UNIT = ALL - {"undispatched"}
READER = {"overdue", "at-risk", "due-today", "notices"}


def _sections(html: str) -> dict[str, int]:
    return {key: int(n) for key, n in
            re.findall(r'class="panel panel-default inbox-section" id="([\w-]+)" data-count="(\d+)"',
                       html)}


def _section(html: str, key: str) -> str:
    start = html.index(f'id="{key}"')
    end = html.find('class="panel panel-default inbox-section"', start)
    return html[start:end if end > 0 else len(html)]


def _home(auth, username, lang="zh") -> str:
    return auth.client(username, lang=lang).get("/").get_data(as_text=True)


def _set_clock(app, pk, name, **values):
    with app.app_context():
        db.session.query(SlaClock).filter_by(subject_type="work_order", subject_id=pk,
                                             name=name).update(values)
        db.session.commit()
        db.session.remove()


@pytest.mark.parametrize(("username", "sections"), [
    ("office", ALL), ("admin", ALL), ("ipb", UNIT), ("jawin", UNIT), ("reader", READER),
    ("auditor", READER)])
def test_each_role_sees_the_sections_of_its_work(auth, username, sections):
    assert set(_sections(_home(auth, username))) == sections


def test_an_order_just_dispatched_waits_to_be_accepted_on_the_units_home(orders, auth):
    pk = orders.dispatched("IPB", subject="刚派给投促局的工单")
    html = _home(auth, "ipb")
    assert _sections(html)["to-accept"] == 1
    section = _section(html, "to-accept")
    assert "待签收" in section and "刚派给投促局的工单" in section
    assert f'href="/workorders/show/{pk}"' in section
    assert "/workorders/list/?_flt_3_state=dispatched&amp;_flt_0_handling_department=" in section
    assert _sections(_home(auth, "edb"))["to-accept"] == 0
    orders.act(pk, "accept", "ipb")
    assert _sections(_home(auth, "ipb"))["to-accept"] == 0


def test_the_show_all_link_lists_exactly_the_orders_to_accept(app, orders, auth):
    mine = orders.dispatched("IPB", subject="待签收甲")
    orders.dispatched("EDB", subject="别的部门的")
    accepted = orders.dispatched("IPB", subject="已签收乙")
    orders.act(accepted, "accept", "ipb")
    client = auth.client("ipb", lang="zh")
    link = re.search(r'<a class="pull-right" href="([^"]+)"',
                     _section(client.get("/").get_data(as_text=True), "to-accept")).group(1)
    listed = client.get(link.replace("&amp;", "&")).get_data(as_text=True)
    assert set(re.findall(r'href="/workorders/show/(\d+)"', listed)) == {str(mine)}


def test_department_sees_its_overdue_orders_on_home(app, orders, auth):
    pk = orders.dispatched("IPB", received_at="2026-11-02T09:00", subject="逾期的工单")
    with app.app_context():
        sweep(db.session, at(2026, 11, 10))
        db.session.remove()
    html = _home(auth, "ipb")
    section = _section(html, "overdue")
    assert "逾期的工单" in section and "已超时" in section and f"/workorders/show/{pk}" in section
    assert 'class="danger overdue"' in section
    assert "逾期的工单" not in _home(auth, "edb")


def test_at_risk_and_due_today_are_sections_of_their_own(app, orders, auth):
    risky = orders.dispatched("IPB", subject="即将超时的工单")
    _set_clock(app, risky, "resolution", state="warning")
    today = orders.dispatched("IPB", subject="今天到期的工单")
    _set_clock(app, today, "resolution", due_at=today_end_utc() - dt.timedelta(minutes=1))
    html = _home(auth, "ipb", lang="ja")
    assert _sections(html)["at-risk"] == 1 and _sections(html)["due-today"] == 1
    assert "即将超时的工单" in _section(html, "at-risk") and "期限間近" in _section(html, "at-risk")
    assert "今天到期的工单" in _section(html, "due-today") and "本日期限" in html


def test_office_sees_undispatched_orders_with_their_dispatch_clock(orders, auth):
    orders.create(subject="待派单的诉求", received_at="2026-11-25T10:00")
    html = _home(auth, "office", lang="ja")
    section = _section(html, "undispatched")
    assert "待派单的诉求" in section and "2026-11-25 11:00" in section and "振り分け" in section


def test_extension_requests_wait_for_the_office_on_both_homes(orders, auth):
    pk = orders.dispatched("IPB", subject="需要延期的工单")
    orders.act(pk, "accept", "ipb")
    assert orders.act(pk, "request_extension", "ipb", days=2, reason="现场核查").status_code == 200
    unit = _section(_home(auth, "ipb"), "extensions")
    assert "待管委会办公室审批的延期申请" in unit and "需要延期的工单" in unit and "现场核查" in unit
    office = _section(_home(auth, "office"), "extensions")
    assert "待审批的延期申请" in office and "需要延期的工单" in office and "投资促进局" in office
    assert _sections(_home(auth, "edb"))["extensions"] == 0
    orders.act(pk, "approve_extension", "office")
    assert _sections(_home(auth, "office"))["extensions"] == 0


def _notice(app, department: str, subject_id: int, kind="warning") -> int:
    with app.app_context():
        notice = Notice(department_id=department_id(department), kind=kind,
                        clock_name="resolution", subject_type="work_order", subject_id=subject_id)
        db.session.add(notice)
        db.session.commit()
        pk = notice.id
        db.session.remove()
        return pk


def _badge(html: str) -> str | None:
    match = re.search(r'<li id="notice-badge">.*?</li>', html, re.S)
    assert match, "no notice badge in the top bar"
    count = re.search(r'<span class="badge"[^>]*>(\d+)</span>', match.group(0))
    return count.group(1) if count else None


def test_unread_notices_are_on_home_and_counted_in_the_top_bar_of_every_page(app, orders, auth):
    pk = orders.dispatched("IPB")
    _notice(app, "IPB", pk)
    second = _notice(app, "IPB", pk, kind="breached")
    ipb = auth.client("ipb", lang="zh")
    home = ipb.get("/").get_data(as_text=True)
    assert _sections(home)["notices"] == 2
    assert "即将超时" in _section(home, "notices") and f"/workorders/show/{pk}" in home
    assert re.search(r"PW-\d{4}-\d{6}：", _section(home, "notices"))  # the ticket, not "#id"
    for page in ("/", "/enterprises/list/", f"/workorders/show/{pk}", "/notices/list/"):
        assert _badge(ipb.get(page).get_data(as_text=True)) == "2", page
    assert _badge(_home(auth, "edb")) is None
    with app.app_context():
        db.session.get(Notice, second).read_at = dt.datetime(2026, 11, 27)
        db.session.commit()
        db.session.remove()
    assert _badge(ipb.get("/enterprises/list/").get_data(as_text=True)) == "1"


def test_the_inbox_costs_the_same_queries_however_many_orders_wait(app, orders, auth):
    client = auth.client("office", lang="zh")
    _notice(app, "OFFICE", orders.create())
    few = page_queries(app, client, "/")
    for n in range(12):
        pk = orders.create(subject=f"工单{n}")
        if n % 2:
            orders.act(pk, "dispatch", "office", department=_office(app))
        _notice(app, "OFFICE", pk)
    # user with roles (and the unread count), permissions, the user's department, one per section,
    # the records the notices name (their labels)
    assert page_queries(app, client, "/") == few <= 11


def _office(app) -> int:
    with app.app_context():
        return department_id("OFFICE")
