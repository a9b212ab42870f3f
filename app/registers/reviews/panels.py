"""The meeting page's panel (app.core.parts.views ``register_panel``): the panel's reviews —
submitted or not, how, the buttons staff may use (enter a signed form, issue a link, reopen) —
and per dimension the mean, median, spread and standard deviation with the scores far from the
others flagged (app.registers.reviews.stats). Two queries whatever the panel.

And a panel on the project's page: its review meetings (one query).
"""
from __future__ import annotations

from flask import current_app, url_for

from app.core.models import localized
from app.core.scope import current_scope, visibility_clause
from app.core.timeutil import format_display
from app.extensions import db
from app.registers.projects.models import Project
from app.registers.reviews.commands import reviews_of
from app.registers.reviews.models import (
    CHANNELS,
    DECISIONS,
    DIMENSIONS,
    OPINIONS,
    SCALE,
    ReviewMeeting,
)
from app.registers.reviews.stats import panel_figures, panelist_mean

VIEW = "ReviewMeetingView"


def _may(permission: str) -> bool:
    return current_app.appbuilder.sm.has_access(permission, VIEW)


def figures_of(reviews) -> dict:
    """{dimension: (Figures, flagged expert ids)} of the submitted reviews."""
    submitted = {r.expert_id: r.scores() for r in reviews if r.submitted}
    return panel_figures(submitted, DIMENSIONS)


def meeting_panel(register, meeting) -> dict | None:
    if register.table != ReviewMeeting.__tablename__:
        return None
    reviews = reviews_of(db.session, meeting)
    figures = figures_of(reviews)
    writable = _may("can_edit") and current_scope().can_write(meeting.department_id)
    scoring = meeting.state == "scoring"
    rows = []
    for review in reviews:
        scores = review.scores()
        rows.append({
            "expert_id": review.expert_id,
            "expert": localized(review.expert, "name"),
            "employer": review.expert.employer or "",
            "submitted": review.submitted,
            "submitted_at": format_display(review.submitted_at),
            "channel": CHANNELS.get(review.channel, "") if review.submitted else "",
            "scores": [(key, scores[key], review.expert_id in figures[key][1])
                       for key in DIMENSIONS] if review.submitted else [],
            "mean": panelist_mean(scores) if review.submitted else None,
            "opinion": OPINIONS.get(review.opinion, "") if review.submitted else "",
            "opinion_text": review.opinion_text if review.submitted else "",
            "link_out": bool(review.token_hash) and not review.submitted,
            "values": scores, "opinion_code": review.opinion or "",
            "text": review.opinion_text or "",
        })
    return {
        "meeting": meeting,
        "rows": rows,
        "dimensions": DIMENSIONS,
        "figures": [(key, DIMENSIONS[key], figures[key][0]) for key in DIMENSIONS],
        "opinions": OPINIONS,
        "scale": SCALE,
        "writable": writable and scoring,
        "decision": DECISIONS.get(meeting.decision, ""),
        "xlsx_url": url_for(f"{VIEW}.xlsx", pk=meeting.id),
    }


def project_meetings(register, project) -> dict | None:
    if register.table != Project.__tablename__ or not _may("can_list"):
        return None
    query = db.session.query(ReviewMeeting).filter(ReviewMeeting.project_id == project.id)
    clause = visibility_clause(ReviewMeeting)
    if clause is not None:
        query = query.filter(clause)
    meetings = query.order_by(ReviewMeeting.held_at.desc()).limit(50).all()
    return {
        "rows": [{"url": url_for(f"{VIEW}.show", pk=m.id), "held_at": format_display(m.held_at),
                  "state": m.state_label, "decision": DECISIONS.get(m.decision, "")}
                 for m in meetings],
        "add_url": url_for(f"{VIEW}.add", _flt_0_project=project.id) if _may("can_add") else None,
    }
