"""The progress updates panel of a resolution's record page (date, text, author), in one
query; the page itself is read through the register's scoped interface, so whoever sees the
panel may read the resolution."""
from __future__ import annotations

from sqlalchemy.orm import joinedload

from app.extensions import db
from app.registers.resolutions.models import Resolution, ResolutionProgress


def resolution_progress(register, record) -> dict | None:
    if register.table != Resolution.__tablename__:
        return None
    rows = (db.session.query(ResolutionProgress)
            .options(joinedload(ResolutionProgress.author))
            .filter(ResolutionProgress.resolution_id == record.id)
            .order_by(ResolutionProgress.on.desc(), ResolutionProgress.id.desc()).all())
    return {"rows": rows}
