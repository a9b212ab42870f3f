"""The expert review's part in admitting a project (measure A1): a project that needs a review
(a chemical one) is admitted only with a decided review meeting whose decision admits it
(with or without conditions). Appended to app.registers.projects.hooks.ADMISSION_CHECKS."""
from __future__ import annotations

from flask_babel import lazy_gettext as _

from app.registers.reviews.models import ADMITTING, ReviewMeeting

NO_REVIEW = _("This project needs an expert review before admission: record a decided review "
              "meeting that admits it (with or without conditions).")


def review_admits(session, project) -> str | None:
    if not project.needs_review:
        return None
    admitted = (session.query(ReviewMeeting.id)
                .filter(ReviewMeeting.project_id == project.id,
                        ReviewMeeting.state == "decided",
                        ReviewMeeting.decision.in_(ADMITTING)).first())
    return None if admitted is not None else str(NO_REVIEW)
