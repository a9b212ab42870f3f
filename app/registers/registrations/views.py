"""Registrations by staff: the add form (events the user may write that take registrations now,
any enterprise the user may read), the waiting list said to the user, cancelling with the
promotion of waiting registrations, and attendance taken from the event's page (check-in one by
one, bulk afterwards, a job fair's outcome, feedback) — the page and REST through the same
RegistrationCommands.
"""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_appbuilder import expose, has_access
from flask_appbuilder.actions import action as fab_action
from flask_appbuilder.api import protect, safe
from flask_appbuilder.models.sqla.filters import FilterInFunction
from flask_appbuilder.security.decorators import permission_name
from flask_babel import lazy_gettext as _

from app.core import registry
from app.core.exceptions import CommandError, ForbiddenError, NotFoundError, ValidationFailed
from app.core.models import localized, reader_language
from app.core.views import ScopedModelView, ScopedRestApi, writable_department_ids
from app.registers.registrations.commands import TAKING, RegistrationCommands
from app.registers.registrations.models import ATTENDANCE, Registration

WAITING = _("The event is full: the registration of %(enterprise)s is on the waiting list.")
MOVED_UP = _("Moved up from the waiting list: %(enterprises)s.")
CANCELLED = _("Registration cancelled.")


def taking_states() -> list[str]:
    return list(TAKING["staff"])


# The add form's event: one the user may write (its lead department's) that takes
# registrations now; the enterprise: any the user may read (the relation is read-checked).
EVENT_CHOICES = [["department_id", FilterInFunction, writable_department_ids],
                 ["state", FilterInFunction, taking_states]]


def names(registrations) -> str:
    separator = ", " if reader_language() == "en" else "、"
    return separator.join(localized(r.enterprise, "name") for r in registrations)


def event_page(event_id: int) -> str:
    view = registry.get("event").view_class
    return url_for(f"{view.__name__}.show", pk=event_id)


def _number(text: str | None, label) -> int | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        raise ValidationFailed(errors={label: [_("Enter a whole number.")]}) from None


class RegistrationViewBase(ScopedModelView):
    """The derived view's base (the kit adds the declaration's columns)."""

    add_form_query_rel_fields = {"event": EVENT_CHOICES}
    method_permission_name = {"export": "export", "cancel_registrations": "edit"}

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.commands = RegistrationCommands()

    def added_message(self, item) -> tuple[str, str]:
        if item.status == "waitlisted":
            return str(WAITING % {"enterprise": localized(item.enterprise, "name")}), "warning"
        return super().added_message(item)

    # --- record actions: each checked as an edit (HardenedViewMixin), then by the command --------
    @fab_action("cancel_registrations", _("Cancel registration"),
                _("Cancel the selected registrations? Their places go to the waiting list."),
                "fa-ban", single=False)
    def cancel_registrations(self, items):
        items = items if isinstance(items, list) else [items]
        moved = self.commands.cancel(items, request.form.get("reason"))
        flash(str(CANCELLED), "success")
        if moved:
            flash(str(MOVED_UP % {"enterprises": names(moved)}), "info")
        if request.form.get("next") == "event" and len({i.event_id for i in items}) == 1:
            return redirect(event_page(items[0].event_id))
        self.update_redirect()
        return redirect(self.get_redirect())

    # --- attendance from the event's page ----------------------------------------------------
    def _registration(self, pk: int) -> Registration:
        item = self.datamodel.get(pk, self._base_filters)
        if item is None:  # (another department's: not found)
            abort(404)
        return item

    def _acted(self, event_id: int, work, done):
        """Run ``work()``; back on the event's page with what happened. A write the user may
        not make is refused with its status; a refused value is said on the page."""
        try:
            work()
        except ForbiddenError as error:
            return self._refused(error)
        except CommandError as error:
            self.datamodel.session.rollback()
            row = getattr(error, "row", None)
            lead = f"{row}: " if row else ""
            messages = [f"{lead}{self.label_columns.get(k, k)}: {'; '.join(map(str, v))}"
                        for k, v in error.errors.items()] or [f"{lead}{error.message}"]
            for message in messages:
                flash(message, "danger")
            return redirect(event_page(event_id)), 303
        flash(str(done), "success")
        return redirect(event_page(event_id))

    @expose("/check_in/<int:pk>", methods=["POST"])
    @has_access
    @permission_name("edit")
    def check_in(self, pk):
        item = self._registration(pk)
        return self._acted(item.event_id, lambda: self.commands.check_in(item),
                           _("%(enterprise)s checked in.",
                             enterprise=localized(item.enterprise, "name")))

    @expose("/attendance", methods=["POST"])
    @has_access
    @permission_name("edit")
    def attendance(self):
        """Bulk after the event: the ticked registrations of one event, all or nothing."""
        try:
            event_id = int(request.form.get("event", ""))
            pks = {int(pk) for pk in request.form.getlist("rowid")}
        except ValueError:
            abort(400)
        items = []
        if pks:
            query = self.datamodel.apply_all(self.datamodel.session.query(Registration))
            items = query.filter(Registration.id.in_(pks),
                                 Registration.event_id == event_id).all()
            if len(items) != len(pks):  # one is not there, or not readable: nothing at all
                abort(404)
        items.sort(key=lambda r: (r.created_on, r.id))
        attendance = request.form.get("attendance", "")
        label = ATTENDANCE.get(attendance, "")
        return self._acted(
            event_id,
            lambda: self.commands.set_attendance(items, attendance, request.form.get("reason")),
            _("Attendance recorded (%(attendance)s): %(n)s registrations.",
              attendance=label, n=len(items)))

    @expose("/outcome/<int:pk>", methods=["POST"])
    @has_access
    @permission_name("edit")
    def outcome(self, pk):
        item = self._registration(pk)
        form = request.form

        def work():
            self.commands.record_outcome(
                item, _number(form.get("positions_offered"), "positions_offered"),
                _number(form.get("applicants"), "applicants"), _number(form.get("hires"), "hires"))

        return self._acted(item.event_id, work, _("Job fair outcome saved."))

    @expose("/feedback/<int:pk>", methods=["POST"])
    @has_access
    @permission_name("edit")
    def feedback(self, pk):
        item = self._registration(pk)
        form = request.form

        def work():
            self.commands.give_feedback(
                item, _number(form.get("attitude"), "attitude"),
                _number(form.get("quality"), "quality"),
                _number(form.get("efficiency"), "efficiency"), form.get("feedback_comment"))

        return self._acted(item.event_id, work, _("Feedback saved."))


class RegistrationApiBase(ScopedRestApi):
    """REST: a new registration says whether it got a place or went on the waiting list;
    cancel, check-in and bulk attendance as on the pages (each checked as an edit)."""

    method_permission_name = {"get_list": "get", "get": "get", "info": "info",
                              "post": "post", "put": "put", "delete": "delete",
                              "cancel": "put", "check_in": "put", "attendance": "put"}

    def __init__(self):
        super().__init__()
        self.commands = RegistrationCommands()

    def post_headless(self):
        response = super().post_headless()
        if response.status_code == 201:
            body = response.get_json()
            item = self.datamodel.session.get(Registration, body["id"])
            body["status"] = item.status
            if item.status == "waitlisted":
                body["message"] = str(WAITING % {
                    "enterprise": localized(item.enterprise, "name")})
            return self.response(201, **body)
        return response

    def _item(self, pk):
        return self.datamodel.get(pk, self._base_filters)

    @expose("/<int:pk>/cancel", methods=["POST"])
    @protect()
    @safe
    @permission_name("put")
    def cancel(self, pk):
        """Cancel a registration; the waiting registrations that now fit move up.
        ---
        post:
          parameters:
          - in: path
            schema: {type: integer}
            name: pk
          responses:
            200: {description: the registrations moved up}
            403: {$ref: '#/components/responses/403'}
            404: {$ref: '#/components/responses/404'}
            409: {description: already cancelled}
        """
        item = self._item(pk)
        if item is None:
            return self._error(NotFoundError())
        data = request.get_json(silent=True) or {}
        try:
            moved = self.commands.cancel([item], (data or {}).get("reason"))
        except CommandError as error:
            return self._error(error)
        return self.response(200, id=item.id, status=item.status,
                             moved_up=[r.id for r in moved],
                             message=str(MOVED_UP % {"enterprises": names(moved)})
                             if moved else str(CANCELLED))

    @expose("/<int:pk>/check_in", methods=["POST"])
    @protect()
    @safe
    @permission_name("put")
    def check_in(self, pk):
        """Check a registered enterprise in (present, now).
        ---
        post:
          parameters:
          - in: path
            schema: {type: integer}
            name: pk
          responses:
            200: {description: checked in}
            403: {$ref: '#/components/responses/403'}
            404: {$ref: '#/components/responses/404'}
            422: {$ref: '#/components/responses/422'}
        """
        item = self._item(pk)
        if item is None:
            return self._error(NotFoundError())
        try:
            self.commands.check_in(item)
        except CommandError as error:
            return self._error(error)
        return self.response(200, id=item.id, attendance=item.attendance,
                             checked_in_at=item.checked_in_at.isoformat())

    @expose("/attendance", methods=["POST"])
    @protect()
    @safe
    @permission_name("put")
    def attendance(self):
        """Attendance of several registrations at once: all or nothing.
        ---
        post:
          requestBody:
            content:
              application/json:
                schema:
                  type: object
                  properties:
                    ids: {type: array, items: {type: integer}}
                    attendance: {type: string, enum: [present, absent, excused]}
                    reason: {type: string}
          responses:
            200: {description: recorded}
            403: {$ref: '#/components/responses/403'}
            404: {$ref: '#/components/responses/404'}
            422: {$ref: '#/components/responses/422'}
        """
        data = request.get_json(silent=True)
        if not isinstance(data, dict) or not isinstance(data.get("ids"), list):
            return self.response_400(message=str(_("The request body must be JSON.")))
        try:
            pks = {int(pk) for pk in data["ids"]}
        except (TypeError, ValueError):
            return self.response_400()
        query = self.datamodel.apply_all(self.datamodel.session.query(Registration))
        items = query.filter(Registration.id.in_(pks)).all() if pks else []
        if len(items) != len(pks):
            return self._error(NotFoundError())
        items.sort(key=lambda r: (r.created_on, r.id))
        try:
            self.commands.set_attendance(items, data.get("attendance"), data.get("reason"))
        except CommandError as error:
            payload = error.as_payload()
            if getattr(error, "row", None):
                payload["row"] = error.row
            return self.response(error.status, **payload)
        return self.response(200, ids=sorted(pks), attendance=data.get("attendance"))
