"""The public portal for events (no login, zh/ja/en): the upcoming events open for
registration, registering an enterprise by its unified social credit code, and a private link
per registration to follow it, cancel it, and give feedback once the enterprise attended.

Every write goes through ``RegistrationCommands`` (channel "portal") as the system: the rules
of places, the waiting list and attendance are the same as for staff. A registration is only
ever reached by its private link (the token's sha256 is stored, never the token); nothing of
another enterprise's registration is shown. Rate-limited and CSRF-protected like the portal.
"""
from __future__ import annotations

import secrets

from flask import Blueprint, abort, flash, redirect, url_for
from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import BooleanField, EmailField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional

from app.core.exceptions import CommandError
from app.core.scope import acting_as_system
from app.core.timeutil import format_display, utcnow
from app.extensions import db
from app.intake import token_hash
from app.intake.portal import _choose
from app.intake.portal import _render as render
from app.registers.enterprises.models import USCC_ERROR, Enterprise
from app.registers.enterprises.validators import is_valid_uscc, normalize_uscc
from app.registers.events.models import KINDS, Event
from app.registers.registrations.commands import EventFull, RegistrationCommands
from app.registers.registrations.models import ATTENDANCE, SCORES, STATUSES, Registration

portal_events = Blueprint("portal_events", __name__, url_prefix="/portal/events")

UPCOMING_SHOWN = 200  # (the list stays one query; a zone has far fewer open events)

UNKNOWN_ENTERPRISE = _("No enterprise with this unified social credit code is on the zone's "
                       "register. Please contact the Management Committee Office to be added.")
ALREADY_REGISTERED = _("This enterprise has already registered for this event. Use the private "
                       "link given at registration; if it is lost, please contact the organiser.")
FULL = _("There are not enough places left at this event for your attendees. Tick “Put us on "
         "the waiting list” to join the waiting list: waiting enterprises move up, in order, "
         "when places are freed.")
NOT_OPEN = _("This event does not take registrations now (it is “%(state)s”).")
STARTED = _("Registration has closed: the event has already started.")
TOO_MANY = _("The event has %(capacity)s places in all.")


class RegisterForm(FlaskForm):
    uscc = StringField(_("Unified social credit code"),
                       validators=[DataRequired(), Length(max=30)])
    contact_name = StringField(_("Contact person"), validators=[DataRequired(), Length(max=100)])
    contact_phone = StringField(_("Contact phone"), validators=[DataRequired(), Length(max=40)])
    contact_email = EmailField(_("Contact e-mail"),
                               validators=[Optional(), Email(), Length(max=200)])
    attendees = IntegerField(_("Number of attendees"), default=1,
                             validators=[InputRequired(), NumberRange(min=1, max=500)])
    waitlist = BooleanField(_("Put us on the waiting list if the event is full"))


def _score(label):
    return SelectField(label, choices=_choose(SCORES.items()),
                       validators=[InputRequired(message=_("Choose a score from 1 to 5."))])


class FeedbackForm(FlaskForm):
    attitude = _score(_("Attitude"))
    quality = _score(_("Quality"))
    efficiency = _score(_("Efficiency"))
    comment = TextAreaField(_("Comment"), validators=[Optional(), Length(max=2000)])


class CancelForm(FlaskForm):
    """Only its CSRF token: the button is the whole form."""


# --- reading --------------------------------------------------------------------------------------
def _places_taken():
    """People registered for the event of the row (one correlated sum, by the event+status
    index): the list stays one query whatever the events and registrations."""
    return (select(func.coalesce(func.sum(Registration.attendees), 0))
            .where(Registration.event_id == Event.id, Registration.status == "registered")
            .correlate(Event).scalar_subquery())


def _places(event: Event, taken: int) -> dict:
    """Places left, or full (the waiting list) — never who took them."""
    if event.capacity is None:
        return {"left": None, "full": False}
    left = max(event.capacity - taken, 0)
    return {"left": left, "full": left == 0}


def _shown(event: Event, taken: int) -> dict:
    return {"event": event, "title": event.name, "kind": KINDS.get(event.kind, event.kind),
            "starts": format_display(event.starts_at), "ends": format_display(event.ends_at),
            **_places(event, taken)}


def _taking(event: Event) -> str | None:
    """Why the portal does not take a registration for ``event`` now (None: it does)."""
    if event.state != "open":
        return NOT_OPEN % {"state": event.state_label}
    if event.starts_at <= utcnow():
        return STARTED
    return None


@portal_events.route("/")
def upcoming():
    rows = (db.session.query(Event, _places_taken())
            .filter(Event.state == "open", Event.starts_at > utcnow())
            .order_by(Event.starts_at, Event.id).limit(UPCOMING_SHOWN).all())
    return render("puwan/portal/events.html", events=[_shown(e, taken) for e, taken in rows])


def _event(event_id: int) -> tuple[Event, int]:
    row = (db.session.query(Event, _places_taken()).filter(Event.id == event_id)
           .one_or_none())
    if row is None:
        abort(404)
    return row


@portal_events.route("/<int:event_id>", methods=["GET", "POST"])
def event_page(event_id: int):
    event, taken = _event(event_id)
    form = RegisterForm()
    refused = _taking(event)
    if not form.is_submitted():
        # (full: the waiting list is what the enterprise can have, so it starts ticked)
        form.waitlist.data = event.capacity is not None and taken >= event.capacity
        return _event_page(event, taken, form, refused)
    if refused:
        return _event_page(event, taken, form, refused, status=409)
    if not form.validate():
        return _event_page(event, taken, form, status=422)
    enterprise = _enterprise(form)
    if enterprise is None:
        return _event_page(event, taken, form, status=422)
    if event.capacity is not None and form.attendees.data > event.capacity:
        form.attendees.errors.append(TOO_MANY % {"capacity": event.capacity})
        return _event_page(event, taken, form, status=422)
    if db.session.query(Registration.id).filter(
            Registration.event_id == event.id, Registration.enterprise_id == enterprise.id,
            Registration.status != "cancelled").first() is not None:
        return _event_page(event, taken, form, ALREADY_REGISTERED, status=409)
    token = secrets.token_urlsafe(24)
    registration = Registration(
        # (the event's lead department owns it: the command sets it too, but create() asks
        # for a department before, and the portal's system actor has none)
        event_id=event.id, enterprise_id=enterprise.id, department_id=event.department_id,
        channel="portal",
        contact_name=form.contact_name.data, contact_phone=form.contact_phone.data,
        contact_email=form.contact_email.data or None, attendees=form.attendees.data,
        token_hash=token_hash(token))
    try:
        with acting_as_system():
            RegistrationCommands(waitlist=form.waitlist.data).create(registration)
    except EventFull:
        event, taken = _event(event_id)  # (the session was rolled back)
        return _event_page(event, taken, form, FULL, status=409, full=True)
    except CommandError as error:
        event, taken = _event(event_id)
        return _event_page(event, taken, form, _explained(error), status=error.status)
    return render("puwan/portal/event_registered.html", 201, registration=registration,
                  shown=_shown(event, 0), status_label=STATUSES[registration.status],
                  link=url_for("portal_events.registration", token=token, _external=True))


def _enterprise(form: RegisterForm) -> Enterprise | None:
    """The enterprise of the code typed in, or None with the reason on the field — the same
    reason whoever's code it is, and nothing of any enterprise."""
    code = normalize_uscc(form.uscc.data)
    if not is_valid_uscc(code):
        form.uscc.errors.append(USCC_ERROR)
        return None
    enterprise = db.session.query(Enterprise).filter_by(uscc=code).one_or_none()
    if enterprise is None:
        form.uscc.errors.append(UNKNOWN_ENTERPRISE)
    return enterprise


def _event_page(event, taken, form, message=None, status=200, full=False):
    shown = _shown(event, taken)
    return render("puwan/portal/event.html", status, shown=shown, form=form, message=message,
                  full=full or shown["full"], taking=_taking(event) is None)


def _explained(error: CommandError) -> str:
    """The command's message with the reasons it gives field by field."""
    reasons = [str(m) for messages in error.errors.values() for m in messages]
    return " ".join([str(error.message), *reasons])


# --- the private link -----------------------------------------------------------------------------
def _registration(token: str) -> Registration:
    registration = (db.session.query(Registration)
                    .filter_by(token_hash=token_hash(token)).one_or_none())
    if registration is None:
        abort(404)
    return registration


def _event_over(event: Event) -> bool:
    return event.state in ("held", "closed") or (event.ends_at or event.starts_at) <= utcnow()


def _why_not_cancel(registration: Registration) -> str | None:
    event = registration.event
    if registration.status == "cancelled":
        return _("This registration is cancelled.")
    if event.state not in ("planned", "open") or event.starts_at <= utcnow():
        return _("The event has begun or is over: the registration can no longer be cancelled.")
    return None


def _why_no_feedback(registration: Registration) -> str | None:
    if registration.feedback_at is not None:
        return _("Thank you: your feedback has been received.")
    if registration.status == "cancelled":
        return _("Feedback is asked only of enterprises that attended; this registration "
                 "was cancelled.")
    if registration.event.state == "cancelled":
        return _("The event was cancelled.")
    if not _event_over(registration.event):
        return _("Feedback is asked after the event, of the enterprises that attended it.")
    if registration.attendance != "present":
        return _("Feedback is asked only of enterprises that attended; our records do not "
                 "show your enterprise as present.")
    return None


@portal_events.route("/registration/<token>")
def registration(token: str):
    return _registration_page(_registration(token), token)


def _registration_page(registration, token, status=200, feedback=None):
    event = registration.event
    return render(
        "puwan/portal/event_registration.html", status, registration=registration,
        token=token, shown=_shown(event, 0), status_label=STATUSES[registration.status],
        attendance=ATTENDANCE.get(registration.attendance, ""),
        given_at=format_display(registration.feedback_at),
        why_not_cancel=_why_not_cancel(registration), cancel_form=CancelForm(),
        why_no_feedback=_why_no_feedback(registration), feedback_form=feedback or FeedbackForm())


@portal_events.route("/registration/<token>/cancel", methods=["POST"])
def cancel(token: str):
    registration = _registration(token)  # (the CSRF token is checked before: CSRFProtect)
    refused = _why_not_cancel(registration)
    if refused:
        flash(str(refused), "danger")
        return _registration_page(registration, token, status=409)
    waiting = registration.status == "waitlisted"
    try:
        with acting_as_system():
            RegistrationCommands().cancel([registration])
    except CommandError as error:
        flash(_explained(error), "danger")
        return _registration_page(_registration(token), token, status=error.status)
    flash(str(_("Your enterprise is taken off the waiting list.") if waiting else
              _("Your registration is cancelled; its places are freed for others.")), "success")
    return redirect(url_for("portal_events.registration", token=token))


@portal_events.route("/registration/<token>/feedback", methods=["POST"])
def feedback(token: str):
    registration = _registration(token)
    form = FeedbackForm()
    refused = _why_no_feedback(registration)
    if refused:
        flash(str(refused), "danger")
        return _registration_page(registration, token, status=409)
    if not form.validate():
        return _registration_page(registration, token, status=422, feedback=form)
    commands = RegistrationCommands()
    before = commands.before(registration)
    registration.attitude = int(form.attitude.data)
    registration.quality = int(form.quality.data)
    registration.efficiency = int(form.efficiency.data)
    registration.feedback_comment = form.comment.data or None
    try:
        with acting_as_system():
            commands.update(registration, before)
    except CommandError as error:
        flash(_explained(error), "danger")
        return _registration_page(_registration(token), token, status=error.status)
    flash(str(_("Thank you for your feedback.")), "success")
    return redirect(url_for("portal_events.registration", token=token))


def init_portal_events(app) -> None:
    app.register_blueprint(portal_events)
    limit = app.config.get("PORTAL_RATE_LIMIT", "5 per minute;100 per day")
    app.appbuilder.sm.limiter.limit(limit, methods=["POST"])(portal_events)
