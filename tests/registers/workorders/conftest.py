import pytest

from app.clocks.models import SlaClock
from app.extensions import db
from app.registers.workorders.models import ServiceType, WorkOrder


class Orders:
    """Drive work orders through the REST API as the people who would."""

    def __init__(self, app, auth):
        self.app, self.auth, self.client = app, auth, app.test_client()
        self._tokens = {}

    def headers(self, username):
        if username not in self._tokens:
            self._tokens[username] = self.auth.token(username)
        return self._tokens[username]

    def create(self, username="office", **overrides) -> int:
        with self.app.app_context():
            service_type = db.session.query(ServiceType).filter_by(code="policy").one().id
        payload = {"channel": "hotline", "subject": "咨询补贴政策", "content": "请问申报条件",
                   "service_type": service_type, "category": "general", "language": "zh"}
        payload.update(overrides)
        resp = self.client.post("/api/v1/workorder/", json=payload, headers=self.headers(username))
        assert resp.status_code == 201, resp.json
        return resp.json["id"]

    def act(self, pk, action, username, **data):
        return self.client.post(f"/api/v1/workorder/{pk}/transition/{action}", json=data,
                                headers=self.headers(username))

    def state(self, pk) -> str:
        with self.app.app_context():
            state = db.session.get(WorkOrder, pk).state
            db.session.remove()
            return state

    def clock(self, pk, name):
        with self.app.app_context():
            row = db.session.query(SlaClock).filter_by(subject_type="work_order", subject_id=pk,
                                                       name=name).one_or_none()
            result = None if row is None else {"state": row.state, "due_at": row.due_at,
                                               "paused": row.paused_since is not None}
            db.session.remove()
            return result

    def dispatched(self, to="IPB", **overrides) -> int:
        pk = self.create(**overrides)
        with self.app.app_context():
            from tests.factories import department_id

            dept = department_id(to)
        assert self.act(pk, "dispatch", "office", department=dept).status_code == 200
        return pk


@pytest.fixture
def orders(app, auth):
    return Orders(app, auth)
