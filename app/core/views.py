"""Base UI view and REST API for department-owned registers.

Registers configure these (columns, labels, filters); the behaviour that keeps a department's
data safe lives here once: scoped data interface, the shared write command, POST-only mutations.
"""
from __future__ import annotations

from flask import abort, flash, g, redirect, request, url_for
from flask_appbuilder import ModelRestApi, ModelView, expose, has_access
from flask_appbuilder.actions import action as fab_action
from flask_appbuilder.api.convert import Model2SchemaConverter
from flask_appbuilder.models.sqla.filters import FilterInFunction
from flask_appbuilder.urltools import get_filter_args
from flask_appbuilder.widgets import FormWidget, ListWidget
from flask_babel import lazy_gettext as _
from markupsafe import Markup
from marshmallow import ValidationError
from marshmallow import fields as ma_fields

from app.core import fields, interface, registry
from app.core.commands import RecordCommands
from app.core.display import coded, display_value, yes_no  # noqa: F401  (views' helpers)
from app.core.exceptions import CommandError, ForbiddenError, NotFoundError
from app.core.forms import blank_first, column_fields, related_search_fields
from app.core.models import Department
from app.core.scope import current_scope, may_write, scoped_relationships
from app.core.timeutil import from_display, to_display
from app.core.transfer.views import TransferViewMixin
from app.extensions import db

MAX_PAGE_SIZE = 100  # as FAB_API_MAX_PAGE_SIZE for the REST API


def writable_department_ids() -> list[int]:
    scope = current_scope()
    if scope.write is None:
        return [row.id for row in db.session.query(Department.id)]
    return sorted(scope.write)


def _relation_filters(model) -> dict:
    """Choices of a department-bound relation (many-to-one or many-to-many) follow the rule
    the write command checks: what the user may write to; or, for relations marked
    ``scope_check="read"`` (an order's enterprise, an expert's ties), whatever the user may
    read, which the scoped related interface already gives."""
    filters = {}
    for rel in scoped_relationships(model):
        if rel.info.get("scope_check") == "read":
            continue
        target = rel.mapper.class_
        column = "id" if target is Department else "department_id"
        filters[rel.key] = [[column, FilterInFunction, writable_department_ids]]
    return filters


def record_columns(view) -> list[str]:
    """The columns a record's page shows: ``show_columns`` and those of ``show_fieldsets``."""
    columns = list(view.show_columns or [])
    for _title, group in getattr(view, "show_fieldsets", None) or []:
        columns += group.get("fields", [])
    return columns


def display_formatters(view) -> dict:
    """Each shown column's formatter: a coded column's (app.core.fields) shows its label."""
    columns = set(view.list_columns or []) | set(record_columns(view))
    coded_columns = fields.choices(view.datamodel.obj)
    return {**{c: coded(coded_columns[c]) if c in coded_columns else display_value
               for c in columns},
            **(view.formatters_columns or {})}


class KindFormWidget(FormWidget):
    """FAB's record form; given ``kinds`` ({field: its kinds}) and the ``kind_column`` the form
    chooses the kind by, a field shows only while its kind is chosen (static/puwan/kinds.js)."""

    template = "puwan/widgets/form.html"


class CappedCountListWidget(ListWidget):
    """FAB's list, saying "more than 1000" where the count stopped (see app.core.interface),
    and offering a row's edit/delete links and action box only where the user may write it."""

    template = "puwan/widgets/list.html"


class HardenedViewMixin:
    """Where stock FAB ModelView is unsafe, for our views and FAB's security views alike.

    Delete and actions by POST only (so CSRF-checked; FAB also routes GET). Rows are fetched
    through the (scoped) datamodel with base_filters; an unknown action or row is a 404, never
    a 500 or a silent skip. Every action is a write, checked like an edit (``may_write``: 403 and
    nothing changed), unless the view names it in ``read_only_actions``. A view whose
    permissions exclude ``can_delete`` has no delete route and no mass delete (404). No file
    download (FAB's has no department check). Pages offer only the buttons the server accepts.
    Boolean, date and time fields are ours (app.core.forms), chosen from the column's type.
    """

    # Actions that change nothing (e.g. a link to the user's own password form).
    read_only_actions: frozenset[str] = frozenset()
    # Actions that delete: they exist only where the view may delete.
    delete_actions = frozenset({"muldelete"})
    # The list column whose cells link to the record's page (e.g. an order's ticket).
    link_column: str | None = None

    def row_class(self, item) -> str:
        """CSS classes of a list row (e.g. an overdue order's); none by default."""
        return ""

    def __init__(self, **kwargs):
        if not self._deletes():
            self.exclude_route_methods = {*self.exclude_route_methods, "delete"}
        super().__init__(**kwargs)
        # The list builds its rows itself: related columns come with the page's query.
        if hasattr(self.datamodel, "eager_load"):
            self.datamodel.eager_load(self.list_columns, record_columns(self))
        if "delete" in self.exclude_route_methods:
            for name in self.delete_actions & set(self.actions):
                permission = self.get_action_permission_name(name)
                del self.actions[name]
                if permission in self.base_permissions:
                    self.base_permissions.remove(permission)
        if self.list_widget is ListWidget:  # (a view's own widget, e.g. FAB's roles, is kept)
            self.list_widget = CappedCountListWidget

    def _deletes(self) -> bool:
        """Whether the view's declared permissions and routes include deleting."""
        return ((self.base_permissions is None or "can_delete" in self.base_permissions)
                and "delete" not in self.exclude_route_methods
                and (self.include_route_methods is None or "delete" in self.include_route_methods))

    def _init_forms(self):
        # Here FAB has labelled every column; its forms are built next.
        args = (self.datamodel, self.label_columns, self.description_columns,
                self.validators_columns)
        fields = column_fields(*args)
        self.add_form_extra_fields = {**fields, **self.add_form_extra_fields}
        self.edit_form_extra_fields = {**fields, **self.edit_form_extra_fields}
        self.search_form_extra_fields = {
            **column_fields(*args, search=True),
            **related_search_fields(self.datamodel, self.label_columns,
                                    self.description_columns, self.search_columns),
            **(self.search_form_extra_fields or {})}
        super()._init_forms()
        for form in (self.add_form, self.edit_form):
            if form is not None:
                blank_first(form)

    # FAB's download serves any file of UPLOAD_FOLDER by name, to anyone with can_download on
    # any view: no department check. Registers with attachments get their own scoped download.
    @expose("/download/<string:filename>")
    @has_access
    def download(self, filename):
        abort(404)

    def _refused(self, error: CommandError):
        """A refused write: its status (403, 404, 409, 422) and translated message on the page."""
        db.session.rollback()
        return self.render_template("puwan/error.html", code=error.status,
                                    message=error.message), error.status

    @expose("/delete/<pk>", methods=["POST"])
    @has_access
    def delete(self, pk):
        pk = self._deserialize_pk_if_composite(pk)
        item = self.datamodel.get(pk, self._base_filters)
        if item is None:
            abort(404)
        if not may_write(item):  # (FAB's own views delete without a department check)
            return self._refused(ForbiddenError())
        try:
            self._delete(pk)
        except CommandError as error:
            return self._refused(error)
        return self.post_delete_redirect()

    def _check_action(self, name) -> None:
        if name not in self.actions:
            abort(404)
        if not self.appbuilder.sm.has_access(
            self.get_action_permission_name(name), self.class_permission_name
        ):
            abort(403)

    def _run_action(self, name, items):
        """Each row passes the write check of an edit before the action runs."""
        rows = items if isinstance(items, list) else [items]
        if name not in self.read_only_actions and not all(map(may_write, rows)):
            return self._refused(ForbiddenError())
        try:
            return self.actions[name].func(items)
        except CommandError as error:
            return self._refused(error)

    @expose("/action/<string:name>/<pk>", methods=["POST"])
    def action(self, name, pk):
        self._check_action(name)
        item = self.datamodel.get(self._deserialize_pk_if_composite(pk), self._base_filters)
        if item is None:
            abort(404)
        # An action for several rows gets its one row in a list (FAB would give it the row).
        return self._run_action(name, item if self.actions[name].single else [item])

    @expose("/action_post", methods=["POST"])
    def action_post(self):
        name = request.form.get("action", "")
        self._check_action(name)
        if not self.actions[name].multiple:  # (e.g. FAB's user actions are for one row)
            abort(404)
        model = self.datamodel.obj
        pk_column = getattr(model, self.datamodel.get_pk_name())
        try:  # typed, so PostgreSQL compares integers with integers
            pks = {pk_column.type.python_type(pk) for pk in request.form.getlist("rowid")}
        except (TypeError, ValueError):
            abort(404)
        query = self.datamodel.apply_all(self.datamodel.session.query(model), self._base_filters)
        items = query.filter(pk_column.in_(pks)).all() if pks else []
        if len(items) != len(pks):  # one row is not there, or not yours: do nothing at all
            abort(404)
        return self._run_action(name, items)

    # --- list and record pages: bounded, offering only what the server accepts --------------------
    def _get_list_widget(self, filters, actions=None, order_column="", order_direction="",
                         page=None, page_size=None, widgets=None, **kwargs):
        """FAB's list widget, bounded (1 to MAX_PAGE_SIZE rows, no negative page: a
        ``psize_<View>=1000000`` would fetch a million rows) and with the cells formatted here
        in Python rather than one template call per cell. ``writable`` says per row whether its
        edit and delete links show, ``checkable`` whether its box for the actions does."""
        widgets = widgets or {}
        page_size = min(max(page_size or self.page_size, 1), MAX_PAGE_SIZE)
        page = max(page or 0, 0)
        if not order_column and self.base_order:
            order_column, order_direction = self.base_order
        count, rows = self.datamodel.query(filters.get_joined_filters(self._base_filters),
                                           order_column, order_direction, page=page,
                                           page_size=page_size)
        formatters = self.formatters_columns
        values = [{column: formatters[column](value) if column in formatters else value
                   for column, value in row.items()}
                  for row in self.datamodel.get_values(rows, self.list_columns)]
        pks = [self._serialize_pk_if_composite(pk) for pk in self.datamodel.get_keys(rows)]
        link = self.link_column
        if link in self.list_columns and self.appbuilder.sm.has_access(
                "can_show", self.class_permission_name):
            url = url_for(f"{self.endpoint}.show", pk="__pk__")
            for row, pk in zip(values, pks, strict=True):
                row[link] = Markup('<a href="{}" style="white-space:nowrap">{}</a>').format(
                    url.replace("__pk__", str(pk)), row[link])
        actions = actions or self.actions
        writable = [may_write(row) for row in rows]
        reading = any(name in self.read_only_actions for name in actions)
        checkable = [reading or allowed for allowed in writable]
        widgets["list"] = self.list_widget(
            label_columns=self.label_columns, include_columns=self.list_columns,
            value_columns=values, order_columns=self.order_columns, formatters_columns={},
            page=page, page_size=page_size, count=count, pks=pks,
            row_classes=[self.row_class(item) for item in rows],
            actions=actions if any(checkable) else {}, writable=writable, checkable=checkable,
            filters=filters, modelview_name=self.__class__.__name__,
            count_cap=interface.COUNT_CAP, **kwargs)
        return widgets

    def _get_show_widget(self, pk, item, widgets=None, actions=None, show_fieldsets=None):
        widgets = super()._get_show_widget(pk, item, widgets=widgets, actions=actions,
                                           show_fieldsets=show_fieldsets)
        shown = widgets["show"].template_args
        if not may_write(item):  # (an empty ``actions`` would make FAB offer them all)
            shown["actions"] = {name: action for name, action in shown["actions"].items()
                                if name in self.read_only_actions}
        register = registry.get(self.datamodel.obj.__tablename__)
        if register is not None and fields.kind_specific(register.model):
            # a field of other kinds says nothing about this record: left out while empty
            other = {key for key in fields.not_of_kind(register.model, register.kind(item))
                     if getattr(item, key) in (None, "")}
            # (FAB finds a column's value by its place in include_columns: both lists shrink)
            keep = [n for n, c in enumerate(shown["include_columns"]) if c not in other]
            shown["value_columns"] = [shown["value_columns"][n] for n in keep]
            shown["include_columns"] = [shown["include_columns"][n] for n in keep]
            for _title, fieldset in shown.get("fieldsets") or ():
                fieldset["fields"] = [c for c in fieldset.get("fields", ()) if c not in other]
        return widgets


class ScopedModelView(TransferViewMixin, HardenedViewMixin, ModelView):
    """CRUD view whose every path honours department isolation (see app.core.interface);
    export and import of its register (app.core.transfer.views)."""

    list_template = "puwan/list.html"
    list_widget = CappedCountListWidget
    add_widget = KindFormWidget
    edit_widget = KindFormWidget
    method_permission_name = {"export": "export"}
    # The natural key rows are matched on when importing (e.g. an enterprise's code).
    import_key: tuple[str, ...] = ()

    def __init__(self, **kwargs):
        rel = _relation_filters(self.datamodel.obj)
        self.add_form_query_rel_fields = {**rel, **(self.add_form_query_rel_fields or {})}
        self.edit_form_query_rel_fields = {**rel, **(self.edit_form_query_rel_fields or {})}
        super().__init__(**kwargs)
        self.formatters_columns = display_formatters(self)
        self.commands = RecordCommands(self.datamodel.obj)

    def render_template(self, template, **kwargs):
        return super().render_template(template, view=self, **kwargs)

    # --- list: bounded pages ------------------------------------------------------------------------
    def _list(self, **kwargs):
        try:
            return super()._list(**kwargs)
        except ValueError:  # FAB int()s page_… / psize_… arguments: a bad one is the client's error
            abort(400)

    # --- form helpers ----------------------------------------------------------------------------
    def _command_failed(self, form, error: CommandError) -> None:
        g._puwan_form_status = error.status
        flash(str(error.message), "danger")
        for field, messages in error.errors.items():
            if field in form:
                form[field].errors = list(form[field].errors) + [str(m) for m in messages]
            else:  # no box to show it by: said with the field's label
                label = self.label_columns.get(field, field)
                flash(f"{label}: {'; '.join(str(m) for m in messages)}", "danger")

    def _render_form(self, template, title, widgets, **extra):
        status = g.pop("_puwan_form_status", 200 if request.method == "GET" else 422)
        return self.render_template(template, title=title, widgets=widgets, **extra), status

    def _form_kinds(self, widget, columns) -> None:
        """Where the form chooses the record's kind, its kind-specific fields follow it."""
        register = registry.get(self.datamodel.obj.__tablename__)
        kind = register.kind_column if register is not None else None
        if kind is None or kind not in columns or not isinstance(widget, KindFormWidget):
            return
        specific = fields.kind_specific(register.model)
        widget.template_args["kinds"] = {key: list(kinds) for key, kinds in specific.items()
                                         if key in columns}
        widget.template_args["kind_column"] = kind

    def _fixed(self, widget, exclude_cols) -> None:
        """A form opened from a parent record (``?_flt_0_event=7``): FAB leaves the relation
        out of the form and sets it on save; the page says which record it is, read-only
        (only one the user may read: another department's is not named)."""
        fixed = []
        for column in exclude_cols or ():
            if column not in self.label_columns:
                continue
            related = self.datamodel.get_related_interface(column)
            try:
                record = related.get(self._filters.get_filter_value(column))
            except (TypeError, ValueError):
                record = None
            if record is not None:
                fixed.append((self.label_columns[column], str(record)))
        widget.template_args["fixed"] = fixed

    def _get_add_widget(self, form, exclude_cols=None, widgets=None):
        widgets = super()._get_add_widget(form, exclude_cols=exclude_cols, widgets=widgets)
        self._form_kinds(widgets["add"], self.add_columns)
        self._fixed(widgets["add"], exclude_cols)
        return widgets

    def added_message(self, item) -> tuple[str, str]:
        """What the page says after an add (message, category): FAB's "Added Row" unless the
        register has more to say (e.g. that the registration is on the waiting list)."""
        return str(self.add_row_message), "success"

    def _get_edit_widget(self, form, exclude_cols=None, widgets=None):
        widgets = super()._get_edit_widget(form, exclude_cols=exclude_cols, widgets=widgets)
        self._form_kinds(widgets["edit"], self.edit_columns)
        return widgets

    # --- add / edit / delete through the shared command ---------------------------------------------
    def _add(self):
        get_filter_args(self._filters, disallow_if_not_in_search=False)
        exclude_cols = self._filters.get_relation_cols()
        form = self.add_form.refresh()
        if request.method == "POST":
            self._fill_form_exclude_cols(exclude_cols, form)
            if form.validate():
                self.process_form(form, True)
                item = self.datamodel.obj()
                form.populate_obj(item)
                try:
                    self.commands.create(item)
                except CommandError as error:
                    self._command_failed(form, error)
                else:
                    self.post_add(item)
                    flash(*self.added_message(item))
                    return None
            self._say_hidden_errors(form, exclude_cols)
        else:
            self.update_redirect()
        return self._get_add_widget(form=form, exclude_cols=exclude_cols)

    def _say_hidden_errors(self, form, exclude_cols) -> None:
        """A refused value of a field the page does not show as a box (one set from the parent
        record the form was opened from) is said at the top, with the field's label."""
        for column in exclude_cols or ():
            if column in form and form[column].errors:
                label = self.label_columns.get(column, column)
                flash(f"{label}: {'; '.join(str(m) for m in form[column].errors)}", "danger")

    def _edit(self, pk):
        get_filter_args(self._filters, disallow_if_not_in_search=False)
        exclude_cols = self._filters.get_relation_cols()
        item = self.datamodel.get(pk, self._base_filters)
        if not item:
            abort(404)
        if not may_write(item):  # (no form the save of which would be refused)
            raise ForbiddenError()
        pk = self.datamodel.get_pk_value(item)
        before = self.commands.before(item)
        if request.method == "POST":
            form = self.edit_form.refresh(request.form)
            self._fill_form_exclude_cols(exclude_cols, form)
            form._id = pk
            if form.validate():
                self.process_form(form, False)
                form.populate_obj(item)
                try:
                    self.commands.update(item, before)
                except CommandError as error:
                    self._command_failed(form, error)
                else:
                    self.post_update(item)
                    flash(self.edit_row_message, "success")
                    return None
            self._say_hidden_errors(form, exclude_cols)
        else:
            form = self.edit_form.refresh(obj=item)
            self.prefill_form(form, pk)
            self.update_redirect()
        return self._get_edit_widget(form=form, exclude_cols=exclude_cols)

    def _delete(self, pk):
        item = self.datamodel.get(pk, self._base_filters)
        if not item:
            abort(404)
        self._delete_items([item])

    def _delete_items(self, items) -> None:
        """Raises the command's refusal (the delete route and actions show it with its status)."""
        self.commands.delete(items)
        flash(self.delete_row_message, "success")

    @expose("/add", methods=["GET", "POST"])
    @has_access
    def add(self):
        widget = self._add()
        if not widget:
            return self.post_add_redirect()
        return self._render_form(self.add_template, self.add_title, widget)

    @expose("/edit/<pk>", methods=["GET", "POST"])
    @has_access
    def edit(self, pk):
        pk = self._deserialize_pk_if_composite(pk)
        try:
            widgets = self._edit(pk)
        except CommandError as error:
            return self._refused(error)
        if not widgets:
            return self.post_edit_redirect()
        return self._render_form(
            self.edit_template, self.edit_title, widgets, related_views=self._related_views
        )

    @fab_action(
        "muldelete",
        _("Delete"),
        _("Delete all selected records?"),
        "fa-trash",
        single=False,
    )
    def muldelete(self, items):
        self._delete_items(items if isinstance(items, list) else [items])
        self.update_redirect()
        return redirect(self.get_redirect())


class Instant(ma_fields.DateTime):
    """An instant in the REST API, ISO 8601: read back with its offset in the display zone
    (``2026-11-28T09:30:00+08:00``); taken with any offset, and without one as display-zone
    (Shanghai) time, as everywhere a person types one. Stored as naive UTC."""

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else to_display(value).isoformat()

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            moment = super()._deserialize(value, attr, data, **kwargs)
        except ValidationError:
            raise ValidationError(str(_("Not a valid time."))) from None
        return from_display(moment)


class SchemaConverter(Model2SchemaConverter):
    """FAB's schemas, with the instants of DateTime columns as ``Instant``s."""

    def _column2field(self, datamodel, column, nested=True, parent_schema_name=None):
        field = super()._column2field(datamodel, column, nested, parent_schema_name)
        if type(field) is ma_fields.DateTime and not datamodel.is_relation(column.name):
            field = Instant(required=field.required, allow_none=field.allow_none,
                            validate=field.validators, dump_only=field.dump_only,
                            load_only=field.load_only)
        return field


class ScopedRestApi(ModelRestApi):
    """REST API whose writes go through the same command as the UI."""

    # Cookie-authenticated API writes would bypass the UI's CSRF check: JWT only.
    allow_browser_login = False
    model2schemaconverter = SchemaConverter

    def __init__(self):
        rel = _relation_filters(self.datamodel.obj)
        self.add_query_rel_fields = {**rel, **(self.add_query_rel_fields or {})}
        self.edit_query_rel_fields = {**rel, **(self.edit_query_rel_fields or {})}
        super().__init__()
        self.commands = RecordCommands(self.datamodel.obj)

    def _error(self, error: CommandError):
        return self.response(error.status, **error.as_payload())

    def pre_get_list(self, data: dict) -> None:
        # Counting stops after COUNT_CAP rows (app.core.interface): say so.
        data["count_capped"] = interface.count_is_capped(data.get("count", 0))

    def post_headless(self):
        if not request.is_json:
            return self.response(400, message=str(_("The request body must be JSON.")))
        data = dict(request.json or {})
        # Like the form: a new record belongs to the author's department unless one is given.
        if "department" in self.add_columns and data.get("department") is None:
            data["department"] = current_scope().department_id
        try:
            item = self.add_model_schema.load(data)
        except ValidationError as err:
            return self.response_422(message=err.messages)
        try:
            self.commands.create(item)
        except CommandError as error:
            return self._error(error)
        self.post_add(item)
        return self.response(
            201,
            result=self.add_model_schema.dump(item, many=False),
            id=self.datamodel.get_pk_value(item),
        )

    def put_headless(self, pk):
        item = self.datamodel.get(pk, self._base_filters)
        if not item:
            return self._error(NotFoundError())
        if not request.is_json:
            return self.response(400, message=str(_("The request body must be JSON.")))
        before = self.commands.before(item)
        try:
            data = self._merge_update_item(item, request.json)
            item = self.edit_model_schema.load(data, instance=item)
        except ValidationError as err:
            db.session.rollback()
            return self.response_422(message=err.messages)
        try:
            self.commands.update(item, before)
        except CommandError as error:
            return self._error(error)
        self.post_update(item)
        return self.response(200, result=self.edit_model_schema.dump(item, many=False))

    def delete_headless(self, pk):
        item = self.datamodel.get(pk, self._base_filters)
        if not item:
            return self._error(NotFoundError())
        try:
            self.commands.delete([item])
        except CommandError as error:
            return self._error(error)
        self.post_delete(item)
        return self.response(200, message=str(_("Deleted")))

    # FAB's responses are English; ours are translated.
    def response_404(self):
        return self._error(NotFoundError())

    def response_400(self, message=None):
        # FAB's own 400s (rison, filter, order and column arguments) carry English technical
        # detail: a translated sentence first, the detail kept for the developer.
        lead = str(_("The request's query arguments are not valid."))
        return self.response(400, message=f"{lead} {message}" if message else lead)

