"""Every role × every registered route and method, against a golden file of status codes.

A route that is not in the golden file fails the test, so a new endpoint cannot ship without
someone deciding who may call it. The standard routes of the registers (list, show, add, edit,
delete, actions, export, REST, charts) are not in it: the contract tests check them from each
register's declaration (tests/core/contract/test_permissions.py), so a new register needs no
line here — its own routes (e.g. a work order's transitions) do. After a deliberate change, regenerate with
`UPDATE_PERMISSION_MATRIX=1 python -m pytest tests/core/test_permission_matrix.py` and review the diff.

Record ids in URLs point at nothing (999999): the matrix is about who gets through, and no request
here may change data.
"""
import json
import os
import re
from pathlib import Path

import pytest

from tests.conftest import csrf_token
from tests.core.contract.routes import standard_rules

GOLDEN = Path(__file__).with_name("permission_matrix.json")
ROLES = {"anonymous": None, "staff": "ipb", "japanese_window": "jawin", "zone_reader": "reader",
         "auditor": "auditor", "admin": "admin", "dispatcher": "office"}
ARGS = {
    "pk": "999999", "name": "muldelete", "fmt": "csv", "locale": "en", "version": "v1",
    "filename": "nothing.txt", "action": "close", "token": "not-a-token", "code": "policy",
    "ticket": "PW-2026-999999", "attachment_id": "999999", "year": "2026", "job_id": "999999",
    "event_id": "999999", "expert_id": "999999",
}


def _url(rule: str) -> str:
    return re.sub(r"<(?:[a-z]+:)?(\w+)>", lambda m: ARGS[m.group(1)], rule)


def _routes(app):
    standard = standard_rules(app)
    for rule in app.url_map.iter_rules():
        if rule.endpoint in ("static", "appbuilder.static") or rule.endpoint.endswith(".static"):
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if (method, rule.rule) not in standard:
                yield method, rule.rule


def _status(app, auth, role, username, method, rule, clients):
    url = _url(rule)
    api = rule.startswith("/api/")
    headers = {}
    def cached(key, make):
        if key not in clients:
            clients[key] = make()
        return clients[key]

    if username and api:
        headers = cached(("token", username), lambda: auth.token(username))
        client = app.test_client()
    elif username:
        client = cached(("client", username), lambda: auth.client(username))
        if rule == "/logout/" and method == "POST":
            client = auth.client(username)  # logging out must not end the shared session
    else:
        client = cached(("client", None), app.test_client)
    kwargs = {"headers": headers}
    if method in ("POST", "PUT", "DELETE", "PATCH"):
        if api:
            kwargs["json"] = {}
        else:
            kwargs["data"] = {"csrf_token": cached(
                ("csrf", username, rule == "/logout/"),
                lambda: csrf_token(client, "/" if username else "/login/"))}
    resp = client.open(url, method=method, **kwargs)
    if rule == "/logout/" and method == "POST" and username:
        # Logging out ends every session and token of the user: log in afresh for what follows.
        for key in [key for key in clients if username in key]:
            del clients[key]
    return resp.status_code


def test_permission_matrix_matches_golden_file(app, auth):
    clients: dict = {}
    actual: dict = {}
    for method, rule in sorted(_routes(app), key=lambda r: (r[1], r[0])):
        actual[f"{method} {rule}"] = {
            role: _status(app, auth, role, username, method, rule, clients)
            for role, username in ROLES.items()
        }
    if os.environ.get("UPDATE_PERMISSION_MATRIX"):
        GOLDEN.write_text(json.dumps(actual, indent=1, sort_keys=True) + "\n")
    golden = json.loads(GOLDEN.read_text())
    missing = sorted(set(actual) - set(golden))
    assert missing == [], f"routes not in {GOLDEN.name}: decide who may call them"
    stale = sorted(set(golden) - set(actual))
    assert stale == [], f"routes in {GOLDEN.name} that no longer exist"
    differences = [
        f"{route} {role}: expected {golden[route][role]}, got {code}"
        for route, codes in actual.items() for role, code in codes.items()
        if golden[route].get(role) != code
    ]
    assert differences == []


@pytest.mark.parametrize("rule", ["GET /enterprises/lookup", "GET /api/<version>/_openapi",
                                  "GET /users/list/"])
def test_golden_file_denies_anonymous_users(rule):
    golden = json.loads(GOLDEN.read_text())
    assert golden[rule]["anonymous"] in (302, 401)
