import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from app.clocks.models import Notice, SlaClock, SlaTransition, Supervision
from app.extensions import db
from app.sla import hooks

SH = ZoneInfo("Asia/Shanghai")


def at(*args):
    return dt.datetime(*args, tzinfo=SH)


@pytest.fixture(autouse=True)
def _clean_clocks(app):
    yield
    with app.app_context():
        for model in (Notice, Supervision, SlaTransition, SlaClock):
            db.session.query(model).delete()
        db.session.commit()


@pytest.fixture
def received():
    """Every hook delivery, as (subject type, subject id, old, new)."""
    seen = []

    def receiver(sender, **kw):
        seen.append((sender, kw["clock"].subject_id, kw["old"], kw["new"]))

    hooks.state_changed.connect(receiver)
    yield seen
    hooks.state_changed.disconnect(receiver)
