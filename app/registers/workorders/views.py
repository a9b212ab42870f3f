"""Work orders: the hotline's fast entry form, lists, the order page with its action buttons,
timeline and clocks, and the REST API — all through WorkOrderCommands."""
from __future__ import annotations

import datetime as dt

from flask import abort, flash, g, redirect, request, send_file, url_for
from flask_appbuilder import expose, has_access
from flask_appbuilder.api import protect, safe
from flask_appbuilder.security.decorators import permission_name
from flask_appbuilder.widgets import ShowWidget
from flask_babel import lazy_gettext as _
from markupsafe import Markup
from wtforms import SelectField

from app.clocks.models import SlaClock
from app.clocks.views import STATES
from app.core.exceptions import CommandError, NotFoundError
from app.core.interface import ScopedInterface
from app.core.lookup import LookupField
from app.core.scope import current_scope, may_write
from app.core.timeutil import format_display, format_due, from_display
from app.core.views import ScopedModelView, ScopedRestApi, coded, record_columns
from app.registers.enterprises.models import Enterprise
from app.registers.enterprises.views import enterprise_label
from app.registers.workorders.commands import SUBJECT, WorkOrderCommands, add_attachment
from app.registers.workorders.lifecycle import CLOCK_NAMES, STATE_LABELS, TRANSITIONS, Actor
from app.registers.workorders.models import (
    CATEGORIES,
    CHANNELS,
    CHOOSE,
    LANGUAGES,
    RATINGS,
    SCORES,
    WorkOrder,
)

LABELS = {
    "ticket": _("Ticket"), "channel": _("Channel"), "received_at": _("Received at"),
    "enterprise": _("Enterprise"), "contact_name": _("Contact person"),
    "contact_phone": _("Contact phone"), "contact_email": _("Contact e-mail"),
    "language": _("Requester's language"), "subject": _("Subject"), "content": _("Content"),
    "service_type": _("Service type"), "category": _("Category"), "state": _("State"),
    "department": _("Taken in by"), "handling_department": _("Handling department"),
    "handler": _("Handler"), "reply": _("Reply"), "rating": _("Rating"),
    "rating_attitude": _("Attitude"), "rating_quality": _("Quality"),
    "rating_efficiency": _("Efficiency"), "rating_comment": _("Comment"),
    "extension_requested": _("Extension requested (working days)"),
    "extension_reason": _("Reason for the extension"), "external_ref": _("Channel reference"),
    "created_on": _("Created at"), "changed_on": _("Changed at"),
    "clock": _("Clock state"), "clock_due_at": _("Due at"),
}
ENTRY_COLUMNS = [
    "channel", "received_at", "enterprise", "contact_name", "contact_phone", "contact_email",
    "language", "service_type", "category", "subject", "content",
]
# The fields of the action forms on the order's page, as their errors name them.
ACTION_FIELD_LABELS = {
    **LABELS, "department": LABELS["handling_department"],
    "attitude": LABELS["rating_attitude"], "quality": LABELS["rating_quality"],
    "efficiency": LABELS["rating_efficiency"], "comment": LABELS["rating_comment"],
    "days": _("Working days"), "reason": _("Reason"), "file": _("Attachments"),
}
FIELD_VALUES = {"channel": CHANNELS, "category": CATEGORIES, "language": LANGUAGES,
                "state": STATE_LABELS, "rating": RATINGS}


def _choices():
    return {
        "channel": SelectField(_("Channel"), choices=list(CHANNELS.items())),
        "category": SelectField(_("Category"), choices=list(CATEGORIES.items()),
                                default="general"),
        "language": SelectField(_("Requester's language"), choices=list(LANGUAGES.items())),
        "enterprise": _enterprise_field(),
    }


def _enterprise_field():
    # Found by name, code or phone over every enterprise the user may read (the hotline desk
    # serves the whole zone), not picked from a list sent with the form.
    return LookupField(_("Enterprise"), interface=ScopedInterface(Enterprise),
                       endpoint="EnterpriseView.lookup", describe=enterprise_label,
                       placeholder=_("Name, unified social credit code or phone"))


# Rows of orders whose promise is overdue or at risk stand out in lists (Bootstrap row classes).
CLOCK_ROW_CLASSES = {"breached": "danger overdue", "warning": "warning at-risk"}
CLOCK_LABEL_CLASSES = {"breached": "label-danger", "warning": "label-warning"}


def clock_state_label(clock) -> str:
    """An order's current promise as a list shows it: its state (as a label when overdue or at
    risk), named when it is the dispatch clock."""
    if clock is None:
        return ""
    code = clock.state_now()
    state = str(STATES.get(code, code))
    if code in CLOCK_LABEL_CLASSES:
        state = Markup('<span class="label {}">{}</span>').format(CLOCK_LABEL_CLASSES[code], state)
    if clock.name == "dispatch":
        return Markup("{} · {}").format(CLOCK_NAMES["dispatch"], state)
    return state


def _nowrap(format_time):
    """A time kept on one line in a narrow column."""
    def formatted(value):
        text = format_time(value)
        return Markup('<span style="white-space:nowrap">{}</span>').format(text) if text else ""

    return formatted


def available_actions(order: WorkOrder) -> list:
    scope = current_scope()
    out = []
    for transition in TRANSITIONS.values():
        if order.state not in transition.sources:
            continue
        if transition.actor is Actor.DISPATCHER and not scope.dispatcher:
            continue
        if transition.actor is Actor.HANDLER and not (
                order.handling_department_id and scope.can_write(order.handling_department_id)):
            continue
        if transition.action in ("approve_extension", "reject_extension") and \
                not order.extension_requested:
            continue
        out.append(transition)
    return out


class OrderShowWidget(ShowWidget):
    template = "puwan/widgets/show.html"


class WorkOrderView(ScopedModelView):
    route_base = "/workorders"
    datamodel = ScopedInterface(WorkOrder)
    show_template = "puwan/workorder_show.html"
    list_title = _("Work orders")
    show_title = _("Work order")
    add_title = _("New work order (hotline entry)")
    edit_title = _("Edit work order")
    label_columns = LABELS
    list_columns = ["ticket", "received_at", "channel", "subject", "category", "state",
                    "handling_department", "clock_due_at", "clock"]
    link_column = "ticket"
    show_columns = ["ticket", "state", "received_at", "channel", "enterprise", "contact_name",
                    "contact_phone", "contact_email", "language", "service_type", "category",
                    "subject", "content", "department", "handling_department", "handler",
                    "reply", "rating", "rating_attitude", "rating_quality",
                    "rating_efficiency", "rating_comment", "extension_requested"]
    add_columns = ENTRY_COLUMNS
    edit_columns = ["enterprise", "contact_name", "contact_phone", "contact_email", "language",
                    "service_type", "subject", "content"]
    search_columns = ["ticket", "subject", "content", "channel", "category", "state",
                      "handling_department", "department", "service_type", "received_at"]
    order_columns = ["ticket", "received_at", "state", "category"]
    base_order = ("received_at", "desc")
    add_form_extra_fields = _choices()
    edit_form_extra_fields = {key: _choices()[key] for key in ("language", "enterprise")}
    formatters_columns = {**{key: coded(mapping) for key, mapping in FIELD_VALUES.items()},
                          "clock": clock_state_label, "clock_due_at": _nowrap(format_due),
                          "received_at": _nowrap(format_display)}
    method_permission_name = {"export": "export", "transition": "transition",
                              "attachment": "show", "upload": "transition"}
    # Work orders are the zone's record of its promises: they are closed, never deleted.
    base_permissions = ["can_list", "can_show", "can_add", "can_edit", "can_export",
                        "can_import", "can_transition"]

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.commands = WorkOrderCommands()
        # The list's clock columns: both clocks come with the page's rows (no query per row).
        self.datamodel.eager_load(self.list_columns + ["dispatch_clock", "resolution_clock"],
                                  record_columns(self))

    def row_class(self, order) -> str:
        clock = order.clock
        return CLOCK_ROW_CLASSES.get(clock.state_now(), "") if clock is not None else ""

    def _get_show_widget(self, pk, item, widgets=None, actions=None, show_fieldsets=None):
        g._puwan_shown = item  # the order's page shows it below FAB's fields: fetched once
        # Only the fields the order has (an order just taken in has no reply, rating …).
        values = self.datamodel.get_values_item(item, self.show_columns)
        shown = [(column, value) for column, value in zip(self.show_columns, values, strict=True)
                 if value is not None and str(value).strip() != ""]
        may_edit = (self.appbuilder.sm.has_access("can_edit", self.class_permission_name)
                    and may_write(item))
        widgets = widgets or {}
        widgets["show"] = OrderShowWidget(
            pk=pk, label_columns=self.label_columns, include_columns=[c for c, _v in shown],
            value_columns=[v for _c, v in shown], formatters_columns=self.formatters_columns,
            actions=actions or self.actions, fieldsets=None,
            modelview_name=self.__class__.__name__,
            edit_url=url_for(f"{self.endpoint}.edit", pk=pk) if may_edit else None)
        return widgets

    def render_template(self, template, **kwargs):
        return super().render_template(
            template, shown=g.get("_puwan_shown"), transitions=TRANSITIONS,
            actions_for=available_actions,
            timeline=_timeline, clocks=clock_rows, departments=_departments, ratings=RATINGS,
            scores=SCORES, choose=CHOOSE, categories=CATEGORIES, **kwargs)

    @expose("/transition/<int:pk>/<string:action>", methods=["POST"])
    @has_access
    @permission_name("transition")
    def transition(self, pk, action):
        order = self.datamodel.get(pk, self._base_filters)
        if order is None:
            abort(404)
        data = {k: v for k, v in request.form.items() if k != "csrf_token"}
        try:
            WorkOrderCommands().perform(order, action, data)
        except CommandError as error:
            messages = [str(error.message)] + [
                f"{ACTION_FIELD_LABELS.get(k, k)}: {'; '.join(map(str, v))}"
                for k, v in error.errors.items()]
            for message in messages:
                flash(message, "danger")
            widgets = self._show(pk)
            return self.render_template(self.show_template, pk=pk, title=self.show_title,
                                        widgets=widgets, related_views=[]), error.status
        flash(str(TRANSITIONS[action].label) + " ✓", "success")
        return redirect(url_for(f"{self.endpoint}.show", pk=pk))


    @expose("/upload/<int:pk>", methods=["POST"])
    @has_access
    @permission_name("transition")
    def upload(self, pk):
        order = self.datamodel.get(pk, self._base_filters)
        if order is None:
            abort(404)
        upload = request.files.get("file")
        try:
            add_attachment(order, upload.filename if upload else "", upload.mimetype if upload
                           else "", upload.read() if upload else b"")
        except CommandError as error:
            for message in [str(error.message)] + [str(m) for v in error.errors.values()
                                                  for m in v]:
                flash(message, "danger")
            widgets = self._show(pk)
            return self.render_template(self.show_template, pk=pk, title=self.show_title,
                                        widgets=widgets, related_views=[]), error.status
        flash(str(_("Attachments")) + " ✓", "success")
        return redirect(url_for(f"{self.endpoint}.show", pk=pk))

    @expose("/attachment/<int:attachment_id>")
    @has_access
    @permission_name("show")
    def attachment(self, attachment_id):
        """A request's file, for whoever may see the order (the order lookup is scoped)."""
        from app.extensions import db
        from app.intake import attachment_dir
        from app.registers.workorders.models import WorkOrderAttachment

        item = db.session.get(WorkOrderAttachment, attachment_id)
        if item is None or self.datamodel.get(item.order_id, self._base_filters) is None:
            abort(404)
        return send_file(attachment_dir() / item.stored_name, mimetype=item.content_type,
                         as_attachment=True, download_name=item.filename)


EVENT_LABELS = {"receive": _("Received"), "attach": _("Attachment added")}


def _timeline(order):
    return [
        {"at": format_display(e.at), "action": TRANSITIONS[e.action].label
            if e.action in TRANSITIONS else EVENT_LABELS.get(e.action, e.action),
         "to": STATE_LABELS.get(e.to_state, e.to_state or ""),
         "actor": str(e.actor) if e.actor else "", "note": _note(e)}
        for e in order.events
    ]


def _note(event) -> str:
    """A dispatch's note names the department in the dispatcher's language: shown in the
    reader's."""
    if event.action == "dispatch" and event.note:
        department = next((d for d in _departments()
                           if event.note in (d.name_zh, d.name_ja, d.name_en)), None)
        if department is not None:
            return str(department)
    return event.note or ""


def _departments():
    from app.core.models import Department
    from app.extensions import db

    if "_puwan_departments" not in g:  # (the timeline and the dispatch form: read once)
        g._puwan_departments = db.session.query(Department).order_by(Department.id).all()
    return g._puwan_departments


class WorkOrderApi(ScopedRestApi):
    resource_name = "workorder"
    datamodel = ScopedInterface(WorkOrder)
    label_columns = LABELS
    list_columns = ["id", "ticket", "received_at", "channel", "subject", "category", "state",
                    "handling_department.id", "handling_department.code", "service_type.code"]
    show_columns = ["id", "ticket", "state", "received_at", "channel", "enterprise.id",
                    "contact_name", "contact_phone", "contact_email", "language",
                    "service_type.code", "category", "subject", "content", "department.code",
                    "handling_department.code", "handler.username", "reply", "rating",
                    "rating_attitude", "rating_quality", "rating_efficiency",
                    "rating_comment", "extension_requested"]
    add_columns = ENTRY_COLUMNS
    edit_columns = ["enterprise", "contact_name", "contact_phone", "contact_email", "language",
                    "service_type", "subject", "content"]
    search_columns = ["ticket", "subject", "channel", "category", "state",
                      "handling_department", "received_at"]
    order_columns = ["ticket", "received_at", "state"]
    base_order = ("received_at", "desc")
    exclude_route_methods = {"delete"}
    method_permission_name = {
        "get_list": "get", "get": "get", "info": "info", "post": "post", "put": "put",
        "delete": "delete", "transition": "transition", "timeline": "get",
    }

    def __init__(self):
        super().__init__()
        self.commands = WorkOrderCommands()

    def post_headless(self):
        if request.is_json and isinstance(request.json, dict) and request.json.get("received_at"):
            try:
                moment = dt.datetime.fromisoformat(str(request.json["received_at"]))
            except ValueError:
                return self.response_422(message={"received_at": [str(_("Not a valid time."))]})
            request.json["received_at"] = from_display(moment).isoformat()
        return super().post_headless()

    @expose("/<int:pk>/transition/<string:action>", methods=["POST"])
    @protect()
    @safe
    @permission_name("transition")
    def transition(self, pk, action):
        """Run a lifecycle action on a work order.
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
            200: {description: the order after the action}
            403: {$ref: '#/components/responses/403'}
            404: {$ref: '#/components/responses/404'}
            409: {description: not possible in the order's state}
            422: {$ref: '#/components/responses/422'}
        """
        order = self.datamodel.get(pk, self._base_filters)
        if order is None:
            return self._error(NotFoundError())
        data = request.get_json(silent=True) or {}
        if not isinstance(data, dict):
            return self.response_400(message=str(_("The request body must be JSON.")))
        try:
            WorkOrderCommands().perform(order, action, data)
        except CommandError as error:
            return self._error(error)
        return self.response(200, result={"id": order.id, "ticket": order.ticket,
                                          "state": order.state})

    @expose("/<int:pk>/timeline", methods=["GET"])
    @protect()
    @safe
    @permission_name("get")
    def timeline(self, pk):
        """The order's timeline, oldest first.
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
        order = self.datamodel.get(pk, self._base_filters)
        if order is None:
            return self._error(NotFoundError())
        return self.response(200, result=[
            {"at": e.at.replace(tzinfo=dt.UTC).isoformat(), "action": e.action,
             "from": e.from_state, "to": e.to_state, "note": e.note,
             "actor": e.actor.username if e.actor else None}
            for e in order.events])


def order_clocks(order):
    from app.extensions import db

    return (db.session.query(SlaClock)
            .filter_by(subject_type=SUBJECT, subject_id=order.id).order_by(SlaClock.id).all())


def clock_rows(order):
    return [
        {"name": CLOCK_NAMES.get(c.name, c.name), "state": STATES.get(c.state_now(), c.state),
         "due": format_due(c.due_at), "unconfirmed": c.unconfirmed}
        for c in order_clocks(order)
    ]
