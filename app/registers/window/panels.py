"""The window's panel on a work order's page: the service the order was opened from (one
query, only when the reader may read that service)."""
from __future__ import annotations

from flask import current_app, url_for

from app.core.scope import visibility_clause
from app.core.timeutil import format_display
from app.extensions import db
from app.registers.window.models import MATTERS, WindowService

VIEW = "WindowServiceView"


def order_service(register, order) -> dict | None:
    if register.table != "work_order" or not current_app.appbuilder.sm.has_access(
            "can_show", VIEW):
        return None
    query = db.session.query(WindowService).filter(WindowService.work_order_id == order.id)
    clause = visibility_clause(WindowService)
    service = (query if clause is None else query.filter(clause)).first()
    if service is None:
        return None
    label = f"{format_display(service.served_at)} · {MATTERS.get(service.matter, service.matter)}"
    return {"label": label, "url": url_for(f"{VIEW}.show", pk=service.id)}
