"""Open311 GeoReport v2, exercised with an independent client library (georeport) over HTTP."""
import pytest
import requests
from georeport import GeoReport

from app.extensions import db
from app.registers.workorders.models import WorkOrder

KEY = "test-open311-key"


@pytest.fixture(autouse=True)
def _api_key(app):
    app.config["OPEN311_API_KEYS"] = [KEY]
    yield
    app.config["OPEN311_API_KEYS"] = []


@pytest.fixture
def base(live_server):
    return f"{live_server}/open311/v2"


def _post(base, fmt="json", **data):
    payload = {"api_key": KEY, "service_code": "infrastructure",
               "description": "园区东门路灯不亮", "first_name": "王", "email": "w@example.com"}
    payload.update(data)
    return requests.post(f"{base}/requests.{fmt}", data=payload, timeout=10)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_service_list_and_definition_with_georeport(base, fmt):
    client = GeoReport(base, output_format=fmt)
    services = client.get_service_list()
    codes = [s["service_code"] for s in services]
    assert "infrastructure" in codes and "policy" in codes
    definition = client.get_service_definition("infrastructure")
    assert definition["service_code"] == "infrastructure"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_created_request_is_readable_with_georeport(app, base, orders, fmt):
    resp = _post(base, fmt)
    assert resp.status_code == 201
    client = GeoReport(base, output_format=fmt)
    ticket = (resp.json()[0]["service_request_id"] if fmt == "json"
              else resp.text.split("<service_request_id>")[1].split("<")[0])
    one = client.get_service_request(ticket)
    assert one["status"] == "open" and one["service_code"] == "infrastructure"
    assert one["expected_datetime"].endswith("+08:00")
    with app.app_context():
        pk = db.session.query(WorkOrder).filter_by(ticket=ticket).one().id
        from tests.factories import department_id

        pcb = department_id("PCB")
    orders.act(pk, "dispatch", "office", department=pcb)
    orders.act(pk, "accept", "ipb")  # not theirs: refused, changes nothing
    many = client.get_service_requests(service_request_id=ticket)
    row = many[0] if isinstance(many, list) else many
    assert row["agency_responsible"] == "规划建设局"


def test_resolved_request_is_closed_with_status_notes(app, base, orders):
    ticket = _post(base).json()[0]["service_request_id"]
    with app.app_context():
        pk = db.session.query(WorkOrder).filter_by(ticket=ticket).one().id
        from tests.factories import department_id

        ipb = department_id("IPB")
    orders.act(pk, "dispatch", "office", department=ipb)
    orders.act(pk, "accept", "ipb")
    orders.act(pk, "resolve", "ipb", reply="已安排维修")
    client = GeoReport(base)
    row = client.get_service_request(ticket)
    assert (row["status"], row["status_notes"]) == ("closed", "已安排维修")
    assert [r["service_request_id"] for r in client.get_service_requests(status="closed")] == [ticket]
    assert client.get_service_requests(status="open") == []


def test_post_needs_a_valid_api_key(app, base):
    with app.app_context():
        before = db.session.query(WorkOrder).count()
    resp = _post(base, api_key="wrong")
    assert resp.status_code == 403 and resp.json()[0]["code"] == 403
    resp = _post(base, "xml", api_key="")
    assert resp.status_code == 403 and "<errors><error><code>403</code>" in resp.text
    with app.app_context():
        assert db.session.query(WorkOrder).count() == before


@pytest.mark.parametrize("data", [{"service_code": "nope"}, {"description": ""}])
def test_bad_post_is_400(base, data):
    assert _post(base, **data).status_code == 400


def test_token_resolves_to_the_request(base):
    row = _post(base).json()[0]
    resp = requests.get(f"{base}/tokens/{row['token']}.json", timeout=10)
    assert resp.json()[0]["service_request_id"] == row["service_request_id"]
    assert requests.get(f"{base}/tokens/nope.json", timeout=10).status_code == 404


def test_requests_from_other_channels_are_not_published(base, orders):
    orders.create()  # a hotline order
    assert GeoReport(base).get_service_requests() == []


def test_date_range_over_90_days_is_400(base):
    resp = requests.get(f"{base}/requests.json", params={
        "start_date": "2026-01-01T00:00:00Z", "end_date": "2026-06-01T00:00:00Z"}, timeout=10)
    assert resp.status_code == 400


def test_discovery_lists_the_endpoint(base):
    data = requests.get(f"{base}/discovery.json", timeout=10).json()
    assert data["endpoints"][0]["url"].endswith("/open311/v2")
    assert "text/xml" in data["endpoints"][0]["formats"]
