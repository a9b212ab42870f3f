"""Start-up: run.py's preparation, the admin account, the secret key, CLI, Redis rate limits."""
import importlib
import uuid

import pytest
import redis
from sqlalchemy import MetaData

from app.extensions import db
from tests.conftest import csrf_token, make_app


@pytest.fixture
def fresh_app(tmp_path):
    """An app on its own empty SQLite database, as on a first start."""
    app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/fresh.db")
    yield app
    with app.app_context():
        meta = MetaData()
        meta.reflect(bind=db.engine)
        meta.drop_all(bind=db.engine)
        db.engine.dispose()


def test_first_start_creates_schema_seeds_and_one_admin(fresh_app, capsys, monkeypatch):
    import run

    monkeypatch.delenv("ADMIN_USERNAME", raising=False)
    monkeypatch.delenv("ADMIN_PASSWORD", raising=False)
    run.prepare(fresh_app)
    printed = capsys.readouterr().out
    assert "admin /" in printed
    password = printed.split("admin / ")[1].split()[0]
    client = fresh_app.test_client()
    resp = client.post("/login/", data={"username": "admin", "password": password,
                                        "csrf_token": csrf_token(client)})
    assert resp.status_code == 302 and client.get("/users/list/").status_code == 200

    run.prepare(fresh_app)  # a second start changes nothing and prints no password
    assert "admin /" not in capsys.readouterr().out


def test_admin_from_environment_with_weak_password_is_refused(fresh_app, monkeypatch):
    import click

    import run

    monkeypatch.setenv("ADMIN_USERNAME", "boss")
    monkeypatch.setenv("ADMIN_PASSWORD", "short")
    with pytest.raises(click.ClickException):
        run.prepare(fresh_app)


def test_run_demo_loads_the_demo_and_sweeps_once_at_start(fresh_app, monkeypatch):
    import run
    from app.demo import dataset as demo

    monkeypatch.setattr(demo, "DEMO_ORDERS", 40)  # (tests/demo/test_dataset.py checks the full set)
    run.prepare(fresh_app, demo=True)
    with fresh_app.app_context():
        from app.clocks.models import Notice
        from app.registers.enterprises.models import Enterprise
        from app.registers.workorders.models import WorkOrder

        assert db.session.query(Enterprise).count() == len(demo.DEMO_ENTERPRISES)
        # (besides the follow-ups the Japanese window opened as orders: app/demo/window.py)
        assert db.session.query(WorkOrder).filter(
            WorkOrder.external_ref.like("demo:%")).count() == 40
        assert db.session.query(Notice).count()  # the sweep at start delivered them


def test_secret_key_is_generated_once_and_kept(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    import config

    importlib.reload(config)
    first = config.Config.SECRET_KEY
    importlib.reload(config)
    assert first == config.Config.SECRET_KEY and len(first) >= 40
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    monkeypatch.undo()
    importlib.reload(config)


def test_users_create_command_puts_user_in_department(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "create", "--username", "cli_user", "--password",
                                 "Cli-password-2026", "--department", "FIN", "--role",
                                 "Department staff"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = app.appbuilder.sm.find_user(username="cli_user")
        assert user.department.code == "FIN"


def test_users_create_command_refuses_weak_password(app):
    result = app.test_cli_runner().invoke(args=[
        "users", "create", "--username", "weak", "--password", "abc", "--department", "FIN",
        "--role", "Department staff"])
    assert result.exit_code != 0


def test_login_limit_is_shared_through_redis(app):
    """With REDIS_URL, two workers count attempts together."""
    url = f"redis://127.0.0.1:6379/{15}"
    try:
        redis.Redis.from_url(url).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    prefix = uuid.uuid4().hex
    workers = [make_app(RATELIMIT_STORAGE_URI=url, AUTH_RATE_LIMIT="3 per minute",
                        RATELIMIT_KEY_PREFIX=prefix) for _ in range(2)]
    codes = []
    for n in range(4):
        client = workers[n % 2].test_client()
        codes.append(client.post("/api/v1/security/login", json={
            "username": "ipb", "password": "wrong", "provider": "db"}).status_code)
    assert codes == [401, 401, 401, 429]
