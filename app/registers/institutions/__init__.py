"""Institutions (measures A1, A5, B3): reference data everybody reads, declared once."""
from flask_babel import lazy_gettext as _

from app.core.registry import REFERENCE_DATA, Register, declare
from app.registers.institutions.models import Institution

REGISTER = declare(Register(
    model=Institution,
    name="Institutions",
    label=_("Institutions"),
    title=_("Institution"),
    route="/institutions",
    icon="fa-university",
    category="Reference data",
    profile=REFERENCE_DATA,
    edit_columns=["name_zh", "name_ja", "name_en", "kind", "contact_name", "phone", "email",
                  "address", "notes"],
    list_columns=["name", "kind", "contact_name", "phone", "email"],
    search_columns=["name_zh", "name_ja", "name_en", "kind", "contact_name"],
    order_columns=["name_zh", "kind"],
    base_order=("name_zh", "asc"),
    labels={"name": _("Name")},
    link_column="name",
    import_key=("name_zh",),
    sample=lambda make: {"name_zh": make.text("大连银行"), "kind": "bank",
                         "contact_name": make.text("李经理")},
))
