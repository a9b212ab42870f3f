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


# --- the filter bar: each control sets the list filter argument the page itself names ----------
def _controls(client, path) -> dict:
    """{control id: (argument name, {option label: value})} as the chart page renders them."""
    html = client.get(path).get_data(as_text=True)
    bar = html.split('id="chart-filters"')[1].split("</form>")[0]
    out = {}
    for tag in re.finditer(r'<(select|input)[^>]*id="(filter-[^"]+)"[^>]*name="([^"]+)"', bar):
        body = bar[tag.end():].split("</select>")[0] if tag.group(1) == "select" else ""
        options = {label.strip(): value for value, label in re.findall(
            r'<option value="([^"]*)"[^>]*>([^<]*)</option>', body)}
        out[tag.group(2)] = (tag.group(3), options)
    return out


def _filtered(client, path, **chosen) -> dict:
    """The figures after choosing, by control id, an option's label (selects) or a value."""
    controls = _controls(client, path.replace("data.json", ""))
    args = {}
    for ident, choice in chosen.items():
        name, options = controls[ident]
        args[name] = options.get(choice, choice)
    resp = client.get(path, query_string=args)
    assert resp.status_code == 200, resp.get_data(as_text=True)[:300]
    return {c["key"]: dict(zip(c["labels"], c["values"], strict=True)) for c in resp.json}


DASHBOARD = "/workorders/dashboard/data.json"


def test_dashboard_filters_by_department_channel_and_service_type(app, orders, auth):
    with app.app_context():
        from app.registers.workorders.models import ServiceType

        trade = db.session.query(ServiceType).filter_by(code="trade").one().id
    orders.dispatched("IPB", channel="email")
    orders.dispatched("IPB", channel="hotline", service_type=trade)
    orders.dispatched("EDB", channel="email")
    office = auth.client("office", lang="zh")
    assert _data(office, DASHBOARD)["channel"] == {"电子邮件": 2, "热线电话": 1}
    ipb = _filtered(office, DASHBOARD, **{"filter-handling_department-eq": "投资促进局"})
    assert ipb["channel"] == {"电子邮件": 1, "热线电话": 1}
    assert _filtered(office, DASHBOARD, **{"filter-handling_department-eq": "投资促进局",
                                           "filter-channel-eq": "电子邮件"})["channel"] == {
        "电子邮件": 1}
    assert _filtered(office, DASHBOARD, **{"filter-service_type-eq": "外贸服务"})[
        "service_type"] == {"外贸服务": 1}


def test_dashboard_period_is_whole_shanghai_days(orders, auth):
    for received in ("2026-10-31T23:50", "2026-11-01T00:10", "2026-11-01T23:50",
                     "2026-11-02T00:05"):
        orders.create(received_at=received)  # Shanghai time
    office = auth.client("office", lang="en")
    one_day = _filtered(office, DASHBOARD, **{"filter-received_at-gt": "2026-11-01",
                                              "filter-received_at-lt": "2026-11-01"})
    assert one_day["month"] == {"Nov 2026": 2}
    from_day = _filtered(office, DASHBOARD, **{"filter-received_at-gt": "2026-11-01"})
    assert from_day["month"] == {"Nov 2026": 3}


def test_dashboard_filters_keep_department_isolation(orders, auth, app):
    orders.dispatched("FIN")                          # the Office's, handled by FIN
    taken_in = orders.create(username="ipb")          # IPB's, handled by FIN
    with app.app_context():
        fin = department_id("FIN")
    assert orders.act(taken_in, "dispatch", "office", department=fin).status_code == 200
    by_fin = {"filter-handling_department-eq": "Finance Bureau"}
    assert sum(_filtered(auth.client("office"), DASHBOARD, **by_fin)["channel"].values()) == 2
    assert sum(_filtered(auth.client("ipb"), DASHBOARD, **by_fin)["channel"].values()) == 1
    assert _filtered(auth.client("edb"), DASHBOARD, **by_fin)["channel"] == {}


def test_enterprise_chart_filters_keep_department_isolation(auth, enterprises):
    enterprises.create("EDB", industry="food", stage="producing")
    enterprises.create("EDB", industry="food", stage="construction")
    enterprises.create("IPB", industry="food", stage="producing")
    path = "/enterprises/charts/data.json"
    edb = {"filter-department-eq": "Economic Development Bureau"}
    assert _filtered(auth.client("reader"), path, **edb)["industry"] == {"Food processing": 2}
    assert _filtered(auth.client("ipb"), path, **edb)["industry"] == {}
    producing = {"filter-stage-eq": "In production"}
    assert _filtered(auth.client("reader"), path, **producing)["industry"] == {
        "Food processing": 2}


def test_filter_bar_keeps_the_chosen_filters_shown_and_offers_a_reset(orders, auth):
    orders.dispatched("IPB", channel="email")
    office = auth.client("office", lang="ja")
    page = "/workorders/dashboard/"
    name, options = _controls(office, page)["filter-channel-eq"]
    html = office.get(page, query_string={name: options["電子メール"]}).get_data(as_text=True)
    assert re.search(r'<option value="email" selected>電子メール</option>', html)
    assert re.search(r'id="active-filters">[^<]*受付経路: 電子メール', html)
    assert re.search(r'<a href="/workorders/dashboard/"[^>]*id="reset-filters">', html)
    assert "絞り込みを解除" in html and "— すべて —" in html


def test_an_empty_filter_bar_is_no_filter(app, orders, auth):
    orders.create(channel="email")
    assert app.test_cli_runner().invoke(args=["charts", "refresh"]).exit_code == 0
    office = auth.client("office", lang="en")
    empty = {name: "" for name, _options in _controls(office, "/workorders/dashboard/").values()}
    html = office.get("/workorders/dashboard/", query_string=empty).get_data(as_text=True)
    assert 'id="as-of"' in html and 'id="active-filters"' not in html  # the rollup, unfiltered


def test_a_day_that_is_not_a_day_is_refused_translated(orders, auth):
    orders.create()
    office = auth.client("office", lang="zh")
    name, _options = _controls(office, "/workorders/dashboard/")["filter-received_at-gt"]
    resp = office.get("/workorders/dashboard/", query_string={name: "2026-13-45"})
    assert resp.status_code == 422
    assert "不是有效的日期：2026-13-45" in resp.get_data(as_text=True)
    assert office.get(DASHBOARD, query_string={name: "2026-13-45"}).status_code == 422
