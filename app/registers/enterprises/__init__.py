"""Enterprises (measures A4, B4, C1), declared once: the kit derives its view, API and charts."""
from flask_babel import lazy_gettext as _

from app.core.registry import Register, declare
from app.registers.enterprises import charts
from app.registers.enterprises.models import Enterprise
from app.registers.enterprises.views import EnterpriseViewBase

EDIT_COLUMNS = [
    "uscc", "name_zh", "name_ja", "name_en", "japanese_funded", "industry", "stage",
    "export_enterprise", "address", "contact_name", "contact_phone", "contact_email",
    "secretary", "department",
]

REGISTER = declare(Register(
    model=Enterprise,
    name="Enterprises",
    label=_("Enterprises"),
    title=_("Enterprise"),
    add_title=_("Add enterprise"),
    edit_title=_("Edit enterprise"),
    route="/enterprises",
    icon="fa-building",
    edit_columns=EDIT_COLUMNS,
    # the name in the reader's language; each language's own column is on the record's page
    list_columns=["uscc", "name", "industry_label", "stage_label", "japanese_funded",
                  "export_enterprise", "department", "secretary"],
    search_columns=["uscc", "name_zh", "name_ja", "name_en", "japanese_funded", "industry",
                    "stage", "export_enterprise", "department", "secretary"],
    order_columns=["uscc", "name_zh", "japanese_funded", "export_enterprise"],
    base_order=("name_zh", "asc"),
    export_columns=["uscc", "name_zh", "name_ja", "name_en", "industry_label", "stage_label",
                    "japanese_funded", "export_enterprise", "address", "contact_name",
                    "contact_phone", "contact_email", "secretary", "department"],
    api_list_columns=["id", "uscc", "name_zh", "name_ja", "name_en", "japanese_funded",
                      "industry", "stage", "export_enterprise", "department.id",
                      "department.code", "secretary.id", "changed_on"],
    api_show_columns=["id", "uscc", "name_zh", "name_ja", "name_en", "japanese_funded",
                      "industry", "stage", "export_enterprise", "address", "contact_name",
                      "contact_phone", "contact_email", "department.id", "department.code",
                      "secretary.id", "secretary.username", "created_on", "changed_on"],
    labels={"name": _("Enterprise name"), "industry_label": _("Industry"),
            "stage_label": _("Stage")},
    view_base=EnterpriseViewBase,
    api_attrs={"order_columns": ["uscc", "name_zh", "changed_on"]},
    import_key=("uscc",),
    charts=charts.CHARTS,
    chart_filters=charts.FILTERS,
    chart_search_columns=["uscc", "name_zh", "japanese_funded", "industry", "stage",
                          "export_enterprise", "department"],
    charts_title=_("Enterprise charts"),
    charts_name="Enterprise charts",
    rollup_columns=("department_id", "japanese_funded"),
    sample=lambda make: {"uscc": make.uscc(), "name_zh": make.text("企业"),
                         "industry": "chemical", "stage": "producing"},
))
