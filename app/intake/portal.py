"""The public portal (no login, zh/ja/en): submit a request, follow it by a private link,
rate the service once it is resolved. Rate-limited; CSRF-protected; errors translated."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, url_for
from flask_babel import lazy_gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import EmailField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional

from app.clocks.models import SlaClock
from app.core.exceptions import CommandError
from app.core.timeutil import format_due
from app.extensions import db
from app.intake import create_public_order, token_hash
from app.registers.workorders.commands import SUBJECT, WorkOrderCommands
from app.registers.workorders.lifecycle import STATE_LABELS, State
from app.registers.workorders.models import LANGUAGES, RATINGS, ServiceType, WorkOrder

portal = Blueprint("portal", __name__, url_prefix="/portal")


def _service_types():
    return [(s.code, str(s)) for s in db.session.query(ServiceType).order_by(ServiceType.id)]


class RequestForm(FlaskForm):
    enterprise_name = StringField(_("Enterprise"), validators=[Optional(), Length(max=200)])
    contact_name = StringField(_("Contact person"), validators=[DataRequired(), Length(max=100)])
    contact_phone = StringField(_("Contact phone"), validators=[Optional(), Length(max=40)])
    contact_email = EmailField(_("Contact e-mail"),
                               validators=[Optional(), Email(), Length(max=200)])
    language = SelectField(_("Requester's language"), choices=list(LANGUAGES.items()))
    service_type = SelectField(_("Service type"))
    subject = StringField(_("Subject"), validators=[DataRequired(), Length(max=200)])
    content = TextAreaField(_("Content"), validators=[DataRequired(), Length(max=5000)])


class RatingForm(FlaskForm):
    rating = SelectField(_("Rating"), choices=[(str(k), v) for k, v in RATINGS.items()])
    attitude = IntegerField(_("Attitude"), validators=[Optional(), NumberRange(1, 5)])
    quality = IntegerField(_("Quality"), validators=[Optional(), NumberRange(1, 5)])
    efficiency = IntegerField(_("Efficiency"), validators=[Optional(), NumberRange(1, 5)])
    comment = TextAreaField(_("Comment"), validators=[Optional(), Length(max=2000)])


def _render(template, status=200, **context):
    appbuilder = current_app.appbuilder
    if not hasattr(g, "user"):
        g.user = current_user
    return render_template(template, appbuilder=appbuilder,
                           base_template=appbuilder.base_template, **context), status


@portal.route("/", methods=["GET", "POST"])
def submit():
    form = RequestForm()
    form.service_type.choices = _service_types()
    if form.is_submitted():
        if not form.validate():
            return _render("puwan/portal/submit.html", 422, form=form)
        content = form.content.data
        if form.enterprise_name.data:
            content = f"[{form.enterprise_name.data}]\n{content}"
        order, token = create_public_order(
            channel="portal", subject=form.subject.data, content=content,
            language=form.language.data, service_type=form.service_type.data,
            contact_name=form.contact_name.data, contact_phone=form.contact_phone.data,
            contact_email=form.contact_email.data)
        return _render("puwan/portal/submitted.html", 201, order=order,
                       link=url_for("portal.track", token=token, _external=True))
    return _render("puwan/portal/submit.html", form=form)


def _order_for(token: str) -> WorkOrder:
    order = db.session.query(WorkOrder).filter_by(tracking_hash=token_hash(token)).one_or_none()
    if order is None:
        abort(404)
    return order


def _expected(order) -> str:
    clock = (db.session.query(SlaClock)
             .filter_by(subject_type=SUBJECT, subject_id=order.id, name="resolution").one_or_none())
    return format_due(clock.due_at) if clock else ""


@portal.route("/track/<token>", methods=["GET", "POST"])
def track(token):
    order = _order_for(token)
    form = RatingForm()
    status = 200
    if form.is_submitted():
        if form.validate():
            data = {"rating": form.rating.data, "attitude": form.attitude.data,
                    "quality": form.quality.data, "efficiency": form.efficiency.data,
                    "comment": form.comment.data}
            try:
                WorkOrderCommands().perform(order, "follow_up", data, by_requester=True)
            except CommandError as error:
                flash(str(error.message), "danger")
                status = error.status
            else:
                flash(str(_("Thank you for your rating.")), "success")
                return redirect(url_for("portal.track", token=token))
        else:
            status = 422
    return _render("puwan/portal/track.html", status, order=order, form=form,
                   state=STATE_LABELS.get(order.state, order.state),
                   expected=_expected(order), can_rate=order.state == State.RESOLVED,
                   ratings=RATINGS)


def init_portal(app) -> None:
    app.register_blueprint(portal)
    limit = app.config.get("PORTAL_RATE_LIMIT", "5 per minute;100 per day")
    app.appbuilder.sm.limiter.limit(limit, methods=["POST"])(portal)
