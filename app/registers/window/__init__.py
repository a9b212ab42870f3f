"""The Japanese-language window (measure A4, 双语服务), declared once: the log of its services
(with the one-step work order of a follow-up), their charts, the window's page of its
Japanese-funded enterprises (/window/, read as the log is) and a panel on a work order's page
naming the service it was opened from."""
from dataclasses import dataclass

from flask import Blueprint, current_app
from flask_babel import lazy_gettext as _
from wtforms import BooleanField

from app.core.parts.views import Panel, register_panel
from app.core.registry import Register, declare
from app.core.views import ScopedModelView, ScopedRestApi
from app.registers.enterprises.models import Enterprise
from app.registers.window import panels
from app.registers.window.charts import CHARTS, FILTERS
from app.registers.window.commands import WindowServiceCommands
from app.registers.window.models import WindowService
from app.registers.window.views import PAGE_PERMISSION, WindowPageView

PAGE_MENU = "Japanese window"  # the page's menu item (a permission key)
EDIT_COLUMNS = ["enterprise", "matter", "language", "served_at", "duration_minutes", "result",
                "follow_up"]


@dataclass(eq=False)
class WindowRegister(Register):
    """The register, whose readers also open the window page (its menu item and route)."""

    def menus(self) -> list[str]:
        return [*super().menus(), PAGE_MENU]

    def grants(self, level: str) -> set[tuple[str, str]]:
        return super().grants(level) | {(WindowPageView.__name__, PAGE_PERMISSION)}


class WindowServiceViewBase(ScopedModelView):
    add_form_extra_fields = {"open_work_order": BooleanField(
        _("Open a work order"),
        description=_("The follow-up becomes a work order of “123 instant handling”, "
                      "saved together with this service."))}

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.commands = WindowServiceCommands()


class WindowServiceApiBase(ScopedRestApi):
    def __init__(self):
        super().__init__()
        self.commands = WindowServiceCommands()


def _extra(appbuilder) -> None:
    app = current_app._get_current_object()
    if "window_parts" not in app.blueprints:
        app.register_blueprint(Blueprint("window_parts", __name__, template_folder="templates"))
    appbuilder.add_view(WindowPageView, PAGE_MENU, label=_("Japanese window"),
                        icon="fa-language", category="Registers",
                        category_label=_("Registers"), category_icon="fa-folder-open")
    register_panel(Panel("window-service", "window/order_panel.html", panels.order_service))


REGISTER = declare(WindowRegister(
    model=WindowService,
    name="Window services",
    label=_("Window services"),
    title=_("Window service"),
    add_title=_("Log a window service"),
    route="/window/services",
    icon="fa-comments",
    edit_columns=EDIT_COLUMNS,
    add_columns=[*EDIT_COLUMNS, "open_work_order"],
    list_columns=["served_at", "enterprise", "matter", "language", "handler",
                  "duration_minutes", "result", "work_order"],
    show_columns=[*EDIT_COLUMNS, "handler", "work_order", "department", "created_on",
                  "changed_on"],
    export_columns=["served_at", "enterprise", "matter", "language", "handler",
                    "duration_minutes", "result", "follow_up", "work_order", "department"],
    api_show_columns=["id", "enterprise.id", "matter", "language", "served_at",
                      "duration_minutes", "result", "follow_up", "handler.id",
                      "work_order.id", "created_on", "changed_on"],
    # (no related record but the department: a filter's choices would load every enterprise)
    search_columns=["matter", "language", "served_at", "result", "department"],
    order_columns=["served_at", "matter", "language", "duration_minutes"],
    base_order=("served_at", "desc"),
    labels={"department": _("Department"), "department_id": _("Department"),
            "enterprise_id": _("Enterprise"), "handler_id": _("Handled by"),
            "work_order_id": _("Work order"), "open_work_order": _("Open a work order")},
    link_column="served_at",
    # (one enterprise is not served twice in the same minute: an export imports back unchanged)
    import_key=("enterprise", "served_at"),
    commands=WindowServiceCommands,
    view_base=WindowServiceViewBase,
    api_base=WindowServiceApiBase,
    api_attrs={"add_columns": EDIT_COLUMNS},  # (the box is the form's)
    charts=CHARTS,
    chart_filters=FILTERS,
    chart_search_columns=["matter", "language", "served_at", "department"],
    charts_title=_("Window services"),
    charts_label=_("Window service charts"),
    charts_name="Window service charts",
    extra=_extra,
    sample=lambda make: {"enterprise_id": make.record(Enterprise), "matter": "consultation",
                         "language": "ja", "result": make.text("説明済み"),
                         "served_at": make.instant(-1)},
))
