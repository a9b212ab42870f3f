"""The hotline form's *Received at*: pre-filled with Shanghai now to the minute, and saved as the
clerk leaves it, picks it or types it (stored as naive UTC)."""
import datetime as dt
import re

import pytest

from app.core.timeutil import format_display, utcnow
from app.extensions import db
from app.registers.workorders.models import ServiceType, WorkOrder
from tests.conftest import csrf_token


def _received_at_shown(html: str) -> str:
    return re.search(r'<input[^>]*name="received_at"[^>]*value="([^"]*)"', html).group(1)


def _post(app, client, received_at: str, subject: str):
    with app.app_context():
        service_type = db.session.query(ServiceType).filter_by(code="policy").one().id
    return client.post("/workorders/add", data={
        "channel": "hotline", "received_at": received_at, "language": "zh",
        "service_type": service_type, "category": "general", "subject": subject,
        "content": "来电咨询", "csrf_token": csrf_token(client, "/workorders/add")})


def _stored(app, subject: str):
    with app.app_context():
        order = db.session.query(WorkOrder).filter_by(subject=subject).one_or_none()
        return None if order is None else order.received_at


def test_hotline_form_is_prefilled_with_shanghai_now_to_the_minute(app, auth):
    office = auth.client("office", lang="zh")
    with app.app_context():
        before = format_display(utcnow())
        shown = _received_at_shown(office.get("/workorders/add").get_data(as_text=True))
        after = format_display(utcnow())
    assert shown in (before, after)


def test_hotline_form_saves_the_prefilled_time_as_it_is(app, auth):
    office = auth.client("office", lang="zh")
    shown = _received_at_shown(office.get("/workorders/add").get_data(as_text=True))
    resp = _post(app, office, shown, "原样提交")
    assert resp.status_code == 302, resp.get_data(as_text=True)[:500]
    local = dt.datetime.strptime(shown, "%Y-%m-%d %H:%M")
    assert _stored(app, "原样提交") == local - dt.timedelta(hours=8)


@pytest.mark.parametrize("typed,stored", [
    ("2026-11-28 00:30", dt.datetime(2026, 11, 27, 16, 30)),        # typed, or the picker's
    ("2026-11-28 00:30:15", dt.datetime(2026, 11, 27, 16, 30, 15)),  # with seconds
    ("2026-11-28T00:30", dt.datetime(2026, 11, 27, 16, 30)),
    ("2026/11/28 0:30", dt.datetime(2026, 11, 27, 16, 30)),
])
def test_hotline_form_accepts_times_as_people_type_them(app, auth, typed, stored):
    office = auth.client("office", lang="zh")
    resp = _post(app, office, typed, f"输入{typed}")
    assert resp.status_code == 302, resp.get_data(as_text=True)[:500]
    assert _stored(app, f"输入{typed}") == stored


@pytest.mark.parametrize("lang,message", [
    ("zh", "请输入日期和时间，例如 2026-11-28 09:30。"),
    ("ja", "日時を 2026-11-28 09:30 のように入力してください。"),
])
def test_hotline_form_asks_for_a_time_when_only_a_date_is_given(app, auth, lang, message):
    client = auth.client("office", lang=lang)
    resp = _post(app, client, "2026-11-28", "只有日期")
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert message in html and 'value="2026-11-28"' in html
    assert _stored(app, "只有日期") is None
