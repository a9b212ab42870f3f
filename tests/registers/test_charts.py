"""Charts: SQL aggregation through the scoped interface, list filters, translated labels."""
import re

from app.clocks.service import start_clock, stop_clock
from app.extensions import db
from tests.clocks.conftest import at
from tests.factories import department_id


def _data(client, path):
    resp = client.get(path)
    assert resp.status_code == 200
    return {c["key"]: dict(zip(c["labels"], c["values"], strict=True)) for c in resp.json}


def test_enterprise_charts_count_only_visible_records(auth, enterprises):
    enterprises.create("IPB", industry="chemical", japanese_funded=True)
    enterprises.create("IPB", industry="chemical")
    enterprises.create("EDB", industry="food")
    data = _data(auth.client("ipb", lang="zh"), "/enterprises/charts/data.json")
    assert data["industry"] == {"石化及新材料": 2}
    assert data["japanese"] == {"其他": 1, "日资企业": 1}
    everyone = _data(auth.client("reader", lang="en"), "/enterprises/charts/data.json")
    assert everyone["industry"] == {"Petrochemical and new materials": 2, "Food processing": 1}


def test_charts_follow_the_lists_filters(auth, enterprises):
    enterprises.create("IPB", industry="chemical", japanese_funded=True)
    enterprises.create("IPB", industry="food")
    data = _data(auth.client("ipb", lang="en"),
                 "/enterprises/charts/data.json?_flt_0_japanese_funded=y")
    assert data["industry"] == {"Petrochemical and new materials": 1}


def test_dashboard_volumes_months_and_compliance(app, orders, auth):
    orders.create(received_at="2026-10-31T23:30", channel="email")   # Shanghai October
    pk = orders.dispatched("IPB", received_at="2026-11-02T09:00")
    with app.app_context():
        from app.clocks.models import SlaClock

        clock = db.session.query(SlaClock).filter_by(subject_id=pk, name="resolution").one()
        stop_clock(db.session, clock, at(2026, 11, 3, 9))
        db.session.commit()
        extra = start_clock(db.session, subject_type="work_order", subject_id=pk, name="x",
                            policy_code="dispatch", department_id=department_id("IPB"),
                            at=at(2026, 11, 2, 9))
        db.session.commit()
        assert extra.id
    data = _data(auth.client("office", lang="ja"), "/workorders/dashboard/data.json")
    assert data["channel"] == {"電子メール": 1, "ホットライン": 1}
    assert data["month"] == {"2026年10月": 1, "2026年11月": 1}
    assert data["resolution_by_department"] == {"投資促進局": 100.0}


def test_dashboard_page_embeds_charts_and_data_tables(orders, auth):
    orders.create()
    html = auth.client("office", lang="zh").get("/workorders/dashboard/").get_data(as_text=True)
    assert "/static/vendor/echarts/echarts.min.js" in html
    assert len(re.findall(r'class="echart"', html)) == 12
    assert "以表格显示数据" in html and "热线电话" in html
    assert not re.search(r'(src|href)="https?://', html)


def test_department_staff_dashboard_is_scoped(orders, auth):
    orders.dispatched("FIN")
    mine = orders.create(username="ipb")
    data = _data(auth.client("ipb", lang="en"), "/workorders/dashboard/data.json")
    assert sum(data["channel"].values()) == 1 and mine


def test_list_filters_apply_to_the_sla_charts_too(app, orders, auth):
    orders.dispatched("IPB", channel="email", received_at="2026-11-02T09:00")
    orders.dispatched("IPB", channel="hotline", received_at="2026-11-02T09:00")
    with app.app_context():
        from app.clocks.sweep import sweep
        from tests.clocks.conftest import at

        sweep(db.session, at(2026, 11, 20))  # both resolution clocks are now overdue
        db.session.remove()
    office = auth.client("office", lang="en")
    assert _data(office, "/workorders/dashboard/data.json")["risk_now"] == {
        "Investment Promotion Bureau": 2}
    only_email = _data(office, "/workorders/dashboard/data.json?_flt_0_channel=email")
    assert only_email["channel"] == {"E-mail": 1}
    assert only_email["risk_now"] == {"Investment Promotion Bureau": 1}
