"""Projects (measures A3, C1), declared once: from a signed investment to a producing plant,
with its lead department, its project service secretary and its target dates; the stage
workflow (lifecycle, admission checks other packages add: hooks), timeline and attachments.
Their monthly progress reports are a register too (the month's report on an SLA clock opened by
the sweep), shown on the project's page (panels)."""
import datetime as dt

from flask import Blueprint, current_app, redirect, url_for
from flask_appbuilder import expose, has_access
from flask_appbuilder.models.sqla.filters import FilterInFunction
from flask_appbuilder.security.decorators import permission_name
from flask_babel import lazy_gettext as _
from wtforms import SelectField
from wtforms.validators import InputRequired

from app.clocks.sweep import sweep_starting
from app.core.models import current_actor
from app.core.parts.attachments import Attachments
from app.core.parts.timeline import Timeline
from app.core.parts.views import Panel, register_panel
from app.core.registry import Register, declare
from app.core.views import ScopedModelView, ScopedRestApi, writable_department_ids
from app.registers.enterprises.models import Enterprise
from app.registers.projects import panels
from app.registers.projects.charts import CHARTS, FILTERS, REPORT_CHARTS, REPORT_FILTERS
from app.registers.projects.commands import ProjectCommands, ReportCommands, opening_reports
from app.registers.projects.lifecycle import CLOCK_NAMES, LIFECYCLE, START_STAGES
from app.registers.projects.models import (
    Project,
    ProjectAttachment,
    ProjectEvent,
    ProjectReport,
)

ADD_COLUMNS = ["name_zh", "name_ja", "name_en", "enterprise", "industry", "investment",
               "land_area", "site", "stage", "secretary", "target_construction_start",
               "target_production_start", "description", "department"]
# (the stage moves by the lifecycle's actions only)
EDIT_COLUMNS = [c for c in ADD_COLUMNS if c != "stage"]
# The secretary: a user of a department the author writes (the command: of the lead one).
RELATED = {"secretary": [["department_id", FilterInFunction, writable_department_ids]]}


def _stage_field():
    return SelectField(_("Stage"), choices=[(k, v) for k, v in START_STAGES.items()],
                       default="intention")


class ProjectViewBase(ScopedModelView):
    add_form_query_rel_fields = edit_form_query_rel_fields = RELATED
    add_form_extra_fields = {"stage": _stage_field()}

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.commands = ProjectCommands()

    @expose("/mine/")
    @has_access
    @permission_name("list")
    def mine(self):
        """"My projects": the list filtered on the reader as their service secretary."""
        return redirect(url_for(f"{type(self).__name__}.list",
                                _flt_0_secretary=current_actor().id))


class ProjectApiBase(ScopedRestApi):
    add_query_rel_fields = edit_query_rel_fields = RELATED

    def __init__(self):
        super().__init__()
        self.commands = ProjectCommands()


class ReportViewBase(ScopedModelView):
    # (a row the month opened is empty; a report says at least its progress)
    validators_columns = {"progress": [InputRequired()]}

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.commands = ReportCommands()


class ReportApiBase(ScopedRestApi):
    def __init__(self):
        super().__init__()
        self.commands = ReportCommands()


def _extra(appbuilder) -> None:
    # (the panel's template lives here, with the register)
    app = current_app._get_current_object()
    if "projects_parts" not in app.blueprints:
        app.register_blueprint(Blueprint("projects_parts", __name__,
                                         template_folder="templates"))
    register_panel(Panel("project-reports", "projects/reports_panel.html",
                         panels.project_reports, wide=True))


# the sweep opens each month's reports (and clocks) of the projects in a reporting stage
sweep_starting.connect(opening_reports)

REGISTER = declare(Register(
    model=Project,
    name="Projects",
    label=_("Projects"),
    title=_("Project"),
    route="/projects",
    icon="fa-industry",
    add_columns=ADD_COLUMNS,
    edit_columns=EDIT_COLUMNS,
    list_columns=["name", "enterprise", "industry", "stage", "investment", "secretary",
                  "target_production_start", "department"],
    show_columns=["name_zh", "name_ja", "name_en", "enterprise", "industry", "stage",
                  "secretary", "investment", "land_area", "site", "target_construction_start",
                  "target_production_start", "description", "department", "created_on",
                  "changed_on"],
    export_columns=["name_zh", "name_ja", "name_en", "enterprise", "industry", "investment",
                    "land_area", "site", "stage", "secretary", "target_construction_start",
                    "target_production_start", "description", "department"],
    search_columns=["name_zh", "name_ja", "name_en", "industry", "stage", "site", "secretary",
                    "target_production_start", "department"],
    order_columns=["name_zh", "investment", "stage", "target_production_start"],
    base_order=("changed_on", "desc"),
    labels={"name": _("Project"), "department": _("Lead department"),
            "department_id": _("Lead department")},
    link_column="name",
    import_key=("name_zh",),
    commands=ProjectCommands,
    view_base=ProjectViewBase,
    api_base=ProjectApiBase,
    timeline=Timeline(ProjectEvent),
    attachments=Attachments(ProjectAttachment),
    lifecycle=LIFECYCLE,
    charts=CHARTS,
    chart_filters=FILTERS,
    chart_search_columns=["department", "industry", "stage"],
    charts_title=_("Projects by stage and industry"),
    charts_label=_("Projects by stage and industry"),
    extra=_extra,
    sample=lambda make: {"name_zh": make.text("年产十万吨新材料项目"),
                         "enterprise_id": make.record(Enterprise), "industry": "chemical",
                         "investment": 50000, "stage": "signed"},
))

REPORT_REGISTER = declare(Register(
    model=ProjectReport,
    name="Project reports",
    label=_("Monthly project reports"),
    title=_("Monthly project report"),
    route="/project-reports",
    icon="fa-calendar-check-o",
    add_columns=["project", "month", "progress", "problems", "next_steps"],
    edit_columns=["progress", "problems", "next_steps"],
    list_columns=["project", "month", "status_label", "progress", "reported_by", "reported_at",
                  "department"],
    show_columns=["project", "month", "status_label", "progress", "problems", "next_steps",
                  "reported_by", "reported_at", "department"],
    export_columns=["project", "month", "progress", "problems", "next_steps", "reported_by",
                    "reported_at", "department"],
    search_columns=["project", "month", "reported_at", "department"],
    order_columns=["month", "reported_at"],
    base_order=("month", "desc"),
    labels={"department": _("Lead department"), "department_id": _("Lead department"),
            "project_id": _("Project"), "status_label": _("Report status")},
    link_column="project",
    import_key=("project", "month"),
    commands=ReportCommands,
    view_base=ReportViewBase,
    api_base=ReportApiBase,
    clocks=CLOCK_NAMES,
    charts=REPORT_CHARTS,
    chart_filters=REPORT_FILTERS,
    chart_search_columns=["department", "month"],
    charts_title=_("Monthly reports on time"),
    charts_label=_("Monthly reports on time"),
    sample=lambda make: {"project_id": make.record(Project), "month": dt.date(2026, 1, 1),
                         "progress": make.text("完成桩基施工")},
))
