"""Where Flask-AppBuilder 5.3 itself is slow on every request, fixed without changing what it does.

- FAB's ``@rison(schema)`` decorator (every REST list, get and ``_info`` call) validates the query
  arguments with ``jsonschema.validate``, which first checks the *schema* against the JSON Schema
  meta-schema — several milliseconds, every request, for the same few constant schemas. Here each
  schema is checked once and its validator kept; the arguments are validated as before, with the
  same errors.

And where it shows people code names: roles, permissions and view-menus read by translated
labels (app.core.security_labels).

And where it drops what was sent without a word: FAB's multiple select (a many-to-many field)
checks for ids that are not among its choices before it has read them, so an id it does not
offer (e.g. another department's record) was silently left out and the rest saved. It is now
refused as "Not a valid choice" (422), like FAB's single select.
"""
from __future__ import annotations

import jsonschema
from flask_appbuilder import api as fab_api
from flask_appbuilder import fields as fab_fields


class _CheckedOnce:
    """The part of the ``jsonschema`` module FAB's API uses, with validators kept per schema."""

    ValidationError = jsonschema.ValidationError

    def __init__(self) -> None:
        self._validators: dict[int, tuple[dict, object]] = {}

    def validate(self, instance, schema) -> None:
        entry = self._validators.get(id(schema))
        if entry is None or entry[0] is not schema:
            cls = jsonschema.validators.validator_for(schema)
            cls.check_schema(schema)
            entry = (schema, cls(schema))
            self._validators[id(schema)] = entry
        error = jsonschema.exceptions.best_match(entry[1].iter_errors(instance))
        if error is not None:
            raise error


def _reading_choices_first(pre_validate):
    def checked(self, form):
        self.data  # noqa: B018  (reading the ids against the choices marks any not offered)
        return pre_validate(self, form)

    checked.reads_choices_first = True
    return checked


def apply() -> None:
    from app.core import security_labels

    if not isinstance(fab_api.jsonschema, _CheckedOnce):
        fab_api.jsonschema = _CheckedOnce()
    multiple = fab_fields.QuerySelectMultipleField
    if not getattr(multiple.pre_validate, "reads_choices_first", False):
        multiple.pre_validate = _reading_choices_first(multiple.pre_validate)
    security_labels.install()
