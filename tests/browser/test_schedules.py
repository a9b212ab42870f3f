"""A project's approval schedule in Chromium, in zh and ja: the Gantt draws the planned bars,
the critical path and the today line from the app's own files; the Approval Bureau's clerk
adjusts a duration and records an actual start through the page's form."""
from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from app.core.users import create_user
from app.extensions import db
from app.registers.enterprises.models import Enterprise
from app.registers.projects.models import Project
from app.registers.schedules import commands
from app.registers.schedules.models import ApprovalItem, ScheduleItem
from tests.browser.conftest import log_in, new_page
from tests.factories import PASSWORD, Make, department_id

pytestmark = pytest.mark.browser
LOCALES = {"zh": "zh-CN", "ja": "ja-JP"}
SAVED = {"zh": "已保存。", "ja": "保存しました。"}
CLERK = "aab_schedules"


def scheduled_project(app) -> int:
    """A project producing in 90 days, scheduled now (filing before the energy review)."""
    with app.app_context():
        project = Project(name_zh=Make.text("精细化工项目"), name_ja=Make.text("精密化学プロジェクト"),
                          industry="chemical", enterprise_id=Make.record(Enterprise),
                          stage="approvals", department_id=department_id("IPB"),
                          target_production_start=dt.date.today() + dt.timedelta(days=90))
        db.session.add(project)
        db.session.commit()
        commands.plan(project, ["filing", "energy_review"])
        create_user(CLERK, PASSWORD, "AAB", ["Department staff"], first_name="AAB",
                    last_name="clerk", email="aab_schedules@test.local")
        db.session.commit()
        pk = project.id
        db.session.remove()
    return pk


def stored(app, pk, code):
    with app.app_context():
        item = (db.session.query(ScheduleItem).join(ApprovalItem)
                .filter(ScheduleItem.project_id == pk, ApprovalItem.code == code).one())
        values = (item.duration, item.actual_start, item.late_start)
        db.session.remove()
    return values


@pytest.mark.parametrize("lang", ["zh", "ja"])
def test_the_approval_bureau_adjusts_a_duration_records_a_start_and_reads_the_gantt(
        app, browser, live_server, lang):
    pk = scheduled_project(app)
    page = new_page(browser, live_server, LOCALES[lang])
    try:
        log_in(page, live_server, CLERK, lang)
        page.goto(f"{live_server}/schedules/project/{pk}")
        expect(page.locator("#gantt")).to_have_attribute("data-rendered", "2")
        labels = page.evaluate(
            "fetch(document.getElementById('gantt').dataset.url).then(r => r.json())"
            ".then(d => d.labels)")
        svg = page.locator("#gantt svg")
        # the planned bars of the critical path (red), the today line and its label
        assert svg.locator("path[fill='#d9534f']").count() >= 2
        expect(svg).to_contain_text(labels["today"])
        expect(page.locator("tr[data-critical]")).to_have_count(2)

        before = stored(app, pk, "energy_review")
        page.fill("#item-energy_review input[name=duration]", "10")
        page.click("#item-energy_review button[type=submit]")
        page.wait_for_load_state()
        expect(page.locator(".alert-success")).to_contain_text(SAVED[lang])
        after = stored(app, pk, "energy_review")
        assert after[0] == 10 and after[2] > before[2]  # shorter: it may start later

        today = dt.date.today().isoformat()
        page.fill("#item-filing input[name=actual_start]", today)
        page.keyboard.press("Escape")
        page.click("#item-filing button[type=submit]")
        page.wait_for_load_state()
        expect(page.locator(".alert-success")).to_contain_text(SAVED[lang])
        assert stored(app, pk, "filing")[1] == dt.date.today()
        assert page.outside_requests == []
    finally:
        page.context.close()
