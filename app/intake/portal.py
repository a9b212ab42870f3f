"""The public portal (no login, zh/ja/en): submit a request, follow it by a private link,
rate the service once it is resolved. Rate-limited; CSRF-protected; errors translated."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional

from app.clocks.models import SlaClock
from app.core.exceptions import CommandError
from app.core.public import render_public
from app.core.timeutil import format_display, format_due
from app.extensions import db
from app.intake import create_public_order, token_hash
from app.registers.workorders.commands import SUBJECT, WorkOrderCommands
from app.registers.workorders.lifecycle import STATE_LABELS, State
from app.registers.workorders.models import (
    CHOOSE,
    LANGUAGES,
    RATINGS,
    SCORES,
    ServiceType,
    WorkOrder,
)

portal = Blueprint("portal", __name__, url_prefix="/portal")


def _service_types():
    return [(s.code, str(s)) for s in db.session.query(ServiceType).order_by(ServiceType.id)]


class RequestForm(FlaskForm):
    enterprise_name = StringField(_("Enterprise"), validators=[Optional(), Length(max=200)])
    contact_name = StringField(_("Contact person"), validators=[DataRequired(), Length(max=100)])
    contact_phone = StringField(_("Contact phone"), validators=[Optional(), Length(max=40)])
    contact_email = EmailField(_("Contact e-mail"),
                               validators=[Optional(), Email(), Length(max=200)])
    service_type = SelectField(_("Service type"))
    subject = StringField(_("Subject"), validators=[DataRequired(), Length(max=200)])
    content = TextAreaField(_("Content"), validators=[DataRequired(), Length(max=5000)])


def _choose(pairs) -> list:
    """Choices that start empty: nothing is chosen for the requester."""
    return [("", CHOOSE)] + [(str(value), label) for value, label in pairs]


class RatingForm(FlaskForm):
    rating = SelectField(_("Rating"), choices=_choose(RATINGS.items()),
                         validators=[InputRequired(message=_("Choose a rating."))])
    attitude = SelectField(_("Attitude"), choices=_choose(SCORES), validators=[Optional()])
    quality = SelectField(_("Quality"), choices=_choose(SCORES), validators=[Optional()])
    efficiency = SelectField(_("Efficiency"), choices=_choose(SCORES), validators=[Optional()])
    comment = TextAreaField(_("Comment"), validators=[Optional(), Length(max=2000)])


def page_language() -> str:
    """The language of the page the requester filled in: their language for the answer."""
    code = str(get_locale() or "zh")[:2]
    return code if code in LANGUAGES else "zh"


_render = render_public  # (the portal's pages; others import it from core)


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
            language=page_language(), service_type=form.service_type.data,
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


# What the requester sees of the timeline: the steps of their request, never who took them or
# what staff wrote (reasons, notes); supervision and extension requests stay internal.
PUBLIC_EVENTS = {
    "receive": _("Your request was received"),
    "dispatch": _("Dispatched to the handling department"),
    "accept": _("Accepted by the handling department"),
    "return": _("Returned to the Office to be dispatched again"),
    "start": _("Work started"),
    "wait": _("Waiting for information from you"),
    "resume": _("Work resumed"),
    "resolve": _("Resolved with a reply"),
    "approve_extension": _("More time granted for the resolution"),
    "follow_up": _("Service rated"),
    "close": _("Closed"),
    "reopen": _("Reopened"),
}


def public_timeline(order) -> list[dict]:
    return [{"at": format_display(e.at), "event": PUBLIC_EVENTS[e.action],
             "state": STATE_LABELS.get(e.to_state, e.to_state or "")}
            for e in order.events if e.action in PUBLIC_EVENTS]


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
                   expected=_expected(order), timeline=public_timeline(order),
                   can_rate=order.state == State.RESOLVED, ratings=RATINGS)


def init_portal(app) -> None:
    app.register_blueprint(portal)
    limit = app.config.get("PORTAL_RATE_LIMIT", "5 per minute;100 per day")
    app.appbuilder.sm.limiter.limit(limit, methods=["POST"])(portal)
