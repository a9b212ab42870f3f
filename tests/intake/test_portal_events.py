"""The public portal for events: upcoming events in the reader's language, registering an
enterprise by its USCC (waiting list only when chosen), a private link per registration to
follow it, cancel it and give feedback once attended — never another enterprise's."""
from __future__ import annotations

import datetime as dt
import re

import pytest

from app.core import registry
from app.core.models import RecordChange
from app.core.timeutil import format_display
from app.extensions import db
from app.intake import token_hash
from app.registers.registrations.models import Registration
from tests.conftest import csrf_token, make_app
from tests.core.test_list_at_scale import page_queries
from tests.factories import Make, department_id, sample_record, valid_uscc

LIST_QUERIES = 2  # the events with their places taken (one query); the page's own (FAB's menu)


# --- fixtures as data ---------------------------------------------------------------------------
def _event(app, **overrides) -> int:
    data = {"state": "open", "starts_at": Make.instant(days=10), "capacity": 10,
            "name_ja": Make.text("上場支援研修"), "name_en": Make.text("Listing training"),
            "venue_zh": "普湾新区管委会三楼会议室", "description_zh": "讲解科创板上市条件与辅导流程。"}
    return sample_record(app, registry.get("event"), department="EDB", **{**data, **overrides})


def _registration(app, event_id: int, enterprise_id: int, token: str | None = None,
                  **fields) -> int:
    """A registration as staff would have stored it (``token``: its private link's)."""
    with app.app_context():
        data = {"attendees": 1, "contact_name": "内部联系人", "contact_phone": "13900000000",
                **fields}
        item = Registration(event_id=event_id, enterprise_id=enterprise_id,
                            department_id=department_id("EDB"),
                            token_hash=token_hash(token) if token else None, **data)
        db.session.add(item)
        db.session.commit()
        pk = item.id
        db.session.remove()
        return pk


def _stored(app, **by) -> list[dict]:
    with app.app_context():
        rows = [{"id": r.id, "status": r.status, "channel": r.channel, "attendees": r.attendees,
                 "enterprise_id": r.enterprise_id, "token_hash": r.token_hash,
                 "contact_email": r.contact_email, "attitude": r.attitude,
                 "quality": r.quality, "efficiency": r.efficiency,
                 "feedback_comment": r.feedback_comment, "feedback_at": r.feedback_at}
                for r in db.session.query(Registration).filter_by(**by).order_by(Registration.id)]
        db.session.remove()
        return rows


def _form(client, uscc: str, **overrides) -> dict:
    data = {"uscc": uscc, "contact_name": "佐藤花子", "contact_phone": "0411-8765-4321",
            "contact_email": "sato@example.co.jp", "attendees": "2",
            "csrf_token": csrf_token(client, "/portal/")}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def _register(client, event_id: int, uscc: str, **overrides):
    return client.post(f"/portal/events/{event_id}", data=_form(client, uscc, **overrides))


def _link(resp) -> str:
    assert resp.status_code == 201, resp.get_data(as_text=True)[-2000:]
    link = re.search(r'id="registration-link" href="([^"]+)"', resp.get_data(as_text=True))
    return link.group(1).replace("http://localhost", "")


def _message(resp) -> str:
    found = re.search(r'id="portal-message">([^<]+)<', resp.get_data(as_text=True))
    return found.group(1) if found else ""


# --- 1. upcoming events -------------------------------------------------------------------------
def test_list_shows_open_future_events_in_the_readers_language_and_time(app, client):
    starts = Make.instant(days=12, hour=1)  # 09:00 in Shanghai
    shown = _event(app, starts_at=starts, name_ja="上場支援研修（春）", capacity=30)
    client.get("/lang/ja")
    html = client.get("/portal/events/").get_data(as_text=True)
    row = html.split(f'data-event="{shown}"')[1].split("</tr>")[0]
    assert "上場支援研修（春）" in row and "研修" in row
    with app.app_context():
        assert format_display(starts) in row and format_display(starts).endswith("09:00")
    assert "普湾新区管委会三楼会议室" in row and "残り30席" in row


@pytest.mark.parametrize("state", ["planned", "held", "closed", "cancelled"])
def test_list_leaves_out_events_not_open_for_registration(app, client, state):
    hidden = _event(app, state=state, name_zh="不应出现的活动")
    past = _event(app, starts_at=Make.instant(days=-1), name_zh="已经开始的活动")
    html = client.get("/portal/events/").get_data(as_text=True)
    for pk in (hidden, past):
        assert f'data-event="{pk}"' not in html
    assert "不应出现的活动" not in html and "已经开始的活动" not in html


def test_list_says_full_and_tells_nothing_of_who_registered(app, client, enterprises):
    full = _event(app, capacity=2)
    other = enterprises.create(name_zh="保密的注册企业")
    _registration(app, full, other, attendees=2, status="registered")
    client.get("/lang/zh")
    html = client.get("/portal/events/").get_data(as_text=True)
    row = html.split(f'data-event="{full}"')[1].split("</tr>")[0]
    assert "已满 — 可排队候补" in row
    assert "保密的注册企业" not in html and "内部联系人" not in html and "13900000000" not in html


def test_the_list_is_one_query_whatever_the_events(app, client, enterprises):
    first = _event(app)
    _registration(app, first, enterprises.create())
    counts = [page_queries(app, client, "/portal/events/")]
    for _ in range(5):
        pk = _event(app)
        _registration(app, pk, enterprises.create(), attendees=3)
    counts.append(page_queries(app, client, "/portal/events/"))
    assert counts[0] == counts[1] <= LIST_QUERIES, counts


def test_event_page_shows_the_description_and_the_form(app, client):
    pk = _event(app, description_zh="讲解科创板上市条件与辅导流程。")
    client.get("/lang/zh")
    html = client.get(f"/portal/events/{pk}").get_data(as_text=True)
    assert "讲解科创板上市条件与辅导流程。" in html and 'id="register-form"' in html


def test_a_japanese_reader_reads_the_japanese_venue_and_description(app, client):
    pk = _event(app, venue_ja="管理委員会 3階 会議室", description_ja="上場の条件と手順を説明します。")
    client.get("/lang/ja")
    html = client.get(f"/portal/events/{pk}").get_data(as_text=True)
    assert "上場の条件と手順を説明します。" in html and "讲解科创板" not in html
    listing = client.get("/portal/events/").get_data(as_text=True)
    assert "管理委員会 3階 会議室" in listing and "普湾新区管委会三楼会议室" not in listing


def test_unknown_event_is_404(client):
    assert client.get("/portal/events/999999").status_code == 404


# --- 2. registering -----------------------------------------------------------------------------
def test_enterprise_registers_with_its_uscc_and_gets_a_private_link(app, client, enterprises):
    pk = _event(app)
    uscc = valid_uscc()
    enterprise = enterprises.create(uscc=uscc, name_zh="大连普湾化工有限公司")
    client.get("/lang/ja")
    resp = _register(client, pk, uscc.lower())  # (typed in lower case: still the code)
    link = _link(resp)
    html = resp.get_data(as_text=True)
    assert "お申し込みを受け付けました" in html and "申込済み" in html
    [stored] = _stored(app, event_id=pk)
    token = link.rsplit("/", 1)[1]
    assert (stored["enterprise_id"], stored["status"], stored["channel"], stored["attendees"]) \
        == (enterprise, "registered", "portal", 2)
    assert stored["token_hash"] == token_hash(token) and token not in str(stored)
    with app.app_context():
        change = db.session.query(RecordChange).filter_by(
            table_name="event_registration", record_id=stored["id"]).one()
        assert "token_hash" not in change.after  # the private link stays out of the history
        db.session.remove()


def test_a_check_digit_error_is_refused_with_a_translated_message(app, client, enterprises):
    pk = _event(app)
    uscc = valid_uscc()
    enterprises.create(uscc=uscc)
    wrong = uscc[:-1] + ("0" if uscc[-1] != "0" else "1")
    client.get("/lang/zh")
    resp = _register(client, pk, wrong)
    assert resp.status_code == 422
    assert "统一社会信用代码" in resp.get_data(as_text=True)
    assert _stored(app, event_id=pk) == []


def test_an_unknown_enterprise_is_refused_without_revealing_anything(app, client, enterprises):
    pk = _event(app)
    enterprises.create(name_zh="另一家企业")
    client.get("/lang/ja")
    resp = _register(client, pk, valid_uscc())
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "この統一社会信用コードの企業は区の企業台帳に登録されていません" in html
    assert "另一家企业" not in html
    assert _stored(app, event_id=pk) == []


def test_validation_errors_are_translated_and_register_nothing(app, client, enterprises):
    pk = _event(app)
    uscc = valid_uscc()
    enterprises.create(uscc=uscc)
    client.get("/lang/zh")
    resp = _register(client, pk, uscc, contact_name="", contact_email="not-an-email",
                     attendees="0")
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert "必填" in html or "此字段" in html or "不能为空" in html
    assert _stored(app, event_id=pk) == []


def test_registration_without_csrf_token_is_refused(app, client, enterprises):
    pk = _event(app)
    uscc = valid_uscc()
    enterprises.create(uscc=uscc)
    data = _form(client, uscc)
    data.pop("csrf_token")
    assert client.post(f"/portal/events/{pk}", data=data).status_code == 400
    assert _stored(app, event_id=pk) == []


def test_a_full_event_is_refused_unless_the_waiting_list_is_chosen(app, client, enterprises):
    pk = _event(app, capacity=3)
    _registration(app, pk, enterprises.create(), attendees=2, status="registered")
    uscc = valid_uscc()
    enterprises.create(uscc=uscc)
    client.get("/lang/zh")
    resp = _register(client, pk, uscc, attendees="2")
    assert resp.status_code == 409
    assert "名额不足" in _message(resp) and "候补名单" in _message(resp)
    assert len(_stored(app, event_id=pk)) == 1
    resp = _register(client, pk, uscc, attendees="2", waitlist="y")
    link = _link(resp)
    assert "您已进入候补名单" in resp.get_data(as_text=True)
    assert [r["status"] for r in _stored(app, event_id=pk)] == ["registered", "waitlisted"]
    assert re.search(r'id="registration-status">候补<', client.get(link).get_data(as_text=True))


def test_more_attendees_than_the_event_holds_is_refused(app, client, enterprises):
    pk = _event(app, capacity=5)
    uscc = valid_uscc()
    enterprises.create(uscc=uscc)
    client.get("/lang/en")
    resp = _register(client, pk, uscc, attendees="6", waitlist="y")
    assert resp.status_code == 422 and "The event has 5 places in all." in resp.get_data(
        as_text=True)
    assert _stored(app, event_id=pk) == []


@pytest.mark.parametrize(("state", "label"), [("planned", "計画中"), ("held", "開催済み"),
                                              ("closed", "終了"), ("cancelled", "取消済み")])
def test_an_event_not_open_is_refused_with_a_clear_message(app, client, enterprises, state,
                                                           label):
    pk = _event(app, state=state)
    uscc = valid_uscc()
    enterprises.create(uscc=uscc)
    client.get("/lang/ja")
    assert 'id="register-form"' not in client.get(f"/portal/events/{pk}").get_data(as_text=True)
    resp = _register(client, pk, uscc, waitlist="y")
    assert resp.status_code == 409 and label in _message(resp)
    assert _stored(app, event_id=pk) == []


def test_an_open_event_that_has_started_is_refused(app, client, enterprises):
    pk = _event(app, starts_at=Make.instant(days=-1))
    uscc = valid_uscc()
    enterprises.create(uscc=uscc)
    client.get("/lang/en")
    resp = _register(client, pk, uscc)
    assert resp.status_code == 409 and "already started" in _message(resp)
    assert _stored(app, event_id=pk) == []


def test_registering_twice_is_refused_without_the_first_registrations_details(
        app, client, enterprises):
    pk = _event(app)
    uscc = valid_uscc()
    enterprise = enterprises.create(uscc=uscc)
    _registration(app, pk, enterprise, attendees=4, contact_email="first@example.cn")
    client.get("/lang/zh")
    resp = _register(client, pk, uscc, attendees="1")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 409 and "该企业已报名参加本活动" in _message(resp)
    for detail in ("内部联系人", "13900000000", "first@example.cn"):
        assert detail not in html
    [stored] = _stored(app, event_id=pk)
    assert (stored["attendees"], stored["contact_email"]) == (4, "first@example.cn")


def test_registrations_are_rate_limited(app, enterprises):
    pk = _event(app)
    limited = make_app(PORTAL_RATE_LIMIT="2 per minute")
    client = limited.test_client()
    codes = [_register(client, pk, valid_uscc()).status_code for _ in range(3)]
    assert codes == [422, 422, 429]


@pytest.mark.parametrize(("lang", "text"), [("zh", "活动"), ("ja", "イベント"), ("en", "Events")])
@pytest.mark.parametrize("path", ["/portal/", "/portal/events/"])
def test_portal_pages_link_to_the_events_in_each_language(client, lang, text, path):
    client.get(f"/lang/{lang}")
    html = client.get(path).get_data(as_text=True)
    assert re.search(rf'id="portal-events-link" href="/portal/events/">{text}<', html)


# --- 3. the private link ------------------------------------------------------------------------
def test_the_link_shows_this_registration_only(app, client, enterprises):
    pk = _event(app)
    mine, theirs = valid_uscc(), valid_uscc()
    enterprises.create(uscc=mine, name_zh="我的企业")
    enterprises.create(uscc=theirs, name_zh="别人的企业")
    client.get("/lang/zh")
    link = _link(_register(client, pk, mine, contact_email="mine@example.cn"))
    _link(_register(client, pk, theirs, contact_name="别人的联系人",
                    contact_email="theirs@example.cn"))
    html = client.get(link).get_data(as_text=True)
    assert "我的企业" in html and re.search(r'id="registration-status">已报名<', html)
    for other in ("别人的企业", "别人的联系人", "theirs@example.cn"):
        assert other not in html


@pytest.mark.parametrize(("method", "path"), [
    ("get", "{link}x"), ("get", "/portal/events/registration/not-a-token"),
    ("post", "{link}x/cancel"), ("post", "{link}x/feedback"),
    ("post", "/portal/events/registration/not-a-token/cancel")])
def test_wrong_tokens_are_404_and_change_nothing(app, client, enterprises, method, path):
    pk = _event(app)
    uscc = valid_uscc()
    enterprises.create(uscc=uscc)
    link = _link(_register(client, pk, uscc))
    before = _stored(app, event_id=pk)
    data = {"csrf_token": csrf_token(client, "/portal/"),
            "attitude": "5", "quality": "5", "efficiency": "5"}
    resp = getattr(client, method)(path.format(link=link), data=data)
    assert resp.status_code == 404
    assert _stored(app, event_id=pk) == before


def test_cancelling_frees_the_places_and_moves_the_waiting_list_up(app, client, enterprises):
    pk = _event(app, capacity=2)
    mine = valid_uscc()
    enterprises.create(uscc=mine)
    client.get("/lang/ja")
    link = _link(_register(client, pk, mine, attendees="2"))
    waiting = _registration(app, pk, enterprises.create(), attendees=2, status="waitlisted")
    token = csrf_token(client, "/portal/")
    resp = client.post(f"{link}/cancel", data={"csrf_token": token})
    assert resp.status_code == 302
    statuses = {r["id"]: r["status"] for r in _stored(app, event_id=pk)}
    assert statuses[waiting] == "registered" and list(statuses.values()).count("cancelled") == 1
    html = client.get(link).get_data(as_text=True)
    assert re.search(r'id="registration-status">取消済み<', html)
    assert 'id="cancel-form"' not in html
    assert client.post(f"{link}/cancel", data={"csrf_token": token}).status_code == 409
    assert {r["id"]: r["status"] for r in _stored(app, event_id=pk)} == statuses


def test_a_cancellation_leaves_a_history_row_for_it_and_for_each_one_moved_up(
        app, client, enterprises):
    pk = _event(app, capacity=1)
    mine = valid_uscc()
    enterprises.create(uscc=mine)
    link = _link(_register(client, pk, mine, attendees="1"))
    waiting = _registration(app, pk, enterprises.create(), status="waitlisted")
    client.post(f"{link}/cancel", data={"csrf_token": csrf_token(client, "/portal/")})
    with app.app_context():
        changes = {(c.record_id, c.action, c.after.get("status"))
                   for c in db.session.query(RecordChange)
                   .filter(RecordChange.table_name == "event_registration",
                           RecordChange.action.in_(("cancel", "promote")))}
        db.session.remove()
    cancelled = next(r["id"] for r in _stored(app, event_id=pk) if r["status"] == "cancelled")
    assert changes == {(cancelled, "cancel", "cancelled"), (waiting, "promote", "registered")}


def test_cancelling_after_the_event_began_is_refused(app, client, enterprises):
    token = "held-event-token"
    pk = _event(app, state="held", starts_at=Make.instant(days=-2))
    _registration(app, pk, enterprises.create(), token=token, attendance="present")
    link = f"/portal/events/registration/{token}"
    client.get("/lang/zh")
    assert "不能再取消" in client.get(link).get_data(as_text=True)
    resp = client.post(f"{link}/cancel", data={"csrf_token": csrf_token(client, "/portal/")})
    assert resp.status_code == 409
    assert _stored(app, event_id=pk)[0]["status"] == "registered"


def _feedback(client, link, **overrides):
    data = {"attitude": "5", "quality": "4", "efficiency": "3", "comment": "讲解很实用",
            "csrf_token": csrf_token(client, "/portal/")}
    data.update(overrides)
    return client.post(f"{link}/feedback", data=data)


def test_an_enterprise_that_attended_gives_feedback_once(app, client, enterprises):
    token = "attended-token"
    pk = _event(app, state="held", starts_at=Make.instant(days=-2))
    _registration(app, pk, enterprises.create(), token=token, attendance="present",
                  checked_in_at=dt.datetime(2026, 1, 1))
    link = f"/portal/events/registration/{token}"
    client.get("/lang/ja")
    assert 'id="feedback-form"' in client.get(link).get_data(as_text=True)
    assert _feedback(client, link).status_code == 302
    [stored] = _stored(app, event_id=pk)
    assert (stored["attitude"], stored["quality"], stored["efficiency"],
            stored["feedback_comment"]) == (5, 4, 3, "讲解很实用")
    assert stored["feedback_at"] is not None
    html = client.get(link).get_data(as_text=True)
    assert 'id="feedback-form"' not in html and "ご意見を受け付けました" in html
    assert _feedback(client, link, attitude="1", comment="改").status_code == 409
    assert _stored(app, event_id=pk) == [stored]


def test_feedback_needs_every_score_and_saves_nothing_without(app, client, enterprises):
    token = "scores-token"
    pk = _event(app, state="closed", starts_at=Make.instant(days=-5))
    _registration(app, pk, enterprises.create(), token=token, attendance="present")
    client.get("/lang/ja")
    resp = _feedback(client, f"/portal/events/registration/{token}", quality="")
    assert resp.status_code == 422 and "1～5の評価を選択してください。" in resp.get_data(as_text=True)
    assert _stored(app, event_id=pk)[0]["feedback_at"] is None


@pytest.mark.parametrize(("fields", "state", "days", "why"), [
    ({"attendance": "absent"}, "held", -2, "出席が記録されていません"),
    ({"attendance": "excused", "excuse_reason": "生产安排"}, "held", -2,
     "出席が記録されていません"),
    ({"status": "waitlisted"}, "held", -2, "出席が記録されていません"),
    ({"status": "cancelled"}, "closed", -2, "キャンセルされました"),
    ({}, "open", 3, "イベント終了後"),
])
def test_those_who_did_not_attend_are_told_why_they_cannot_give_feedback(
        app, client, enterprises, fields, state, days, why):
    token = f"no-feedback-{state}-{len(fields)}"
    pk = _event(app, state=state, starts_at=Make.instant(days=days))
    _registration(app, pk, enterprises.create(), token=token, **fields)
    link = f"/portal/events/registration/{token}"
    client.get("/lang/ja")
    html = client.get(link).get_data(as_text=True)
    assert 'id="feedback-form"' not in html
    assert why in re.search(r'id="no-feedback">([^<]+)<', html).group(1)
    assert _feedback(client, link).status_code == 409
    assert _stored(app, event_id=pk)[0]["feedback_at"] is None


def _waitlist_ticked(client, event_id: int) -> bool:
    tag = re.search(r'<input[^>]*name="waitlist"[^>]*>', client.get(
        f"/portal/events/{event_id}").get_data(as_text=True)).group(0)
    return "checked" in tag


def test_a_full_events_form_starts_with_the_waiting_list_ticked(app, client, enterprises):
    pk = _event(app, capacity=1)
    assert not _waitlist_ticked(client, pk)  # (places left: nothing to choose)
    mine = valid_uscc()
    enterprises.create(uscc=mine)
    _register(client, pk, mine, attendees="1")
    assert _waitlist_ticked(client, pk)      # full: the waiting list is what it can have


def test_an_enterprise_that_cancelled_may_register_again(app, client, enterprises):
    pk = _event(app, capacity=5)
    mine = valid_uscc()
    enterprises.create(uscc=mine)
    link = _link(_register(client, pk, mine, attendees="1"))
    client.post(f"{link}/cancel", data={"csrf_token": csrf_token(client, "/portal/")})
    again = _link(_register(client, pk, mine, attendees="2"))
    assert again != link
    assert [(r["status"], r["attendees"]) for r in _stored(app, event_id=pk)] == [
        ("cancelled", 1), ("registered", 2)]
    twice = _register(client, pk, mine, attendees="1")  # (registered again: not a third time)
    assert twice.status_code == 409 and len(_stored(app, event_id=pk)) == 2
