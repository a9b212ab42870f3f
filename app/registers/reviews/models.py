"""Expert review meetings of measure A1: a third-party institution convenes 3–5 experts to
assess a (chemical) project on the plan's seven dimensions; each expert gives scores and an
individual opinion, the institution its opinion, and the meeting an admission decision.

A panelist's review is a row of ``expert_review`` keyed by (meeting, expert): the same table is
the meeting's many-to-many ``panel`` (the form's multi-select adds and removes rows), so the
panel and its reviews cannot disagree. Scores are whole numbers from 0 to 100 (see SCALE).
"""
from flask_appbuilder import Model
from flask_babel import lazy_gettext as _
from sqlalchemy import Column, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import relationship

from app.core.models import AuditMixin, DepartmentOwnedMixin
from app.core.parts.timeline import timeline_for
from app.core.timeutil import to_display
from app.registers.experts.models import Expert
from app.registers.institutions.models import Institution
from app.registers.projects.models import Project

# The plan's seven dimensions (A1), in its order.
DIMENSIONS = {
    "technical": _("Technical feasibility"),
    "advancement": _("Advancement"),
    "energy": _("Energy consumption"),
    "environment": _("Environmental protection"),
    "safety": _("Safety"),
    "economic": _("Economic benefit"),
    "social": _("Social benefit"),
}
# 0–100 (百分制): the scale of the signed scoring forms the institutions use, fine enough for
# a distance rule (OUTLIER_POINTS) to mean something on a panel of three to five.
SCALE = (0, 100)
PANEL_SIZE = (3, 5)

STATES = {"planned": _("Planned"), "scoring": _("Scoring"), "decided": _("Decided"),
          "cancelled": _("Cancelled")}
DECISIONS = {"admit": _("Admit"), "admit_conditions": _("Admit with conditions"),
             "not_admit": _("Do not admit")}
# the decisions that let a project needing a review be admitted (the admission check)
ADMITTING = frozenset({"admit", "admit_conditions"})
OPINIONS = {"pass": _("Pass"), "conditions": _("Pass with conditions"), "fail": _("Fail")}
CHANNELS = {"staff": _("Entered by staff from the signed form"),
            "link": _("Submitted by the expert through the private link")}


class Review(Model):
    """One panelist's review: scores, opinion, and whether (and how) it was submitted. A
    submitted review is locked until staff reopen it."""

    __tablename__ = "expert_review"
    meeting_id = Column(Integer, ForeignKey("review_meeting.id", ondelete="CASCADE"),
                        primary_key=True)
    expert_id = Column(Integer, ForeignKey("expert.id", ondelete="CASCADE"), primary_key=True,
                       index=True)
    technical = Column(Integer)
    advancement = Column(Integer)
    energy = Column(Integer)
    environment = Column(Integer)
    safety = Column(Integer)
    economic = Column(Integer)
    social = Column(Integer)
    opinion = Column(String(16))
    opinion_text = Column(Text)
    submitted_at = Column(DateTime)
    channel = Column(String(8))
    # the sha256 of the expert's private link (the token itself is shown once, never stored)
    token_hash = Column(String(64), unique=True, index=True)
    expert = relationship(Expert, viewonly=True)
    meeting = relationship("ReviewMeeting", viewonly=True)

    def scores(self) -> dict:
        return {key: getattr(self, key) for key in DIMENSIONS}

    @property
    def submitted(self) -> bool:
        return self.submitted_at is not None


class ReviewMeeting(AuditMixin, DepartmentOwnedMixin, Model):
    __tablename__ = "review_meeting"
    id = Column(Integer, primary_key=True)
    project_id = Column(Integer, ForeignKey("project.id"), nullable=False, index=True)
    project = relationship(Project, info={"label": _("Project")})
    institution_id = Column(Integer, ForeignKey("institution.id"), nullable=False, index=True)
    institution = relationship(Institution, info={"label": _("Convening institution")})
    held_at = Column(DateTime, nullable=False, index=True,
                     info={"label": _("Date and time")})
    venue = Column(String(300), info={"label": _("Venue")})
    state = Column(String(16), nullable=False, default="planned", index=True,
                   info={"label": _("State"), "choices": STATES})
    # The panel: its rows are the reviews (see the module's docstring).
    panel = relationship(Expert, secondary=Review.__table__, order_by=Expert.name_zh,
                         overlaps="expert,meeting",
                         info={"label": _("Expert panel"), "scope_check": "read"})
    reviews = relationship(Review, viewonly=True, order_by=Review.expert_id)
    institution_opinion = Column(Text, info={"label": _("Opinion of the institution")})
    decision = Column(String(24), info={"label": _("Admission decision"),
                                        "choices": DECISIONS})
    rationale = Column(Text, info={"label": _("Rationale of the decision")})

    @property
    def state_label(self) -> str:
        return str(STATES.get(self.state, self.state or ""))

    def __str__(self) -> str:
        if self.held_at is None:
            return str(self.project)
        return f"{self.project} · {to_display(self.held_at):%Y-%m-%d}"


ReviewMeetingEvent = timeline_for(ReviewMeeting, table="review_meeting_event",
                                  fk="review_meeting_id")
