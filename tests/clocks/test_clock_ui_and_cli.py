"""What people see: notices per department in their language, the unconfirmed-year warning,
and the `flask sla` commands."""
from app.clocks.service import start_clock
from app.clocks.sweep import sweep
from app.extensions import db
from tests.clocks.conftest import at
from tests.factories import department_id


def _breach(app, enterprises, department):
    pk = enterprises.create(department)
    with app.app_context():
        start_clock(db.session, subject_type="enterprise", subject_id=pk, name="resolution",
                    policy_code="consultation", department_id=department_id(department),
                    at=at(2026, 11, 25, 10))
        db.session.commit()
        sweep(db.session, at(2026, 11, 28))
        db.session.remove()
    return pk


def test_department_sees_its_own_notices_in_its_language(app, auth, enterprises):
    mine = _breach(app, enterprises, "IPB")
    theirs = _breach(app, enterprises, "EDB")
    html = auth.client("ipb", lang="zh").get("/notices/list/").get_data(as_text=True)
    # the record by its own name, not "企业 #12"
    assert f"{enterprises.get(mine)['name_zh']}：办结已超时，已启动督办。" in html
    assert enterprises.get(theirs)["name_zh"] not in html


def test_zone_reader_sees_every_departments_clocks(app, auth, enterprises):
    mine = _breach(app, enterprises, "IPB")
    theirs = _breach(app, enterprises, "EDB")
    html = auth.client("reader", lang="ja").get("/sla-clocks/list/").get_data(as_text=True)
    assert "期限超過" in html
    # each record by its name, linked to its page
    for pk in (mine, theirs):
        assert f'<a href="/enterprises/show/{pk}">{enterprises.get(pk)["name_zh"]}</a>' in html


def test_unconfirmed_next_year_is_shown_on_sla_pages(auth):
    # Today (2026) is confirmed in the package; 2027 is not yet.
    html = auth.client("admin", lang="zh").get("/calendar/list/").get_data(as_text=True)
    assert "2027 年的节假日安排尚未确认" in html


def test_cli_sweep_warns_about_an_unconfirmed_year(app):
    result = app.test_cli_runner().invoke(args=["sla", "sweep", "--now", "2027-03-01T10:00"])
    assert result.exit_code == 0, result.output
    assert "2027 holiday schedule is not confirmed" in result.output
    assert "to breached" in result.output


def test_cli_calendar_lists_make_up_days(app):
    result = app.test_cli_runner().invoke(args=["sla", "calendar", "--year", "2026"])
    assert result.exit_code == 0
    assert "2026: confirmed" in result.output
    assert "2026-10-10  working  makeup" in result.output


def test_admin_edits_which_states_pause_a_policy(app, auth):
    from tests.conftest import csrf_token

    with app.app_context():
        from app.clocks.models import SlaPolicy

        pk = db.session.query(SlaPolicy.id).filter_by(code="difficult").scalar()
    admin = auth.client("admin", lang="zh")
    form = admin.get(f"/sla-policies/edit/{pk}").get_data(as_text=True)
    import re

    assert re.search(r'<option (selected )?value="waiting"( selected)?', form).group(0).count(
        "selected") == 1  # the current pause state is pre-selected
    resp = admin.post(f"/sla-policies/edit/{pk}", data={
        "name_zh": "疑难类办结时限", "name_ja": "困難類の処理期限", "name_en": "Resolution (difficult)",
        "amount": "3", "unit": "working_days", "warning_percent": "80",
        "pause_states": ["waiting", "returned"], "csrf_token": csrf_token(admin, "/")})
    assert resp.status_code == 302
    with app.app_context():
        policy = db.session.get(SlaPolicy, pk)
        assert (policy.warning_percent, policy.pause_states) == (80, ["waiting", "returned"])
        policy.warning_percent, policy.pause_states = 75, ["waiting"]
        db.session.commit()
