"""Date, time and boolean fields of every model view are chosen from the column's type, once:
what the page fills in is what the server takes back (times in Shanghai, to the minute; an
unticked box is False)."""
import datetime as dt
import re

import pytest
from flask_appbuilder import ModelView
from sqlalchemy import Boolean, Date, DateTime
from werkzeug.datastructures import MultiDict
from wtforms import BooleanField, Form

from app.core.forms import LocalDateField, LocalDateTimeField
from app.extensions import db
from tests.conftest import csrf_token

FIELD_OF_TYPE = {DateTime: LocalDateTimeField, Date: LocalDateField, Boolean: BooleanField}


def _form_fields(app):
    """(view, form kind, column, field) for every date, time and boolean field of every form."""
    for view in app.appbuilder.baseviews:
        if not isinstance(view, ModelView):
            continue
        table = view.datamodel.obj.__table__
        for kind, form in (("add", view.add_form), ("edit", view.edit_form),
                           ("search", view.search_form)):
            for name, field in form()._fields.items():
                column = table.columns.get(name)
                if column is not None and type(column.type) in FIELD_OF_TYPE:
                    yield type(view).__name__, kind, column, field


def test_every_date_time_and_boolean_field_of_every_view_is_chosen_from_its_column(app):
    with app.test_request_context():
        fields = list(_form_fields(app))
        wrong = [f"{view} {kind} {column.key}: {type(field).__name__}"
                 for view, kind, column, field in fields
                 if not isinstance(field, FIELD_OF_TYPE[type(column.type)])]
        # FAB makes NOT NULL booleans required: a box could never be left unticked.
        required_boxes = [f"{view} {kind} {column.key}" for view, kind, column, field in fields
                          if isinstance(field, BooleanField) and field.flags.required]
    covered = {(view, column.key) for view, _kind, column, _field in fields}
    assert {("WorkOrderView", "received_at"), ("CalendarOverrideView", "day"),
            ("CalendarOverrideView", "working"), ("EnterpriseView", "japanese_funded"),
            ("PuwanUserDBModelView", "active")} <= covered
    assert wrong == [] and required_boxes == []


class _Form(Form):
    at = LocalDateTimeField()
    day = LocalDateField()


def test_edit_form_shows_a_stored_utc_instant_in_shanghai_and_saves_it_back_as_utc(app):
    stored = type("Row", (), {"at": dt.datetime(2026, 11, 27, 16, 30), "day": dt.date(2026, 11, 28)})
    with app.app_context():
        shown = _Form(obj=stored)
        assert (shown.at._value(), shown.day._value()) == ("2026-11-28 00:30", "2026-11-28")
        posted = _Form(MultiDict({"at": shown.at._value(), "day": shown.day._value()}))
        assert posted.validate()
        assert (posted.at.data, posted.day.data) == (stored.at, stored.day)


def test_a_new_records_time_defaults_to_shanghai_now_to_the_minute(app):
    with app.app_context():
        field = _Form(data={"at": dt.datetime(2026, 11, 27, 16, 18, 53, 690126)}).at
        assert field._value() == "2026-11-28 00:18"


@pytest.mark.parametrize("typed", ["2026-11-28 24:00", "2026-02-30 10:00", "tomorrow"])
def test_a_time_that_cannot_be_read_is_refused_with_the_expected_form(app, typed):
    with app.test_request_context(headers={"Accept-Language": "ja"}):
        form = _Form(MultiDict({"at": typed}))
        assert not form.validate()
        assert form.at.errors == ["日時を 2026-11-28 09:30 のように入力してください。"]
        assert form.at._value() == typed  # shown again as typed, to be corrected


def test_a_day_off_is_saved_with_the_working_day_box_unticked(app, auth):
    from app.clocks.models import CalendarOverride

    admin = auth.client("admin", lang="zh")
    page = admin.get("/calendar/add").get_data(as_text=True)
    assert "required" not in re.search(r'<input[^>]*name="working"[^>]*>', page).group(0)
    resp = admin.post("/calendar/add", data={"day": "2026-09-21", "note": "台风停工",
                                             "csrf_token": csrf_token(admin, "/calendar/add")})
    assert resp.status_code == 302, resp.get_data(as_text=True)[:500]
    with app.app_context():
        row = db.session.query(CalendarOverride).filter_by(day=dt.date(2026, 9, 21)).one()
        assert row.working is False
        db.session.delete(row)
        db.session.commit()


def test_user_form_starts_new_users_active(auth):
    html = auth.client("admin", lang="zh").get("/users/add").get_data(as_text=True)
    assert '<input checked id="active" name="active" type="checkbox" value="y">' in html


@pytest.mark.parametrize("lang", ["zh", "ja", "en"])
def test_the_date_picker_speaks_the_pages_language_from_our_own_files(auth, lang):
    office = auth.client("office", lang=lang)
    html = office.get("/workorders/add").get_data(as_text=True)
    assert f'data-locale="{lang}" data-picker="datetime"' in html
    for path in ("vendor/flatpickr/flatpickr.min.js", "vendor/flatpickr/l10n/zh.js",
                 "vendor/flatpickr/l10n/ja.js", "puwan/picker.js"):
        assert f"/static/{path}" in html
        assert office.get(f"/static/{path}").status_code == 200
