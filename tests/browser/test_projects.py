"""A project in Chromium, in zh and ja, as the lead department's staff works it: created with
what the form fills in (its secretary chosen among the department's staff), moved through its
stages by the record page's buttons, this month's report entered from the page's reports panel,
and the month's clock seen on track, then kept; withdrawal is the red button, confirmed first."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.registers.projects.models import Project, ProjectReport
from tests.browser.conftest import log_in, new_page
from tests.factories import user_id

pytestmark = pytest.mark.browser
LOCALES = {"zh": "zh-CN", "ja": "ja-JP"}
TEXT = {
    "zh": {"approvals": "审批中", "on_track": "正常", "kept": "按时完成", "on_time": "按时报告",
           "withdrawn": "已撤回"},
    "ja": {"approvals": "許認可中", "on_track": "順調", "kept": "期限内完了", "on_time": "期限内に報告",
           "withdrawn": "撤回"},
}


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


@pytest.mark.parametrize("lang", ["zh", "ja"])
def test_a_project_through_its_stages_and_its_monthly_report(app, browser, live_server,
                                                             enterprises, lang):
    enterprise = enterprises.create("IPB")
    with app.app_context():
        secretary = user_id("ipb2")
    page = new_page(browser, live_server, LOCALES[lang])
    page.set_default_timeout(8000)
    page.on("dialog", lambda dialog: dialog.accept())
    try:
        log_in(page, live_server, "ipb", lang)
        page.goto(f"{live_server}/projects/add")
        form = page.locator("#model_form")
        form.locator("[name=name_zh]").fill("新能源汽车电池壳体生产基地")
        form.locator("select[name=enterprise]").select_option(str(enterprise))
        # (an automotive-parts plant: a chemical one would wait for its expert review)
        form.locator("select[name=industry]").select_option("automotive")
        form.locator("select[name=secretary]").select_option(str(secretary))
        assert form.locator("select[name=stage]").input_value() == "intention"
        _submit(page, form)
        project = _only(app, Project)

        page.goto(f"{live_server}/projects/show/{project}")
        for action in ("sign", "admit", "start_approvals"):
            _submit(page, page.locator(f"#action-{action}"))
        expect(page.locator("body")).to_contain_text(TEXT[lang]["approvals"])
        expect(page.locator("#report-month")).to_contain_text(TEXT[lang]["on_track"])

        page.locator("#fill-report").click()
        page.wait_for_load_state()
        form = page.locator("#model_form")
        form.locator("[name=progress]").fill("取得建设工程规划许可证")
        form.locator("[name=problems]").fill("施工用电接入待协调")
        _submit(page, form)
        page.goto(f"{live_server}/projects/show/{project}")
        expect(page.locator("#report-month")).to_contain_text(TEXT[lang]["on_time"])
        expect(page.locator("#project-reports")).to_contain_text(TEXT[lang]["kept"])
        with app.app_context():
            report = db.session.get(ProjectReport, _only(app, ProjectReport))
            assert report.on_time and report.progress == "取得建设工程规划许可证"
            db.session.remove()

        page.locator("#action-withdraw [name=reason]").fill("企业调整投资计划")
        _submit(page, page.locator("#action-withdraw"))
        expect(page.locator("body")).to_contain_text(TEXT[lang]["withdrawn"])
        assert page.outside_requests == []
    finally:
        page.context.close()
