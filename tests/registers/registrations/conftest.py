"""Events and registrations made like the data staff would find (the events' lifecycle is
another package's: the state is set directly)."""
from __future__ import annotations

import datetime as dt
import re

import pytest

from app.core.models import Department
from app.extensions import db
from app.registers.events.models import Event
from app.registers.registrations.models import Registration
from tests.conftest import csrf_token
from tests.factories import Make, department_id


class Events:
    def __init__(self, app):
        self.app = app

    def create(self, department: str = "IPB", state: str = "open", capacity: int | None = None,
               kind: str = "training", co: tuple[str, ...] = (), days: int | None = None,
               **values) -> int:
        if days is None:  # (an event held or closed has begun)
            days = -1 if state in ("held", "closed") else 10
        with self.app.app_context():
            event = Event(kind=kind, name_zh=values.pop("name_zh", Make.text("上市辅导培训")),
                          starts_at=values.pop("starts_at", Make.instant(days=days)),
                          state=state, capacity=capacity,
                          department_id=department_id(department), **values)
            event.co_departments = [db.session.query(Department).filter_by(code=c).one()
                                    for c in co]
            db.session.add(event)
            db.session.commit()
            pk = event.id
            db.session.remove()
        return pk

    def set(self, pk: int, **values) -> None:
        with self.app.app_context():
            db.session.query(Event).filter_by(id=pk).update(values)
            db.session.commit()
            db.session.remove()

    def registration(self, event: int, enterprise: int, attendees: int = 1,
                     status: str = "registered", when: int = 0, **values) -> int:
        """A stored registration (as if taken earlier: ``when`` orders them)."""
        with self.app.app_context():
            item = Registration(event_id=event, enterprise_id=enterprise, attendees=attendees,
                                status=status, department_id=db.session.get(
                                    Event, event).department_id,
                                created_on=dt.datetime(2026, 1, 1) + dt.timedelta(minutes=when),
                                **values)
            db.session.add(item)
            db.session.commit()
            pk = item.id
            db.session.remove()
        return pk

    def row(self, pk: int) -> dict:
        with self.app.app_context():
            item = db.session.get(Registration, pk)
            values = {c: getattr(item, c) for c in (
                "status", "attendance", "excuse_reason", "checked_in_at", "attendees",
                "positions_offered", "applicants", "hires", "attitude", "quality",
                "efficiency", "feedback_comment", "channel")}
            db.session.remove()
        return values


@pytest.fixture
def events(app):
    return Events(app)


def post(client, page: str, path: str, data: dict | list):
    """Post a form of ``page`` with its CSRF token (as the page's own form does)."""
    from werkzeug.datastructures import MultiDict

    token = csrf_token(client, page)
    if isinstance(data, dict):
        data = list(data.items())
    return client.post(path, data=MultiDict([("csrf_token", token),
                                             *((k, str(v)) for k, v in data)]))


def select_options(html: str, name: str) -> dict[str, str]:
    """value -> text of the options of the form's select ``name``."""
    block = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return {v: re.sub(r"\s+", " ", t).strip()
            for v, t in re.findall(r'<option[^>]*value="([^"]*)"[^>]*>(.*?)</option>', block,
                                   re.S)}
