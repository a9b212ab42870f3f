"""Form fields chosen from a column's type, for every model view (registers, reference data and
the security views alike): what the page fills in is what the server accepts back.

- DateTime columns hold instants as naive UTC; a person sees, types and picks them in the display
  zone (Asia/Shanghai), to the minute: ``2026-11-28 00:30``, with or without seconds. A new
  record's default (``utcnow``) shows as Shanghai *now*; an edit form shows the stored instant in
  Shanghai and saves it back as UTC.
- Date columns are plain dates (no zone): ``2026-11-28``.
- Boolean columns: an unticked box is False. FAB makes NOT NULL booleans DataRequired, so a box
  could never be left unticked (a day off could not be entered in the calendar).

The date fields' inputs carry ``data-picker``; static/puwan/picker.js gives them a date (and
time) picker in the page's language.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import re

from flask import g
from flask_appbuilder.validators import Unique
from flask_babel import get_locale
from flask_babel import lazy_gettext as _
from markupsafe import Markup
from sqlalchemy import Boolean, Column, Date, DateTime, Integer, Numeric, inspect
from wtforms import BooleanField, DecimalField, Field, IntegerField, SelectField
from wtforms.validators import InputRequired, Optional
from wtforms.widgets import NumberInput, html_params

from app.core.timeutil import format_display, from_display

# What people type: 2026-11-28, 2026/11/28, 2026-11-28 0:30, 2026-11-28T00:30:15 (the picker
# writes "2026-11-28 00:30").
_TYPED = re.compile(r"\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})"
                    r"(?:(?:\s+|T)(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*")
DATETIME_EXAMPLE = "2026-11-28 09:30"
DATE_EXAMPLE = "2026-11-28"


def typed_parts(text: str, with_time: bool) -> tuple[int, ...] | None:
    """(year, month, day[, hour, minute, second]) of a date or time as people type it (see
    ``_TYPED``), or None; the forms and the imports (app.core.transfer) read dates alike."""
    match = _TYPED.fullmatch(text)
    if match is None or (match.group(4) is not None) != with_time:
        return None
    return tuple(int(part or 0) for part in match.groups()[:6 if with_time else 3])


def parse_date(text: str) -> dt.date | None:
    """A calendar date as people type it (``2026-11-28``, ``2026/11/28``), or None."""
    parts = typed_parts(text, with_time=False)
    try:
        return dt.date(*parts) if parts is not None else None
    except ValueError:
        return None


def parse_instant(text: str) -> dt.datetime | None:
    """An instant typed in the display zone (``2026-11-28 09:30``) as naive UTC, or None."""
    parts = typed_parts(text, with_time=True)
    try:
        return from_display(dt.datetime(*parts)) if parts is not None else None
    except ValueError:
        return None


class PickerInput:
    """A text box a person types into; picker.js adds the picker, in the page's language."""

    def __init__(self, kind: str):
        self.kind = kind  # "date" or "datetime"

    def __call__(self, field, **kwargs):
        kwargs.setdefault("id", field.id)
        name = kwargs.pop("name", field.name)
        name = kwargs.pop("name_", name)  # FAB's list filters rename the field
        kwargs.pop("class_", None)
        if field.flags.required:
            kwargs["required"] = True
        example = DATETIME_EXAMPLE if self.kind == "datetime" else DATE_EXAMPLE
        params = html_params(
            name=name, type="text", value=field._value(), class_="form-control",
            autocomplete="off", data_picker=self.kind, data_locale=str(get_locale() or "en"),
            placeholder=str(_("e.g. %(example)s", example=example)), **kwargs)
        return Markup(f'<div class="input-group puwan-picker"><input {params}>'
                      '<span class="input-group-addon"><i class="fa fa-calendar"></i></span>'
                      "</div>")


class _TypedField(Field):
    """A date or an instant, as a person types it (see ``_TYPED``)."""

    with_time = False
    example = DATE_EXAMPLE
    message = _("Enter a date such as %(example)s.")

    def _shown(self) -> str:
        raise NotImplementedError

    def _stored(self, parts: tuple[int, ...]):
        raise NotImplementedError

    def _value(self) -> str:
        if self.raw_data:
            return " ".join(self.raw_data)
        return self._shown() if self.data else ""

    def process_formdata(self, valuelist):
        text = " ".join(valuelist or []).strip()
        self.data = None
        if not text:
            return
        parts = typed_parts(text, self.with_time)
        if parts is not None:
            with contextlib.suppress(ValueError):  # 2026-02-30, 25:00
                self.data = self._stored(parts)
        if self.data is None:
            raise ValueError(str(self.message % {"example": self.example}))


class LocalDateTimeField(_TypedField):
    """An instant: typed and shown in the display zone to the minute; ``data`` is naive UTC."""

    widget = PickerInput("datetime")
    with_time = True
    example = DATETIME_EXAMPLE
    message = _("Enter a date and time such as %(example)s.")

    def _shown(self) -> str:
        return format_display(self.data)

    def _stored(self, parts):
        return from_display(dt.datetime(*parts))


class LocalDateField(_TypedField):
    """A calendar date (no zone)."""

    widget = PickerInput("date")

    def _shown(self) -> str:
        return self.data.isoformat()

    def _stored(self, parts):
        return dt.date(*parts)


CHOOSE = _("— choose —")


def choice_field(datamodel, key, column, labels, descriptions, validators) -> SelectField:
    """A select of the column's declared choices (app.core.fields): labels shown, codes sent;
    an optional column starts with an empty choice."""
    choices = column.info["choices"]
    coerce = type(next(iter(choices), ""))
    options = [(code, label) for code, label in choices.items()]
    checks = list(validators.get(key, []))
    if column.nullable:
        options.insert(0, ("", CHOOSE))
        checks.insert(0, Optional())
    else:
        checks.insert(0, InputRequired())

    def convert(value):
        return None if value in ("", None) else coerce(value)

    return SelectField(labels.get(key, key), choices=options, coerce=convert,
                       default=datamodel.get_col_default(key), validators=checks,
                       description=descriptions.get(key, ""))


class NumberWidget(NumberInput):
    """A number input (the phone's number keyboard, the browser's own check of the step and
    range the column declares), styled as FAB's inputs."""

    def __call__(self, field, **kwargs):
        kwargs.setdefault("class", "form-control")
        return super().__call__(field, **kwargs)


def number_field(datamodel, key, column, options: dict, validators: dict) -> Field:
    """An Integer or Numeric column's field: whole numbers, or decimals to the column's scale,
    within its declared ``min``/``max`` (the server checks them again: app.core.fields)."""
    info = getattr(column, "info", {})
    checks = list(validators.get(key, []))
    checks.insert(0, Optional() if column.nullable else InputRequired())
    scale = getattr(column.type, "scale", None)
    step = "1" if issubclass(type(column.type), Integer) else (
        f"{10 ** -scale:.{scale}f}" if scale else "any")
    widget = NumberWidget(step=step, min=info.get("min"), max=info.get("max"))
    kind = IntegerField if step == "1" else DecimalField
    return kind(default=datamodel.get_col_default(key), validators=checks, widget=widget,
                **options)


def column_fields(datamodel, labels: dict, descriptions: dict, validators: dict,
                  search: bool = False) -> dict:
    """Form fields for the model's Boolean, DateTime and Date columns (key -> unbound field).

    ``search``: for the list's filters, where nothing is required.
    """
    fields = {}
    for attribute in inspect(datamodel.obj).column_attrs:
        key, column = attribute.key, attribute.columns[0]
        kind = type(column.type)
        if "choices" in getattr(column, "info", {}) and not search:
            fields[key] = choice_field(datamodel, key, column, labels, descriptions, validators)
            continue
        options = {"label": labels.get(key, key), "description": descriptions.get(key, "")}
        if issubclass(kind, (Integer, Numeric)) and not search and isinstance(column, Column) \
                and not column.primary_key and not column.foreign_keys:
            fields[key] = number_field(datamodel, key, column, options, validators)
            continue
        if not issubclass(kind, (Boolean, DateTime, Date)):
            continue
        checks = [] if search else list(validators.get(key, []))
        if issubclass(kind, Boolean):
            default = not search and datamodel.get_col_default(key) is True
            fields[key] = BooleanField(default=default, validators=checks, **options)
            continue
        required = not (search or column.nullable)
        checks.insert(0, InputRequired() if required else Optional())
        if column.unique and not search:
            checks.append(Unique(datamodel, key))
        field = LocalDateTimeField if issubclass(kind, DateTime) else LocalDateField
        fields[key] = field(default=None if search else datamodel.get_col_default(key),
                            validators=checks, **options)
    return fields


NOTHING_TO_CHOOSE = _("— none you may choose —")


def _choose_field_class():
    from flask_appbuilder.fields import QuerySelectField

    class ChooseField(QuerySelectField):
        """A required many-to-one select that starts on "— choose —" (value ""), not on its
        first record: a clerk who does not choose is told the field is required, instead of the
        record silently naming whichever enterprise the list starts with. The browser's own
        ``required`` check sees the empty value too. Where only one record may be chosen (a
        clerk's own department), it is chosen."""

        def iter_choices(self):
            records = self._get_object_list()
            if not records:  # (said, rather than an empty box that finds nothing)
                yield ("", str(NOTHING_TO_CHOOSE), True, {})
                return
            if len(records) == 1 and self.data is None:  # no choice to make: it is that one
                pk, obj = records[0]
                yield (pk, self.get_label(obj), True, {})
                return
            yield ("", str(CHOOSE), self.data is None, {})
            for pk, obj in records:
                yield (pk, self.get_label(obj), obj == self.data, {})

    return ChooseField


def blank_first(form_class) -> None:
    """Give the required relation selects of FAB's generated ``form_class`` a blank first
    option (the DataRequired FAB put on them still refuses it)."""
    from flask_appbuilder.fields import QuerySelectField
    from wtforms.fields.core import UnboundField

    choose = _choose_field_class()
    for value in vars(form_class).values():
        if (isinstance(value, UnboundField) and value.field_class is QuerySelectField
                and not value.kwargs.get("allow_blank")):
            value.field_class = choose  # (in place: the fields keep their order)


SEARCH_CHOICES = 200  # records a list filter on a relation offers; any other one by its link


def related_search_fields(datamodel, labels: dict, descriptions: dict, columns) -> dict:
    """The list filters' selects of a many-to-one relation offer its first ``SEARCH_CHOICES``
    records the user may read (in its register's order): FAB would send every record, 100,000
    enterprises on a registrations list. A filter by any other record still applies (links,
    REST). ``columns``: the list's search columns."""
    from flask_appbuilder.fields import QuerySelectField
    from flask_appbuilder.fieldwidgets import Select2Widget
    from sqlalchemy.orm import RelationshipDirection

    from app.core import registry

    fields = {}
    for relation in inspect(datamodel.obj).relationships:
        if relation.direction is not RelationshipDirection.MANYTOONE or relation.key not in columns:
            continue
        key = relation.key

        def query_func(key=key):
            related = datamodel.get_related_interface(key)
            model = related.obj
            # two relations to one register (a department, a handling department): one query
            offered = g.setdefault("search_choices", {})
            if model in offered:
                return offered[model]
            query = related.session.query(model)
            if hasattr(related, "scoped"):
                query = related.scoped(query)
            register = registry.get(model.__tablename__)
            pk = getattr(model, related.get_pk_name())
            order = [pk]
            if register is not None and register.base_order:
                column, direction = register.base_order
                if hasattr(model, column):
                    attribute = getattr(model, column)
                    order = [attribute.desc() if direction == "desc" else attribute, pk]
            offered[model] = query.order_by(*order).limit(SEARCH_CHOICES).all()
            return offered[model]

        fields[key] = QuerySelectField(
            labels.get(key, key), description=descriptions.get(key, ""), query_func=query_func,
            get_pk_func=lambda item: getattr(item, item.__mapper__.primary_key[0].key),
            allow_blank=True, widget=Select2Widget())
    return fields
