"""Resolutions of investment review meetings (A2) through REST and pages, as the people who
keep them: the Office records meetings and resolutions and supervises (extends, cancels); the
responsible department (IPB) reports progress and completes with evidence; another department
(EDB) sees none of it. The deadline clock: due at the end of the deadline day, stopped by
completion, moved by an extension, breached when overdue (a notice and a supervision entry)."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from app.clocks.models import Notice, SlaClock, Supervision
from app.clocks.sweep import sweep
from app.core.models import RecordChange
from app.extensions import db
from app.registers.resolutions.models import Resolution, ResolutionProgress
from tests.registers.financing.helpers import clock, stored
from tests.registers.resolutions.conftest import (
    MEETINGS,
    RESOLUTIONS,
    act,
    upload,
    working_day,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _future_deadline() -> dt.date:
    return working_day(dt.date.today() + dt.timedelta(days=30))


def _progress(app, pk) -> list[tuple]:
    with app.app_context():
        rows = [(p.text, p.author.username if p.author else None)
                for p in db.session.query(ResolutionProgress).filter_by(resolution_id=pk)
                .order_by(ResolutionProgress.id)]
        db.session.remove()
    return rows


def test_the_office_keeps_the_resolution_and_its_clock_is_due_at_the_end_of_the_deadline_day(ids,
        app, resolution):
    deadline = _future_deadline()
    pk = resolution(deadline)
    row = stored(app, Resolution, pk)
    assert row["department_id"] == ids["OFFICE"]
    assert row["handling_department_id"] == ids["IPB"]
    assert row["state"] == "assigned" and row["original_deadline"] == deadline
    timer = clock(app, "resolution", pk, "deadline")
    assert timer["policy"] == "resolution_deadline" and timer["state"] == "running"
    # midnight after the deadline in Dalian, stored as naive UTC
    end = dt.datetime.combine(deadline + dt.timedelta(days=1), dt.time(), tzinfo=SHANGHAI)
    assert timer["due_at"] == end.astimezone(dt.UTC).replace(tzinfo=None)


def test_a_deadline_on_a_holiday_is_refused_naming_the_next_working_day(ids, app, api, meeting):
    meeting_id = meeting(dt.date(2026, 9, 10))
    before = len(api("get", RESOLUTIONS).json["result"])
    resp = api("post", RESOLUTIONS, json={
        "meeting": meeting_id, "text_zh": "国庆当天完成", "deadline": "2026-10-01",
        "handling_department": ids["IPB"]})
    assert resp.status_code == 422
    # National Day 2026 runs to 7 October: the 8th is the next working day
    assert "2026-10-08" in resp.json["errors"]["deadline"][0]
    assert len(api("get", RESOLUTIONS).json["result"]) == before


def test_a_make_up_working_day_is_a_valid_deadline(ids, app, api, meeting):
    # Sunday 20 September 2026 is worked (调休 for National Day)
    resp = api("post", RESOLUTIONS, json={
        "meeting": meeting(dt.date(2026, 9, 10)), "text_zh": "调休日完成",
        "deadline": "2026-09-20", "handling_department": ids["IPB"]})
    assert resp.status_code == 201, resp.json


def test_a_deadline_before_the_meeting_is_refused(ids, app, api, meeting):
    resp = api("post", RESOLUTIONS, json={
        "meeting": meeting(dt.date(2026, 9, 10)), "text_zh": "会前完成",
        "deadline": "2026-09-08", "handling_department": ids["IPB"]})
    assert resp.status_code == 422 and "deadline" in resp.json["errors"]


def test_the_responsible_department_reports_progress_and_the_office_may_not(app, api,
                                                                           resolution):
    pk = resolution(_future_deadline())
    assert act(api, pk, "report_progress", note="已提交用地预审材料").status_code == 200
    assert stored(app, Resolution, pk)["state"] == "in_progress"
    assert _progress(app, pk) == [("已提交用地预审材料", "ipb")]
    refused = act(api, pk, "report_progress", username="office", note="办公室代报")
    assert refused.status_code == 403
    assert _progress(app, pk) == [("已提交用地预审材料", "ipb")]


def test_completion_needs_evidence_then_stops_the_clock(app, api, auth, resolution):
    pk = resolution(_future_deadline())
    before = stored(app, Resolution, pk)
    refused = act(api, pk, "complete", note="已完成")
    assert refused.status_code == 422 and "note" in refused.json["errors"]
    assert stored(app, Resolution, pk) == before and _progress(app, pk) == []
    assert upload(auth.client("ipb"), pk).status_code == 302
    assert act(api, pk, "complete", note="用地预审意见已取得").status_code == 200
    row = stored(app, Resolution, pk)
    assert row["state"] == "completed" and row["completed_on"] is not None
    timer = clock(app, "resolution", pk, "deadline")
    assert timer["stopped"] and timer["state"] == "met"


def test_the_office_extends_the_deadline_and_the_clock_moves_with_it(app, api, resolution):
    old = _future_deadline()
    pk = resolution(old)
    new = working_day(old + dt.timedelta(days=10))
    assert act(api, pk, "extend", username="ipb", deadline=new.isoformat(),
               reason="企业补充材料").status_code == 403
    resp = act(api, pk, "extend", username="office", deadline=new.isoformat(),
               reason="企业补充材料")
    assert resp.status_code == 200, resp.json
    row = stored(app, Resolution, pk)
    assert row["deadline"] == new and row["original_deadline"] == old
    end = dt.datetime.combine(new + dt.timedelta(days=1), dt.time(), tzinfo=SHANGHAI)
    assert clock(app, "resolution", pk, "deadline")["due_at"] == \
        end.astimezone(dt.UTC).replace(tzinfo=None)
    with app.app_context():
        actions = [c.action for c in db.session.query(RecordChange)
                   .filter_by(table_name="resolution", record_id=pk)
                   .order_by(RecordChange.id)]
        db.session.remove()
    assert actions == ["create", "extend"]


@pytest.mark.parametrize("deadline_shift,reason", [(-3, "earlier"), (0, "same day")])
def test_an_extension_must_give_a_later_working_day(app, api, resolution, deadline_shift,
                                                   reason):
    old = _future_deadline()
    pk = resolution(old)
    before = stored(app, Resolution, pk)
    resp = act(api, pk, "extend", username="office",
               deadline=(old + dt.timedelta(days=deadline_shift)).isoformat(), reason=reason)
    assert resp.status_code == 422 and "deadline" in resp.json["errors"]
    assert stored(app, Resolution, pk) == before


def test_a_cancelled_resolution_stops_its_clock_and_cannot_be_completed(app, api, auth,
                                                                       resolution):
    pk = resolution(_future_deadline())
    assert act(api, pk, "cancel", username="office", reason="项目终止").status_code == 200
    assert clock(app, "resolution", pk, "deadline")["stopped"]
    upload(auth.client("ipb"), pk)
    before = stored(app, Resolution, pk)
    assert act(api, pk, "complete", note="完成").status_code == 409
    assert stored(app, Resolution, pk) == before


def test_an_overdue_resolution_breaches_raising_a_notice_and_a_supervision_entry(ids,
        app, api, resolution):
    pk = resolution(_future_deadline())
    due = clock(app, "resolution", pk, "deadline")["due_at"]
    with app.app_context():
        sweep(db.session, (due + dt.timedelta(minutes=1)).replace(tzinfo=dt.UTC))
        state = db.session.query(SlaClock.state).filter_by(subject_type="resolution",
                                                            subject_id=pk).scalar()
        notices = db.session.query(Notice).filter_by(subject_type="resolution",
                                                     subject_id=pk).all()
        supervision = db.session.query(Supervision).filter_by(subject_type="resolution",
                                                              subject_id=pk).all()
        db.session.remove()
    assert state == "breached"
    assert "breached" in {n.kind for n in notices}
    assert {n.department_id for n in notices} == {ids["IPB"]}
    assert [s.department_id for s in supervision] == [ids["IPB"]]


def test_another_department_sees_neither_the_resolution_nor_its_meeting(app, api, resolution,
                                                                        meeting):
    other_meeting = meeting(title="无关会议")
    pk = resolution(_future_deadline())
    mine = stored(app, Resolution, pk)["meeting_id"]
    assert api("get", f"{RESOLUTIONS}{pk}", "edb").status_code == 404
    assert api("get", f"{MEETINGS}{mine}", "edb").status_code == 404
    # the responsible department reads the resolution and its meeting, not another meeting
    assert api("get", f"{RESOLUTIONS}{pk}", "ipb").status_code == 200
    assert api("get", f"{MEETINGS}{mine}", "ipb").status_code == 200
    assert api("get", f"{MEETINGS}{other_meeting}", "ipb").status_code == 404
    assert act(api, pk, "report_progress", username="edb", note="越权").status_code == 404


def test_the_responsible_department_cannot_add_a_resolution_to_the_offices_meeting(ids,
        app, api, meeting):
    resp = api("post", RESOLUTIONS, "ipb", json={
        "meeting": meeting(), "text_zh": "自拟事项", "deadline": _future_deadline().isoformat(),
        "handling_department": ids["IPB"]})
    assert resp.status_code == 422 and "meeting" in resp.json["errors"]


def test_the_record_page_shows_the_progress_updates(app, api, auth, resolution):
    pk = resolution(_future_deadline())
    act(api, pk, "report_progress", note="已召开专题协调会")
    page = auth.client("ipb", "zh").get(f"/resolutions/show/{pk}").get_data(as_text=True)
    assert "已召开专题协调会" in page and 'id="resolution-progress"' in page
