"""Imports from the list page, as background jobs.

An upload is checked at once for what its first bytes tell (size, type, encoding), stored under
UPLOAD_FOLDER/imports and becomes an ``ImportJob``; a thread then reads and plans every row
(``Importer.preview``) while the job's page polls its progress, and shows the preview. Nothing
is written until the user confirms; a second thread then imports (``Importer.commit``). The
threads act as the job's user — their scope, their language, their name in the history — in a
request context of their own. A job belongs to its user: nobody else reads or confirms it.

Progress of the preview is kept on the job row (committed between chunks); the import is one
transaction, which on SQLite no other connection can write beside, so its progress lives in this
process (``_PROGRESS``); a page served by another worker shows the step without a percentage.
"""
from __future__ import annotations

import datetime as dt
import logging
import threading
import uuid
from pathlib import Path

from flask import current_app, g
from flask_babel import force_locale
from flask_babel import lazy_gettext as _
from sqlalchemy import update

from app.core import registry
from app.core.exceptions import CommandError
from app.core.models import PuwanUser, reader_language
from app.core.timeutil import utcnow
from app.core.transfer.importer import EMPTY, Importer, messages
from app.core.transfer.models import ImportJob
from app.core.transfer.sheets import FileRefused, open_table
from app.extensions import db

log = logging.getLogger(__name__)
MAX_BYTES = 10 * 1024 * 1024
RUNNING = ("checking", "importing")
STALE = dt.timedelta(minutes=30)   # a running job not heard of since: its process ended
EXPIRE = dt.timedelta(days=1)      # a preview nobody confirmed: its file is removed
FAILED = _("Something went wrong on our side. Nothing was imported.")
INTERRUPTED = _("The import was interrupted (the server restarted). Nothing was imported.")
_PROGRESS: dict[int, float] = {}


def import_dir() -> Path:
    path = Path(current_app.config["UPLOAD_FOLDER"]) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def max_bytes() -> int:
    return int(current_app.config.get("IMPORT_MAX_BYTES") or MAX_BYTES)


def size_text(size: int) -> str:
    """10 MB, 512 KB."""
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.3g} MB"
    return f"{max(size // 1024, 1)} KB"


def _path(job: ImportJob) -> Path:
    return import_dir() / job.stored_name


def create_job(table: str, filename: str, stream, user_id: int) -> ImportJob:
    """Store an upload as a job (refusing, with FileRefused, a file too large, empty, or
    neither CSV nor XLSX) and start checking it."""
    limit = max_bytes()
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise FileRefused(_("The file is larger than %(size)s.", size=size_text(limit)))
    if not data:
        raise FileRefused(EMPTY)
    stored = uuid.uuid4().hex
    path = import_dir() / stored
    path.write_bytes(data)
    try:
        open_table(str(path)).close()  # (its type and encoding: refused here, not in a job)
    except FileRefused:
        path.unlink(missing_ok=True)
        raise
    _expire(user_id)
    job = ImportJob(user_id=user_id, table_name=table, filename=(filename or "")[:255],
                    stored_name=stored, locale=reader_language(), state="checking")
    db.session.add(job)
    db.session.commit()
    start(job.id, "check")
    return job


def _expire(user_id: int) -> None:
    """Previews older than a day were never confirmed: their files go."""
    old = (db.session.query(ImportJob)
           .filter(ImportJob.user_id == user_id, ImportJob.state == "ready",
                   ImportJob.created_at < utcnow() - EXPIRE))
    for job in old:
        _path(job).unlink(missing_ok=True)
        job.state, job.finished_at = "expired", utcnow()
    db.session.commit()


def job_for(job_id: int, user_id: int, table: str) -> ImportJob | None:
    """The user's own job for this register (anyone else's: None, as if there were none)."""
    job = db.session.get(ImportJob, job_id)
    if job is None or job.user_id != user_id or job.table_name != table:
        return None
    if job.state in RUNNING and job.id not in _PROGRESS and job.changed_at < utcnow() - STALE:
        _finish(job, "failed", message=str(INTERRUPTED))
    return job


def progress_of(job: ImportJob) -> dict:
    return {"state": job.state, "progress": round(_PROGRESS.get(job.id, job.progress), 3),
            "rows": job.rows, "counts": job.counts or {}}


def confirm(job: ImportJob) -> bool:
    """Start importing a job whose preview is ready (once: a second confirmation is refused)."""
    claimed = db.session.execute(
        update(ImportJob).where(ImportJob.id == job.id, ImportJob.state == "ready")
        .values(state="importing", progress=0.0, changed_at=utcnow())).rowcount
    db.session.commit()
    if claimed != 1:
        return False
    start(job.id, "import")
    return True


def start(job_id: int, step: str) -> None:
    app = current_app._get_current_object()
    _PROGRESS[job_id] = 0.0
    threading.Thread(target=run, args=(app, job_id, step), name=f"import-{job_id}",
                     daemon=True).start()


def run(app, job_id: int, step: str) -> None:
    """A job's step, in a request context of its own acting as the job's user."""
    try:
        with app.test_request_context("/"):
            job = db.session.get(ImportJob, job_id)
            g.user = db.session.get(PuwanUser, job.user_id)
            with force_locale(job.locale):
                (_check if step == "check" else _import)(job)
            db.session.remove()
    finally:
        _PROGRESS.pop(job_id, None)


def _finish(job: ImportJob, state: str, message: str | None = None, **values) -> None:
    job = db.session.get(ImportJob, job.id)
    job.state, job.message, job.finished_at = state, message, utcnow()
    for key, value in values.items():
        setattr(job, key, value)
    if state != "ready":
        _path(job).unlink(missing_ok=True)
    db.session.commit()


def _refusal(error: CommandError, names: dict) -> str:
    reasons = messages(error, names)
    row = getattr(error, "row", None)
    if row is not None:
        return str(_("Row %(row)s: %(reasons)s", row=row, reasons="; ".join(reasons)))
    if error.errors and str(error.message):
        reasons.insert(0, str(error.message))
    return "\n".join(reasons)


def _check(job: ImportJob) -> None:
    register = registry.get(job.table_name)
    importer = Importer(register, str(_path(job)))

    def progress(value: float) -> None:
        _PROGRESS[job.id] = value
        db.session.execute(update(ImportJob).where(ImportJob.id == job.id)
                           .values(progress=value, changed_at=utcnow()))
        db.session.commit()

    try:
        summary = importer.preview(progress)
    except CommandError as error:
        db.session.rollback()
        _finish(job, "refused", message=_refusal(error, importer.names))
    except Exception:
        log.exception("import job %s: check failed", job.id)
        db.session.rollback()
        _finish(job, "failed", message=str(FAILED))
    else:
        refused = summary["counts"]["refused"]
        _finish(job, "refused" if refused else "ready", rows=importer.rows, progress=1.0,
                counts=summary["counts"], summary=summary)


def _import(job: ImportJob) -> None:
    register = registry.get(job.table_name)
    importer = Importer(register, str(_path(job)))

    def progress(value: float) -> None:
        _PROGRESS[job.id] = value

    try:
        counts = importer.commit(progress)
    except CommandError as error:
        db.session.rollback()
        _finish(job, "failed", message=_refusal(error, importer.names))
    except Exception:
        log.exception("import job %s: import failed", job.id)
        db.session.rollback()
        _finish(job, "failed", message=str(FAILED))
    else:
        _finish(job, "done", progress=1.0, counts={**(job.counts or {}), **counts})
