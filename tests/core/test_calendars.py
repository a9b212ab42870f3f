"""A register that declares a calendar gets a month page: in the reader's language, each record
a link on its Shanghai day, coloured with a legend, only what the reader may see, one query for
the month, and the permission through the roles' profiles (no edit of roles.yaml).

No register of the plan declares a calendar yet; the page is tested on a copy of the enterprise
register declared here as a new register would be (on an app of its own, the same database)."""
import datetime as dt
import re

import pytest
from flask_babel import lazy_gettext as _

from app.core import registry
from app.core.calendars import PER_DAY, Calendar, record_days
from app.core.registry import Register
from app.core.seeds import load_all
from app.extensions import db
from app.registers.enterprises.models import Enterprise
from tests.conftest import Auth, make_app
from tests.core.test_list_at_scale import page_queries

DIARY = Register(
    model=Enterprise, name="Enterprise diary", key="EnterpriseDiary", resource="enterprise_diary",
    label=_("Enterprises"), title=_("Enterprise"), route="/enterprise-diary",
    edit_columns=["uscc", "name_zh", "industry", "stage", "department"],
    calendar=Calendar(start="created_on", title="name", color="industry"),
)
DIARY_NAMES = ("EnterpriseDiaryView", "EnterpriseDiaryApi", "EnterpriseDiaryCalendarView",
               "Enterprise diary", "Enterprise diary calendar")
PAGE = "/enterprise-diary/calendar/"


def _forget_permissions(sm) -> None:
    """The copy's permissions leave the shared test database with it."""
    views = sm.session.query(sm.viewmenu_model).filter(
        sm.viewmenu_model.name.in_(DIARY_NAMES)).all()
    pvms = sm.session.query(sm.permissionview_model).filter(
        sm.permissionview_model.view_menu_id.in_([v.id for v in views])).all()
    for role in sm.get_all_roles():
        role.permissions = [p for p in role.permissions if p not in pvms]
    for item in (*pvms, *views):
        sm.session.delete(item)
        sm.session.flush()
    sm.session.commit()


@pytest.fixture(scope="module")
def diary(app):
    """An app on which the copy is declared, installed and seeded like any register."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(registry._REGISTERS, "enterprise_diary", DIARY)
        fresh = make_app()
        with fresh.app_context():
            load_all()
            db.session.remove()
        yield fresh
    with app.app_context():
        _forget_permissions(app.appbuilder.sm)
        db.session.remove()


@pytest.fixture
def users(diary):
    return Auth(diary)


def _created(app, pk: int, at: dt.datetime) -> None:
    with app.app_context():
        db.session.query(Enterprise).filter_by(id=pk).update({"created_on": at})
        db.session.commit()
        db.session.remove()


def _cell(html: str, day: str) -> str:
    match = re.search(rf'data-day="{day}">(.*?)</td>', html, re.S)
    assert match, day
    return match.group(1)


def _pk_links(html: str) -> set[int]:
    return {int(pk) for pk in re.findall(r'href="/enterprise-diary/show/(\d+)"', html)}


def test_each_record_is_a_link_on_its_shanghai_day(app, users, enterprises):
    pk = enterprises.create("IPB", name_zh="夜里登记的企业")
    _created(app, pk, dt.datetime(2026, 11, 3, 17, 30))  # 01:30 on the 4th in Shanghai
    html = users.client("ipb", lang="zh").get(f"{PAGE}?month=2026-11").get_data(as_text=True)
    assert f'href="/enterprise-diary/show/{pk}"' in _cell(html, "2026-11-04")
    assert "01:30" in _cell(html, "2026-11-04")
    assert "夜里登记的企业" not in _cell(html, "2026-11-03")


def test_another_departments_records_are_not_on_the_calendar(app, users, enterprises):
    own = enterprises.create("IPB")
    other = enterprises.create("EDB")
    for pk in (own, other):
        _created(app, pk, dt.datetime(2026, 11, 10, 2, 0))
    assert _pk_links(users.client("ipb").get(f"{PAGE}?month=2026-11").get_data(as_text=True)) \
        == {own}
    # a zone reader reads every department's
    assert _pk_links(users.client("reader").get(f"{PAGE}?month=2026-11").get_data(
        as_text=True)) == {own, other}


def test_only_the_shown_month_is_on_the_page(app, users, enterprises):
    october = enterprises.create("IPB")
    _created(app, october, dt.datetime(2026, 10, 31, 15, 59))  # 23:59 on 31 October, Shanghai
    november = enterprises.create("IPB")
    _created(app, november, dt.datetime(2026, 10, 31, 16, 0))  # midnight: 1 November
    client = users.client("ipb")
    assert _pk_links(client.get(f"{PAGE}?month=2026-11").get_data(as_text=True)) == {november}
    assert _pk_links(client.get(f"{PAGE}?month=2026-10").get_data(as_text=True)) == {october}


def test_the_month_costs_the_same_queries_for_few_or_many_records(app, diary, users,
                                                                   enterprises):
    client = users.client("ipb")
    for _n in range(2):
        _created(app, enterprises.create("IPB"), dt.datetime(2026, 9, 8, 3, 0))
    few = page_queries(diary, client, f"{PAGE}?month=2026-09")
    for n in range(20):
        _created(app, enterprises.create("IPB"), dt.datetime(2026, 9, 1 + n, 3, 0))
    assert page_queries(diary, client, f"{PAGE}?month=2026-09") == few


def test_a_crowded_day_lists_a_few_and_the_rest_behind_more(app, users, enterprises):
    for _n in range(PER_DAY + 2):
        _created(app, enterprises.create("IPB"), dt.datetime(2026, 8, 12, 3, 0))
    cell = _cell(users.client("ipb").get(f"{PAGE}?month=2026-08").get_data(as_text=True),
                 "2026-08-12")
    visible, hidden = cell.split("<details>")
    assert len(_pk_links(visible)) == PER_DAY and len(_pk_links(hidden)) == 2
    assert "2 more" in hidden


def test_week_month_and_navigation_are_in_the_readers_language(users):
    html = users.client("ipb", lang="ja").get(f"{PAGE}?month=2026-11").get_data(as_text=True)
    assert re.search(r"<th>月</th><th>火</th>.*<th>日</th>", html)
    assert "2026年11月" in html
    assert re.search(r'href="\?month=2026-10">[^<]*2026年10月', html)
    assert re.search(r'href="\?month=2026-12">2026年12月', html)
    assert "今日" in html  # the button back to this month
    html = users.client("ipb", lang="en").get(f"{PAGE}?month=2026-11").get_data(as_text=True)
    assert "November 2026" in html and "<th>Mon</th>" in html and "Today" in html


def test_today_is_marked(users):
    html = users.client("ipb").get(PAGE).get_data(as_text=True)
    today = dt.datetime.now(dt.UTC).astimezone(dt.timezone(dt.timedelta(hours=8))).date()
    assert re.search(rf'class="inside today" data-day="{today.isoformat()}"', html)


def test_records_are_coloured_by_their_industry_with_a_legend(app, users, enterprises):
    pk = enterprises.create("IPB", industry="food")
    _created(app, pk, dt.datetime(2026, 7, 7, 3, 0))
    html = users.client("ipb", lang="zh").get(f"{PAGE}?month=2026-07").get_data(as_text=True)
    legend = re.search(r'id="calendar-legend">(.*?)</p>', html, re.S).group(1)
    food = re.search(r'data-code="food"><i class="swatch" style="background: (#\w+)"></i>'
                     r"食品加工", legend)
    assert food, legend
    entry = _cell(html, "2026-07-07")
    assert f"border-color: {food.group(1)}" in entry and "食品加工" in entry  # (its tooltip)


@pytest.mark.parametrize("month", ["2026-13", "november", "1999-12"])
def test_a_month_that_cannot_be_read_is_not_found(users, month):
    assert users.client("ipb").get(f"{PAGE}?month={month}").status_code == 404


def test_profiles_give_the_new_register_to_the_roles_without_editing_roles_yaml(users):
    reader, staff = users.client("reader"), users.client("ipb")
    assert reader.get(PAGE).status_code == 200  # read: its calendar …
    assert 'href="/enterprise-diary/calendar/"' in reader.get("/").get_data(as_text=True)
    assert reader.get("/enterprise-diary/add").status_code in (302, 403)  # … but no adding
    assert staff.get("/enterprise-diary/add").status_code == 200  # write


def test_without_login_the_calendar_asks_to_log_in(diary):
    resp = diary.test_client().get(PAGE)
    assert resp.status_code == 302 and "/login/" in resp.headers["Location"]


@pytest.mark.parametrize("start, end, days", [
    # an instant on its day in Shanghai
    (dt.datetime(2026, 11, 30, 16, 0), None, []),            # 1 December already
    (dt.datetime(2026, 11, 30, 15, 59), None, [30]),
    # several days, cut to the month
    (dt.datetime(2026, 10, 30, 2, 0), dt.datetime(2026, 11, 2, 2, 0), [1, 2]),
    (dt.date(2026, 11, 29), dt.date(2026, 12, 3), [29, 30]),
    (dt.date(2026, 11, 5), dt.date(2026, 11, 4), [5]),        # an end before the start
    (None, None, []),
])
def test_a_record_covers_the_days_from_its_start_to_its_end(app, start, end, days):
    with app.app_context():
        covered = record_days(start, end, dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert [d.day for d in covered] == days


def test_a_busy_month_says_only_the_first_records_are_shown(app, users, enterprises,
                                                              monkeypatch):
    from app.core import calendars

    monkeypatch.setattr(calendars, "LIMIT", 3)
    for n in range(4):
        _created(app, enterprises.create("IPB"), dt.datetime(2026, 6, 1 + n, 3, 0))
    html = users.client("ipb").get(f"{PAGE}?month=2026-06").get_data(as_text=True)
    assert len(_pk_links(html)) == 3 and 'id="calendar-limit"' in html
