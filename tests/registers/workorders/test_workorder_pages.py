"""The work-order list shows each order's due time and clock state, marks overdue and at-risk
rows and links the ticket; the order page shows only the fields the order has and an edit
button where the user may change the order."""
import re

from app.clocks.models import SlaClock
from app.clocks.sweep import sweep
from app.extensions import db
from tests.clocks.conftest import at
from tests.core.test_list_at_scale import page_queries


def _list_row(html: str, pk: int) -> str:
    rows = re.findall(r"<tr[^>]*>.*?</tr>", html, re.S)
    return next(row for row in rows if f'href="/workorders/show/{pk}"' in row)


def _list(auth, username="office", lang="zh") -> str:
    return auth.client(username, lang=lang).get("/workorders/list/").get_data(as_text=True)


def test_list_shows_the_dispatch_clock_until_dispatch_then_the_resolution_clock(orders, auth):
    waiting = orders.create(received_at="2026-09-18T10:00", category="consultation")
    dispatched = orders.dispatched("IPB", received_at="2026-09-18T10:00",
                                   category="consultation")
    html = _list(auth)
    assert "<th>截止时间</th>" in html and "<th>时限状态</th>" in html
    row = _list_row(html, waiting)
    assert "2026-09-18 11:00" in row and "派单 · " in row
    row = _list_row(html, dispatched)
    assert "2026-09-20 24:00" in row and "派单 · " not in row


def test_overdue_and_at_risk_rows_are_marked_with_a_class_and_a_label(app, orders, auth):
    late = orders.dispatched("IPB", received_at="2026-11-02T09:00")
    risky = orders.dispatched("IPB")
    calm = orders.dispatched("IPB")
    with app.app_context():
        sweep(db.session, at(2026, 11, 10))
        db.session.query(SlaClock).filter_by(subject_id=risky, name="resolution").update(
            {"state": "warning"})
        db.session.commit()
        db.session.remove()
    html = _list(auth, "ipb", lang="ja")
    row = _list_row(html, late)
    assert row.startswith('<tr class="danger overdue">')
    assert '<span class="label label-danger">期限超過</span>' in row
    row = _list_row(html, risky)
    assert row.startswith('<tr class="warning at-risk">')
    assert '<span class="label label-warning">期限間近</span>' in row
    assert _list_row(html, calm).startswith("<tr>")


def test_the_ticket_links_to_the_order_page(orders, auth):
    pk = orders.create()
    html = _list(auth)
    assert re.search(rf'<td><a href="/workorders/show/{pk}"[^>]*>PW-\d{{4}}-\d{{6}}</a></td>', html)


def test_the_list_pages_rows_with_their_clocks_in_a_fixed_number_of_queries(app, orders, auth):
    office = auth.client("office", lang="zh")
    orders.create()
    few = page_queries(app, office, "/workorders/list/")
    for _n in range(6):
        orders.dispatched("IPB")
    assert page_queries(app, office, "/workorders/list/") == few


def _fields(html: str) -> list[str]:
    return re.findall(r'<th class="col-lg-2 col-md-2 col-sm-2">(.*?)</th>', html)


def test_the_order_page_hides_fields_the_order_does_not_have(orders, auth):
    pk = orders.create(contact_name="王经理")
    html = auth.client("office", lang="zh").get(f"/workorders/show/{pk}").get_data(as_text=True)
    fields = _fields(html)
    assert "工单号" in fields and "联系人" in fields and "标题" in fields
    for empty in ("联系电话", "答复", "评价", "承办单位", "申请延期（工作日）"):
        assert empty not in fields, empty


def test_the_order_page_offers_edit_where_the_user_may_change_the_order(orders, auth):
    by_office = orders.dispatched("IPB")
    by_unit = orders.create(username="ipb")

    def has_edit(username, pk) -> bool:
        html = auth.client(username, lang="zh").get(f"/workorders/show/{pk}").get_data(
            as_text=True)
        return f'<a href="/workorders/edit/{pk}" class="btn btn-sm btn-primary" id="edit-record">' \
            in html

    assert has_edit("office", by_office) and has_edit("ipb", by_unit)
    # the handling unit, another department, readers: the server would refuse the edit
    assert not has_edit("ipb", by_office) and not has_edit("office", by_unit)
    assert not has_edit("reader", by_office) and not has_edit("ipb2", by_office)
    assert auth.client("office").get(f"/workorders/edit/{by_office}").status_code == 200


def test_a_deadline_passed_since_the_last_sweep_reads_overdue_not_on_track(app, orders, auth):
    """Between two sweeps (cron, every minute) a promise whose time ran out must not read
    "on track": the list and the order page show what the next sweep will record."""
    pk = orders.dispatched("IPB")
    with app.app_context():
        db.session.query(SlaClock).filter_by(subject_id=pk, name="resolution").update(
            {"due_at": at(2026, 11, 2), "warn_at": at(2026, 11, 1)})
        db.session.commit()
        db.session.remove()
    assert orders.clock(pk, "resolution")["state"] == "running"  # (no sweep ran)
    row = _list_row(_list(auth, "ipb", lang="ja"), pk)
    assert row.startswith('<tr class="danger overdue">') and "期限超過" in row
    page = auth.client("ipb", lang="ja").get(f"/workorders/show/{pk}").get_data(as_text=True)
    assert "期限超過" in page.split('id="workorder-clocks"')[1]


def test_the_inbox_names_each_overdue_promise_and_prints_no_markup(app, orders, auth):
    """An order late on two promises appears twice in the overdue section: each row says which
    promise, and the state label is a label, not its HTML source."""
    pk = orders.create()  # (not dispatched yet: its dispatch and resolution clocks both run)
    with app.app_context():
        db.session.query(SlaClock).filter_by(subject_id=pk).update({"state": "breached"})
        db.session.commit()
        db.session.remove()
    home = auth.client("office", lang="zh").get("/").get_data(as_text=True)
    overdue = home.split('id="overdue"')[1].split("inbox-section")[0]
    assert "&lt;span" not in home
    assert "派单 · " in overdue and "办结 · " in overdue
