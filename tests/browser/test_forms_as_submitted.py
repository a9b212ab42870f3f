"""Every add and edit form of the platform, and every action form of a work order, submitted in
Chromium the way a person does: in zh and ja, logged in as the role that uses it, every value the
page fills in (defaults, pre-filled times, ticked or unticked boxes) left as it is, only the
required fields a person must type filled in — by typing, or with the date picker. Each submit
must save: a success message, and the record on its list.

The forms are not listed here: they are found on the app's views (every model view with an add
or edit permission), so a new register's forms are submitted without anyone adding them.
"""
from __future__ import annotations

import datetime as dt
import itertools

import pytest
from flask_appbuilder import ModelView
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from app.extensions import db
from tests.browser.conftest import log_in, new_page
from tests.factories import PASSWORD, department_id, valid_uscc

pytestmark = pytest.mark.browser
LANGS = ["zh", "ja"]
BROWSER_LOCALES = {"zh": "zh-CN", "ja": "ja-JP"}
# Who fills a view's forms in, where more than one role may: the hotline desk is the Office's,
# enterprises are registered by the departments. Otherwise the first of FALLBACK_USERS allowed.
USER_OF_VIEW = {"WorkOrderView": "office", "EnterpriseView": "ipb"}
FALLBACK_USERS = ["ipb", "office", "admin"]
_seq = itertools.count(1)
HOOK_HOST = "hooks.example.test"  # on the allow-list of hook targets for these tests


def _user_for(app, view, permission: str) -> str:
    sm = app.appbuilder.sm
    candidates = [USER_OF_VIEW[type(view).__name__]] if type(view).__name__ in USER_OF_VIEW \
        else FALLBACK_USERS
    for username in candidates:
        if sm._has_view_access(sm.find_user(username=username), permission,
                               view.class_permission_name):
            return username
    raise AssertionError(f"no test user may {permission} on {type(view).__name__}")


def form_views(app) -> list[tuple[str, str, bool, bool, str]]:
    """(view name, route base, has an add form, has an edit form, user) of every model view."""
    found = []
    with app.app_context():
        for view in app.appbuilder.baseviews:
            permissions = set(view.base_permissions or [])
            add, edit = "can_add" in permissions, "can_edit" in permissions
            if isinstance(view, ModelView) and (add or edit):
                user = _user_for(app, view, "can_add" if add else "can_edit")
                found.append((type(view).__name__, view.route_base, add, edit, user))
        db.session.remove()
    return found


def typed_value(name: str, lang: str, n: int) -> str:
    """What a person types into a required field the page left empty."""
    values = {
        "uscc": valid_uscc(),
        "email": f"form{lang}{n}@example.test",
        "password": PASSWORD, "conf_password": PASSWORD,
        "username": f"form_{lang}_{n}",
        "code": f"F{lang.upper()}{n}",
        "days": "2",
        "target_url": f"http://{HOOK_HOST}/puwan",  # (the page says it must be on the list)
    }
    return values.get(name, f"表单{lang}{n}")


def pick_date(page, field, day: int) -> None:
    """Open the field's picker and click ``day`` of the month it shows."""
    field.click()
    calendar = page.locator(".flatpickr-calendar.open")
    calendar.locator(".flatpickr-day:not(.prevMonthDay):not(.nextMonthDay)").get_by_text(
        str(day), exact=True).click()
    page.keyboard.press("Escape")


def fill_required(page, form, lang: str, n: int) -> list[str]:
    """Fill the required fields the page left empty (and choose in empty selects); returns the
    texts typed, to find the record by."""
    typed = []
    for select in form.locator("select").all():
        if not select.input_value() and (select.get_attribute("required") is not None
                                         or select.get_attribute("name") == "rating"):
            values = [v for v in select.locator("option").evaluate_all(
                "options => options.map(o => o.value)") if v]
            select.select_option(values[0])
    # A user needs a role (the server says so): a person chooses one.
    for select in form.locator("select[name=roles]").all():
        if not select.input_value():
            select.select_option(index=0)
    for field in form.locator("input[required], textarea[required]").all():
        if field.input_value() or field.get_attribute("type") in ("checkbox", "hidden"):
            continue
        picker = field.get_attribute("data-picker")
        if picker == "date":
            pick_date(page, field, 10 + LANGS.index(lang))
        elif picker == "datetime":
            field.press_sequentially("2026-11-28 00:30")
        else:
            value = typed_value(field.get_attribute("name"), lang, n)
            if field.get_attribute("type") == "number":  # (a number: the page says so)
                value = "2"
            if field.get_attribute("pattern"):  # (the page says the format: a person follows it)
                value = value.lower()
            field.press_sequentially(value)
            if field.get_attribute("type") not in ("password", "number"):
                typed.append(value)
    return typed


def submit(page, form) -> None:
    form.locator("button[type=submit]").first.click()
    page.wait_for_load_state()


def assert_saved(page, what: str) -> None:
    detail = page.locator(".alert-danger, .help-block").all_inner_texts() + [
        f"{name} left invalid" for name in page.locator("form :invalid").evaluate_all(
            "fields => fields.map(f => f.name)")]
    assert page.locator(".alert-success").count() == 1, f"{what} not saved: {detail}"


def record_row(page, texts: list[str]):
    """The list row showing every text typed into the record's form (any row if none)."""
    rows = page.locator("table tr:has(a[href*='/show/'])")
    for text in texts:
        rows = rows.filter(has_text=text)
    return rows.first


@pytest.fixture
def pages(browser, live_server):
    """Logged-in pages, one per (user, language), all closed at the end."""
    opened = {}

    def page_of(username: str, lang: str):
        if (username, lang) not in opened:
            page = new_page(browser, live_server, BROWSER_LOCALES[lang])
            page.set_default_timeout(5000)
            log_in(page, live_server, username, lang)
            opened[username, lang] = page
        return opened[username, lang]

    yield page_of
    for page in opened.values():
        assert page.outside_requests == []
        page.context.close()


@pytest.fixture
def reference_rows(app):
    """Reference data and security rows the forms add are removed afterwards."""
    from flask_appbuilder.security.sqla.models import Group, Role

    from app.clocks.models import CalendarOverride
    from app.core.models import Department
    from app.registers.workorders.models import ServiceType

    models = (CalendarOverride, Group, Role, Department, ServiceType)
    with app.app_context():
        last = {m: db.session.query(db.func.max(m.id)).scalar() or 0 for m in models}
        db.session.remove()
    yield
    with app.app_context():
        for model in models:
            for row in db.session.query(model).filter(model.id > last[model]):
                if model is Role:
                    row.permissions = []
                db.session.delete(row)
        db.session.commit()
        db.session.remove()


@pytest.fixture
def link_targets(app):
    """What a department's forms link to and a clerk finds already there: an enterprise, an
    event of each kind open for registration (registrations, financing needs and booth
    subsidies are recorded against one), a project (its monthly reports, reviews and agenda
    items name one), a meeting of the leading group (agenda items and resolutions are recorded
    at one) and a convening institution (an expert review meeting is held for the project, by
    the institution)."""
    from app.core.timeutil import utcnow
    from app.registers.enterprises.models import Enterprise
    from app.registers.events.models import KINDS, Event

    with app.app_context():
        from app.registers.projects.models import Project

        ipb = department_id("IPB")
        enterprise = Enterprise(uscc=valid_uscc(), name_zh="表单用企业", department_id=ipb)
        db.session.add(enterprise)
        for n, kind in enumerate(KINDS):
            db.session.add(Event(kind=kind, name_zh=f"表单用活动{n}", state="open",
                                 starts_at=utcnow() + dt.timedelta(days=10 + n),
                                 department_id=ipb))
        # a project (reviews and agenda items name one), a meeting of the leading group, an
        # institution that convenes expert reviews
        from app.registers.institutions.models import Institution
        from app.registers.resolutions.models import InvestmentMeeting

        db.session.flush()
        enterprise = db.session.query(Enterprise).filter_by(name_zh="表单用企业").one()
        db.session.add(Project(name_zh="表单用化工项目", enterprise_id=enterprise.id,
                               industry="chemical", stage="signed", department_id=ipb))
        db.session.add(InvestmentMeeting(held_on=utcnow().date() - dt.timedelta(days=30),
                                         name_zh="表单用审查会", department_id=ipb))
        db.session.add(Institution(name_zh="表单用评审机构", kind="engineering_management"))
        db.session.commit()
        db.session.remove()


@pytest.mark.parametrize("lang", LANGS)
def test_every_add_and_edit_form_saves_what_the_page_fills_in(app, live_server, pages, lang,
                                                              reference_rows, link_targets,
                                                              monkeypatch):
    monkeypatch.setitem(app.config, "HOOK_ALLOWED_HOSTS", [HOOK_HOST])
    views = form_views(app)
    assert {"WorkOrderView", "CalendarOverrideView", "SlaPolicyView", "EnterpriseView",
            "DepartmentView", "PuwanUserDBModelView"} <= {v[0] for v in views}
    failures = []
    for view, route_base, can_add, can_edit, username in views:
        page = pages(username, lang)
        try:
            texts = []
            if can_add:
                page.goto(f"{live_server}{route_base}/add")
                form = page.locator("#model_form")
                texts = fill_required(page, form, lang, next(_seq))
                submit(page, form)
                assert_saved(page, f"{view} add")
            row = record_row(page, texts)  # on the list the form went back to, or all of it
            if f"{route_base}/list/" not in page.url or not row.count():
                page.goto(f"{live_server}{route_base}/list/?psize_{view}=100")
            expect(row).to_be_visible()
            if can_edit:
                row.locator("a[href*='/edit/']").first.click()
                page.wait_for_load_state()
                form = page.locator("#model_form")
                fill_required(page, form, lang, next(_seq))
                submit(page, form)
                assert_saved(page, f"{view} edit")
                expect(record_row(page, texts)).to_be_visible()  # back on the list
        except (AssertionError, PlaywrightError) as error:
            failures.append(f"{view} as {username}: {str(error).splitlines()[0]}")
    assert failures == [], "\n".join(failures)


# The order's life, each step by whom it falls to: (action, user, state after it)
WALK = [
    ("supervise", "office", "received"),
    ("dispatch", "office", "dispatched"),
    ("return", "ipb", "returned"),
    ("dispatch", "office", "dispatched"),
    ("accept", "ipb", "accepted"),
    ("request_extension", "ipb", "accepted"),
    ("approve_extension", "office", "accepted"),
    ("request_extension", "ipb", "accepted"),
    ("reject_extension", "office", "accepted"),
    ("start", "ipb", "in_progress"),
    ("wait", "ipb", "waiting"),
    ("resume", "ipb", "in_progress"),
    ("resolve", "ipb", "resolved"),
    ("follow_up", "office", "followed_up"),
    ("reopen", "office", "in_progress"),
    ("resolve", "ipb", "resolved"),
    ("follow_up", "office", "followed_up"),
    ("close", "office", "closed"),
]


@pytest.mark.parametrize("lang", LANGS)
def test_every_work_order_action_form_saves_what_the_page_fills_in(app, live_server, pages,
                                                                   orders, lang):
    from app.registers.workorders.lifecycle import TRANSITIONS

    assert {action for action, _user, _state in WALK} == set(TRANSITIONS)
    pk = orders.create()
    with app.app_context():
        ipb = str(department_id("IPB"))
        db.session.remove()
    previous = None
    for step, (action, username, state) in enumerate(WALK):
        page = pages(username, lang)
        if username != previous:  # otherwise the page is the order, as the last step left it
            page.goto(f"{live_server}/workorders/show/{pk}")
        previous = username
        form = page.locator(f"#action-{action}")
        if action == "dispatch":  # the dispatcher chooses the handling department
            form.locator("select[name=department]").select_option(ipb)
        fill_required(page, form, lang, step)
        submit(page, form)
        assert_saved(page, f"step {step} {action}")
        assert orders.state(pk) == state, f"step {step} {action}"
