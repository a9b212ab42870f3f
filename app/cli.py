"""Command line: `flask seed`, `flask users …` (plus Flask-Migrate's `flask db …`)."""
from __future__ import annotations

import datetime as dt
import secrets

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_appbuilder.exceptions import PasswordComplexityValidationError

from app.core.security import password_policy
from app.core.seeds import SeedError, load_all
from app.core.users import UserError, create_user
from app.extensions import db
from app.sla.calendar import SHANGHAI


@click.command("seed")
@click.option("--demo", is_flag=True, help="Also load a small demo data set.")
@with_appcontext
def seed_command(demo: bool) -> None:
    """Load reference data (departments, measures, roles) idempotently."""
    try:
        report = load_all()
    except SeedError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Reference data: {report}")
    if demo:
        from app.demo.dataset import load_demo

        click.echo(f"Demo data: {load_demo()}")


def ensure_admin(username: str | None, password: str | None) -> str | None:
    """Make sure an administrator exists. Returns a generated password to print once."""
    sm = current_app.appbuilder.sm
    admin_role = sm.find_role(sm.auth_role_admin)
    username = username or "admin"
    if sm.find_user(username=username) is not None:
        return None
    if any(admin_role in (u.roles or []) for u in sm.get_all_users()):
        return None
    generated = None
    if password:
        _check_password(password)
    else:
        generated = password = secrets.token_urlsafe(12) + "9a"
    create_user(username, password, "OFFICE", [admin_role.name], first_name="Admin",
                last_name="User")
    db.session.commit()
    return generated


def _check_password(password: str) -> None:
    try:
        password_policy(password)
    except PasswordComplexityValidationError as exc:
        raise click.ClickException(str(exc)) from exc


users = click.Group("users", help="Manage users.")


@users.command("create")
@click.option("--username", required=True)
@click.option("--password", required=True, prompt=True, hide_input=True)
@click.option("--department", "department_code", required=True, help="Department code, e.g. IPB")
@click.option("--role", "role_names", multiple=True, required=True)
@click.option("--first-name", default="")
@click.option("--last-name", default="")
@click.option("--email", default=None)
@click.option("--locale", default=None, type=click.Choice(["zh", "ja", "en"]))
@with_appcontext
def create_user_command(username, password, department_code, role_names, first_name, last_name,
                        email, locale):
    """Create a user in a department with one or more roles."""
    _check_password(password)
    try:
        create_user(username, password, department_code, role_names, first_name, last_name,
                    email, locale)
        db.session.commit()
    except UserError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Created {username} in {department_code}")


sla = click.Group("sla", help="SLA clocks and the working-day calendar.")


def _now(value: str | None) -> dt.datetime:
    if not value:
        return dt.datetime.now(dt.UTC)
    moment = dt.datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=SHANGHAI)


def _warn_unconfirmed(calendar, years) -> None:
    missing = [y for y in years if not calendar.is_confirmed(y)]
    for year in missing:
        click.secho(
            f"WARNING: the {year} holiday schedule is not confirmed (no official data and no "
            "overrides); weekends are assumed. Add the State Council's schedule as calendar "
            "overrides.", fg="yellow", err=True)


@sla.command("sweep")
@click.option("--now", "now_text", default=None, help="ISO time to sweep at (default: now)")
@with_appcontext
def sweep_command(now_text):
    """Move clocks whose warning or due time has passed, and deliver their hooks."""
    from app.clocks.service import load_calendar
    from app.clocks.sweep import sweep

    now = _now(now_text)
    _warn_unconfirmed(load_calendar(db.session), [now.year, now.year + 1])
    click.echo(f"Sweep at {now.isoformat()}: {sweep(db.session, now)}")


@sla.command("calendar")
@click.option("--year", type=int, default=None)
@with_appcontext
def calendar_command(year):
    """Show a year's holidays, make-up working days and overrides."""
    from app.clocks.service import load_calendar

    calendar = load_calendar(db.session)
    year = year or dt.datetime.now(SHANGHAI).year
    _warn_unconfirmed(calendar, [year])
    status = "confirmed" if calendar.is_confirmed(year) else "NOT confirmed"
    click.echo(f"{year}: {status}")
    for info in calendar.unusual_days(dt.date(year, 1, 1), dt.date(year, 12, 31)):
        kind = "working" if info.working else "day off"
        click.echo(f"  {info.day.isoformat()}  {kind:8} {info.reason:9} {info.note or ''}")


intake = click.Group("intake", help="Intake channels.")


@intake.command("email")
@with_appcontext
def intake_email_command():
    """Turn unseen messages of the IMAP mailbox (IMAP_* settings) into work orders."""
    from app.intake.email import fetch_mailbox

    if not current_app.config.get("IMAP_HOST"):
        raise click.ClickException("IMAP_HOST is not configured")
    click.echo(f"E-mail intake: {fetch_mailbox()}")


demo = click.Group("demo", help="Demo and benchmark data.")


@demo.command("generate")
@click.option("--enterprises", type=int, default=1000, show_default=True)
@click.option("--workorders", type=int, default=10000, show_default=True)
@click.option("--seed", type=int, default=2026, show_default=True)
@click.option("--years", type=int, default=3, show_default=True)
@click.option("--until", "until_text", default=None, help="last day (YYYY-MM-DD, Shanghai)")
@click.option("--open", "open_orders", type=click.IntRange(min=0), default=None,
              help="make the N newest orders open (a backlog); default: recent ones only")
@click.option("--institutions", type=click.IntRange(min=0), default=0, show_default=True)
@click.option("--events", type=click.IntRange(min=0), default=0, show_default=True)
@click.option("--registrations", type=click.IntRange(min=0), default=0, show_default=True)
@with_appcontext
def demo_generate_command(enterprises, workorders, seed, years, until_text, open_orders,
                          institutions, events, registrations):
    """Bulk-insert a large reproducible data set (same arguments → same rows)."""
    import time

    from app.demo.generator import generate

    until = dt.date.fromisoformat(until_text) if until_text else None
    began = time.perf_counter()
    counts = generate(enterprises=enterprises, workorders=workorders, seed=seed, years=years,
                      open_orders=open_orders, until=until, institutions=institutions,
                      events=events, registrations=registrations)
    click.echo(f"Generated {counts} in {time.perf_counter() - began:.1f} s")


charts = click.Group("charts", help="Dashboards.")


@charts.command("refresh")
@with_appcontext
def charts_refresh_command():
    """Recompute the dashboards' pre-aggregated figures (run from cron, e.g. every 5 minutes)."""
    import time

    from app.core.charts import refresh_all

    began = time.perf_counter()
    for name, rows in refresh_all(current_app).items():
        click.echo(f"{name}: {rows} rows")
    click.echo(f"in {time.perf_counter() - began:.1f} s")


def register_cli(app) -> None:
    app.cli.add_command(seed_command)
    app.cli.add_command(users)
    app.cli.add_command(sla)
    app.cli.add_command(intake)
    app.cli.add_command(demo)
    app.cli.add_command(charts)
    from app.core.transfer.cli import records

    app.cli.add_command(records)
