"""Reference data → Hooks (administrators): the hooks, their delivery log, a test button, and
the REST API. The secret is shown once (on saving, on replacing it) and nowhere else."""
from __future__ import annotations

from collections.abc import Mapping

from flask import flash, redirect, url_for
from flask_appbuilder import ModelView
from flask_appbuilder.actions import action
from flask_appbuilder.validators import Unique
from flask_babel import lazy_gettext as _
from markupsafe import Markup
from wtforms import SelectField, SelectMultipleField
from wtforms.validators import DataRequired

from app.clocks.views import STATES, clock_name
from app.clocks.webhooks import delivery as deliveries
from app.clocks.webhooks import targets
from app.clocks.webhooks.commands import HookCommands, clock_choices, register_choices
from app.clocks.webhooks.models import Hook, HookDelivery
from app.core import registry
from app.core.admin_views import register_label
from app.core.history import AUDITED_TABLES, AuditedTable
from app.core.interface import Interface
from app.core.timeutil import utcnow
from app.core.views import (
    HardenedViewMixin,
    ScopedModelView,
    ScopedRestApi,
    coded,
    display_formatters,
)
from app.extensions import db

HOOK_LABELS = {
    "name": _("Name"), "subject_type": _("Register"), "clock_name": _("Clock"),
    "states": _("When the clock becomes"), "target_url": _("Target URL"), "active": _("Active"),
    "created_on": _("Created at"), "created_by": _("Created by"),
    "changed_on": _("Changed at"), "changed_by": _("Changed by"),
}
FORM_COLUMNS = ["name", "subject_type", "clock_name", "states", "target_url", "active"]
DELIVERY_STATUSES = {"pending": _("Waiting"), "delivered": _("Delivered"), "failed": _("Failed")}
ERRORS = {
    "url": _("the address is not valid"),
    "not_allowed": _("the host is not on the allow-list"),
    "address": _("the host's address may not receive hooks"),
    "connection": _("no connection"),
    "timeout": _("no answer in time"),
    "redirect": _("the receiver redirected (not followed)"),
    "http": _("the receiver refused it"),
}
HOOK_ACTIONS = {"rotate_secret": _("Secret replaced")}
ALL_REGISTERS = _("All registers")
ALL_CLOCKS = _("All clocks")


class _ClockNames(Mapping):
    """Clock names, read when shown (the registers declare them)."""

    def __getitem__(self, name):
        return registry.clock_names()[name]

    def __iter__(self):
        return iter(registry.clock_names())

    def __len__(self):
        return len(registry.clock_names())


class _RegisterNames(Mapping):
    """Register names by table, read when shown (from ``register_choices``)."""

    def __getitem__(self, table):
        return dict(register_choices())[table]

    def __iter__(self):
        return iter(dict(register_choices()))

    def __len__(self):
        return len(register_choices())


def _register(table) -> str:
    return str(register_label(table)) if table else str(ALL_REGISTERS)


def _clock(name) -> str:
    return str(clock_name(name)) if name else str(ALL_CLOCKS)


def _states(states) -> str:
    return "、".join(str(STATES.get(state, state)) for state in states or ())


def _form_fields() -> dict:
    return {
        "subject_type": SelectField(
            HOOK_LABELS["subject_type"],
            choices=lambda: [("", str(ALL_REGISTERS))] + [(t, str(label))
                                                          for t, label in register_choices()]),
        "clock_name": SelectField(
            HOOK_LABELS["clock_name"],
            choices=lambda: [("", str(ALL_CLOCKS))] + clock_choices()),
        "states": SelectMultipleField(
            HOOK_LABELS["states"], choices=[(code, label) for code, label in STATES.items()],
            validators=[DataRequired()],
            description=_("The hook posts an event when a clock moves into one of these "
                          "states.")),
    }


def secret_message(secret: str) -> Markup:
    return Markup("{} <code id=\"hook-secret\">{}</code>").format(
        _("Give the receiver this secret now; it is not shown again:"), secret)


def test_message(outcome) -> tuple[str, str]:
    """The flash of "send test event": what the receiver answered."""
    if outcome is None:
        return str(_("The test event is being sent by another process; see the delivery "
                     "log.")), "info"
    if outcome.ok:
        return str(_("Test event delivered: the receiver answered %(status)s.",
                     status=outcome.status)), "success"
    if outcome.status is not None:
        return str(_("The test event was not accepted: the receiver answered %(status)s.",
                     status=outcome.status)), "danger"
    return str(_("The test event could not be delivered: %(reason)s.",
                 reason=ERRORS.get(outcome.error, outcome.error))), "danger"


class HookDeliveryView(HardenedViewMixin, ModelView):
    """The delivery log: read-only, by hook and status."""

    route_base = "/hook-deliveries"
    datamodel = Interface(HookDelivery)
    base_permissions = ["can_list", "can_show"]
    list_title = _("Hook deliveries")
    show_title = _("Hook delivery")
    label_columns = {
        "id": _("Delivery ID"), "created_at": _("Created at"), "hook": _("Hook"),
        "summary": _("Clock event"), "attempts": _("Attempts"), "status": _("Status"),
        "last_status": _("HTTP status"), "outcome": _("Last answer"),
        "full_outcome": _("Last answer"),
        "next_attempt_at": _("Next attempt at"), "last_attempt_at": _("Last attempt at"),
        "delivered_at": _("Delivered at"), "transition_id": _("Transition ID"),
    }
    list_columns = ["id", "created_at", "hook", "summary", "status", "attempts", "last_status",
                    "outcome", "next_attempt_at"]
    show_columns = ["id", "hook", "summary", "transition_id", "created_at", "status",
                    "attempts", "last_attempt_at", "last_status", "full_outcome",
                    "next_attempt_at", "delivered_at"]
    search_columns = ["hook", "status", "created_at"]
    order_columns = ["id", "created_at", "status", "attempts", "next_attempt_at"]
    base_order = ("id", "desc")
    search_form_extra_fields = {
        "status": SelectField(_("Status"), choices=list(DELIVERY_STATUSES.items())),
    }

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.formatters_columns = {
            **display_formatters(self), "status": coded(DELIVERY_STATUSES),
            "summary": delivery_summary, "full_outcome": delivery_outcome,
            # (a list cell shows the start of the answer; the record's page all that was kept)
            "outcome": lambda delivery: _shortened(delivery_outcome(delivery))}


def _shortened(text: str, length: int = 80) -> str:
    return text if len(text) <= length else text[:length - 1] + "…"


def delivery_summary(delivery) -> str:
    event = delivery.event or {}
    if event.get("event") == "ping":
        return str(_("Test event"))
    subject = event.get("subject") or {}
    return str(_("%(register)s %(subject)s: %(clock)s %(old)s → %(new)s",
                 register=_register(event.get("register")),
                 subject=subject.get("label") or f"#{subject.get('id')}",
                 clock=_clock(event.get("clock")),
                 old=STATES.get(event.get("old_state"), event.get("old_state") or "—"),
                 new=STATES.get(event.get("new_state"), event.get("new_state"))))


def delivery_outcome(delivery) -> str:
    parts = []
    if delivery.error:
        parts.append(str(ERRORS.get(delivery.error, delivery.error)))
    if delivery.answer:
        parts.append(delivery.answer)
    return " — ".join(parts)


class HookView(ScopedModelView):
    route_base = "/hooks"
    datamodel = Interface(Hook)
    list_title = _("SLA hooks")
    show_title = add_title = edit_title = _("SLA hook")
    label_columns = HOOK_LABELS
    description_columns = {
        "target_url": _("The receiver's http:// or https:// address; its host must be on the "
                        "allow-list."),
    }
    list_columns = ["name", "subject_type", "clock_name", "states", "target_url", "active"]
    show_columns = [*FORM_COLUMNS, "created_by", "created_on", "changed_by", "changed_on"]
    add_columns = edit_columns = FORM_COLUMNS
    # (never the secret: a filter on it would tell it, letter by letter)
    search_columns = ["name", "subject_type", "clock_name", "target_url", "active"]
    order_columns = ["name", "subject_type", "clock_name", "target_url", "active"]
    base_order = ("name", "asc")
    add_template = "puwan/hook_add.html"
    edit_template = "puwan/hook_edit.html"
    show_template = "puwan/hook_show.html"
    validators_columns = {"name": [DataRequired(), Unique(datamodel, "name")]}
    add_form_extra_fields = _form_fields()
    edit_form_extra_fields = _form_fields()

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.commands = HookCommands()
        self.formatters_columns = {
            **self.formatters_columns, "subject_type": _register, "clock_name": _clock,
            "states": _states}

    def render_template(self, template, **kwargs):
        return super().render_template(
            template, allowed_hosts=targets.shown_allowed_hosts(),
            no_hosts=targets.no_hosts_message(), **kwargs)

    def prefill_form(self, form, pk):
        item = self.datamodel.get(pk)
        form.subject_type.data = item.subject_type or ""
        form.clock_name.data = item.clock_name or ""
        form.states.data = list(item.states or [])

    def post_add(self, item):
        flash(secret_message(item.secret), "warning")

    @action("send_test", _("Send test event"), None, "fa-paper-plane", multiple=False)
    def send_test(self, item):
        _delivery, outcome = deliveries.send_test(db.session, item, utcnow())
        flash(*test_message(outcome))
        return redirect(url_for(f"{self.endpoint}.show", pk=item.id))

    @action("rotate_secret", _("New secret"),
            _("Replace the secret? The receiver must be given the new one."), "fa-key",
            multiple=False)
    def rotate_secret(self, item):
        flash(secret_message(self.commands.rotate_secret(item)), "warning")
        return redirect(url_for(f"{self.endpoint}.show", pk=item.id))


class HookApi(ScopedRestApi):
    """The hooks through REST (administrators): the secret only in the answer to a create."""

    resource_name = "hook"
    datamodel = Interface(Hook)
    label_columns = HOOK_LABELS
    list_columns = show_columns = ["id", *FORM_COLUMNS, "created_on", "changed_on"]
    add_columns = edit_columns = FORM_COLUMNS
    search_columns = ["name", "subject_type", "clock_name", "target_url", "active"]
    order_columns = ["id", "name", "subject_type", "clock_name", "active"]

    def __init__(self):
        super().__init__()
        self.commands = HookCommands()

    def post_headless(self):
        response = super().post_headless()
        if response.status_code != 201:
            return response
        payload = response.get_json()
        payload["secret"] = db.session.get(Hook, payload["id"]).secret
        return self.response(201, **payload)


def register(appbuilder) -> None:
    # The change history names the hooks' rows and fields (the secret is never in them).
    AUDITED_TABLES["hook"] = AuditedTable(
        label=_("SLA hooks"), fields=HOOK_LABELS, actions=HOOK_ACTIONS,
        values={"subject_type": _RegisterNames(), "clock_name": _ClockNames(), "states": STATES})
    appbuilder.add_view(HookView, "Hooks", label=_("SLA hooks"), icon="fa-paper-plane",
                        category="Reference data")
    appbuilder.add_view(HookDeliveryView, "Hook deliveries", label=_("Hook deliveries"),
                        icon="fa-list-alt", category="Reference data")
    appbuilder.add_api(HookApi)
