"""Where the files attached to records are kept: under ``UPLOAD_FOLDER``, by a random stored
name (the record's attachment row keeps the original name)."""
from __future__ import annotations

from pathlib import Path

from flask import current_app


def attachment_dir() -> Path:
    path = Path(current_app.config["UPLOAD_FOLDER"]) / "attachments"
    path.mkdir(parents=True, exist_ok=True)
    return path
