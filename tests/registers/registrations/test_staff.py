"""Staff register enterprises, cancel registrations and take attendance from the event's page —
the page and REST through the same commands, each write one transaction with its history row."""
from __future__ import annotations

from app.core.models import RecordChange
from app.extensions import db
from app.registers.registrations.models import Registration
from tests.registers.registrations.conftest import post, select_options


def history(app, pk: int) -> list[str]:
    with app.app_context():
        actions = [r.action for r in db.session.query(RecordChange).filter_by(
            table_name="event_registration", record_id=pk).order_by(RecordChange.id)]
        db.session.remove()
    return actions


def test_the_add_form_offers_only_events_the_user_writes_that_take_registrations(
        auth, events, enterprises):
    mine = events.create("IPB", state="open", name_zh="本局开放活动")
    planned = events.create("IPB", state="planned", name_zh="本局计划活动")
    closed = events.create("IPB", state="closed", name_zh="本局已结束活动")
    cooperating = events.create("EDB", state="open", co=("IPB",), name_zh="协办活动")
    enterprise = enterprises.create("IPB", name_zh="本局企业")
    html = auth.client("ipb", "zh").get("/registrations/add").get_data(as_text=True)
    offered = select_options(html, "event")
    assert {str(mine), str(planned)} <= set(offered)
    assert str(closed) not in offered and str(cooperating) not in offered
    assert str(enterprise) in select_options(html, "enterprise")


def test_the_add_form_from_an_event_names_it_and_leaves_the_enterprise_to_choose(
        app, auth, events, enterprises):
    event = events.create("IPB", name_zh="从活动页报名")
    enterprises.create("IPB", name_zh="甲企业")
    chosen = enterprises.create("IPB", name_zh="乙企业")
    ipb = auth.client("ipb", "zh")
    page = f"/registrations/add?_flt_0_event={event}"
    html = ipb.get(page).get_data(as_text=True)
    fixed = html.split('class="table table-bordered puwan-fixed"')[1].split("</table>")[0]
    assert "活动" in fixed and "从活动页报名" in fixed  # the event, read-only
    assert 'name="event"' not in html
    options = select_options(html, "enterprise")
    assert next(iter(options.items())) == ("", "— 请选择 —")
    resp = post(ipb, page, page, {"enterprise": "", "attendees": "1"})
    assert resp.status_code == 422 and "必填" in resp.get_data(as_text=True)
    resp = post(ipb, page, page, {"enterprise": chosen, "attendees": "1"})
    assert resp.status_code == 302
    with app.app_context():
        stored = db.session.query(Registration.event_id, Registration.enterprise_id).all()
        db.session.remove()
    assert stored == [(event, chosen)]


def test_a_second_registration_of_an_enterprise_is_refused_by_name(app, auth, events,
                                                                   enterprises):
    event = events.create("IPB")
    enterprise = enterprises.create("IPB", name_zh="重复报名企业")
    events.registration(event, enterprise)
    ipb = auth.client("ipb", "zh")
    page = f"/registrations/add?_flt_0_event={event}"
    resp = post(ipb, page, page, {"enterprise": enterprise, "attendees": "1"})
    assert resp.status_code == 422
    import re
    text = re.sub(r"<[^>]+>", " ", resp.get_data(as_text=True).split("<body")[1])
    assert "重复报名企业已报名本活动。" in text, " ".join(text.split())[:3000]


def test_an_event_the_form_cannot_take_is_said_not_silently_refused(auth, events, enterprises):
    """Opened from a link to an event that takes no registrations (closed): the event is not a
    box on the form, so its refusal is said at the top with its label."""
    event = events.create("IPB", state="closed", name_zh="已结束的活动")
    enterprise = enterprises.create("IPB")
    ipb = auth.client("ipb", "ja")
    page = f"/registrations/add?_flt_0_event={event}"
    resp = post(ipb, page, page, {"enterprise": enterprise, "attendees": "1"})
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    danger = html.split("alert-danger")[1].split("</div>")[0]
    assert "イベント" in danger


def test_an_event_the_user_cannot_read_is_not_named_on_the_add_form(auth, events):
    other = events.create("EDB", name_zh="别的部门的活动")
    html = auth.client("ipb", "zh").get(f"/registrations/add?_flt_0_event={other}").get_data(
        as_text=True)
    assert "别的部门的活动" not in html


def test_a_registration_that_does_not_fit_goes_on_the_waiting_list_and_the_user_is_told(
        app, auth, events, enterprises):
    event = events.create("IPB", capacity=3)
    first, second = enterprises.create("IPB"), enterprises.create("IPB", name_zh="候补企业")
    ipb = auth.client("ipb", "zh")
    resp = post(ipb, "/registrations/add", "/registrations/add",
                {"event": event, "enterprise": first, "attendees": "3"})
    assert resp.status_code == 302
    resp = post(ipb, "/registrations/add", "/registrations/add",
                {"event": event, "enterprise": second, "attendees": "1"})
    page = ipb.get(resp.headers["Location"]).get_data(as_text=True)
    assert "活动名额已满：候补企业的报名已列入候补名单。" in page
    assert "alert-success" not in page  # (not also "added", as if it had a place)
    with app.app_context():
        statuses = dict(db.session.query(Registration.enterprise_id, Registration.status))
        db.session.remove()
    assert statuses == {first: "registered", second: "waitlisted"}


def test_rest_says_a_new_registration_is_on_the_waiting_list(app, auth, events, enterprises):
    event = events.create("IPB", capacity=1)
    token = auth.token("ipb")
    first = auth.app.test_client().post("/api/v1/event_registration/", headers=token, json={
        "event": event, "enterprise": enterprises.create("IPB")})
    assert first.status_code == 201 and first.json["status"] == "registered"
    second = auth.app.test_client().post("/api/v1/event_registration/", headers=token, json={
        "event": event, "enterprise": enterprises.create("IPB", name_zh="后来企业")})
    assert second.status_code == 201, second.json
    assert second.json["status"] == "waitlisted"
    assert second.json["message"] == "活动名额已满：后来企业的报名已列入候补名单。"


def test_a_closed_event_takes_no_registration(auth, events, enterprises):
    event = events.create("IPB", state="closed")
    resp = auth.app.test_client().post("/api/v1/event_registration/", headers=auth.token("ipb"),
                                       json={"event": event, "enterprise": enterprises.create()})
    assert resp.status_code == 422


def test_cancelling_frees_places_and_moves_the_first_waiting_that_fit_up(
        app, auth, events, enterprises):
    event = events.create("IPB", capacity=3)
    a = events.registration(event, enterprises.create(), attendees=2, when=1)
    b = events.registration(event, enterprises.create(name_zh="甲企业"), attendees=2,
                            status="waitlisted", when=2)
    c = events.registration(event, enterprises.create(name_zh="乙企业"), attendees=1,
                            status="waitlisted", when=3)
    d = events.registration(event, enterprises.create(), attendees=1, when=4)
    ipb = auth.client("ipb", "zh")
    resp = post(ipb, f"/events/show/{event}", f"/registrations/action/cancel_registrations/{a}",
                {"next": "event"})
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"/events/show/{event}")
    page = ipb.get(resp.headers["Location"]).get_data(as_text=True)
    assert "已从候补名单递补：甲企业。" in page
    # b (2 people) fits the two freed places; c arrived later and waits (d holds the third)
    assert [events.row(pk)["status"] for pk in (a, b, c, d)] == [
        "cancelled", "registered", "waitlisted", "registered"]
    assert history(app, a) == ["cancel"] and history(app, b) == ["promote"]


def test_cancelling_through_rest_names_who_moved_up(app, auth, events, enterprises):
    event = events.create("IPB", capacity=1)
    a = events.registration(event, enterprises.create(), when=1)
    b = events.registration(event, enterprises.create(), status="waitlisted", when=2)
    resp = auth.app.test_client().post(f"/api/v1/event_registration/{a}/cancel",
                                       headers=auth.token("ipb"), json={})
    assert resp.status_code == 200 and resp.json["moved_up"] == [b]
    again = auth.app.test_client().post(f"/api/v1/event_registration/{a}/cancel",
                                        headers=auth.token("ipb"), json={})
    assert again.status_code == 409


def test_check_in_marks_the_enterprise_present_with_the_time(app, auth, events, enterprises):
    event = events.create("IPB", state="held")
    pk = events.registration(event, enterprises.create())
    ipb = auth.client("ipb", "zh")
    assert f'id="checkin-{pk}"' in ipb.get(f"/events/show/{event}").get_data(as_text=True)
    resp = post(ipb, f"/events/show/{event}", f"/registrations/check_in/{pk}", {})
    assert resp.status_code == 302
    row = events.row(pk)
    assert row["attendance"] == "present" and row["checked_in_at"] is not None
    assert history(app, pk) == ["check_in"]


def test_bulk_attendance_with_an_excuse_needs_its_reason_and_changes_nothing_without(
        app, auth, events, enterprises):
    event = events.create("IPB", state="held")
    pks = [events.registration(event, enterprises.create(), when=n) for n in range(3)]
    ipb = auth.client("ipb", "zh")
    data = [("event", event), ("attendance", "excused"), ("reason", ""),
            *[("rowid", pk) for pk in pks]]
    resp = post(ipb, f"/events/show/{event}", "/registrations/attendance", data)
    assert resp.status_code == 303
    assert "请填写请假原因" in ipb.get(resp.headers["Location"]).get_data(as_text=True)
    assert [events.row(pk)["attendance"] for pk in pks] == [None, None, None]


def test_bulk_attendance_is_all_or_nothing(app, auth, events, enterprises):
    event = events.create("IPB", state="held")
    registered = events.registration(event, enterprises.create(), when=1)
    waiting = events.registration(event, enterprises.create(), status="waitlisted", when=2)
    ipb = auth.client("ipb", "en")
    resp = post(ipb, f"/events/show/{event}", "/registrations/attendance",
                [("event", event), ("attendance", "present"), ("rowid", registered),
                 ("rowid", waiting)])
    assert resp.status_code == 303
    assert events.row(registered)["attendance"] is None
    assert history(app, registered) == []


def test_bulk_attendance_after_the_event_with_one_excused(app, auth, events, enterprises):
    event = events.create("IPB", state="closed")
    pks = [events.registration(event, enterprises.create(), when=n) for n in range(3)]
    ipb = auth.client("ipb", "ja")
    resp = post(ipb, f"/events/show/{event}", "/registrations/attendance",
                [("event", event), ("attendance", "present"), ("rowid", pks[0]),
                 ("rowid", pks[1])])
    assert resp.status_code == 302
    resp = post(ipb, f"/events/show/{event}", "/registrations/attendance",
                [("event", event), ("attendance", "excused"), ("reason", "台风停工"),
                 ("rowid", pks[2])])
    assert resp.status_code == 302
    rows = [events.row(pk) for pk in pks]
    assert [r["attendance"] for r in rows] == ["present", "present", "excused"]
    assert rows[2]["excuse_reason"] == "台风停工"
    assert [history(app, pk) for pk in pks] == [["attendance"]] * 3


def test_feedback_is_offered_and_taken_only_for_an_enterprise_that_was_present(
        app, auth, events, enterprises):
    event = events.create("IPB", state="closed")
    present = events.registration(event, enterprises.create(), attendance="present", when=1)
    absent = events.registration(event, enterprises.create(), attendance="absent", when=2)
    ipb = auth.client("ipb", "zh")
    page = ipb.get(f"/events/show/{event}").get_data(as_text=True)
    assert f'id="feedback-{present}"' in page and f'id="feedback-{absent}"' not in page
    scores = {"attitude": "5", "quality": "4", "efficiency": "3", "feedback_comment": "很好"}
    resp = post(ipb, f"/events/show/{event}", f"/registrations/feedback/{absent}", scores)
    assert resp.status_code == 303
    assert "只有参加了活动的企业才能评价" in ipb.get(resp.headers["Location"]).get_data(
        as_text=True)
    assert events.row(absent)["attitude"] is None
    resp = post(ipb, f"/events/show/{event}", f"/registrations/feedback/{present}", scores)
    assert resp.status_code == 302
    row = events.row(present)
    assert (row["attitude"], row["quality"], row["efficiency"]) == (5, 4, 3)


def test_a_job_fair_records_positions_applicants_and_hires(app, auth, events, enterprises):
    event = events.create("IPB", state="held", kind="job_fair")
    pk = events.registration(event, enterprises.create())
    training = events.create("IPB", state="held")
    other = events.registration(training, enterprises.create())
    ipb = auth.client("ipb", "zh")
    assert f'id="outcome-{pk}"' in ipb.get(f"/events/show/{event}").get_data(as_text=True)
    assert f'id="outcome-{other}"' not in ipb.get(f"/events/show/{training}").get_data(
        as_text=True)
    bad = post(ipb, f"/events/show/{event}", f"/registrations/outcome/{pk}",
               {"positions_offered": "10", "applicants": "3", "hires": "5"})
    assert bad.status_code == 303 and events.row(pk)["hires"] is None
    resp = post(ipb, f"/events/show/{event}", f"/registrations/outcome/{pk}",
                {"positions_offered": "10", "applicants": "8", "hires": "2"})
    assert resp.status_code == 302
    assert (events.row(pk)["positions_offered"], events.row(pk)["hires"]) == (10, 2)


def test_attendance_is_taken_from_the_day_of_the_event_not_before(
        app, auth, events, enterprises):
    event = events.create("IPB", state="open", days=10)
    pk = events.registration(event, enterprises.create())
    ipb = auth.client("ipb", "zh")
    html = ipb.get(f"/events/show/{event}").get_data(as_text=True)
    assert f'id="checkin-{pk}"' not in html
    resp = post(ipb, f"/events/show/{event}", "/registrations/attendance",
                [("event", event), ("attendance", "present"), ("rowid", pk)])
    assert "活动当天起才能登记出勤" in ipb.get(resp.headers["Location"]).get_data(as_text=True)
    assert events.row(pk)["attendance"] is None and history(app, pk) == []
    today = events.create("IPB", state="open", days=0)  # (enterprises arrive before it starts)
    early = events.registration(today, enterprises.create())
    assert post(ipb, f"/events/show/{today}", f"/registrations/check_in/{early}",
                {}).status_code == 302
    assert events.row(early)["attendance"] == "present"


def test_a_registration_is_not_cancelled_once_the_event_was_held(
        app, auth, events, enterprises):
    event = events.create("IPB", state="held")
    pk = events.registration(event, enterprises.create())
    ipb = auth.client("ipb", "en")
    assert 'class="registration-cancel"' not in ipb.get(
        f"/events/show/{event}").get_data(as_text=True)
    resp = app.test_client().post(f"/api/v1/event_registration/{pk}/cancel",
                                  headers=auth.token("ipb"), json={})
    assert resp.status_code == 409 and "attendance" in resp.json["message"]
    assert events.row(pk)["status"] == "registered" and history(app, pk) == []


def test_after_cancelling_staff_may_register_the_enterprise_again(
        app, auth, events, enterprises):
    event = events.create("IPB")
    enterprise = enterprises.create()
    first = events.registration(event, enterprise)
    client, headers = app.test_client(), auth.token("ipb")
    payload = {"event": event, "enterprise": enterprise, "contact_name": "王经理"}
    assert client.post("/api/v1/event_registration/", headers=headers,
                       json=payload).status_code == 422      # registered already
    assert client.post(f"/api/v1/event_registration/{first}/cancel", headers=headers,
                       json={}).status_code == 200
    again = client.post("/api/v1/event_registration/", headers=headers, json=payload)
    assert again.status_code == 201, again.json
    assert events.row(first)["status"] == "cancelled"
    assert events.row(again.json["id"])["status"] == "registered"
