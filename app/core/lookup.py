"""A relation chosen by typing: a select box that searches the server as the user types.

For relations with too many targets to send with every form (enterprises of the whole zone), the
form field holds only the chosen record; select2 (shipped with FAB) asks a scoped search endpoint
of the target's view for the matching records. The chosen id is read back through the scoped
data interface, so a record the user may not read is refused like any unknown one.
"""
from __future__ import annotations

import json
from collections.abc import Callable

from flask import url_for
from flask_babel import lazy_gettext as _
from markupsafe import Markup
from wtforms import Field
from wtforms.widgets import html_params

LOOKUP_LIMIT = 20  # results per search: enough to pick from, never the whole register


def _messages() -> dict:
    """select2's messages, in the page's language."""
    return {
        "inputTooShort": str(_("Type a name, a code or a phone number")),
        "searching": str(_("Searching…")),
        "noResults": str(_("No match found")),
        "errorLoading": str(_("The results could not be loaded.")),
        "removeAllItems": str(_("Clear")),
    }


class LookupWidget:
    def __call__(self, field, **kwargs):
        kwargs.setdefault("id", field.id)
        classes = f"form-control puwan-lookup {kwargs.pop('class', '')}".strip()
        attrs = html_params(name=field.name, class_=classes, data_url=url_for(field.endpoint),
                            data_placeholder=str(field.placeholder),
                            data_messages=json.dumps(_messages(), ensure_ascii=False), **kwargs)
        options = Markup('<option value=""></option>')
        if field.data is not None:
            options += Markup('<option value="{}" selected>{}</option>').format(
                field.record_id(field.data), field.describe(field.data))
        return Markup('<select {}>{}</select><script src="{}"></script>').format(
            Markup(attrs), options, url_for("static", filename="js/lookup.js"))


class LookupField(Field):
    """The form value is the chosen record (or None); the page sends its id.

    ``interface``: the scoped data interface of the target model; ``endpoint``: the search
    endpoint (``View.method``) answering ``?q=`` in select2's format; ``describe``: how the
    chosen record reads in the box; ``placeholder``: what to type."""

    widget = LookupWidget()

    def __init__(self, label=None, validators=None, interface=None, endpoint: str = "",
                 describe: Callable = str, placeholder="", **kwargs):
        super().__init__(label, validators, **kwargs)
        self.interface = interface
        self.endpoint = endpoint
        self.describe = describe
        self.placeholder = placeholder

    def record_id(self, record):
        return self.interface.get_pk_value(record)

    def process_data(self, value):
        self.data = value

    def process_formdata(self, valuelist):
        self.data = None
        raw = (valuelist[0] if valuelist else "").strip()
        if not raw:
            return
        record = None
        if raw.isdigit():
            record = self.interface.get(int(raw))
        if record is None:  # unknown, or not readable by this user: the same answer
            raise ValueError(_("Choose a record from the search results."))
        self.data = record

    def _value(self):
        return "" if self.data is None else str(self.record_id(self.data))
