"""Instants through the REST API (app.core.views ``Instant``): ISO 8601, read back with the
display zone's offset; taken with any offset, and without one as Shanghai time (as a person
types it everywhere); stored as naive UTC; an edit of something else leaves them as they are."""
from __future__ import annotations

import datetime as dt

import pytest

from app.extensions import db
from app.registers.events.models import Event


def _starts_at(app, pk) -> dt.datetime:
    with app.app_context():
        value = db.session.get(Event, pk).starts_at
        db.session.remove()
    return value


@pytest.mark.parametrize("sent", ["2026-12-01T09:30", "2026-12-01T09:30:00+08:00",
                                  "2026-12-01T01:30:00Z", "2026-12-01T10:30:00+09:00"])
def test_an_instant_is_taken_in_any_zone_and_read_back_in_shanghai(app, client, auth, sent):
    headers = auth.token("ipb")
    resp = client.post("/api/v1/event/", headers=headers, json={
        "name_zh": "税费培训", "kind": "training", "starts_at": sent})
    assert resp.status_code == 201, resp.json
    pk = resp.json["id"]
    assert _starts_at(app, pk) == dt.datetime(2026, 12, 1, 1, 30)
    shown = client.get(f"/api/v1/event/{pk}", headers=headers).json["result"]
    assert shown["starts_at"] == "2026-12-01T09:30:00+08:00"
    assert client.put(f"/api/v1/event/{pk}", headers=headers,
                      json={"venue_zh": "管委会三楼"}).status_code == 200
    assert _starts_at(app, pk) == dt.datetime(2026, 12, 1, 1, 30)


def test_a_time_that_is_no_time_is_refused_and_nothing_is_stored(app, client, auth):
    resp = client.post("/api/v1/event/", headers={**auth.token("ipb"), "Accept-Language": "zh"},
                       json={"name_zh": "税费培训", "kind": "training", "starts_at": "下周一"})
    assert resp.status_code == 422
    assert resp.json["message"]["starts_at"] == ["不是有效的时间。"]
    with app.app_context():
        assert db.session.query(Event).count() == 0
        db.session.remove()
