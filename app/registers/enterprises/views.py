"""Enterprises: views and APIs are configuration on the scoped bases."""
from __future__ import annotations

import re

from flask import jsonify, request
from flask_appbuilder import expose, has_access
from flask_appbuilder.security.decorators import permission_name
from flask_babel import lazy_gettext as _
from sqlalchemy import func, or_
from sqlalchemy.orm import joinedload
from wtforms import SelectField

from app.core.filters import like_clause
from app.core.interface import ScopedInterface
from app.core.lookup import LOOKUP_LIMIT
from app.core.models import localized
from app.core.views import ScopedModelView, ScopedRestApi
from app.registers.enterprises.models import INDUSTRIES, STAGES, Enterprise

LABELS = {
    "uscc": _("Unified social credit code"),
    "name": _("Enterprise name"),
    "name_zh": _("Name (Chinese)"),
    "name_ja": _("Name (Japanese)"),
    "name_en": _("Name (English)"),
    "japanese_funded": _("Japanese-funded"),
    "industry": _("Industry"),
    "industry_label": _("Industry"),
    "stage": _("Stage"),
    "stage_label": _("Stage"),
    "export_enterprise": _("Export enterprise"),
    "address": _("Address"),
    "contact_name": _("Contact person"),
    "contact_phone": _("Contact phone"),
    "contact_email": _("Contact e-mail"),
    "secretary": _("Work secretary"),
    "department": _("Owning department"),
    "created_on": _("Created at"),
    "changed_on": _("Changed at"),
    "created_by": _("Created by"),
    "changed_by": _("Changed by"),
}

EDIT_COLUMNS = [
    "uscc", "name_zh", "name_ja", "name_en", "japanese_funded", "industry", "stage",
    "export_enterprise", "address", "contact_name", "contact_phone", "contact_email",
    "secretary", "department",
]
SEARCH_COLUMNS = [
    "uscc", "name_zh", "name_ja", "name_en", "japanese_funded", "industry", "stage",
    "export_enterprise", "department", "secretary",
]


def _choice_fields():
    return {
        "industry": SelectField(_("Industry"), choices=list(INDUSTRIES.items())),
        "stage": SelectField(_("Stage"), choices=list(STAGES.items())),
    }


def enterprise_label(enterprise: Enterprise) -> str:
    """How an enterprise reads where one is chosen: its name in the reader's language and its
    code (two enterprises may have similar names, never the same code)."""
    return f"{localized(enterprise, 'name')} · {enterprise.uscc}"


def _search_clause(term: str):
    """Name in any language, unified social credit code or contact phone contains ``term``."""
    columns = (Enterprise.name_zh, Enterprise.name_ja, Enterprise.name_en, Enterprise.uscc,
               Enterprise.contact_phone)
    clauses = [like_clause(column, term, "%", "%") for column in columns]
    digits = re.sub(r"\D", "", term)
    if len(digits) >= 3 and re.fullmatch(r"[\d\s()+-]+", term):
        # a phone number, typed or stored with separators: 0411-8765 4321 ~ 041187654321
        phone = func.replace(func.replace(Enterprise.contact_phone, "-", ""), " ", "")
        clauses.append(like_clause(phone, digits, "%", "%"))
    return or_(*clauses)


class EnterpriseView(ScopedModelView):
    route_base = "/enterprises"
    datamodel = ScopedInterface(Enterprise)
    list_title = _("Enterprises")
    show_title = _("Enterprise")
    add_title = _("Add enterprise")
    edit_title = _("Edit enterprise")
    label_columns = LABELS
    # (the name in the reader's language; each language's own column is on the record's page)
    list_columns = [
        "uscc", "name", "industry_label", "stage_label", "japanese_funded",
        "export_enterprise", "department", "secretary",
    ]
    show_columns = EDIT_COLUMNS + ["created_on", "changed_on", "created_by", "changed_by"]
    add_columns = EDIT_COLUMNS
    edit_columns = EDIT_COLUMNS
    search_columns = SEARCH_COLUMNS
    order_columns = ["uscc", "name_zh", "japanese_funded", "export_enterprise"]
    base_order = ("name_zh", "asc")
    add_form_extra_fields = _choice_fields()
    edit_form_extra_fields = _choice_fields()
    formatters_columns = {
        "industry": lambda code: INDUSTRIES.get(code, code),
        "stage": lambda code: STAGES.get(code, code),
    }
    export_columns = [
        "uscc", "name_zh", "name_ja", "name_en", "industry_label", "stage_label",
        "japanese_funded", "export_enterprise", "address", "contact_name", "contact_phone",
        "contact_email", "secretary", "department",
    ]

    @expose("/lookup")
    @has_access
    @permission_name("list")
    def lookup(self):
        """The enterprises the user may read whose name (zh/ja/en), code or contact phone
        contains ``q``, in select2's format: at most LOOKUP_LIMIT, in one query."""
        term = (request.args.get("q") or "").strip()[:100]
        if not term:
            return jsonify(results=[])
        query = (self.datamodel.scoped(self.datamodel.session.query(Enterprise))
                 .options(joinedload(Enterprise.department))
                 .filter(_search_clause(term))
                 .order_by(Enterprise.name_zh, Enterprise.id).limit(LOOKUP_LIMIT))
        return jsonify(results=[
            {"id": e.id, "text": enterprise_label(e), "name": e.name,
             "uscc": e.uscc, "department": str(e.department)}
            for e in query])


class EnterpriseApi(ScopedRestApi):
    resource_name = "enterprise"
    datamodel = ScopedInterface(Enterprise)
    label_columns = LABELS
    list_columns = [
        "id", "uscc", "name_zh", "name_ja", "name_en", "japanese_funded", "industry", "stage",
        "export_enterprise", "department.id", "department.code", "secretary.id", "changed_on",
    ]
    show_columns = [
        "id", "uscc", "name_zh", "name_ja", "name_en", "japanese_funded", "industry", "stage",
        "export_enterprise", "address", "contact_name", "contact_phone", "contact_email",
        "department.id", "department.code", "secretary.id", "secretary.username",
        "created_on", "changed_on",
    ]
    add_columns = EDIT_COLUMNS
    edit_columns = EDIT_COLUMNS
    search_columns = SEARCH_COLUMNS
    order_columns = ["uscc", "name_zh", "changed_on"]
    base_order = ("name_zh", "asc")
