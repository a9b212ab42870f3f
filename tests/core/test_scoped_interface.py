"""The scoped data interface itself: every query FAB can run through it is department-bound,
including the grouping queries behind FAB's charts."""
from flask_login import login_user

from app.core.interface import ScopedInterface
from app.core.models import PuwanUser
from app.extensions import db
from app.registers.enterprises.models import Enterprise


def _as(app, username):
    ctx = app.test_request_context("/")
    ctx.push()
    login_user(db.session.query(PuwanUser).filter_by(username=username).one())
    return ctx


def test_chart_grouping_counts_only_own_department(app, enterprises):
    enterprises.create("IPB", industry="chemical")
    enterprises.create("EDB", industry="chemical")
    enterprises.create("EDB", industry="food")
    ctx = _as(app, "ipb")
    try:
        groups = ScopedInterface(Enterprise).query_simple_group("industry")
    finally:
        ctx.pop()
    assert [(row[0], row[1]) for row in groups] == [("chemical", 1)]


def test_get_without_filters_is_still_scoped(app, enterprises):
    theirs = enterprises.create("EDB")
    ctx = _as(app, "ipb")
    try:
        assert ScopedInterface(Enterprise).get(theirs) is None
    finally:
        ctx.pop()


def test_related_lookup_is_scoped(app, enterprises):
    ctx = _as(app, "ipb")
    try:
        edb_user = db.session.query(PuwanUser).filter_by(username="edb").one()
        assert ScopedInterface(Enterprise).get_related_obj("secretary", edb_user.id) is None
    finally:
        ctx.pop()
