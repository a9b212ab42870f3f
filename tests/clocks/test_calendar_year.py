"""The working-day calendar's year page: official holidays, make-up working days (调休) and the
administrator's overrides of one year together, month by month, in the page's language."""
import datetime as dt
import re

import pytest

from app.clocks.models import CalendarOverride
from app.clocks.year import holiday_name, year_days
from app.extensions import db
from app.sla.calendar import WorkCalendar


@pytest.fixture
def typhoon_day(app):
    """An administrator's day off on Monday 2026-09-21."""
    with app.app_context():
        row = CalendarOverride(day=dt.date(2026, 9, 21), working=False, note="台风停工")
        db.session.add(row)
        db.session.commit()
        pk = row.id
    yield pk
    with app.app_context():
        db.session.delete(db.session.get(CalendarOverride, pk))
        db.session.commit()


def _row(html: str, day: str) -> str:
    row = re.search(rf'<tr data-day="{day}">(.*?)</tr>', html, re.S).group(1)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()


@pytest.mark.parametrize("lang,holiday,makeup,override", [
    ("zh", "放假：国庆节", "调休上班日：调休上班（2026-10-06 放假）", "调整为休息日：台风停工"),
    ("ja", "公式休日：国慶節", "振替出勤日：振替出勤（2026-10-06 の休日分）", "調整：休日：台风停工"),
])
def test_year_page_shows_holidays_make_up_days_and_overrides_together(auth, typhoon_day, lang,
                                                                       holiday, makeup,
                                                                       override):
    html = auth.client("admin", lang=lang).get("/calendar/year/2026").get_data(as_text=True)
    assert holiday in _row(html, "2026-10-01")
    assert makeup in _row(html, "2026-09-20")
    assert override in _row(html, "2026-09-21")
    assert f'href="/calendar/edit/{typhoon_day}"' in html
    assert 'class="day-override off" data-day="2026-09-21"' in html
    assert 'href="/calendar/year/2025"' in html and 'href="/calendar/year/2027"' in html
    assert 'id="year-unconfirmed"' not in html


def test_year_page_of_a_year_without_official_schedule_says_so(auth):
    html = auth.client("admin", lang="zh").get("/calendar/year/2027").get_data(as_text=True)
    assert "2027 年的官方节假日安排尚未公布" in html


@pytest.mark.parametrize("path,status", [("/calendar/year/1999", 404), ("/calendar/year/2100", 404),
                                         ("/calendar/year/", 200)])
def test_year_page_covers_the_years_the_calendar_knows(auth, path, status):
    assert auth.client("admin", lang="en").get(path).status_code == status


def test_overrides_list_links_to_the_year_page(auth):
    html = auth.client("admin", lang="ja").get("/calendar/list/").get_data(as_text=True)
    assert 'href="/calendar/year/"' in html and "勤務日カレンダー（年間）" in html


@pytest.mark.parametrize("name,shown", [
    ("National Day (observed)", "国庆节（补休）"),
    ("Day off (substituted from 09/20/2026)", "调休放假（2026-09-20 上班）"),
    ("Chinese New Year's Eve; Chinese New Year (Spring Festival)", "除夕; 春节"),
])
def test_holiday_names_are_shown_in_the_page_language(app, name, shown):
    with app.test_request_context(headers={"Accept-Language": "zh"}):
        assert holiday_name(name) == shown


def test_a_make_up_day_knows_the_day_off_it_is_worked_for():
    days = year_days(WorkCalendar(), 2026)
    assert days[dt.date(2026, 9, 20)].exchange == dt.date(2026, 10, 6)
    assert days[dt.date(2026, 10, 10)].exchange == dt.date(2026, 10, 7)
    assert days[dt.date(2026, 10, 1)].exchange is None
