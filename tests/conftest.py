"""Fixtures: one migrated, seeded database per run (SQLite by default, PostgreSQL when
TEST_DATABASE_URL is set), users of every role, logged-in clients and factories."""
from __future__ import annotations

import os
import re
import tempfile
import threading

import pytest
from flask_appbuilder import Model
from flask_migrate import upgrade
from sqlalchemy import MetaData
from werkzeug.serving import make_server

from app import create_app
from app.core.models import PuwanUser, RecordChange
from app.core.seeds import load_all
from app.core.users import create_user
from app.extensions import db
from config import normalize_database_url
from tests.factories import PASSWORD, EnterpriseFactory, Orders

_TMP = tempfile.mkdtemp(prefix="puwan-test-")


def database_url() -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    return normalize_database_url(url) if url else f"sqlite:///{_TMP}/test.db"


def make_app(**overrides):
    config = {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url(),
        "AUTH_RATE_LIMIT": "10000 per minute",
        "AUTH_ACCOUNT_RATE_LIMIT": "10000 per minute",
        "PORTAL_RATE_LIMIT": "10000 per minute",
        "UPLOAD_FOLDER": f"{_TMP}/uploads",
        "RATELIMIT_STORAGE_URI": "memory://",
    }
    config.update(overrides)
    return create_app(config)


def reset_database() -> None:
    """Drop every table (ours, FAB's, alembic_version) so migrations start from nothing."""
    meta = MetaData()
    meta.reflect(bind=db.engine)
    meta.drop_all(bind=db.engine)


# Users of every role, created once per run: username -> (department, role, locale)
USERS = {
    "ipb": ("IPB", "Department staff", None),
    "ipb2": ("IPB", "Department staff", None),
    "edb": ("EDB", "Department staff", None),
    "jawin": ("AAB", "Japanese window", None),
    "reader": ("OFFICE", "Zone reader", None),
    "auditor": ("DIS", "Auditor", None),
    "admin": ("OFFICE", "Admin", None),
    "office": ("OFFICE", "Dispatcher", None),
}


@pytest.fixture(scope="session")
def app():
    app = make_app()
    with app.app_context():
        reset_database()
        upgrade()
        load_all()
        for username, (code, role, locale) in USERS.items():
            create_user(username, PASSWORD, code, [role], first_name=username.upper(),
                        last_name=code, email=f"{username}@test.local", locale=locale)
        db.session.commit()
    yield app


@pytest.fixture(autouse=True)
def _clean_records(app):
    """Each test starts with no register records (reference data and USERS stay)."""
    yield
    clean_records(app)


def clean_records(app) -> None:
    with app.app_context():
        db.session.rollback()
        from app.clocks.models import Notice, SlaClock, SlaTransition, Supervision
        from app.clocks.webhooks.models import Hook, HookDelivery
        from app.core import registry

        for model in (HookDelivery, Hook, Notice, Supervision, SlaTransition, SlaClock):
            db.session.query(model).delete()
        # every register's records, those referring to others first (their children and
        # many-to-many rows go by the foreign keys' cascades)
        order = {table: n for n, table in enumerate(Model.metadata.sorted_tables)}
        for model in sorted((r.model for r in registry.registers()),
                            key=lambda m: -order[m.__table__]):
            db.session.query(model).delete()
        db.session.query(RecordChange).delete()
        # (kept copies that are no register's records: a month's supervision report)
        from app.registers.resolutions.models import SupervisionReport

        db.session.query(SupervisionReport).delete()
        from app.core.transfer.models import ImportJob

        db.session.query(ImportJob).delete()
        from app.core.models import ChartRollup, ChartRollupRun

        db.session.query(ChartRollup).delete()
        db.session.query(ChartRollupRun).delete()
        for user in db.session.query(PuwanUser).filter(PuwanUser.username.notin_(list(USERS))):
            user.roles = []
            db.session.delete(user)
        for username in USERS:
            db.session.query(PuwanUser).filter_by(username=username).update({"locale": None})
        db.session.commit()
        db.session.remove()


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield
        db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


def refused_on_page(client, resp, page: str) -> str:
    """A write refused on a record's page sends the browser back to the record (303, so a
    reload does not post again); returns the page it lands on, the refusal said on it."""
    assert resp.status_code == 303, resp.status_code
    assert resp.location.split("?")[0].endswith(page), resp.location
    return client.get(page).get_data(as_text=True)


def csrf_token(client, path="/login/") -> str:
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'id="csrf_token"[^>]*value="([^"]+)"', html
    )
    assert match, f"no CSRF token on {path}"
    return match.group(1)


class Auth:
    """Log test clients in through the real login form (CSRF included) or the JWT API."""

    def __init__(self, app):
        self.app = app

    def client(self, username: str, lang: str | None = "en"):
        client = self.app.test_client()
        token = csrf_token(client)
        resp = client.post("/login/", data={"username": username, "password": PASSWORD,
                                            "csrf_token": token})
        assert resp.status_code == 302, resp.get_data(as_text=True)[:500]
        if lang:
            client.get(f"/lang/{lang}")
        return client

    def token(self, username: str) -> dict:
        client = self.app.test_client()
        resp = client.post("/api/v1/security/login", json={
            "username": username, "password": PASSWORD, "provider": "db"})
        assert resp.status_code == 200, resp.get_data(as_text=True)
        return {"Authorization": f"Bearer {resp.json['access_token']}"}


@pytest.fixture
def auth(app):
    return Auth(app)


@pytest.fixture
def enterprises(app):
    return EnterpriseFactory(app)


@pytest.fixture
def orders(app, auth):
    return Orders(app, auth)


@pytest.fixture(scope="session")
def live_server(app):
    """The app served on a loopback port, for real HTTP clients (browsers, API libraries)."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
