"""The attachments part: files kept with a record.

Files are stored under ``UPLOAD_FOLDER/attachments`` by a random name (never the one the user
gave, which is kept to download it by); their type is read from their first bytes, not taken
from the browser or the mail; they are served only as downloads (``Content-Disposition:
attachment``, ``nosniff``). Who may download is who may read the record (the record is looked up
through the register's scoped interface); who may upload is who may change it — the edit check,
or the register's ``who``. A record's files leave the disk once its delete is committed.
"""
from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app
from flask_appbuilder import Model
from flask_babel import lazy_gettext as _
from sqlalchemy import Column, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import relationship

from app.core.exceptions import ForbiddenError, NotFoundError, ValidationFailed
from app.core.history import record as history_row
from app.core.history import snapshot
from app.core.parts.timeline import add_event
from app.core.scope import Scope, current_scope
from app.core.timeutil import utcnow

ATTACH = "attach"  # the action: in the timeline and the history
MAX_SIZE = 20 * 1024 * 1024
OCTET_STREAM = "application/octet-stream"


def attachments_for(model, *, table: str, fk: str) -> type:
    """The attachment table of ``model``'s records (its ``<Model>Attachment`` class), removed
    with its record (ON DELETE CASCADE). The record gets ``attachments`` (oldest first)."""
    parent = fk.removesuffix("_id")
    attachment = type(f"{model.__name__}Attachment", (Model,), {
        "__module__": model.__module__,
        "__doc__": f"A file kept with a {model.__name__}, stored under UPLOAD_FOLDER.",
        "__tablename__": table,
        "id": Column(Integer, primary_key=True),
        fk: Column(Integer, ForeignKey(f"{model.__tablename__}.id", ondelete="CASCADE"),
                   nullable=False, index=True),
        parent: relationship(model, back_populates="attachments"),
        "filename": Column(String(255), nullable=False),
        "content_type": Column(String(100), nullable=False, default=OCTET_STREAM),
        "size": Column(Integer, nullable=False),
        "stored_name": Column(String(64), unique=True, nullable=False),
        "created_at": Column(DateTime, nullable=False, default=utcnow),
        "record_id_column": fk,  # (the part reads an attachment's record by it)
    })
    model.attachments = relationship(attachment, back_populates=parent, order_by=attachment.id,
                                     cascade="all, delete-orphan")
    return attachment


def may_change(scope: Scope, record) -> bool:
    """The edit check: the user may write the record's department."""
    return scope.can_write(record.owning_department_id)


@dataclass(frozen=True)
class Attachments:
    """A register's attachments: their model, the largest file accepted (bytes) and who may
    attach a file to a record (``who(scope, record)``; default: whoever may edit it)."""

    model: type
    max_size: int = MAX_SIZE
    who: Callable[[Scope, object], bool] = may_change

    action_labels: dict = field(default_factory=lambda: {ATTACH: _("Attachment added")},
                                init=False)
    field_labels: dict = field(default_factory=lambda: {"attachment": _("Attachment")},
                               init=False)

    def record_id(self, attachment) -> int:
        return getattr(attachment, self.model.record_id_column)


def attachment_dir() -> Path:
    path = Path(current_app.config["UPLOAD_FOLDER"]) / "attachments"
    path.mkdir(parents=True, exist_ok=True)
    return path


# --- what a file is, from its first bytes -----------------------------------------------------------
_SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
    (b"7z\xbc\xaf\x27\x1c", "application/x-7z-compressed"),
    (b"Rar!\x1a\x07", "application/vnd.rar"),
    (b"\x1f\x8b", "application/gzip"),
)
# Office files are zip (2007 and later) or OLE2 (97-2003) containers: the name says which kind.
_ZIPPED = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "ofd": "application/ofd",  # China's e-document format (GB/T 33190)
}
_OLE2 = {"doc": "application/msword", "xls": "application/vnd.ms-excel",
         "ppt": "application/vnd.ms-powerpoint"}


def sniff(data: bytes, filename: str = "") -> str:
    """The file's type from its content. What a browser or a mailer declares is not trusted: a
    page named ``photo.png`` is text, and text is never served as HTML."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    for signature, content_type in _SIGNATURES:
        if data.startswith(signature):
            return content_type
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data.startswith(b"PK\x03\x04"):
        return _ZIPPED.get(extension, "application/zip")
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return _OLE2.get(extension, OCTET_STREAM)
    if b"\x00" not in data[:8192]:
        for encoding in ("utf-8", "gb18030"):
            try:
                data[:8192].decode(encoding)
            except UnicodeDecodeError as error:
                if error.start < len(data[:8192]) - 4:  # (not a character cut at the end)
                    continue
            return "text/plain"
    return OCTET_STREAM


# --- storing ----------------------------------------------------------------------------------------
class Staged:
    """Files written for records not yet committed; removed again if the command fails."""

    def __init__(self):
        self.paths: list[Path] = []

    def add(self, record, filename: str, data: bytes):
        """Write ``data`` under a random name and attach it to ``record`` (a new row)."""
        stored = uuid.uuid4().hex
        path = attachment_dir() / stored
        path.write_bytes(data)
        self.paths.append(path)
        row = type(record).attachments.property.mapper.class_(
            filename=(filename or "file")[:255], content_type=sniff(data, filename),
            size=len(data), stored_name=stored)
        record.attachments.append(row)
        return row

    def discard(self) -> None:
        for path in self.paths:
            path.unlink(missing_ok=True)


@contextmanager
def staged():
    """``with staged() as files: files.add(record, name, data); <the command>`` — if anything
    in the block fails, the files written are removed (the rows were never committed)."""
    files = Staged()
    try:
        yield files
    except BaseException:
        files.discard()
        raise


def attach(commands, record, filename: str, data: bytes) -> None:
    """Attach one uploaded file to a stored record, as one command: who may (403), a file and
    not too large (422); the row, a timeline event and a history row in one transaction."""
    register = commands.register
    part = register.attachments if register is not None else None
    if part is None:
        raise NotFoundError()
    if not part.who(current_scope(), record):
        raise ForbiddenError()
    if not filename or not data:
        raise ValidationFailed(errors={"file": [_("Choose a file.")]})
    if len(data) > part.max_size:
        raise ValidationFailed(errors={"file": [_(
            "The file is larger than %(size)s MB.", size=part.max_size // (1024 * 1024))]})
    state = getattr(record, register.lifecycle.column, None) if register.lifecycle else None

    def work(session):
        row = files.add(record, filename, data)
        if register.timeline is not None:
            add_event(record, ATTACH, state, state, row.filename)
        session.flush()
        values = snapshot(record)
        history_row(session, record, ATTACH, values, values, extra={"attachment": row.filename})

    with staged() as files:
        commands._run(work)


def stored_names(session, register, records: Iterable) -> list[str]:
    """The stored files of ``records`` (read before they are deleted: one query)."""
    if register is None or register.attachments is None:
        return []
    model = register.attachments.model
    ids = [record.id for record in records]
    return [name for (name,) in session.query(model.stored_name)
            .filter(getattr(model, model.record_id_column).in_(ids))]


def remove_files(names: Iterable[str]) -> None:
    """Remove stored files (after the delete of their records is committed)."""
    folder = attachment_dir()
    for name in names:
        (folder / name).unlink(missing_ok=True)
