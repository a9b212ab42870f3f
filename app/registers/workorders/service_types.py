"""Service types (the catalogue of request types): reference data that administrators keep.

The code is what the REST API and Open311 (``service_code``) use, so it is fixed once created;
the names, in the three languages, may be corrected. Types are never deleted: orders keep theirs.
"""
from __future__ import annotations

from flask_appbuilder import ModelView
from flask_appbuilder.validators import Unique
from flask_babel import lazy_gettext as _
from wtforms import StringField
from wtforms.validators import DataRequired, Regexp

from app.core.admin_views import NAMED_LABELS
from app.core.interface import Interface
from app.core.seeds import Seed, SeedReport, parse_named_codes
from app.core.views import HardenedViewMixin
from app.registers.workorders.models import ServiceType

CODE_PATTERN = "[a-z][a-z0-9_]{0,31}"
CODE_HINT = _("Use at most 32 lower-case letters, digits and underscores, starting with a letter.")
CODE_FORMAT = Regexp(f"^{CODE_PATTERN}$", message=CODE_HINT)


class ServiceTypeView(HardenedViewMixin, ModelView):
    route_base = "/service-types"
    datamodel = Interface(ServiceType)
    base_permissions = ["can_list", "can_show", "can_add", "can_edit"]
    list_title = _("Service types")
    show_title = add_title = edit_title = _("Service type")
    label_columns = NAMED_LABELS
    list_columns = list(NAMED_LABELS)
    show_columns = add_columns = search_columns = list_columns
    edit_columns = ["name_zh", "name_ja", "name_en"]
    # (a name of blanks is no name: FAB's own check lets it through)
    validators_columns = {"code": [CODE_FORMAT],
                          **{name: [DataRequired()] for name in ("name_zh", "name_ja", "name_en")}}
    base_order = ("id", "asc")
    # The browser checks the format as it is typed, and the rule is written under the box.
    add_form_extra_fields = {"code": StringField(
        NAMED_LABELS["code"], description=CODE_HINT,
        validators=[DataRequired(), CODE_FORMAT, Unique(datamodel, "code")],
        render_kw={"pattern": CODE_PATTERN, "required": True})}


def write_service_types(session, entries: list, report: SeedReport) -> None:
    """Only missing types are added: administrators own the names once they exist."""
    for entry in entries:
        if session.query(ServiceType).filter_by(code=entry["code"]).first() is None:
            values = {k: str(entry[k]).strip() for k in ("name_zh", "name_ja", "name_en")}
            session.add(ServiceType(code=entry["code"], **values))
            report.created += 1


SEED = Seed("service_types.yaml", parse_named_codes, write_service_types)
