"""Attendee lists out and registrations / job-fair outcomes in, through the kit: an event is
named by its title and start (the same title every year), an export reads back unchanged, rows
that do not fit go on the waiting list and are said, a bad row refuses the whole file."""
from __future__ import annotations

import datetime as dt
import io
import re

from openpyxl import load_workbook

from app.extensions import db
from app.registers.registrations.models import Registration
from tests.core.transfer.conftest import confirm, upload, wait, xlsx_bytes


def _sheet(content: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _count(app) -> int:
    with app.app_context():
        n = db.session.query(Registration).count()
        db.session.remove()
    return n


def _import(client, content: bytes) -> dict:
    resp = upload(client, "/registrations/import/", content, "registrations.xlsx")
    assert resp.status_code == 302
    job = resp.headers["Location"]
    state = wait(client, job)
    if state["state"] == "ready" and (state["counts"]["create"] or state["counts"]["update"]):
        confirm(client, job)
        state = wait(client, job)
    state["page"] = client.get(job).get_data(as_text=True)
    return state


def test_the_attendee_list_names_the_event_by_title_and_start_and_reads_back_unchanged(
        app, auth, events, enterprises):
    # the same training every year: the title alone does not say which
    this_year = events.create("IPB", state="closed", name_zh="统计培训", kind="job_fair",
                              starts_at=dt.datetime(2026, 3, 2, 1, 30))
    last_year = events.create("IPB", state="closed", name_zh="统计培训",
                              starts_at=dt.datetime(2025, 3, 3, 1, 30))
    enterprise = enterprises.create("IPB", name_zh="导出企业")
    pk = events.registration(this_year, enterprise, attendance="excused",
                             excuse_reason="出差", contact_name="王经理", positions_offered=5)
    events.registration(last_year, enterprise, attendance="present", when=1)
    ipb = auth.client("ipb", "zh")
    exported = ipb.get(f"/registrations/export/xlsx?_flt_0_event={this_year}")
    rows = _sheet(exported.get_data())
    assert len(rows) == 2
    header, row = rows
    cells = dict(zip(header, row, strict=True))
    assert cells["活动"] == "统计培训 · 2026-03-02 09:30"
    assert cells["企业"] == "导出企业" and cells["出席情况"] == "请假"
    assert cells["统一社会信用代码"]
    state = _import(ipb, exported.get_data())
    assert state["counts"]["unchanged"] == 1 and state["counts"]["refused"] == 0, state
    # outcomes are entered in the sheet and read back onto the same registration
    cells["提供岗位数"], cells["应聘人数"], cells["录用人数"] = 5, 12, 3
    state = _import(ipb, xlsx_bytes(header, [[cells[h] for h in header]]))
    assert state["state"] == "done", state["page"][state["page"].find("import-rows"):][:3000]
    assert events.row(pk)["hires"] == 3 and events.row(pk)["applicants"] == 12


def test_imported_registrations_beyond_capacity_go_on_the_waiting_list_and_are_said(
        app, auth, events, enterprises):
    events.create("IPB", state="open", name_zh="银企对接会", capacity=2,
                  starts_at=dt.datetime(2026, 12, 5, 1, 30))
    codes = []
    for _n in range(3):
        pk = enterprises.create("IPB")
        with app.app_context():
            from app.registers.enterprises.models import Enterprise

            codes.append(db.session.get(Enterprise, pk).uscc)
            db.session.remove()
    content = xlsx_bytes(["活动", "企业", "参加人数"],
                         [["银企对接会 2026-12-05", code, 1] for code in codes])
    state = _import(auth.client("ipb", "zh"), content)
    assert state["state"] == "done", state["page"][state["page"].find("import-rows"):][:3000]
    assert "以下各行因名额已满列入候补名单：4" in state["page"]
    with app.app_context():
        rows = db.session.query(Registration.status, Registration.channel).order_by(
            Registration.id).all()
        db.session.remove()
    assert rows == [("registered", "import"), ("registered", "import"),
                    ("waitlisted", "import")]


def test_a_bad_row_refuses_the_whole_file_and_names_the_row(app, auth, events, enterprises):
    events.create("IPB", state="open", name_zh="招聘会", starts_at=dt.datetime(2026, 12, 5, 1))
    events.create("IPB", state="open", name_zh="招聘会", starts_at=dt.datetime(2027, 1, 5, 1))
    enterprises.create("IPB", name_zh="甲")
    enterprises.create("IPB", name_zh="乙")
    content = xlsx_bytes(["活动", "企业"], [["招聘会 2026-12-05", "甲"], ["招聘会", "乙"]])
    state = _import(auth.client("ipb", "zh"), content)
    assert state["state"] == "refused"
    assert "有多个活动名为“招聘会”，请加上日期" in state["page"]
    assert re.search(r'<tr class="import-refused">\s*<td>3</td>', state["page"])
    assert "未保存任何内容" in state["page"]
    assert _count(app) == 0


def test_a_row_names_the_registration_that_is_not_cancelled(app, auth, events, enterprises):
    event = events.create("IPB", state="open", name_zh="报关实务培训",
                          starts_at=dt.datetime(2027, 3, 2, 1, 30))
    enterprise = enterprises.create("IPB", name_zh="重新报名企业")
    current = events.registration(event, enterprise, contact_name="王经理", when=1)
    # (stored after it: the row's key names both, the cancelled one last)
    cancelled = events.registration(event, enterprise, status="cancelled", contact_name="旧联系人")
    ipb = auth.client("ipb", "zh")
    rows = _sheet(ipb.get(f"/registrations/export/xlsx?_flt_0_event={event}").get_data())
    header = rows[0]
    [row] = [r for r in rows[1:] if "王经理" in r]
    row[header.index("联系人")] = "李主任"
    state = _import(ipb, xlsx_bytes(header, [row]))
    assert state["counts"]["update"] == 1 and state["counts"]["create"] == 0, state
    with app.app_context():
        contacts = {r.id: r.contact_name for r in db.session.query(Registration)}
        db.session.remove()
    assert contacts[current] == "李主任" and contacts[cancelled] == "旧联系人"
