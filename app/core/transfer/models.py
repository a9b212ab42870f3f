"""An upload waiting to be imported: its file, its progress, its preview (app.core.transfer.jobs)."""
from __future__ import annotations

from flask_appbuilder import Model
from sqlalchemy import JSON, Column, DateTime, Float, ForeignKey, Integer, String, Text

from app.core.timeutil import utcnow


class ImportJob(Model):
    """One user's import of one file into one register. Only that user sees it (and confirms
    it); the file lives under UPLOAD_FOLDER/imports until the job ends."""

    __tablename__ = "import_job"

    id = Column(Integer, primary_key=True)
    user_id = Column(Integer, ForeignKey("ab_user.id", ondelete="CASCADE"), nullable=False,
                     index=True)
    table_name = Column(String(64), nullable=False)
    filename = Column(String(255), nullable=False)
    stored_name = Column(String(64), nullable=False, unique=True)
    locale = Column(String(8), nullable=False, default="zh")
    # checking -> ready | refused ; ready -> importing -> done | failed
    state = Column(String(16), nullable=False, default="checking")
    progress = Column(Float, nullable=False, default=0.0)   # 0 to 1, of the current step
    rows = Column(Integer, nullable=False, default=0)
    counts = Column(JSON)     # {create, update, unchanged, refused}
    summary = Column(JSON)    # the preview: rows shown, columns not imported
    message = Column(Text)    # why the file or the import was refused, translated
    created_at = Column(DateTime, nullable=False, default=utcnow)
    changed_at = Column(DateTime, nullable=False, default=utcnow, onupdate=utcnow)
    finished_at = Column(DateTime)
