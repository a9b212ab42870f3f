"""Supervision (督办) entries have a page of their own under Service promises: a department sees
those on its own work, the Office and the zone's readers see all."""
import re

import pytest

from app.clocks.models import Supervision
from app.clocks.sweep import sweep
from app.extensions import db
from tests.clocks.conftest import at


def _overdue(app, orders, department) -> int:
    pk = orders.dispatched(department, received_at="2026-11-02T09:00")
    with app.app_context():
        sweep(db.session, at(2026, 11, 10))
        db.session.remove()
    return pk


def _entries(app) -> dict[int, int]:
    """Supervised order id -> supervision entry id."""
    with app.app_context():
        rows = db.session.query(Supervision.subject_id, Supervision.id).all()
        db.session.remove()
    return dict(rows)


def _ticket_links(html: str) -> set[str]:
    return set(re.findall(r'<a href="/workorders/show/(\d+)">PW-\d{4}-\d{6}</a>', html))


def test_a_department_sees_only_the_supervision_of_its_own_work(app, orders, auth):
    mine = _overdue(app, orders, "IPB")
    theirs = _overdue(app, orders, "EDB")
    entries = _entries(app)
    ipb = auth.client("ipb", lang="zh")
    html = ipb.get("/supervision/list/").get_data(as_text=True)
    assert _ticket_links(html) == {str(mine)}
    assert "服务承诺超时（系统自动督办）" in html and "投资促进局" in html
    assert ipb.get(f"/supervision/show/{entries[mine]}").status_code == 200
    assert ipb.get(f"/supervision/show/{entries[theirs]}").status_code == 404


@pytest.mark.parametrize("username", ["office", "reader", "auditor"])
def test_the_office_and_readers_see_every_departments_supervision(app, orders, auth, username):
    mine = _overdue(app, orders, "IPB")
    theirs = _overdue(app, orders, "EDB")
    html = auth.client(username, lang="ja").get("/supervision/list/").get_data(as_text=True)
    assert _ticket_links(html) == {str(mine), str(theirs)}
    assert "督促" in html and "サービス公約の期限超過（自動で督促を開始）" in html


def test_supervision_opened_by_the_office_shows_its_reason(app, orders, auth):
    pk = orders.dispatched("IPB")
    assert orders.act(pk, "supervise", "office", reason="领导要求加快办理").status_code == 200
    html = auth.client("ipb", lang="zh").get("/supervision/list/").get_data(as_text=True)
    assert "管委会办公室督办" in html and "领导要求加快办理" in html and str(pk) in html


def test_supervision_is_in_the_service_promises_menu(auth):
    html = auth.client("ipb", lang="zh").get("/").get_data(as_text=True)
    assert 'href="/supervision/list/"' in html and "督办" in html


def test_supervision_cannot_be_changed_through_its_page(app, orders, auth):
    mine = _overdue(app, orders, "IPB")
    entry = _entries(app)[mine]
    from tests.conftest import csrf_token

    office = auth.client("office")
    token = csrf_token(office, "/")
    assert office.post(f"/supervision/delete/{entry}", data={"csrf_token": token}).status_code \
        in (403, 404)
    assert office.post(f"/supervision/edit/{entry}", data={"csrf_token": token}).status_code \
        in (403, 404)
    assert _entries(app) == {mine: entry}
