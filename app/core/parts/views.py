"""The record page and routes of the parts a register declares.

The kit (app.core.kit) puts these mixins under a register's derived view and API
(``view_mixins`` / ``api_mixins``); a register bringing its own classes puts them there itself.
Every route looks its record up through the view's scoped interface (another department's
record: 404) and acts through the register's commands (app.core.commands), so the page and
REST cannot drift:

- ``POST <route>/transition/<pk>/<action>`` and ``POST /api/v1/<resource>/<pk>/transition/<action>``
  (permission ``can_transition``);
- ``POST <route>/upload/<pk>`` (``can_edit``) and ``GET <route>/attachment/<id>`` (``can_show``);
- ``GET /api/v1/<resource>/<pk>/timeline`` (``can_get``).

Other packages add panels to the record page (``register_panel``: the SLA clocks add theirs).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import abort, flash, g, redirect, request, send_file, url_for
from flask_appbuilder import expose, has_access
from flask_appbuilder.api import protect, safe
from flask_appbuilder.security.decorators import permission_name
from flask_babel import lazy_gettext as _

from app.core import registry
from app.core.exceptions import CommandError, ForbiddenError, NotFoundError
from app.core.forms import CHOOSE
from app.core.parts import timeline
from app.core.parts.attachments import attachment_dir
from app.core.scope import current_scope
from app.extensions import db


@dataclass(frozen=True)
class Panel:
    """A block of the record page: ``template`` is included with ``panel`` set to
    ``context(register, record)``; a None context leaves the block out. ``wide``: the page's
    whole width (a table of many columns), else half of it."""

    key: str
    template: str
    context: Callable
    wide: bool = False


_PANELS: dict[str, Panel] = {}


def register_panel(panel: Panel) -> None:
    _PANELS[panel.key] = panel


class RecordParts:
    """What the record page shows of the register's parts, for one record and reader."""

    choose = CHOOSE

    def __init__(self, view, record):
        self.view, self.record = view, record
        self.register = view.register
        self.lifecycle = self.register.lifecycle
        self.attachments_part = self.register.attachments
        # the page's blocks are named by the register ("workorder-timeline")
        self.prefix = self.register.key.lower()

    def transitions(self) -> list:
        return self.lifecycle.available(self.record) if self.lifecycle else []

    def writable(self) -> bool:
        """Whether the reader writes the record at all (a co-operating department reads it)."""
        from app.core.scope import may_write

        return may_write(self.record)

    def form(self, transition) -> list:
        return self.lifecycle.form(transition)

    def timeline(self) -> list[dict]:
        return timeline.rows(self.register, self.record) if self.register.timeline else []

    def attachments(self) -> list:
        return list(self.record.attachments) if self.attachments_part else []

    def may_upload(self) -> bool:
        view = self.view
        return bool(self.attachments_part) and view.appbuilder.sm.has_access(
            "can_" + view.get_method_permission("upload"), view.class_permission_name
        ) and self.attachments_part.who(current_scope(), self.record)

    def panels(self) -> list[tuple[Panel, object]]:
        shown = []
        for panel in _PANELS.values():
            context = panel.context(self.register, self.record)
            if context is not None:
                shown.append((panel, context))
        return shown


def remember_shown(record) -> None:
    """The record the page shows (FAB fetched it once: the parts read it, not again)."""
    g._puwan_shown = record


class RecordPageMixin:
    """The record page of a register with parts: FAB's fields, then its parts."""

    show_template = "puwan/record_show.html"

    @property
    def register(self):
        return registry.get(self.datamodel.obj.__tablename__)

    def _get_show_widget(self, pk, item, *args, **kwargs):
        remember_shown(item)
        return super()._get_show_widget(pk, item, *args, **kwargs)

    def render_template(self, template, **kwargs):
        shown = g.get("_puwan_shown")
        parts = RecordParts(self, shown) if shown is not None else None
        return super().render_template(template, parts=parts, **kwargs)

    def _record(self, pk):
        item = self.datamodel.get(pk, self._base_filters)
        if item is None:
            abort(404)
        return item

    def _refused_on_page(self, pk, error: CommandError, messages: list[str]):
        """Back on the record's page (303, so a reload does not post again), with what was
        refused; a write the user may not make at all is its error page (403)."""
        if isinstance(error, ForbiddenError):
            return self._refused(error)
        db.session.rollback()
        for message in messages:
            flash(message, "danger")
        return redirect(url_for(f"{self.endpoint}.show", pk=pk), 303)


class LifecycleViewMixin(RecordPageMixin):
    @expose("/transition/<int:pk>/<string:action>", methods=["POST"])
    @has_access
    @permission_name("transition")
    def transition(self, pk, action):
        item = self._record(pk)
        data = {k: v for k, v in request.form.items() if k != "csrf_token"}
        try:
            self.commands.perform(item, action, data)
        except CommandError as error:
            labels = {**self.register.field_labels, **self.register.lifecycle.input_labels}
            # (each field's own message says what to do: not also "The data is not valid")
            return self._refused_on_page(pk, error, [
                f"{labels.get(k, k)}: {'; '.join(map(str, v))}"
                for k, v in error.errors.items()] or [str(error.message)])
        flash(str(self.register.lifecycle.transitions[action].label) + " ✓", "success")
        return redirect(url_for(f"{self.endpoint}.show", pk=pk))


class AttachmentsViewMixin(RecordPageMixin):
    @expose("/upload/<int:pk>", methods=["POST"])
    @has_access
    @permission_name("edit")
    def upload(self, pk):
        item = self._record(pk)
        upload = request.files.get("file")
        try:
            self.commands.attach(item, upload.filename if upload else "",
                                 upload.read() if upload else b"")
        except CommandError as error:
            return self._refused_on_page(pk, error, [str(error.message)] + [
                str(m) for v in error.errors.values() for m in v])
        flash(str(_("Attachments")) + " ✓", "success")
        return redirect(url_for(f"{self.endpoint}.show", pk=pk))

    @expose("/attachment/<int:attachment_id>")
    @has_access
    @permission_name("show")
    def attachment(self, attachment_id):
        """A record's file, for whoever may read the record (its lookup is scoped)."""
        part = self.register.attachments
        item = db.session.get(part.model, attachment_id)
        if item is None or self.datamodel.get(part.record_id(item), self._base_filters) is None:
            abort(404)
        path = attachment_dir() / item.stored_name
        if not path.is_file():  # (a file removed by hand: not a server error)
            abort(404)
        return send_file(path, mimetype=item.content_type, as_attachment=True,
                         download_name=item.filename)


# --- REST ----------------------------------------------------------------------------------------------
class RecordApiMixin:
    @property
    def register(self):
        return registry.get(self.datamodel.obj.__tablename__)


class LifecycleApiMixin(RecordApiMixin):
    def transition_result(self, item) -> dict:
        """What the API answers after a transition."""
        field = self.register.lifecycle.column
        return {"id": item.id, field: getattr(item, field)}

    @expose("/<int:pk>/transition/<string:action>", methods=["POST"])
    @protect()
    @safe
    @permission_name("transition")
    def transition(self, pk, action):
        """Run a lifecycle action on a record.
        ---
        post:
          parameters:
          - in: path
            schema: {type: integer}
            name: pk
          - in: path
            schema: {type: string}
            name: action
          requestBody:
            content:
              application/json:
                schema: {type: object}
          responses:
            200: {description: the record after the action}
            403: {$ref: '#/components/responses/403'}
            404: {$ref: '#/components/responses/404'}
            409: {description: not possible in the record's state}
            422: {$ref: '#/components/responses/422'}
        """
        item = self.datamodel.get(pk, self._base_filters)
        if item is None:
            return self._error(NotFoundError())
        data = request.get_json(silent=True) or {}
        if not isinstance(data, dict):
            return self.response_400(message=str(_("The request body must be JSON.")))
        try:
            self.commands.perform(item, action, data)
        except CommandError as error:
            return self._error(error)
        return self.response(200, result=self.transition_result(item))


class TimelineApiMixin(RecordApiMixin):
    @expose("/<int:pk>/timeline", methods=["GET"])
    @protect()
    @safe
    @permission_name("get")
    def timeline(self, pk):
        """The record's timeline, oldest first.
        ---
        get:
          parameters:
          - in: path
            schema: {type: integer}
            name: pk
          responses:
            200: {description: events}
            404: {$ref: '#/components/responses/404'}
        """
        item = self.datamodel.get(pk, self._base_filters)
        if item is None:
            return self._error(NotFoundError())
        return self.response(200, result=timeline.api_rows(item))


def view_mixins(register) -> tuple[type, ...]:
    """The mixins a derived view of ``register`` needs for the parts it declares."""
    mixins = []
    if register.lifecycle is not None:
        mixins.append(LifecycleViewMixin)
    if register.attachments is not None:
        mixins.append(AttachmentsViewMixin)
    if not mixins:  # (the record page shows the panels other packages add, e.g. figures)
        mixins.append(RecordPageMixin)
    return tuple(mixins)


def api_mixins(register) -> tuple[type, ...]:
    mixins = []
    if register.lifecycle is not None:
        mixins.append(LifecycleApiMixin)
    if register.timeline is not None:
        mixins.append(TimelineApiMixin)
    return tuple(mixins)
