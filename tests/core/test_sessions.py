"""Logout, a password change and deactivation end every earlier session and API token of the user.

A session cookie is copied out of the browser before the event into a second client (what an
attacker holding the cookie has); after the event it must get the login page, and API tokens
taken before must get 401. Logging out in one browser ends the user's sessions everywhere.
"""
from html.parser import HTMLParser

import pytest

from app.core.models import PuwanUser
from app.core.users import create_user
from app.extensions import db
from tests.conftest import csrf_token
from tests.factories import PASSWORD

USERNAME = "stamped"
NEW_PASSWORD = "Changed-password-2027"


class _FormValues(HTMLParser):
    """The values a form's page fills in (what a person submits without touching a field)."""

    def __init__(self):
        super().__init__()
        self.values: dict[str, list[str]] = {}
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name:
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            if attrs.get("type") not in ("submit", "button"):
                self.values.setdefault(name, []).append(attrs.get("value") or "")
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.values.setdefault(self._select, []).append(attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def _form_values(client, path) -> dict[str, list[str]]:
    parser = _FormValues()
    parser.feed(client.get(path).get_data(as_text=True))
    return parser.values


def _log_in(app, password=PASSWORD):
    client = app.test_client()
    resp = client.post("/login/", data={"username": USERNAME, "password": password,
                                        "csrf_token": csrf_token(client)})
    return client if resp.status_code == 302 and _logged_in(client) else None


def _logged_in(client) -> bool:
    resp = client.get("/enterprises/list/")
    assert resp.status_code in (200, 302)
    return resp.status_code == 200


def _copy_of(app, client):
    """A second browser holding the same session cookie."""
    copy = app.test_client()
    copy.set_cookie("session", client.get_cookie("session").value)
    return copy


def _tokens(app) -> dict[str, dict]:
    resp = app.test_client().post("/api/v1/security/login", json={
        "username": USERNAME, "password": PASSWORD, "provider": "db", "refresh": True})
    assert resp.status_code == 200
    return {kind: {"Authorization": f"Bearer {resp.json[kind]}"}
            for kind in ("access_token", "refresh_token")}


def _api_statuses(app, tokens) -> tuple[int, int]:
    client = app.test_client()
    return (client.get("/api/v1/enterprise/", headers=tokens["access_token"]).status_code,
            client.post("/api/v1/security/refresh", headers=tokens["refresh_token"]).status_code)


def _user_id(app) -> int:
    with app.app_context():
        pk = db.session.query(PuwanUser.id).filter_by(username=USERNAME).scalar()
        db.session.remove()
        return pk


@pytest.fixture
def user(app):
    with app.app_context():
        create_user(USERNAME, PASSWORD, "IPB", ["Department staff"])
        db.session.commit()
        db.session.remove()
    return USERNAME


def _logout(app, auth, client):
    resp = client.post("/logout/", data={"csrf_token": csrf_token(client, "/enterprises/list/")})
    assert resp.status_code == 302
    return PASSWORD


def _own_password_change(app, auth, client):
    resp = client.post("/resetmypassword/form", data={
        "password": NEW_PASSWORD, "conf_password": NEW_PASSWORD,
        "csrf_token": csrf_token(client, "/resetmypassword/form")})
    assert resp.status_code == 302
    return NEW_PASSWORD


def _password_reset_by_admin(app, auth, client):
    admin = auth.client("admin")
    path = f"/resetpassword/form?pk={_user_id(app)}"
    resp = admin.post(path, data={"password": NEW_PASSWORD, "conf_password": NEW_PASSWORD,
                                  "csrf_token": csrf_token(admin, path)})
    assert resp.status_code == 302
    return NEW_PASSWORD


def _set_active(auth, pk, active: bool) -> None:
    admin = auth.client("admin")
    data = _form_values(admin, f"/users/edit/{pk}")
    data.pop("active", None)
    if active:
        data["active"] = ["y"]
    resp = admin.post(f"/users/edit/{pk}", data=data)
    assert resp.status_code == 302


def _deactivation(app, auth, client):
    pk = _user_id(app)
    _set_active(auth, pk, False)
    with app.app_context():
        assert db.session.get(PuwanUser, pk).active is False
        db.session.remove()
    # Reactivated later: what was open before the deactivation stays closed.
    _set_active(auth, pk, True)
    return PASSWORD


EVENTS = {
    "logout": _logout,
    "own password change": _own_password_change,
    "password reset by an administrator": _password_reset_by_admin,
    "deactivation": _deactivation,
}


@pytest.mark.parametrize("event", EVENTS)
def test_earlier_session_cookies_get_the_login_page_after(app, auth, user, event):
    client = _log_in(app)
    other_browser = _log_in(app)
    stolen = _copy_of(app, client)
    assert _logged_in(stolen)
    password = EVENTS[event](app, auth, client)
    assert not _logged_in(stolen)
    assert not _logged_in(other_browser)
    assert _log_in(app, password) is not None  # a fresh login works again


@pytest.mark.parametrize("event", EVENTS)
def test_earlier_api_tokens_get_401_after(app, auth, user, event):
    tokens = _tokens(app)
    assert _api_statuses(app, tokens) == (200, 200)
    EVENTS[event](app, auth, _log_in(app))
    assert _api_statuses(app, tokens) == (401, 401)


def test_own_password_change_keeps_the_browser_that_made_it_logged_in(app, auth, user):
    client = _log_in(app)
    _own_password_change(app, auth, client)
    assert _logged_in(client)


def test_logout_of_one_user_leaves_other_users_logged_in(app, auth, user):
    other = auth.client("ipb2")
    _logout(app, auth, _log_in(app))
    assert _logged_in(other)


def test_password_reset_of_an_unknown_user_is_404(auth):
    admin = auth.client("admin")
    path = "/resetpassword/form?pk=999999"
    resp = admin.post(path, data={"password": NEW_PASSWORD, "conf_password": NEW_PASSWORD,
                                  "csrf_token": csrf_token(admin, path)})
    assert resp.status_code == 404
