"""What the resolution tests share: the Office (``office``, a dispatcher of OFFICE) keeps the
meetings and resolutions; IPB (``ipb``) is the responsible department; EDB (``edb``) has
nothing to do with them. REST calls as each, a meeting, a resolution, an evidence upload."""
from __future__ import annotations

import datetime as dt
import io

import pytest

from app.extensions import db
from app.registers.projects.models import Project
from app.registers.resolutions.models import SupervisionReport
from app.sla.calendar import WorkCalendar
from tests.conftest import csrf_token
from tests.factories import department_id as _department_id

MEETINGS = "/api/v1/investment_meeting/"
RESOLUTIONS = "/api/v1/resolution/"


@pytest.fixture
def ids(app) -> dict:
    """Department code -> id."""
    with app.app_context():
        out = {code: _department_id(code) for code in ("OFFICE", "IPB", "EDB", "AAB", "PCB")}
        db.session.remove()
    return out


def working_day(after: dt.date) -> dt.date:
    return WorkCalendar().next_working_day(after)


@pytest.fixture(autouse=True)
def _no_reports(app):
    """Stored reports are no register's records: removed here after each test."""
    yield
    with app.app_context():
        db.session.query(SupervisionReport).delete()
        db.session.commit()
        db.session.remove()


@pytest.fixture
def api(app, auth):
    tokens = {}

    def call(method, path, username="office", **kwargs):
        if username not in tokens:
            tokens[username] = auth.token(username)
        return getattr(app.test_client(), method)(path, headers=tokens[username], **kwargs)

    return call


@pytest.fixture
def project(app, enterprises):
    with app.app_context():
        item = Project(name_zh="年产十万吨新材料项目", enterprise_id=enterprises.create("IPB"),
                       industry="chemical", stage="signed", department_id=_department_id("IPB"))
        db.session.add(item)
        db.session.commit()
        pk = item.id
        db.session.remove()
    return pk


@pytest.fixture
def meeting(api):
    def make(held_on: dt.date = dt.date(2026, 9, 10), title: str = "第九次投资审查会") -> int:
        resp = api("post", MEETINGS, json={"held_on": held_on.isoformat(), "name_zh": title})
        assert resp.status_code == 201, resp.json
        return resp.json["id"]

    return make


@pytest.fixture
def resolution(api, meeting, ids):
    def make(deadline: dt.date, meeting_id: int | None = None, handling: str = "IPB",
             text: str = "完成项目用地预审", now: dt.datetime | None = None) -> int:
        payload = {"meeting": meeting_id or meeting(), "text_zh": text,
                   "handling_department": ids[handling],
                   "deadline": deadline.isoformat()}
        resp = api("post", RESOLUTIONS, json=payload)
        assert resp.status_code == 201, resp.json
        return resp.json["id"]

    return make


def act(api, pk, action, username="ipb", **data):
    return api("post", f"{RESOLUTIONS}{pk}/transition/{action}", username, json=data)


def upload(client, pk, data: bytes = b"%PDF-1.4 evidence", filename: str = "evidence.pdf"):
    return client.post(f"/resolutions/upload/{pk}", content_type="multipart/form-data",
                       data={"file": (io.BytesIO(data), filename),
                             "csrf_token": csrf_token(client, "/")})
