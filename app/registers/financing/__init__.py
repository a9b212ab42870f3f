"""Financing needs met at bank–enterprise matchmaking events (measure A5), declared once: a
lifecycle (intention → loan, or dropped), a timeline, a follow-up SLA clock and charts."""
from flask_appbuilder.models.sqla.filters import FilterEqual, FilterInFunction
from flask_babel import lazy_gettext as _

from app.core.parts.timeline import Timeline
from app.core.registry import Register, declare
from app.core.views import ScopedModelView, ScopedRestApi, writable_department_ids
from app.registers.enterprises.models import Enterprise
from app.registers.events.models import Event
from app.registers.financing.charts import CHARTS, FILTERS
from app.registers.financing.commands import FinancingCommands
from app.registers.financing.lifecycle import CLOCK_NAMES, LIFECYCLE
from app.registers.financing.models import FinancingNeed, FinancingNeedEvent

# The form offers what the command accepts: matchmaking events the user writes, banks.
RELATED = {
    "event": [["department_id", FilterInFunction, writable_department_ids],
              ["kind", FilterEqual, "matchmaking"]],
    "banks": [["kind", FilterEqual, "bank"]],
}


class FinancingViewBase(ScopedModelView):
    add_form_query_rel_fields = edit_form_query_rel_fields = RELATED

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.commands = FinancingCommands()


class FinancingApiBase(ScopedRestApi):
    add_query_rel_fields = edit_query_rel_fields = RELATED

    def __init__(self):
        super().__init__()
        self.commands = FinancingCommands()


REGISTER = declare(Register(
    model=FinancingNeed,
    name="Financing needs",
    label=_("Financing needs"),
    title=_("Financing need"),
    route="/financing",
    icon="fa-university",
    edit_columns=["event", "enterprise", "amount", "purpose", "term_months", "banks",
                  "intention"],
    list_columns=["enterprise", "event", "amount", "purpose", "state", "loan_amount",
                  "loan_bank"],
    show_columns=["event", "enterprise", "met_on", "amount", "purpose", "term_months", "banks",
                  "intention", "state", "intention_signed_on", "loan_amount", "loan_signed_on",
                  "loan_bank", "drop_reason", "department", "created_on", "changed_on"],
    export_columns=["event", "enterprise", "met_on", "amount", "purpose", "term_months",
                    "banks", "intention", "state", "intention_signed_on", "loan_amount",
                    "loan_signed_on", "loan_bank", "drop_reason", "department"],
    # (no related record but the department: a filter's choices would load every event)
    search_columns=["purpose", "state", "met_on", "intention", "department"],
    order_columns=["met_on", "amount", "state", "loan_amount"],
    base_order=("met_on", "desc"),
    labels={"department": _("Lead department"), "department_id": _("Lead department")},
    link_column="enterprise",
    import_key=("event", "enterprise"),
    commands=FinancingCommands,
    view_base=FinancingViewBase,
    api_base=FinancingApiBase,
    timeline=Timeline(FinancingNeedEvent),
    lifecycle=LIFECYCLE,
    clocks=CLOCK_NAMES,
    charts=CHARTS,
    chart_filters=FILTERS,
    chart_search_columns=["department", "purpose", "state", "met_on"],
    charts_title=_("Financing needs and loans"),
    charts_label=_("Financing needs and loans"),
    sample=lambda make: {"event_id": make.record(Event, kind="matchmaking", topic=None),
                         "enterprise_id": make.record(Enterprise),
                         "amount": 500, "purpose": "working_capital", "term_months": 12,
                         "intention": make.text("拟授信")},
))
