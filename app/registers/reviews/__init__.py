"""Expert review meetings (measure A1), declared once: a lifecycle (planned → scoring →
decided, or cancelled), a timeline, the panel's reviews and figures on the meeting's page, the
expert's private link, the XLSX sheet, and the admission check of projects needing a review."""

from flask import Blueprint, current_app
from flask_babel import lazy_gettext as _

from app.core.parts.timeline import Timeline
from app.core.parts.views import Panel, register_panel
from app.core.registry import Register, declare
from app.registers.institutions.models import Institution
from app.registers.projects.hooks import ADMISSION_CHECKS
from app.registers.projects.models import Project
from app.registers.reviews import panels
from app.registers.reviews.admission import review_admits
from app.registers.reviews.commands import ACTIONS, ReviewCommands
from app.registers.reviews.lifecycle import LIFECYCLE
from app.registers.reviews.models import ReviewMeeting, ReviewMeetingEvent
from app.registers.reviews.public import init_public
from app.registers.reviews.views import ReviewMeetingApiBase, ReviewMeetingViewBase

EDIT_COLUMNS = ["project", "institution", "held_at", "venue", "panel", "institution_opinion"]


def _extra(appbuilder) -> None:
    app = current_app._get_current_object()
    if "reviews_parts" not in app.blueprints:
        app.register_blueprint(Blueprint("reviews_parts", __name__, template_folder="templates"))
    init_public(app)
    register_panel(Panel("review-panel", "reviews/meeting_panel.html", panels.meeting_panel,
                         wide=True))
    register_panel(Panel("review-meetings", "reviews/project_panel.html",
                         panels.project_meetings))


if review_admits not in ADMISSION_CHECKS:
    ADMISSION_CHECKS.append(review_admits)

REGISTER = declare(Register(
    model=ReviewMeeting,
    name="Review meetings",
    label=_("Expert review meetings"),
    title=_("Expert review meeting"),
    route="/reviews",
    icon="fa-gavel",
    edit_columns=EDIT_COLUMNS,
    list_columns=["project", "institution", "held_at", "state", "decision", "department"],
    show_columns=["project", "institution", "held_at", "venue", "panel", "state",
                  "institution_opinion", "decision", "rationale", "department",
                  "created_on", "changed_on"],
    export_columns=["project", "institution", "held_at", "venue", "state",
                    "institution_opinion", "decision", "rationale", "department"],
    search_columns=["state", "decision", "held_at", "department"],
    order_columns=["held_at", "state"],
    base_order=("held_at", "desc"),
    labels={"department": _("Lead department"), "department_id": _("Lead department"),
            "project_id": _("Project"), "institution_id": _("Convening institution"),
            # (what the history of a review's actions names)
            "expert": _("Expert"), "scores": _("Scores"), "opinion": _("Individual opinion")},
    link_column="project",
    import_key=("project", "held_at"),
    commands=ReviewCommands,
    actions=ACTIONS,
    view_base=ReviewMeetingViewBase,
    api_base=ReviewMeetingApiBase,
    timeline=Timeline(ReviewMeetingEvent),
    lifecycle=LIFECYCLE,
    extra=_extra,
    sample=lambda make: {"project_id": make.record(Project),
                         "institution_id": make.record(Institution,
                                                       kind="engineering_management"),
                         "held_at": make.instant(days=7, hour=1),
                         "venue": make.text("普湾经济区管委会三楼会议室")},
))
