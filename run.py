"""Run the platform: migrate, seed, make sure an admin exists, serve.

    python run.py            # SQLite under instance/, http://127.0.0.1:8080
    python run.py --demo     # also a demo data set
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import threading
import time

import click
from flask_migrate import upgrade

from app import create_app
from app.cli import ensure_admin
from app.core.seeds import load_all


def prepare(app, demo: bool = False) -> None:
    with app.app_context():
        upgrade()
        load_all()
        password = ensure_admin(os.environ.get("ADMIN_USERNAME"), os.environ.get("ADMIN_PASSWORD"))
        if password:
            username = os.environ.get("ADMIN_USERNAME") or "admin"
            print(f"\n  Administrator created: {username} / {password}\n"
                  "  (shown once; change it under Profile → Reset my password)\n", flush=True)
        if demo:
            from app.demo.dataset import load_demo

            print(f"  Demo data: {load_demo()}", flush=True)
        # One SLA sweep at start: clocks that fell due while the platform was stopped (or in the
        # demo's past) are marked and their notices delivered; cron repeats it in production.
        from app.clocks.sweep import sweep
        from app.extensions import db

        sweep(db.session, dt.datetime.now(dt.UTC))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--demo", action="store_true", help="load a demo data set")
    args = parser.parse_args()
    app = create_app()
    try:
        prepare(app, demo=args.demo)
    except click.ClickException as exc:
        raise SystemExit(f"Error: {exc.format_message()}") from exc
    # In production cron runs `flask charts refresh`; this single-process server does it itself.
    from app.core.charts import refresh_all

    def refresh_charts() -> None:
        while True:
            refresh_all(app)
            time.sleep(int(os.environ.get("CHARTS_REFRESH_SECONDS", "300")))

    threading.Thread(target=refresh_charts, daemon=True, name="charts-refresh").start()

    # In production cron runs `flask sla sweep` every minute; this single process does it too,
    # so deadlines that pass while it runs move clocks, notices and supervision as they would.
    def sweep_clocks() -> None:
        from app.clocks.sweep import sweep
        from app.extensions import db

        while True:
            time.sleep(int(os.environ.get("SLA_SWEEP_SECONDS", "60")))
            with app.app_context():
                try:
                    sweep(db.session, dt.datetime.now(dt.UTC))
                except Exception:  # (logged; the next minute tries again, as cron would)
                    app.logger.exception("SLA sweep failed")
                finally:
                    db.session.remove()

    threading.Thread(target=sweep_clocks, daemon=True, name="sla-sweep").start()
    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "8080"))
    print(f"  Serving on http://{host}:{port}/", flush=True)
    from werkzeug.serving import run_simple

    run_simple(host, port, app, threaded=True)


if __name__ == "__main__":
    main()
