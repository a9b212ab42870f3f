"""The meeting page's routes beyond the kit's: a panelist's review entered by staff from the
signed form, a private link issued to an expert (its address shown once), a submitted review
reopened, and the XLSX sheet — each looked up through the scoped view (another department's
meeting: 404) and acting through ``ReviewCommands``."""
from __future__ import annotations

from flask import Response, flash, redirect, request, url_for
from flask_appbuilder import expose, has_access
from flask_appbuilder.api import protect, safe
from flask_appbuilder.models.sqla.filters import FilterInFunction
from flask_appbuilder.security.decorators import permission_name
from flask_babel import lazy_gettext as _

from app.core.exceptions import CommandError, ForbiddenError, NotFoundError
from app.core.views import ScopedModelView, ScopedRestApi, writable_department_ids
from app.extensions import db
from app.registers.reviews.commands import ReviewCommands, reviews_of
from app.registers.reviews.spreadsheet import meeting_xlsx

# The form offers the projects the user may write (the meeting follows its lead department).
RELATED = {"project": [["department_id", FilterInFunction, writable_department_ids]]}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ReviewMeetingViewBase(ScopedModelView):
    add_form_query_rel_fields = edit_form_query_rel_fields = RELATED

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.commands = ReviewCommands()

    def _back(self, pk):
        return redirect(url_for(f"{self.endpoint}.show", pk=pk))

    def _done_or_refused(self, pk, work, done):
        try:
            result = work()
        except ForbiddenError as error:
            return self._refused(error)
        except CommandError as error:
            db.session.rollback()
            labels = {**self.register.field_labels, "reason": _("Reason")}
            for message in [str(error.message)] + [
                    f"{labels.get(k, k)}: {'; '.join(map(str, v))}"
                    for k, v in error.errors.items()]:
                flash(message, "danger")
            return redirect(url_for(f"{self.endpoint}.show", pk=pk), 303)
        flash(str(done(result)), "success")
        return self._back(pk)

    @expose("/score/<int:pk>/<int:expert_id>", methods=["POST"])
    @has_access
    @permission_name("edit")
    def score(self, pk, expert_id):
        """A panelist's signed form, entered by staff."""
        item = self._record(pk)
        data = {k: v for k, v in request.form.items() if k != "csrf_token"}
        return self._done_or_refused(
            pk, lambda: self.commands.score(item, expert_id, data, "staff"),
            lambda review: _("The review of %(expert)s is submitted.",
                             expert=str(review.expert)))

    @expose("/reopen/<int:pk>/<int:expert_id>", methods=["POST"])
    @has_access
    @permission_name("edit")
    def reopen(self, pk, expert_id):
        item = self._record(pk)
        return self._done_or_refused(
            pk, lambda: self.commands.reopen(item, expert_id, request.form.get("reason")),
            lambda review: _("The review of %(expert)s is reopened.",
                             expert=str(review.expert)))

    @expose("/link/<int:pk>/<int:expert_id>", methods=["POST"])
    @has_access
    @permission_name("edit")
    def issue_link(self, pk, expert_id):
        """A new private link: its address is shown this once (only its sha256 is kept)."""
        item = self._record(pk)
        return self._done_or_refused(
            pk, lambda: self.commands.issue_link(item, expert_id),
            lambda token: _("The expert's private link (shown only now; send it to the expert): "
                            "%(link)s", link=url_for("expert_review.review", token=token,
                                                     _external=True)))

    @expose("/xlsx/<int:pk>")
    @has_access
    @permission_name("show")
    def xlsx(self, pk):
        item = self._record(pk)
        body = meeting_xlsx(item, reviews_of(db.session, item))
        return Response(body, mimetype=XLSX, headers={
            "Content-Disposition": f"attachment; filename=review-meeting-{item.id}.xlsx"})


class ReviewMeetingApiBase(ScopedRestApi):
    """REST as on the page: a panelist's review entered, reopened, a private link issued (each
    checked as an edit, then by the command: 403, 404, 409, 422)."""

    add_query_rel_fields = edit_query_rel_fields = RELATED

    def __init__(self):
        super().__init__()
        self.commands = ReviewCommands()

    def _act(self, pk, work, result):
        item = self.datamodel.get(pk, self._base_filters)
        if item is None:
            return self._error(NotFoundError())
        data = request.get_json(silent=True) or {}
        if not isinstance(data, dict):
            return self.response_400(message=str(_("The request body must be JSON.")))
        try:
            done = work(item, data)
        except CommandError as error:
            return self._error(error)
        return self.response(200, **result(done))

    @staticmethod
    def _review(review) -> dict:
        return {"expert_id": review.expert_id, "submitted": review.submitted,
                "channel": review.channel, "scores": review.scores(), "opinion": review.opinion}

    @expose("/<int:pk>/review/<int:expert_id>", methods=["POST"])
    @protect()
    @safe
    @permission_name("put")
    def score(self, pk, expert_id):
        """Submit a panelist's review from the signed form.
        ---
        post:
          parameters:
          - {in: path, schema: {type: integer}, name: pk}
          - {in: path, schema: {type: integer}, name: expert_id}
          requestBody:
            content:
              application/json:
                schema: {type: object}
          responses:
            200: {description: the review, submitted}
            403: {$ref: '#/components/responses/403'}
            404: {$ref: '#/components/responses/404'}
            409: {description: not scoring, or the review is locked}
            422: {$ref: '#/components/responses/422'}
        """
        return self._act(pk, lambda item, data: self.commands.score(item, expert_id, data),
                         self._review)

    @expose("/<int:pk>/review/<int:expert_id>/reopen", methods=["POST"])
    @protect()
    @safe
    @permission_name("put")
    def reopen(self, pk, expert_id):
        """Reopen a submitted review (``{"reason": …}``).
        ---
        post:
          parameters:
          - {in: path, schema: {type: integer}, name: pk}
          - {in: path, schema: {type: integer}, name: expert_id}
          responses:
            200: {description: the review, reopened}
            403: {$ref: '#/components/responses/403'}
            404: {$ref: '#/components/responses/404'}
            409: {description: not scoring, or not submitted}
            422: {$ref: '#/components/responses/422'}
        """
        return self._act(pk, lambda item, data: self.commands.reopen(item, expert_id,
                                                                     data.get("reason")),
                         self._review)

    @expose("/<int:pk>/review/<int:expert_id>/link", methods=["POST"])
    @protect()
    @safe
    @permission_name("put")
    def issue_link(self, pk, expert_id):
        """Issue the panelist's private link (its address is answered this once).
        ---
        post:
          parameters:
          - {in: path, schema: {type: integer}, name: pk}
          - {in: path, schema: {type: integer}, name: expert_id}
          responses:
            200: {description: the link}
            403: {$ref: '#/components/responses/403'}
            404: {$ref: '#/components/responses/404'}
            409: {description: not scoring, or the review is locked}
        """
        return self._act(pk, lambda item, data: self.commands.issue_link(item, expert_id),
                         lambda token: {"link": url_for("expert_review.review", token=token,
                                                        _external=True)})
