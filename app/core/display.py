"""How pages, exports and the history print a value: in the reader's language and time zone."""
from __future__ import annotations

import datetime as dt

from flask import g
from flask_babel import get_locale
from flask_babel import lazy_gettext as _

from app.core.models import reader_language
from app.core.timeutil import format_display


def yes_no(value) -> str:
    return str(_("Yes") if value else _("No"))


def display_value(value):
    """How list and show pages print a value: no "None", yes/no, instants in Asia/Shanghai."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, dt.datetime):
        return format_display(value)
    if isinstance(value, (list, tuple)):  # a relation's records (e.g. a user's roles): by name
        separator = ", " if reader_language() == "en" else "、"
        return separator.join(str(display_value(v)) for v in value)
    return value


def coded(mapping: dict):
    """Formatter of a coded column (``mapping``: code -> lazy label); each label is translated
    once per request, not once per cell."""
    def format_code(value):
        labels = g.setdefault("_puwan_labels", {})
        key = (id(get_locale()), id(mapping), value)  # (a mail may force another language)
        if key not in labels:
            labels[key] = display_value(str(mapping[value]) if value in mapping else value)
        return labels[key]

    return format_code
