"""The window's panel on a work order's page: the service the order was opened from.

No query: the order names its service (``external_ref`` ``window:<id>``), and was taken in by
the service's department — whoever may read that department's records may open the service."""
from __future__ import annotations

from flask import current_app, url_for
from flask_babel import lazy_gettext as _

from app.core.scope import current_scope
from app.registers.window.commands import REF_PREFIX

VIEW = "WindowServiceView"


def order_service(register, order) -> dict | None:
    ref = getattr(order, "external_ref", None) or ""
    if register.table != "work_order" or not ref.startswith(REF_PREFIX):
        return None
    if not current_app.appbuilder.sm.has_access("can_show", VIEW) \
            or not current_scope().can_read(order.department_id):
        return None
    pk = ref[len(REF_PREFIX):]
    if not pk.isdigit():
        return None
    return {"label": _("Window service #%(id)s", id=pk), "url": url_for(f"{VIEW}.show", pk=pk)}
