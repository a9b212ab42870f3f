"""Each person's home page lists what needs attention."""
from app.clocks.sweep import sweep
from app.extensions import db
from tests.clocks.conftest import at


def test_department_sees_its_overdue_orders_on_home(app, orders, auth):
    pk = orders.dispatched("IPB", received_at="2026-11-02T09:00", subject="逾期的工单")
    with app.app_context():
        sweep(db.session, at(2026, 11, 10))
        db.session.remove()
    html = auth.client("ipb", lang="zh").get("/").get_data(as_text=True)
    assert "逾期的工单" in html and "已超时" in html and f"/workorders/show/{pk}" in html
    assert "逾期的工单" not in auth.client("edb", lang="zh").get("/").get_data(as_text=True)


def test_office_sees_undispatched_orders_with_their_dispatch_clock(orders, auth):
    orders.create(subject="待派单的诉求", received_at="2026-11-25T10:00")
    html = auth.client("office", lang="ja").get("/").get_data(as_text=True)
    assert 'id="undispatched"' in html and "待派单的诉求" in html and "2026-11-25 11:00" in html


def test_staff_have_no_dispatch_list(auth):
    assert 'id="undispatched"' not in auth.client("ipb").get("/").get_data(as_text=True)
