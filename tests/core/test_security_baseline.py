"""CSRF, no GET mutations, POST logout, security headers, cookies, throttled logins, passwords."""
import pytest

from tests.conftest import csrf_token, make_app
from tests.factories import PASSWORD, department_id

HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def _assert_security_headers(resp):
    for name, value in HEADERS.items():
        assert resp.headers.get(name) == value, name
    csp = resp.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp


@pytest.mark.parametrize("path", ["/login/", "/", "/no-such-page", "/api/v1/enterprise/"])
def test_security_headers_on_every_response(client, path):
    _assert_security_headers(client.get(path))


def test_security_headers_on_error_pages_of_logged_in_users(auth):
    resp = auth.client("ipb").get("/enterprises/show/999999")
    assert resp.status_code == 404
    _assert_security_headers(resp)


def test_authenticated_pages_are_not_cached(auth):
    resp = auth.client("ipb").get("/enterprises/list/")
    assert "no-store" in resp.headers["Cache-Control"]


def test_session_cookie_is_httponly_and_samesite_lax(client):
    client.get("/login/")
    cookie = client.get_cookie("session")
    assert cookie.http_only and cookie.same_site == "Lax"


def test_form_post_without_csrf_token_is_refused(app, auth, enterprises):
    client = auth.client("ipb")
    data = enterprises.payload()
    with app.app_context():
        data["department"] = str(department_id("IPB"))
    resp = client.post("/enterprises/add", data={k: v for k, v in data.items() if v is not False})
    assert resp.status_code == 400
    assert enterprises.count() == 0


def test_login_without_csrf_token_is_refused(client):
    resp = client.post("/login/", data={"username": "ipb", "password": PASSWORD})
    assert resp.status_code == 400


def _logged_in(client) -> bool:
    return client.get("/enterprises/list/").status_code == 200


def test_logout_by_get_does_not_log_out(auth):
    client = auth.client("ipb")
    client.get("/logout/")
    assert _logged_in(client)


def test_logout_by_post_logs_out(auth):
    client = auth.client("ipb")
    token = csrf_token(client, "/enterprises/list/")
    assert client.post("/logout/", data={"csrf_token": token}).status_code == 302
    assert not _logged_in(client)


def test_logout_by_post_without_csrf_is_refused(auth):
    client = auth.client("ipb")
    assert client.post("/logout/").status_code == 400
    assert _logged_in(client)


@pytest.fixture(scope="module")
def throttled_app(app):
    return make_app(AUTH_RATE_LIMIT="3 per minute")


def test_login_form_is_throttled(throttled_app):
    client = throttled_app.test_client()
    codes = []
    for _ in range(4):
        token = csrf_token(client)
        codes.append(client.post("/login/", data={
            "username": "ipb", "password": "wrong", "csrf_token": token}).status_code)
    assert codes[:3] != [429] * 3 and codes[3] == 429


def test_api_login_is_throttled(throttled_app):
    client = throttled_app.test_client()
    codes = [client.post("/api/v1/security/login", json={
        "username": "ipb", "password": "wrong", "provider": "db"}).status_code for _ in range(4)]
    assert codes[:3] == [401] * 3 and codes[3] == 429


def test_throttled_answer_is_translated(throttled_app):
    client = throttled_app.test_client()
    for _ in range(4):
        resp = client.post("/api/v1/security/login?_l_=zh", json={
            "username": "x", "password": "y", "provider": "db"},
            headers={"Accept-Language": "zh"})
    assert resp.status_code == 429 and "尝试次数过多" in resp.json["message"]


@pytest.fixture(scope="module")
def shared_address_app(app):
    """Staff behind one NAT: a generous limit per address, a low one per account."""
    return make_app(AUTH_RATE_LIMIT="20 per minute", AUTH_ACCOUNT_RATE_LIMIT="3 per minute")


def test_one_mistyping_user_does_not_lock_out_the_colleagues_behind_the_same_address(
        shared_address_app):
    client = shared_address_app.test_client()

    def attempt(username, password="wrong"):
        token = csrf_token(client)
        return client.post("/login/", data={"username": username, "password": password,
                                            "csrf_token": token}).status_code

    codes = [attempt("ipb") for _ in range(4)]
    assert codes[3] == 429 and 429 not in codes[:3]
    assert attempt("IPB ") == 429  # (the same account, however typed)
    assert attempt("edb", PASSWORD) == 302  # a colleague at the same address logs in
    api = [shared_address_app.test_client().post("/api/v1/security/login", json={
        "username": "office", "password": "wrong", "provider": "db"}).status_code
        for _ in range(4)]
    assert api == [401, 401, 401, 429]


@pytest.mark.parametrize("password,accepted", [
    ("short1", False), ("onlyletterslong", False), ("1234567890", False),
    ("Good-pass-2026", True),
])
def test_password_policy_for_new_users(app, auth, password, accepted):
    client = auth.client("admin")
    with app.app_context():
        from flask import current_app

        role_id = current_app.appbuilder.sm.find_role("Department staff").id
        dept = department_id("EDB")
    token = csrf_token(client, "/users/add")
    resp = client.post("/users/add", data={
        "first_name": "N", "last_name": "U", "username": f"new_{len(password)}",
        "email": f"new{len(password)}@test.local", "department": str(dept), "active": "y",
        "roles": [str(role_id)], "password": password, "conf_password": password,
        "csrf_token": token})
    created = resp.status_code == 302
    assert created is accepted
    with app.app_context():
        from flask import current_app

        user = current_app.appbuilder.sm.find_user(username=f"new_{len(password)}")
        assert (user is not None) is accepted
