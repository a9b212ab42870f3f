"""`flask records import <table> <file> [--user NAME] [--dry-run]`: the list page's import
from the command line, through the same code (preview, then all or nothing)."""
from __future__ import annotations

import contextlib
import resource
import time

import click
from flask import current_app, g
from flask.cli import with_appcontext

from app.core import registry
from app.core.exceptions import CommandError
from app.core.models import PuwanUser
from app.core.transfer.importer import Importer, messages
from app.extensions import db

records = click.Group("records", help="Import register records from XLSX or CSV.")


@contextlib.contextmanager
def acting_as(username: str | None):
    """As a user (their scope and name in the history), in a request context; without one, as
    the system (every department, no author), like `flask seed`."""
    if not username:
        yield
        return
    user = db.session.query(PuwanUser).filter_by(username=username).one_or_none()
    if user is None:
        raise click.ClickException(f"no user {username!r}")
    with current_app.test_request_context("/"):
        g.user = user
        yield


def _totals(counts: dict) -> str:
    return ", ".join(f"{action} {counts.get(action, 0)}"
                     for action in ("create", "update", "unchanged", "refused"))


@records.command("import")
@click.argument("table")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--user", "username", default=None, help="import as this user (their departments)")
@click.option("--dry-run", is_flag=True, help="only check: print what would happen")
@with_appcontext
def import_command(table: str, path: str, username: str | None, dry_run: bool) -> None:
    """Import the rows of an XLSX or CSV file into the register TABLE (e.g. enterprise)."""
    register = registry.get(table)
    if register is None:
        names = ", ".join(r.table for r in registry.registers())
        raise click.ClickException(f"no register {table!r} (registers: {names})")
    began = time.perf_counter()
    with acting_as(username):
        importer = Importer(register, path)
        try:
            summary = importer.preview()
        except CommandError as error:
            raise click.ClickException("; ".join(messages(error, importer.names))) from error
        click.echo(f"Preview of {importer.rows} rows: {_totals(summary['counts'])}")
        if summary["ignored"]:
            click.echo(f"Columns not imported: {', '.join(summary['ignored'])}")
        for row in summary["rows"]:
            if row["action"] == "refused":
                click.echo(f"  row {row['row']}: {'; '.join(row['reasons'])}", err=True)
        if summary["counts"]["refused"]:
            raise click.ClickException("rows are refused: nothing was imported")
        if not dry_run:
            try:
                counts = importer.commit()
            except CommandError as error:
                row = getattr(error, "row", None)
                where = f"row {row}: " if row is not None else ""
                raise click.ClickException(
                    where + "; ".join(messages(error, importer.names))) from error
            click.echo(f"Imported: {_totals(counts)}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # (kilobytes on Linux)
    click.echo(f"in {time.perf_counter() - began:.1f} s (peak memory of the process {peak:.0f} MB)")
