"""Application factory: configuration → extensions → registers. No data work here."""
from __future__ import annotations

from pathlib import Path

from flask import Flask
from flask_appbuilder import AppBuilder
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.middleware.proxy_fix import ProxyFix

from app.extensions import csrf, db, migrate

MIGRATIONS_DIR = str(Path(__file__).resolve().parent / "migrations")


@event.listens_for(Engine, "connect")
def _sqlite_foreign_keys(dbapi_connection, _record):
    # SQLite ignores foreign keys unless asked, on every connection.
    if dbapi_connection.__class__.__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        # Readers go on while a long transaction writes (an import of 100,000 rows): without
        # the write-ahead log they would wait for it, and give up after 5 s.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=False)
    app.config.from_object("config.Config")
    if test_config:
        app.config.update(test_config)
    from app.core.security import password_policy

    app.config["FAB_PASSWORD_COMPLEXITY_VALIDATOR"] = password_policy
    if app.config.get("PROXY_FIX_HOPS"):
        hops = app.config["PROXY_FIX_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    from app.core import fab_fixes
    from app.core.i18n import compile_catalogs

    fab_fixes.apply()

    # Before FAB starts: it already looks strings up (and Flask-Babel caches the catalogs).
    compile_catalogs(app.config["TRANSLATIONS_DIR"])
    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS_DIR)
    csrf.init_app(app)

    from app.cli import register_cli
    from app.clocks import mailer, seeds  # noqa: F401  (the SMTP notice listener; a seed file)
    from app.clocks.views import register as register_clock_views
    from app.clocks.webhooks.views import register as register_hook_views
    from app.core.admin_views import register as register_core_views
    from app.core.http import init_error_pages, init_http
    from app.core.i18n import init_i18n
    from app.registers import register_all

    with app.app_context():
        appbuilder = AppBuilder(update_perms=False)
        appbuilder.init_app(app, db.session)
        register_all(appbuilder)
        register_core_views(appbuilder)
        register_clock_views(appbuilder)
        register_hook_views(appbuilder)
    init_i18n(app)
    init_http(app)
    init_error_pages(app)
    from app.intake.events import init_portal_events
    from app.intake.open311 import init_open311
    from app.intake.portal import init_portal
    from app.intake.wechat import init_wechat

    init_portal(app)
    init_portal_events(app)
    init_wechat(app)
    init_open311(app)
    register_cli(app)
    return app
