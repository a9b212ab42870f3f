"""Booth-subsidy rules: the policy data of measure B4, one row per year — the most an
enterprise may be granted in booth subsidies that year (10k CNY) and, optionally, the largest
share of a booth's fee a subsidy covers. Administrators keep them (Reference data →
Booth-subsidy rules); seeds/booth_subsidy_rules.yaml gives the first ones. A year already in
the table is never overwritten by seeding again."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path

from flask_appbuilder import ModelView
from flask_babel import lazy_gettext as _
from wtforms import DecimalField, IntegerField
from wtforms.validators import DataRequired, NumberRange, Optional

from app.core.interface import Interface
from app.core.seeds import Seed, SeedError, SeedReport, read_entries, require
from app.core.views import HardenedViewMixin, display_formatters
from app.extensions import db
from app.registers.subsidies.models import SubsidyRule

LABELS = {
    "year": _("Year"), "cap": _("Yearly cap per enterprise (10k CNY)"),
    "fee_rate": _("Largest share of the booth fee (%)"), "note": _("Note"),
}


class SubsidyRuleView(HardenedViewMixin, ModelView):
    route_base = "/booth-subsidy-rules"
    datamodel = Interface(SubsidyRule)
    base_permissions = ["can_list", "can_show", "can_add", "can_edit"]
    list_title = _("Booth-subsidy rules")
    show_title = add_title = edit_title = _("Booth-subsidy rule")
    label_columns = LABELS
    list_columns = show_columns = add_columns = edit_columns = list(LABELS)
    search_columns = ["year"]
    base_order = ("year", "desc")
    validators_columns = {
        "year": [NumberRange(2000, 2100)],
        "cap": [NumberRange(min=Decimal("0.01"), max=Decimal("100000"))],
        "fee_rate": [Optional(), NumberRange(1, 100)],
    }
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.formatters_columns = display_formatters(self)  # (an empty value shows nothing)

    # A new rule is the next year's, starting from the last year's figures.
    add_form_extra_fields = {
        "year": IntegerField(LABELS["year"], default=lambda: _last("year", 2025) + 1,
                             validators=[DataRequired(), NumberRange(2000, 2100)]),
        "cap": DecimalField(LABELS["cap"], default=lambda: _last("cap", Decimal("10")),
                            validators=[DataRequired(),
                                        NumberRange(min=Decimal("0.01"), max=Decimal("100000"))]),
    }


def _last(column: str, otherwise):
    row = db.session.query(SubsidyRule).order_by(SubsidyRule.year.desc()).first()
    return getattr(row, column) if row is not None else otherwise


def parse_rules(path: Path) -> list:
    entries, seen = read_entries(path), set()
    for entry in entries:
        require(path, entry, "year", "cap")
        if not isinstance(entry["year"], int) or entry["year"] in seen:
            raise SeedError(path, entry.line, "year must be a whole number, once per file")
        seen.add(entry["year"])
        try:
            cap = Decimal(str(entry["cap"]))
        except InvalidOperation:
            cap = Decimal("-1")
        if cap <= 0:
            raise SeedError(path, entry.line, "cap must be a positive amount (10k CNY)")
        rate = entry.get("fee_rate")
        if rate is not None and (not isinstance(rate, int) or not 1 <= rate <= 100):
            raise SeedError(path, entry.line, "fee_rate must be a whole percent within 1..100")
    return entries


def write_rules(session, entries: list, report: SeedReport) -> None:
    """Only missing years are added: administrators own the rules once they exist."""
    for entry in entries:
        if session.query(SubsidyRule).filter_by(year=entry["year"]).first() is None:
            session.add(SubsidyRule(year=entry["year"], cap=Decimal(str(entry["cap"])),
                                    fee_rate=entry.get("fee_rate"), note=entry.get("note")))
            report.created += 1


SEED = Seed("booth_subsidy_rules.yaml", parse_rules, write_rules)
