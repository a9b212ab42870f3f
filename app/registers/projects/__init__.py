"""Projects (measures A3, C1), declared once: from a signed investment to a producing plant,
with its lead department, its project service secretary and its target dates; timeline and
attachments. (The stage's workflow, monthly reports, reviews and schedules build on it.)"""
from flask_babel import lazy_gettext as _

from app.core.parts.attachments import Attachments
from app.core.parts.timeline import Timeline
from app.core.registry import Register, declare
from app.registers.enterprises.models import Enterprise
from app.registers.projects.models import Project, ProjectAttachment, ProjectEvent

EDIT_COLUMNS = ["name_zh", "name_ja", "name_en", "enterprise", "industry", "investment",
                "land_area", "site", "stage", "secretary", "target_construction_start",
                "target_production_start", "description", "department"]

REGISTER = declare(Register(
    model=Project,
    name="Projects",
    label=_("Projects"),
    title=_("Project"),
    route="/projects",
    icon="fa-industry",
    edit_columns=EDIT_COLUMNS,
    list_columns=["name", "enterprise", "industry", "stage", "investment", "secretary",
                  "target_production_start", "department"],
    export_columns=["name_zh", "name_ja", "name_en", "enterprise", "industry", "investment",
                    "land_area", "site", "stage", "secretary", "target_construction_start",
                    "target_production_start", "description", "department"],
    search_columns=["name_zh", "name_ja", "name_en", "industry", "stage", "site",
                    "target_production_start", "department"],
    order_columns=["name_zh", "investment", "stage", "target_production_start"],
    base_order=("changed_on", "desc"),
    labels={"name": _("Project"), "department": _("Lead department"),
            "department_id": _("Lead department")},
    link_column="name",
    import_key=("name_zh",),
    timeline=Timeline(ProjectEvent),
    attachments=Attachments(ProjectAttachment),
    sample=lambda make: {"name_zh": make.text("年产十万吨新材料项目"),
                         "enterprise_id": make.record(Enterprise), "industry": "chemical",
                         "investment": 50000, "stage": "signed"},
))
