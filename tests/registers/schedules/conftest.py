import datetime as dt

import pytest
from flask import g

from app.core.models import PuwanUser
from app.core.users import create_user
from app.extensions import db
from app.registers.enterprises.models import Enterprise
from app.registers.projects.models import Project
from tests.factories import PASSWORD, Make, department_id

# Planning "today": Tue Sep 1 2026, 09:00 in Shanghai.
NOW = dt.datetime(2026, 9, 1, 1, 0)


@pytest.fixture
def project(ctx):
    """A chemical project led by IPB, to produce from Fri Oct 16 2026."""
    def make(industry="chemical", target=dt.date(2026, 10, 16)):
        item = Project(name_zh=Make.text("年产十万吨新材料项目"), industry=industry,
                       enterprise_id=Make.record(Enterprise), stage="approvals",
                       department_id=department_id("IPB"), target_production_start=target)
        db.session.add(item)
        db.session.commit()
        return item
    return make


@pytest.fixture
def acting(app):
    """Run a command as a user (username, department code) within a request."""
    def act(username, code="AAB"):
        if db.session.query(PuwanUser).filter_by(username=username).first() is None:
            create_user(username, PASSWORD, code, ["Department staff"], first_name=username,
                        last_name=code, email=f"{username}@test.local")
            db.session.commit()
        context = app.test_request_context()
        context.push()
        g.user = db.session.query(PuwanUser).filter_by(username=username).one()
        return context
    return act
