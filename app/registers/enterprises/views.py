"""Enterprises: what the derived view adds to FAB's (the type-ahead lookup)."""
from __future__ import annotations

import re

from flask import jsonify, request
from flask_appbuilder import expose, has_access
from flask_appbuilder.security.decorators import permission_name
from sqlalchemy import func, or_
from sqlalchemy.orm import joinedload

from app.core.filters import like_clause
from app.core.lookup import LOOKUP_LIMIT
from app.core.models import localized
from app.core.views import ScopedModelView
from app.registers.enterprises.models import Enterprise


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


class EnterpriseViewBase(ScopedModelView):
    """The derived enterprise view's base: FAB's, with the type-ahead other forms use."""

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
