"""Investment review resolutions in Chromium, in zh and ja, as the people who do each step: the
Office records a meeting and a resolution with what the forms fill in (the meeting today, the
deadline the form proposes); the responsible department (IPB) reports progress, attaches its
evidence and completes the resolution; the Office generates the month's supervision report and
downloads it as PDF and Excel."""
from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.registers.resolutions.models import InvestmentMeeting, Resolution, SupervisionReport
from tests.browser.conftest import log_in, new_page
from tests.factories import department_id

pytestmark = pytest.mark.browser
LOCALES = {"zh": "zh-CN", "ja": "ja-JP"}
TEXT = {"zh": {"progress": "进展情况", "completed": "已办结"},
        "ja": {"progress": "進捗報告", "completed": "完了"}}


def _submit(page, form) -> None:
    form.locator("button[type=submit]").first.click()
    page.wait_for_load_state()
    errors = page.locator(".alert-danger, .help-block").all_inner_texts()
    assert page.locator(".alert-success").count() == 1, errors


def _only(app, model):
    with app.app_context():
        pk = db.session.query(model.id).one()[0]
        db.session.remove()
    return pk


@pytest.fixture(autouse=True)
def _no_reports(app):
    yield
    with app.app_context():
        db.session.query(SupervisionReport).delete()
        db.session.commit()
        db.session.remove()


@pytest.mark.parametrize("lang", ["zh", "ja"])
def test_the_office_records_a_resolution_the_department_completes_it_and_the_report_is_kept(
        app, browser, live_server, tmp_path, lang):
    with app.app_context():
        ipb = department_id("IPB")
        db.session.remove()
    office = new_page(browser, live_server, LOCALES[lang])
    office.set_default_timeout(8000)
    staff = new_page(browser, live_server, LOCALES[lang])
    staff.set_default_timeout(8000)
    try:
        log_in(office, live_server, "office", lang)
        office.goto(f"{live_server}/investment-meetings/add")
        form = office.locator("#model_form")
        form.locator("[name=name_zh]").fill(f"第十二次投资审查会{lang}")
        _submit(office, form)
        meeting = _only(app, InvestmentMeeting)

        office.goto(f"{live_server}/resolutions/add")
        form = office.locator("#model_form")
        form.locator("select[name=meeting]").select_option(str(meeting))
        form.locator("[name=text_zh]").fill("完成项目用地预审")
        form.locator("select[name=handling_department]").select_option(str(ipb))
        _submit(office, form)  # (the deadline as the form proposes it)
        pk = _only(app, Resolution)

        log_in(staff, live_server, "ipb", lang)
        staff.goto(f"{live_server}/resolutions/show/{pk}")
        action = staff.locator("#action-report_progress")
        action.locator("[name=note]").fill("已提交用地预审材料")
        _submit(staff, action)
        expect(staff.locator("#resolution-progress")).to_contain_text("已提交用地预审材料")
        evidence = tmp_path / "evidence.pdf"
        evidence.write_bytes(b"%PDF-1.4 evidence")
        upload = staff.locator("#upload-form")
        upload.locator("input[type=file]").set_input_files(str(evidence))
        upload.locator("button[type=submit]").click()
        staff.wait_for_load_state()
        action = staff.locator("#action-complete")
        action.locator("[name=note]").fill("用地预审意见已取得")
        _submit(staff, action)
        expect(staff.locator("body")).to_contain_text(TEXT[lang]["completed"])
        with app.app_context():
            item = db.session.get(Resolution, pk)
            assert item.state == "completed" and len(item.attachments) == 1
            db.session.remove()

        office.goto(f"{live_server}/resolutions/reports/")
        month = dt.date.today().strftime("%Y-%m")
        office.locator("#report-month").fill(month)
        _submit(office, office.locator("#generate-form"))
        row = office.locator(f"#report-{month}-v1")
        expect(row).to_be_visible()
        with office.expect_download() as download:
            row.locator("a.download-pdf").click()
        assert download.value.suggested_filename == f"supervision-report-{month}-v1.pdf"
        with office.expect_download() as download:
            row.locator("a.download-xlsx").click()
        assert download.value.suggested_filename.endswith(".xlsx")
        assert office.outside_requests == [] and staff.outside_requests == []
    finally:
        office.context.close()
        staff.context.close()
