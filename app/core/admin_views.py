"""Reference data (departments, measures) and the change history, for administrators/auditors."""
from __future__ import annotations

from flask_appbuilder import ModelView
from flask_babel import lazy_gettext as _
from markupsafe import Markup, escape

from app.core import registry
from app.core.history import AUDITED_TABLES, shown_value
from app.core.interface import Interface, ScopedInterface
from app.core.models import ABSENT, Department, Measure, RecordChange
from app.core.views import HardenedViewMixin, display_formatters

ACTIONS = {"create": _("Created"), "update": _("Changed"), "delete": _("Deleted")}
# Reference data named in the three languages (app.core.models.NamedMixin), with its code.
NAMED_LABELS = {
    "code": _("Code"), "name_zh": _("Name (Chinese)"), "name_ja": _("Name (Japanese)"),
    "name_en": _("Name (English)"),
}


class DepartmentView(HardenedViewMixin, ModelView):
    route_base = "/departments"
    datamodel = Interface(Department)
    list_title = _("Departments")
    show_title = add_title = edit_title = _("Department")
    label_columns = NAMED_LABELS
    list_columns = list(NAMED_LABELS)
    add_columns = edit_columns = show_columns = search_columns = list_columns
    base_order = ("id", "asc")


def _participants(measure_departments) -> str:
    """(lead names, co-operating names, all co-operate?) → one translated line."""
    leads, coop, everyone = measure_departments
    text = str(_("Lead")) + ": " + "、".join(leads)
    if everyone:
        text += "; " + str(_("All departments co-operate"))
    elif coop:
        text += "; " + str(_("Co-operating")) + ": " + "、".join(coop)
    return text


class MeasureView(HardenedViewMixin, ModelView):
    route_base = "/measures"
    datamodel = Interface(Measure)
    base_permissions = ["can_list", "can_show"]
    list_title = _("Measures of the plan")
    show_title = _("Measure")
    label_columns = {
        "code": _("Code"), "title_zh": _("Title (Chinese)"), "title_ja": _("Title (Japanese)"),
        "title_en": _("Title (English)"), "departments": _("Departments"),
    }
    list_columns = ["code", "title_zh", "title_ja", "title_en", "departments"]
    show_columns = list_columns
    search_columns = ["code", "title_zh", "title_ja", "title_en"]
    base_order = ("code", "asc")
    formatters_columns = {"departments": _participants}


def _changes(change) -> Markup:
    audited = AUDITED_TABLES.get(change.table_name)
    labels = audited.fields if audited else registry.field_labels(change.table_name)
    codes = audited.values if audited else registry.field_values(change.table_name)

    def shown(key, value):
        return escape(shown_value(change.table_name, key, value, codes))

    lines = []
    for key, old, new in change.changes:
        label = escape(labels.get(key, key))
        if old is ABSENT or new is ABSENT:  # a create's, a delete's or an action's own value
            lines.append(f"{label}: {shown(key, old if new is ABSENT else new)}")
        else:
            lines.append(f"{label}: {shown(key, old)} → {shown(key, new)}")
    return Markup("<br>".join(lines))


def _action(code: str) -> str:
    audited = next((t.actions[code] for t in AUDITED_TABLES.values() if code in t.actions), None)
    return str(ACTIONS.get(code) or registry.action_labels().get(code) or audited or code)


def register_label(table: str) -> str:
    audited = AUDITED_TABLES.get(table)
    return str(audited.label) if audited else registry.table_label(table)


class RecordChangeView(HardenedViewMixin, ModelView):
    route_base = "/history"
    datamodel = ScopedInterface(RecordChange)
    base_permissions = ["can_list", "can_show"]
    list_title = _("Change history")
    show_title = _("Change")
    label_columns = {
        "changed_at": _("Changed at"), "table_name": _("Register"), "record": _("Record"),
        "record_id": _("Record ID"), "action": _("Action"),
        "department": _("Owning department"), "changed_by": _("Changed by"),
        "summary": _("Changes"),
    }
    list_columns = ["changed_at", "table_name", "record", "action", "department",
                    "changed_by", "summary"]
    show_columns = list_columns
    search_columns = ["table_name", "record_id", "action", "department", "changed_by",
                      "changed_at"]
    base_order = ("changed_at", "desc")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.formatters_columns = {
            **display_formatters(self),
            "action": _action,
            "table_name": register_label,
            "summary": _changes,
        }


def register(appbuilder) -> None:
    appbuilder.add_view(DepartmentView, "Departments", label=_("Departments"),
                        icon="fa-sitemap", category="Reference data",
                        category_label=_("Reference data"), category_icon="fa-book")
    appbuilder.add_view(MeasureView, "Measures", label=_("Measures of the plan"),
                        icon="fa-list-ol", category="Reference data")
    appbuilder.add_view(RecordChangeView, "Change history", label=_("Change history"),
                        icon="fa-history", category="Audit", category_label=_("Audit"),
                        category_icon="fa-eye")
