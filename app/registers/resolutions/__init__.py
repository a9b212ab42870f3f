"""Investment review meetings, their agenda and resolutions (measure A2), declared once: the
Office keeps the meetings and supervises the resolutions (督办); each responsible department
reports progress and completes with evidence; a deadline clock per resolution; charts; and the
monthly supervision report (app.registers.resolutions.report, its page in .views)."""
import datetime as dt

from flask import Blueprint, current_app
from flask_babel import lazy_gettext as _

from app.core.models import Department
from app.core.parts.attachments import Attachments
from app.core.parts.timeline import Timeline
from app.core.parts.views import Panel, register_panel
from app.core.registry import Register, declare
from app.core.timeutil import display_tz
from app.core.transfer.cells import register_reference
from app.registers.projects.models import Project
from app.registers.resolutions import panels
from app.registers.resolutions.charts import CHARTS, FILTERS
from app.registers.resolutions.commands import (
    AgendaCommands,
    MeetingCommands,
    ResolutionCommands,
)
from app.registers.resolutions.lifecycle import CLOCK_NAMES, LIFECYCLE
from app.registers.resolutions.models import (
    AgendaItem,
    InvestmentMeeting,
    Resolution,
    ResolutionAttachment,
    ResolutionEvent,
)
from app.registers.resolutions.spreadsheet import MEETING_REFERENCE
from app.registers.resolutions.views import bases, resolution_bases
from app.sla.calendar import WorkCalendar

REPORTS_MENU = "Monthly supervision reports"


def _extra(appbuilder) -> None:
    app = current_app._get_current_object()
    if "resolutions_parts" not in app.blueprints:
        app.register_blueprint(Blueprint("resolutions_parts", __name__,
                                         template_folder="templates"))
    register_panel(Panel("resolution-progress", "resolutions/progress_panel.html",
                         panels.resolution_progress, wide=True))
    # (a menu item of its own: granted to the Office and to who reads every department)
    appbuilder.add_link(REPORTS_MENU, href="/resolutions/reports/",
                        label=_("Monthly supervision reports"), icon="fa-file-pdf-o",
                        category="Registers")


def _day(days: int) -> dt.date:
    """A working day about ``days`` from today (Asia/Shanghai): a valid held-on or deadline."""
    day = dt.datetime.now(display_tz()).date() + dt.timedelta(days=days)
    return WorkCalendar().next_working_day(day) if days > 0 else day


def _meeting_sample(make):
    return {"held_on": _day(-5), "name_zh": make.text("第十二次投资审查会")}


MEETINGS = declare(Register(
    model=InvestmentMeeting,
    name="Investment meetings",
    label=_("Investment review meetings"),
    title=_("Investment review meeting"),
    route="/investment-meetings",
    icon="fa-gavel",
    edit_columns=["held_on", "name_zh", "name_ja", "name_en", "notes", "department"],
    list_columns=["held_on", "name", "department"],
    search_columns=["held_on", "name_zh", "name_ja", "name_en", "department"],
    order_columns=["held_on", "name_zh"],
    base_order=("held_on", "desc"),
    labels={"name": _("Title"), "department": _("Keeping department"),
            "department_id": _("Keeping department")},
    link_column="name",
    import_key=("held_on", "name_zh"),
    commands=MeetingCommands,
    sample=_meeting_sample,
))

_agenda_view, _agenda_api = bases(AgendaCommands)
AGENDA = declare(Register(
    model=AgendaItem,
    name="Investment agenda items",
    label=_("Review agenda items"),
    title=_("Review agenda item"),
    route="/investment-agenda",
    icon="fa-list-ol",
    edit_columns=["meeting", "project", "reviewed_for", "notes"],
    list_columns=["meeting", "project", "reviewed_for", "department"],
    search_columns=["reviewed_for", "department"],
    order_columns=["reviewed_for"],
    base_order=("id", "desc"),
    labels={"department": _("Keeping department"),
            "department_id": _("Keeping department")},
    link_column="project",
    import_key=("meeting", "project", "reviewed_for"),
    commands=AgendaCommands,
    view_base=_agenda_view,
    api_base=_agenda_api,
    sample=lambda make: {"meeting_id": make.record(InvestmentMeeting, held_on=_day(-5)),
                         "project_id": make.record(Project), "reviewed_for": "admission",
                         "notes": make.text("准入审查")},
))


def _may_attach(scope, resolution) -> bool:
    """The responsible department attaches its evidence; the Office may too."""
    return (scope.can_write(resolution.handling_department_id)
            or scope.can_write(resolution.department_id))


_resolution_view, _resolution_api = resolution_bases(ResolutionCommands)
REGISTER = declare(Register(
    model=Resolution,
    name="Resolutions",
    label=_("Resolutions"),
    title=_("Resolution"),
    route="/resolutions",
    icon="fa-check-square-o",
    add_columns=["meeting", "text_zh", "text_ja", "text_en", "project",
                 "handling_department", "deadline"],
    edit_columns=["meeting", "text_zh", "text_ja", "text_en", "project",
                  "handling_department"],
    list_columns=["text", "meeting", "handling_department", "deadline", "state",
                  "completed_on"],
    show_columns=["meeting", "text_zh", "text_ja", "text_en", "project", "handling_department",
                  "deadline", "original_deadline", "state", "completed_on", "department",
                  "created_on", "changed_on"],
    export_columns=["meeting", "text_zh", "text_ja", "text_en", "project",
                    "handling_department", "deadline", "original_deadline", "state",
                    "completed_on", "department"],
    search_columns=["text_zh", "state", "deadline", "completed_on", "handling_department",
                    "department"],
    order_columns=["deadline", "state", "completed_on"],
    base_order=("deadline", "asc"),
    labels={"text": _("Resolution"), "department": _("Keeping department"),
            "department_id": _("Keeping department")},
    link_column="text",
    import_key=("meeting", "text_zh"),
    commands=ResolutionCommands,
    view_base=_resolution_view,
    api_base=_resolution_api,
    timeline=Timeline(ResolutionEvent),
    attachments=Attachments(ResolutionAttachment, who=_may_attach),
    lifecycle=LIFECYCLE,
    clocks=CLOCK_NAMES,
    charts=CHARTS,
    chart_filters=FILTERS,
    chart_search_columns=["department", "state", "deadline"],
    charts_title=_("Resolutions and their supervision"),
    charts_label=_("Resolutions and their supervision"),
    permissions={"write": ("can_transition",)},
    extra=_extra,
    sample=lambda make: {"meeting_id": make.record(InvestmentMeeting, held_on=_day(-5)),
                         "text_zh": make.text("完成项目用地预审"),
                         "handling_department_id": make.ref(Department, code="PCB"),
                         "deadline": _day(30)},
))

# (a meeting in a spreadsheet: by its date and title)
register_reference(InvestmentMeeting, MEETING_REFERENCE)
