"""The schedule page, its JSON and its forms: isolated like the project, bounded in queries,
the approving department adjusting a duration and recording an actual date."""
import datetime as dt

import pytest

from app.extensions import db
from app.registers.schedules import commands
from app.registers.schedules.models import ApprovalItem, ScheduleItem
from tests.conftest import csrf_token
from tests.core.test_list_at_scale import Statements
from tests.registers.schedules.conftest import NOW

FEW = ["filing", "energy_review"]


@pytest.fixture
def scheduled(project):
    def make(codes=None):
        p = project()
        commands.plan(p, codes, now=NOW)
        return p.id
    return make


def item_id(pk, code):
    return (db.session.query(ScheduleItem.id).join(ApprovalItem)
            .filter(ScheduleItem.project_id == pk, ApprovalItem.code == code).scalar())


def test_the_lead_department_sees_the_schedule_and_its_gantt_data(scheduled, auth):
    pk = scheduled(FEW)
    ipb = auth.client("ipb", lang="zh")
    page = ipb.get(f"/schedules/project/{pk}")
    assert page.status_code == 200
    assert "节能审查" in page.get_data(as_text=True)
    data = ipb.get(f"/schedules/project/{pk}/data").json
    assert {i["code"]: i["late_start"] for i in data["items"]} == {
        "filing": "2026-09-18", "energy_review": "2026-09-21"}
    energy = next(i for i in data["items"] if i["code"] == "energy_review")
    filing = next(i for i in data["items"] if i["code"] == "filing")
    assert energy["depends_on"] == [filing["id"]] and energy["critical"]
    assert ["2026-10-01", "2026-10-07"] in data["non_working"]


@pytest.mark.parametrize("path", ["/schedules/project/{pk}", "/schedules/project/{pk}/data",
                                  "/schedules/project/{pk}/print"])
def test_another_department_gets_not_found_on_every_read(scheduled, auth, path):
    pk = scheduled(FEW)
    assert auth.client("edb").get(path.format(pk=pk)).status_code == 404


def test_the_approving_department_reads_the_schedule_of_its_items(scheduled, auth):
    pk = scheduled(FEW)
    assert auth.client("jawin").get(f"/schedules/project/{pk}/data").status_code == 200


def test_another_department_cannot_post_to_an_item(scheduled, auth):
    pk = scheduled(FEW)
    edb = auth.client("edb")
    target = item_id(pk, "energy_review")
    resp = edb.post(f"/schedules/item/{target}", data={
        "duration": "3", "csrf_token": csrf_token(edb, f"/schedules/project/{pk}")})
    assert resp.status_code == 404
    assert db.session.get(ScheduleItem, target).duration == 15


def test_the_approving_department_adjusts_a_duration_through_the_form(scheduled, auth, ctx):
    # (jawin belongs to the Approval Bureau, AAB; energy_review 15 → 10 days: starts Sep 29)
    pk = scheduled(FEW)
    aab = auth.client("jawin", lang="ja")
    target = item_id(pk, "energy_review")
    token = csrf_token(aab, f"/schedules/project/{pk}")
    resp = aab.post(f"/schedules/item/{target}", data={"duration": "10", "csrf_token": token})
    assert resp.status_code == 303
    db.session.expire_all()
    item = db.session.get(ScheduleItem, target)
    assert (item.duration, item.late_start) == (10, dt.date(2026, 9, 29))


def test_a_bad_duration_through_the_form_is_refused_with_a_message(scheduled, auth, ctx):
    pk = scheduled(FEW)
    aab = auth.client("jawin", lang="en")
    target = item_id(pk, "energy_review")
    token = csrf_token(aab, f"/schedules/project/{pk}")
    page = aab.post(f"/schedules/item/{target}", data={"duration": "0", "csrf_token": token},
                    follow_redirects=True)
    assert "A whole number of working days from 1 to 999." in page.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(ScheduleItem, target).duration == 15


def test_the_printable_handbook_lists_documents_in_the_readers_language(scheduled, auth):
    pk = scheduled(FEW)
    page = auth.client("ipb", lang="ja").get(f"/schedules/project/{pk}/print")
    text = page.get_data(as_text=True)
    assert "省エネ報告書" in text and "プロジェクト届出情報表" in text


def test_the_schedule_page_and_json_cost_the_same_queries_however_many_items(scheduled, auth,
                                                                             app):
    few, many = scheduled(FEW), scheduled(None)
    ipb = auth.client("ipb")

    def queries(path) -> int:
        ipb.get(path)
        db.session.expunge_all()  # (the test's own session holds the records it made)
        counter = Statements(app)
        try:
            assert ipb.get(path).status_code == 200
        finally:
            counter.close()
        return counter.n

    for path in ("/schedules/project/{pk}", "/schedules/project/{pk}/data"):
        assert queries(path.format(pk=few)) == queries(path.format(pk=many))
