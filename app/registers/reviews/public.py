"""The expert's private link (no login, zh/ja/en): the project's summary and the review form;
after submitting, the panel's anonymised spread (per dimension the range and mean of the
submitted reviews, no names). Another panelist's scores are never shown before one's own is in.

The link is found by its token's sha256 (the token is shown once to staff). A wrong token, a
used one (the review was submitted: the link is spent) or one of a meeting no longer scoring is
404 — the page says nothing about whether it ever existed. The review is written through
``ReviewCommands.score`` (channel "link") as the system. Rate-limited and CSRF-protected like the
portal.
"""
from __future__ import annotations

from flask import Blueprint, abort, request
from flask_wtf import FlaskForm

from app.core.exceptions import CommandError
from app.core.models import localized
from app.core.public import render_public as render
from app.core.public import token_hash
from app.core.scope import acting_as_system
from app.core.timeutil import format_display
from app.extensions import db
from app.registers.projects.models import STAGES
from app.registers.reviews.commands import ReviewCommands, reviews_of
from app.registers.reviews.models import DIMENSIONS, OPINIONS, SCALE, Review
from app.registers.reviews.panels import figures_of

expert_review = Blueprint("expert_review", __name__, url_prefix="/review",
                          template_folder="templates")


class CsrfForm(FlaskForm):
    """Its CSRF token: the fields are drawn by the template, checked by the command."""


def _review(token: str) -> Review:
    review = db.session.query(Review).filter_by(token_hash=token_hash(token)).one_or_none()
    if review is None or review.submitted or review.meeting.state != "scoring":
        abort(404)
    return review


def _context(review: Review) -> dict:
    meeting, project = review.meeting, review.meeting.project
    return {"meeting": meeting, "project": project, "expert": localized(review.expert, "name"),
            "project_name": localized(project, "name"),
            "enterprise": localized(project.enterprise, "name"),
            "stage": STAGES.get(project.stage, ""), "held_at": format_display(meeting.held_at),
            "institution": localized(meeting.institution, "name"),
            "dimensions": DIMENSIONS, "opinions": OPINIONS, "scale": SCALE}


@expert_review.route("/<token>", methods=["GET", "POST"])
def review(token: str):
    item = _review(token)
    form = CsrfForm()
    if not form.is_submitted():
        return render("reviews/expert_review.html", form=form, values={}, errors={},
                      **_context(item))
    if not form.validate():
        abort(400)
    data = {k: v for k, v in request.form.items() if k != "csrf_token"}
    meeting, expert_id = item.meeting, item.expert_id
    context = _context(item)
    try:
        with acting_as_system():
            ReviewCommands().score(meeting, expert_id, data, "link")
    except CommandError as error:
        db.session.rollback()
        return render("reviews/expert_review.html", error.status, form=form, values=data,
                      errors=error.errors, message=error.message if not error.errors else None,
                      **context)
    figures = figures_of(reviews_of(db.session, meeting))
    return render("reviews/expert_submitted.html", 201,
                  spread=[(DIMENSIONS[k], figures[k][0]) for k in DIMENSIONS], **context)


def init_public(app) -> None:
    if "expert_review" in app.blueprints:
        return
    app.register_blueprint(expert_review)
    limit = app.config.get("PORTAL_RATE_LIMIT", "5 per minute;100 per day")
    app.appbuilder.sm.limiter.limit(limit, methods=["POST"])(expert_review)

