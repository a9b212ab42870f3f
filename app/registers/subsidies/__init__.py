"""Booth subsidies of trade fairs (measure B4), declared once: documents attached, a decision
lifecycle within an SLA clock, the yearly cap per enterprise from policy data (booth-subsidy
rules, reference data administrators keep, seeded from seeds/) and charts."""
from flask_appbuilder.models.sqla.filters import FilterEqual, FilterInFunction
from flask_babel import lazy_gettext as _

from app.core.parts.attachments import Attachments
from app.core.parts.timeline import Timeline
from app.core.registry import Register, declare
from app.core.views import ScopedModelView, ScopedRestApi, writable_department_ids
from app.registers.enterprises.models import Enterprise
from app.registers.events.models import Event
from app.registers.subsidies import rules
from app.registers.subsidies.charts import CHARTS, FILTERS
from app.registers.subsidies.commands import SubsidyCommands
from app.registers.subsidies.lifecycle import CLOCK_NAMES, LIFECYCLE
from app.registers.subsidies.models import BoothSubsidy, BoothSubsidyAttachment, BoothSubsidyEvent

# The form offers what the command accepts: trade fairs the user writes.
RELATED = {"event": [["department_id", FilterInFunction, writable_department_ids],
                     ["kind", FilterEqual, "trade_fair"]]}


class SubsidyViewBase(ScopedModelView):
    add_form_query_rel_fields = edit_form_query_rel_fields = RELATED

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.commands = SubsidyCommands()


class SubsidyApiBase(ScopedRestApi):
    add_query_rel_fields = edit_query_rel_fields = RELATED

    def __init__(self):
        super().__init__()
        self.commands = SubsidyCommands()


def _extra(appbuilder) -> None:
    appbuilder.add_view(rules.SubsidyRuleView, "Booth-subsidy rules",
                        label=_("Booth-subsidy rules"), icon="fa-balance-scale",
                        category="Reference data", category_label=_("Reference data"),
                        category_icon="fa-book")


REGISTER = declare(Register(
    model=BoothSubsidy,
    name="Booth subsidies",
    label=_("Booth subsidies"),
    title=_("Booth-subsidy application"),
    route="/booth-subsidies",
    icon="fa-ticket",
    edit_columns=["event", "enterprise", "booth_area", "booth_fee", "requested_amount",
                  "notes"],
    list_columns=["enterprise", "event", "requested_amount", "approved_amount", "state",
                  "submitted_at"],
    show_columns=["event", "enterprise", "fair_year", "booth_area", "booth_fee",
                  "requested_amount", "notes", "state", "submitted_at", "decided_at",
                  "approved_amount", "refusal_reason", "department", "created_on",
                  "changed_on"],
    export_columns=["event", "enterprise", "fair_year", "booth_area", "booth_fee",
                    "requested_amount", "notes", "state", "submitted_at", "decided_at",
                    "approved_amount", "refusal_reason", "department"],
    # (no related record but the department: a filter's choices would load every event)
    search_columns=["state", "submitted_at", "fair_year", "notes", "department"],
    order_columns=["submitted_at", "requested_amount", "approved_amount", "state"],
    base_order=("submitted_at", "desc"),
    labels={"department": _("Lead department"), "department_id": _("Lead department")},
    link_column="enterprise",
    import_key=("event", "enterprise"),
    commands=SubsidyCommands,
    view_base=SubsidyViewBase,
    api_base=SubsidyApiBase,
    timeline=Timeline(BoothSubsidyEvent, labels={"submit": _("Application filed")}),
    attachments=Attachments(BoothSubsidyAttachment),
    lifecycle=LIFECYCLE,
    clocks=CLOCK_NAMES,
    charts=CHARTS,
    chart_filters=FILTERS,
    chart_search_columns=["department", "state", "submitted_at", "fair_year"],
    charts_title=_("Booth subsidies requested and approved"),
    charts_label=_("Booth subsidies requested and approved"),
    seeds=[rules.SEED],
    extra=_extra,
    sample=lambda make: {"event_id": make.record(Event, kind="trade_fair", topic=None,
                                                 fair_scope="international"),
                         "enterprise_id": make.record(Enterprise),
                         "booth_area": 18, "booth_fee": 6, "requested_amount": 3,
                         "notes": make.text("展位")},
))
