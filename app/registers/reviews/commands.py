"""Review-meeting commands: one write path for the form, REST, the meeting page and the
expert's private link.

- A meeting belongs to its project's lead department (``department_id`` follows the project).
- The panel: 3–5 experts — more are refused on saving, fewer when scoring starts (a panel
  being convened may be incomplete until then); an expert with a declared tie to the
  project's enterprise is refused, the reason naming the tie. The panel is fixed once scoring
  starts (its reviews are being written).
- A review is scored while the meeting is scoring, by staff of the meeting's department (from
  the signed form) or by the expert through the private link; once submitted it is locked until
  staff reopen it. Issuing a link, scoring and reopening are each one transaction with a
  history row and a timeline event on the meeting.
- Deciding needs every panelist's review submitted (409) and the institution's opinion (422).
"""
from __future__ import annotations

import datetime as dt
import secrets

from flask_babel import lazy_gettext as _
from sqlalchemy.orm import joinedload

from app.core.commands import ANOTHER_DEPARTMENT, RecordCommands
from app.core.exceptions import ForbiddenError, NotFoundError, TransitionError, ValidationFailed
from app.core.history import record, snapshot
from app.core.models import localized
from app.core.parts.timeline import add_event
from app.core.public import token_hash
from app.core.scope import current_scope
from app.extensions import db
from app.registers.experts.models import Expert
from app.registers.reviews.models import (
    DECISIONS,
    DIMENSIONS,
    OPINIONS,
    PANEL_SIZE,
    SCALE,
    Review,
    ReviewMeeting,
)

PANEL_SIZE_ERROR = _("A review panel has 3 to 5 experts (%(n)s chosen).")
TIED = _("%(expert)s has declared a tie to %(enterprise)s, the project's enterprise, and "
         "cannot sit on its panel.")
PANEL_FIXED = _("The panel is fixed once scoring has started.")
PROJECT_FIXED = _("The project of a meeting cannot change once scoring has started.")
NOT_SCORING = _("Reviews are scored while the meeting is “Scoring” (it is “%(state)s”).")
LOCKED = _("This review was submitted and is locked; staff must reopen it first.")
NOT_SUBMITTED = _("This review has not been submitted.")
OUTSTANDING = _("Every panelist's review must be submitted before the decision "
                "(%(n)s outstanding).")
SCORE_ERROR = _("Give a whole number from %(low)s to %(high)s.")
OPINION_TEXT = _("Say what the conditions or the reasons are.")
# What the history and timeline call the meeting's review actions
ACTIONS = {"score": _("Review submitted"), "reopen": _("Review reopened"),
           "issue_link": _("Private link issued")}


def parse_review(data: dict) -> dict:
    """The review's values from a form (text) or JSON, or ValidationFailed naming each field."""
    errors: dict = {}
    values: dict = {}
    low, high = SCALE
    for key in DIMENSIONS:
        raw = data.get(key)
        try:
            value = int(str(raw).strip())
            if not low <= value <= high:
                raise ValueError
            values[key] = value
        except (TypeError, ValueError):
            errors[key] = [SCORE_ERROR % {"low": low, "high": high}]
    opinion = str(data.get("opinion") or "").strip()
    if opinion not in OPINIONS:
        errors["opinion"] = [_("Choose the expert's opinion.")]
    text = str(data.get("opinion_text") or "").strip()
    if opinion in ("conditions", "fail") and not text:
        errors["opinion_text"] = [OPINION_TEXT]
    if errors:
        raise ValidationFailed(errors=errors)
    return {**values, "opinion": opinion, "opinion_text": text or None}


class ReviewCommands(RecordCommands):
    def __init__(self, now: dt.datetime | None = None):
        super().__init__(ReviewMeeting)
        self.now = now

    def _now(self) -> dt.datetime:
        return (self.now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(tzinfo=None)

    # --- the form's and REST's write check -------------------------------------------------
    def _check_write(self, item: ReviewMeeting, original_department_id, before=None) -> None:
        scope = current_scope()
        if original_department_id is not None and not scope.can_write(original_department_id):
            raise ForbiddenError()
        project = item.project
        if project is None:
            raise ValidationFailed(errors={"project": [_("Choose a project.")]})
        values = before.values if before is not None else {}
        linked = before is None or values.get("project_id") != project.id
        if linked:
            if before is not None and values.get("state") not in (None, "planned"):
                raise ValidationFailed(errors={"project": [PROJECT_FIXED]})
            if not scope.can_write(project.department_id):
                raise ValidationFailed(errors={"project": [ANOTHER_DEPARTMENT]})
            item.department_id = project.department_id  # (the project's lead department)
        super()._check_write(item, original_department_id, before)
        self._check_panel(item, before)

    @staticmethod
    def _check_panel(item: ReviewMeeting, before) -> None:
        panel = list(item.panel)
        ids = frozenset(e.id for e in panel)
        old = (before.links or {}).get("panel", frozenset()) if before is not None else None
        if before is not None and item.state != "planned" and ids != old:
            raise ValidationFailed(errors={"panel": [PANEL_FIXED]})
        # (a panel being convened may be short; scoring cannot start so: _do_start_scoring)
        if len(panel) > PANEL_SIZE[1]:
            raise ValidationFailed(errors={"panel": [PANEL_SIZE_ERROR % {"n": len(panel)}]})
        enterprise = item.project.enterprise
        for expert in panel:
            if any(tie.id == enterprise.id for tie in expert.ties):
                raise ValidationFailed(errors={"panel": [TIED % {
                    "expert": localized(expert, "name"),
                    "enterprise": localized(enterprise, "name")}]})

    # --- the lifecycle's actions -------------------------------------------------------------
    def _do_start_scoring(self, session, meeting, data, now):
        n = len(meeting.panel)
        low, high = PANEL_SIZE
        if not low <= n <= high:
            raise ValidationFailed(errors={"panel": [PANEL_SIZE_ERROR % {"n": n}]})
        return None

    def _do_decide(self, session, meeting, data, now):
        outstanding = sum(1 for r in reviews_of(session, meeting) if not r.submitted)
        if outstanding:
            raise TransitionError(OUTSTANDING % {"n": outstanding})
        errors: dict = {}
        if not (meeting.institution_opinion or "").strip():
            errors["institution_opinion"] = [_("Record the institution's opinion first.")]
        if data.get("decision") not in DECISIONS:
            errors["decision"] = [_("Choose the admission decision.")]
        if errors:
            raise ValidationFailed(errors=errors)
        meeting.decision = data["decision"]
        meeting.rationale = str(data["rationale"]).strip()
        return f"{DECISIONS[meeting.decision]}: {meeting.rationale}"

    def _do_cancel(self, session, meeting, data, now):
        return data.get("reason")

    # --- a panelist's review -----------------------------------------------------------------
    def _review(self, meeting: ReviewMeeting, expert_id: int) -> Review:
        review = db.session.get(Review, (meeting.id, expert_id))
        if review is None:
            raise NotFoundError()
        return review

    @staticmethod
    def _staff(meeting: ReviewMeeting) -> None:
        if not current_scope().can_write(meeting.department_id):
            raise ForbiddenError()

    def _act(self, meeting, review, action: str, note, extra: dict, change) -> None:
        """``change()`` then the meeting's timeline event and history row, one transaction."""
        def work(session):
            values = snapshot(meeting)
            change()
            add_event(meeting, action, meeting.state, meeting.state, note, at=self._now())
            meeting.changed_on = self._now()
            session.flush()
            record(session, meeting, action, values, snapshot(meeting),
                   extra={"expert": localized(review.expert, "name"), **extra})

        self._run(work)

    def score(self, meeting: ReviewMeeting, expert_id: int, data: dict,
              channel: str = "staff") -> Review:
        """Submit a review: staff (``channel="staff"``, the meeting's department) or the expert
        through the link (``"link"``: the caller found the review by its token). 403, 409,
        422 in that order; the link is used up."""
        review = self._review(meeting, expert_id)
        if channel == "staff":
            self._staff(meeting)
        if meeting.state != "scoring":
            raise TransitionError(NOT_SCORING % {"state": meeting.state_label})
        if review.submitted:
            raise TransitionError(LOCKED)
        values = parse_review(data)

        def change():
            for key, value in values.items():
                setattr(review, key, value)
            review.submitted_at = self._now()
            review.channel = channel
            review.token_hash = None

        scores = " · ".join(f"{DIMENSIONS[k]} {values[k]}" for k in DIMENSIONS)
        self._act(meeting, review, "score", f"{localized(review.expert, 'name')}: {scores}",
                  {"scores": scores, "opinion": str(OPINIONS[values["opinion"]])}, change)
        return review

    def reopen(self, meeting: ReviewMeeting, expert_id: int, reason: str | None) -> Review:
        review = self._review(meeting, expert_id)
        self._staff(meeting)
        if meeting.state != "scoring":
            raise TransitionError(NOT_SCORING % {"state": meeting.state_label})
        if not review.submitted:
            raise TransitionError(NOT_SUBMITTED)
        reason = (reason or "").strip()
        if not reason:
            raise ValidationFailed(errors={"reason": [_("This field is required.")]})

        def change():
            review.submitted_at = None  # (its scores stay, the starting point of the change)

        self._act(meeting, review, "reopen", f"{localized(review.expert, 'name')}: {reason}",
                  {"reason": reason}, change)
        return review

    def issue_link(self, meeting: ReviewMeeting, expert_id: int) -> str:
        """A new private link for the panelist (an earlier one stops working); the token is
        returned once and only its sha256 kept."""
        review = self._review(meeting, expert_id)
        self._staff(meeting)
        if meeting.state != "scoring":
            raise TransitionError(NOT_SCORING % {"state": meeting.state_label})
        if review.submitted:
            raise TransitionError(LOCKED)
        token = secrets.token_urlsafe(24)

        def change():
            review.token_hash = token_hash(token)

        self._act(meeting, review, "issue_link", localized(review.expert, "name"), {}, change)
        return token


def reviews_of(session, meeting: ReviewMeeting) -> list[Review]:
    """The meeting's reviews with their experts, in one query."""
    return (session.query(Review).options(joinedload(Review.expert))
            .join(Expert, Expert.id == Review.expert_id)
            .filter(Review.meeting_id == meeting.id).order_by(Expert.name_zh).all())
