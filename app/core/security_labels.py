"""Roles, permissions and view-menus by translated labels where people read them.

Their names are keys: FAB checks permissions by them and roles are named in seeds/roles.yaml,
so they stay as they are. What people read changes: ``str()`` of FAB's Role, Permission,
ViewMenu and PermissionView (lists, select boxes, filters, record pages) gives a label in the
reader's language — a role's from seeds/roles.yaml, a permission's from the table below, a
view-menu's from the menu (the labels each register gives in its ``register()``).
"""
from __future__ import annotations

from functools import cache
from pathlib import Path

from flask import current_app, has_app_context
from flask_appbuilder import ModelRestApi, ModelView
from flask_babel import LazyString
from flask_babel import lazy_gettext as _

from app.core.models import shown_label

PERMISSION_LABELS = {
    "can_list": _("View list"), "can_show": _("View record"), "can_add": _("Add"),
    "can_edit": _("Edit"), "can_delete": _("Delete"), "can_export": _("Export"),
    "can_import": _("Import"),
    "can_download": _("Download files"), "can_transition": _("Lifecycle actions"),
    "can_charts": _("View charts"), "muldelete": _("Delete selected"),
    "mark_read": _("Mark as read"), "menu_access": _("Menu entry"),
    "send_test": _("Send test event"), "rotate_secret": _("Replace the secret"),
    "can_get": _("Read (API)"), "can_info": _("Form metadata (API)"),
    "can_post": _("Create (API)"), "can_put": _("Change (API)"),
    "can_this_form_get": _("Open the form"), "can_this_form_post": _("Submit the form"),
    "can_userinfo": _("View own profile"), "userinfoedit": _("Edit own profile"),
    "resetmypassword": _("Reset own password"), "resetpasswords": _("Reset users' passwords"),
    "copyrole": _("Copy role"),
    "can_calendar": _("View calendar"),
    "can_read_all": _("Read every department's records"),
    "can_write_all": _("Change every department's records"),
    "can_serve_japanese_funded": _("Serve every Japanese-funded enterprise"),
    "can_dispatch": _("Dispatch and supervise work orders"),
}
# View-menus no menu entry names (the menu gives the others their labels).
VIEW_MENU_LABELS = {
    "DepartmentScope": _("Department scope"), "HomeView": _("Home page"),
    "LocaleView": _("Language choice"), "UtilView": _("Page navigation"),
    "MenuApi": _("Menu (API)"), "OpenApi": _("API description"),
    "SwaggerView": _("API documentation"), "SecurityApi": _("Login (API)"),
    "PuwanAuthDBView": _("Login"),
    # (both titled "Reset Password Form")
    "ResetMyPasswordView": _("Reset my password"), "ResetPasswordView": _("Reset Password"),
}


def permission_label(name: str) -> str:
    return str(PERMISSION_LABELS.get(name, name))


def _menu_labels(appbuilder) -> dict:
    """View-menu name -> label: menu entries and categories by their labels, each view by its
    menu entry's, a view without one by its (translated) title, a REST API by its page's."""
    labels = {}

    def walk(items):
        for item in items:
            if item.label:
                labels.setdefault(item.name, item.label)
                if item.baseview is not None:
                    labels.setdefault(item.baseview.class_permission_name, item.label)
            walk(item.childs or [])

    walk(appbuilder.menu.menu)
    views = [v for v in appbuilder.baseviews if getattr(v, "class_permission_name", None)]
    for view in views:
        titles = (getattr(view, name, None) for name in ("list_title", "form_title"))
        title = next((t for t in titles if isinstance(t, LazyString)), None)
        if title is not None:
            labels.setdefault(view.class_permission_name, title)
    for api in views:
        if isinstance(api, ModelRestApi) and api.class_permission_name not in labels:
            page = next((v for v in views if isinstance(v, ModelView)
                         and v.datamodel.obj is api.datamodel.obj
                         and v.class_permission_name in labels), None)
            if page is not None:
                labels[api.class_permission_name] = _(
                    "%(name)s (API)", name=labels[page.class_permission_name])
    return {**labels, **VIEW_MENU_LABELS}


def view_menu_label(name: str) -> str:
    if not has_app_context():
        return name
    labels = current_app.extensions.get("puwan_view_menu_labels")
    if labels is None:
        labels = current_app.extensions["puwan_view_menu_labels"] = _menu_labels(
            current_app.appbuilder)
    return str(labels.get(name, name))


@cache
def _role_labels(path: str) -> dict:
    from app.core.seeds import parse_roles

    return {entry["name"]: dict(entry["label"]) for entry in parse_roles(Path(path))
            if entry.get("label")}


def role_label(name: str) -> str:
    """A role by the label seeds/roles.yaml gives it; a role an administrator added later by
    its name."""
    if not has_app_context():
        return name
    path = Path(current_app.config["SEEDS_DIR"]) / "roles.yaml"
    return shown_label(_role_labels(str(path)).get(name)) or name


def install() -> None:
    from flask_appbuilder.security.sqla import models

    models.Role.__str__ = lambda self: role_label(self.name)
    models.Permission.__str__ = lambda self: permission_label(self.name)
    models.ViewMenu.__str__ = lambda self: view_menu_label(self.name)
    models.PermissionView.__str__ = lambda self: f"{self.view_menu} · {self.permission}"
