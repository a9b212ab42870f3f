"""An event's lifecycle, by the lead department, through REST and the record page's buttons:
planned → open → held → closed, or cancelled with a reason; every refusal changes nothing."""
from __future__ import annotations

import datetime as dt

import pytest

from app.core.models import RecordChange
from app.extensions import db
from tests.conftest import refused_on_page


def act(auth, pk, action, username, **data):
    return auth.app.test_client().post(f"/api/v1/event/{pk}/transition/{action}", json=data,
                                       headers=auth.token(username))


def history(app, pk) -> list[str]:
    with app.app_context():
        rows = [r.action for r in db.session.query(RecordChange).filter_by(
            table_name="event", record_id=pk).order_by(RecordChange.id)]
        db.session.remove()
        return rows


def test_the_lead_department_opens_holds_and_closes_its_event(app, auth, events):
    pk = events.make("EDB", days=3)
    assert act(auth, pk, "open", "edb").json["result"] == {"id": pk, "state": "open"}
    events.set(pk, starts_at=dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(hours=1))
    assert act(auth, pk, "hold", "edb").status_code == 200
    assert act(auth, pk, "close", "edb").status_code == 200
    assert events.get(pk)["state"] == "closed"
    assert events.get(pk)["timeline"] == ["open", "hold", "close"]
    assert history(app, pk) == ["open", "hold", "close"]


def test_cancelling_keeps_the_reason_on_the_event_and_its_timeline(app, auth, events):
    pk = events.make("EDB")
    act(auth, pk, "open", "edb")
    resp = act(auth, pk, "cancel", "edb", reason="场地检修，改期另行通知")
    assert resp.status_code == 200, resp.json
    event = events.get(pk)
    assert (event["state"], event["cancel_reason"]) == ("cancelled", "场地检修，改期另行通知")
    client = auth.client("edb", lang="zh")
    page = client.get(f"/events/show/{pk}").get_data(as_text=True)
    assert "场地检修，改期另行通知" in page and "已取消" in page


@pytest.mark.parametrize("data", [{}, {"reason": "   "}])
def test_cancelling_without_a_reason_is_422_and_changes_nothing(app, auth, events, data):
    pk = events.make("EDB")
    before = events.get(pk)
    resp = act(auth, pk, "cancel", "edb", **data)
    assert resp.status_code == 422
    assert "reason" in resp.json["errors"]
    assert events.get(pk) == before and history(app, pk) == []


@pytest.mark.parametrize("state,action", [
    ("planned", "close"), ("open", "open"), ("open", "close"), ("held", "cancel"),
    ("closed", "open"), ("cancelled", "open"), ("cancelled", "hold"),
])
def test_a_step_the_state_does_not_allow_is_409_and_changes_nothing(app, auth, events, state,
                                                                       action):
    pk = events.make("EDB", days=-1 if state in ("held", "closed") else 5, state=state)
    before = events.get(pk)
    resp = act(auth, pk, action, "edb", reason="x")
    assert resp.status_code == 409, resp.json
    assert events.get(pk) == before and history(app, pk) == []


def test_registration_does_not_open_for_an_event_that_has_begun(auth, events):
    pk = events.make("EDB", days=-0.5)
    resp = act(auth, pk, "open", "edb")
    assert resp.status_code == 409
    assert resp.json["message"] == "活动已经开始，不能再开放报名。"
    assert events.get(pk)["state"] == "planned"


def test_an_event_is_not_marked_held_before_it_begins(auth, events):
    pk = events.make("EDB", days=2, state="open")
    resp = act(auth, pk, "hold", "edb")
    assert resp.status_code == 409
    assert events.get(pk)["state"] == "open"


def test_a_co_operating_department_reads_but_may_not_act_403(app, auth, events):
    pk = events.make("EDB", co=("IPB",))
    before = events.get(pk)
    assert auth.app.test_client().get(f"/api/v1/event/{pk}",
                                      headers=auth.token("ipb")).status_code == 200
    assert act(auth, pk, "open", "ipb").status_code == 403
    assert act(auth, pk, "cancel", "ipb", reason="x").status_code == 403
    ui = auth.client("ipb")
    assert ui.post(f"/events/transition/{pk}/open",
                   data={"csrf_token": _token(ui, pk)}).status_code == 403
    assert events.get(pk) == before and history(app, pk) == []


def test_another_departments_event_is_not_found_404(app, auth, events, pcb):
    pk = events.make("EDB", co=("IPB",))
    before = events.get(pk)
    assert act(auth, pk, "open", pcb).status_code == 404
    assert events.get(pk) == before


def _token(client, pk) -> str:
    import re

    html = client.get(f"/events/show/{pk}").get_data(as_text=True)
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def test_the_record_page_offers_the_buttons_of_the_state_to_the_lead_only(auth, events):
    pk = events.make("EDB", co=("IPB",))  # (in the future)
    lead = auth.client("edb").get(f"/events/show/{pk}").get_data(as_text=True)
    assert 'id="action-open"' in lead and 'id="action-cancel"' in lead
    # (held only once it has begun: no button a week early)
    assert 'id="action-close"' not in lead and 'id="action-hold"' not in lead
    co = auth.client("ipb", lang="zh").get(f"/events/show/{pk}").get_data(as_text=True)
    assert 'id="action-open"' not in co and 'id="action-cancel"' not in co
    assert "您可查阅此记录，办理由其所属部门负责。" in co


def test_an_event_that_has_begun_is_marked_held_and_no_longer_opens(auth, events):
    pk = events.make("EDB", days=-0.05)
    lead = auth.client("edb").get(f"/events/show/{pk}").get_data(as_text=True)
    assert 'id="action-hold"' in lead and 'id="action-open"' not in lead


def test_the_buttons_open_and_cancel_through_the_page(auth, events):
    pk = events.make("EDB")
    client = auth.client("edb", lang="ja")
    resp = client.post(f"/events/transition/{pk}/open", data={"csrf_token": _token(client, pk)})
    assert resp.status_code == 302 and events.get(pk)["state"] == "open"
    resp = client.post(f"/events/transition/{pk}/cancel", data={"csrf_token": _token(client, pk),
                                                                "reason": ""})
    assert "必須項目です" in refused_on_page(client, resp, f"/events/show/{pk}")
    assert events.get(pk)["state"] == "open"
    resp = client.post(f"/events/transition/{pk}/cancel",
                       data={"csrf_token": _token(client, pk), "reason": "講師の都合"})
    assert resp.status_code == 302
    assert events.get(pk)["cancel_reason"] == "講師の都合"
