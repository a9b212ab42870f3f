"""Booth subsidies requested against approved, by month and by fair (charts as configuration,
app.core.charts). Computed live through the scoped data interface, so each reader counts
exactly the applications the list shows them: the fair's lead department and its co-operating
departments (a rollup row keeps only one department and could not say the latter)."""
from flask import g
from flask_babel import lazy_gettext as _

from app.core.charts import Chart, FilterControl, month_label, month_of
from app.extensions import db
from app.registers.events.models import Event
from app.registers.subsidies.models import STATES


def fair_label(event_id) -> str:
    """A fair's title in the reader's language (the trade fairs' titles, read once a page)."""
    if "_puwan_fairs" not in g:
        g._puwan_fairs = {e.id: str(e) for e in db.session.query(Event).filter_by(
            kind="trade_fair")}
    return g._puwan_fairs.get(event_id, "—")


def _approved(subsidy):
    return subsidy.state == "approved"


AMOUNT = _("10k CNY")

FILTERS = [
    FilterControl("department", _("Lead department")),
    FilterControl("state", _("State"), choices=STATES),
    FilterControl("submitted_at", _("Submitted from"), "gt"),
    FilterControl("submitted_at", _("Submitted until"), "lt"),
]
CHARTS = [
    Chart("requested_by_month", _("Subsidies requested by month (10k CNY)"),
          lambda m: month_of(m.submitted_at), lambda m: m.requested_amount, "sum",
          labels=month_label, value_label=AMOUNT),
    Chart("approved_by_month", _("Subsidies approved by month (10k CNY)"),
          lambda m: month_of(m.submitted_at), lambda m: m.approved_amount, "sum",
          labels=month_label, where=_approved, value_label=AMOUNT),
    Chart("requested_by_fair", _("Subsidies requested by fair (10k CNY)"),
          lambda m: m.event_id, lambda m: m.requested_amount, "sum", labels=fair_label,
          value_label=AMOUNT),
    Chart("approved_by_fair", _("Subsidies approved by fair (10k CNY)"),
          lambda m: m.event_id, lambda m: m.approved_amount, "sum", labels=fair_label,
          where=_approved, value_label=AMOUNT),
    Chart("state", _("Applications by state"), "state", kind="pie",
          value_label=_("Applications")),
]
