"""Dashboard rollups: the unfiltered figures pre-aggregated by `flask charts refresh` are the
live figures of that moment, for every scope; filters are computed live."""
from app.extensions import db
from tests.factories import department_id


def _data(client, path="/workorders/dashboard/data.json"):
    resp = client.get(path)
    assert resp.status_code == 200
    return {c["key"]: dict(zip(c["labels"], c["values"], strict=True)) for c in resp.json}


def _refresh(app):
    result = app.test_cli_runner().invoke(args=["charts", "refresh"])
    assert result.exit_code == 0, result.output
    assert "WorkOrderDashboardView" in result.output


def _some_orders(app, orders):
    orders.create(channel="email")
    orders.create(username="ipb", channel="walk_in")
    for to in ("IPB", "IPB", "FIN"):
        orders.dispatched(to)
    with app.app_context():
        from app.registers.workorders.models import WorkOrder

        # two rated orders, so that the averages have something to average
        rated = db.session.query(WorkOrder).filter(
            WorkOrder.handling_department_id == department_id("IPB")).all()
        for order, (att, qual) in zip(rated, ((5, 4), (3, 2)), strict=True):
            order.rating, order.rating_attitude, order.rating_quality = att, att, qual
        db.session.commit()


def test_rollup_figures_equal_the_live_ones_for_every_scope(app, orders, auth):
    _some_orders(app, orders)
    clients = {name: auth.client(name, lang="en") for name in ("ipb", "edb", "office", "reader")}
    live = {name: _data(c) for name, c in clients.items()}
    assert sum(live["ipb"]["channel"].values()) == 3        # its two, and the one it took in
    assert live["ipb"]["attitude"] == {"Investment Promotion Bureau": 4.0}
    assert sum(live["office"]["channel"].values()) == 5
    _refresh(app)
    for name, client in clients.items():
        rolled = client.get("/workorders/dashboard/data.json").json
        assert all(chart["as_of"] for chart in rolled)
        assert _data(client) == live[name], name
    assert live["edb"]["channel"] == {}                     # nothing of others' leaks through


def test_rollup_is_a_snapshot_until_the_next_refresh_and_filters_are_live(app, orders, auth):
    orders.create(channel="email")
    _refresh(app)
    office = auth.client("office", lang="en")
    orders.create(channel="email")
    assert _data(office)["channel"] == {"E-mail": 1}
    page = office.get("/workorders/dashboard/").get_data(as_text=True)
    assert "Figures as of" in page
    assert _data(office, "/workorders/dashboard/data.json?_flt_0_channel=email")["channel"] == {
        "E-mail": 2}
    _refresh(app)
    assert _data(office)["channel"] == {"E-mail": 2}


def test_without_a_rollup_the_dashboard_is_live(orders, auth):
    orders.create(channel="email")
    office = auth.client("office", lang="zh")
    data = office.get("/workorders/dashboard/data.json").json
    assert all(chart["as_of"] is None for chart in data)
    assert "数据截至" not in office.get("/workorders/dashboard/").get_data(as_text=True)
