"""Experts (measure A1), declared once: the kit derives their view, API and charts."""
from flask_babel import lazy_gettext as _

from app.core.charts import Chart, FilterControl
from app.core.registry import Register, declare
from app.registers.experts.models import Expert

REGISTER = declare(Register(
    model=Expert,
    name="Experts",
    label=_("Experts"),
    title=_("Expert"),
    route="/experts",
    icon="fa-graduation-cap",
    edit_columns=["name_zh", "name_ja", "name_en", "field", "title", "employer", "phone",
                  "email", "ties", "notes", "department"],
    list_columns=["name", "field", "title", "employer", "phone", "department"],
    export_columns=["name_zh", "name_ja", "name_en", "field", "title", "employer", "phone",
                    "email", "ties", "notes", "department"],
    search_columns=["name_zh", "name_ja", "name_en", "field", "title", "employer", "ties",
                    "department"],
    order_columns=["name_zh", "employer"],
    base_order=("name_zh", "asc"),
    labels={"name": _("Name")},
    link_column="name",
    import_key=("name_zh", "employer"),
    charts=[Chart("field", _("Experts by field"), "field", value_label=_("Experts"))],
    chart_filters=[FilterControl("department", _("Department"))],
    charts_title=_("Expert charts"),
    sample=lambda make: {"name_zh": make.text("专家"), "field": "safety",
                         "employer": make.text("大连理工大学")},
))
