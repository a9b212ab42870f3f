"""Security manager: department-aware users, POST-only logout, throttled API login,
a password policy, and the security views' extra columns."""
from __future__ import annotations

import re

from flask import current_app, redirect, request
from flask_appbuilder import expose
from flask_appbuilder.exceptions import PasswordComplexityValidationError
from flask_appbuilder.security.sqla.manager import SecurityManager
from flask_appbuilder.security.views import (
    AuthDBView,
    PermissionModelView,
    PermissionViewModelView,
    RoleModelView,
    UserDBModelView,
    UserGroupModelView,
    ViewMenuModelView,
)
from flask_babel import lazy_gettext as _
from flask_login import logout_user
from wtforms.validators import DataRequired

from app.core.models import PuwanUser
from app.core.views import HardenedViewMixin, display_formatters

COMMON_PASSWORDS = {"password", "12345678", "123456789", "qwertyui", "admin123", "puwan123"}


def password_policy(password: str) -> None:
    """At least 10 characters with letters and digits, not a common password."""
    if (
        len(password or "") < 10
        or not re.search(r"[A-Za-z]", password)
        or not re.search(r"\d", password)
        or password.lower() in COMMON_PASSWORDS
    ):
        raise PasswordComplexityValidationError(
            str(_("The password must have at least 10 characters, with letters and digits."))
        )


_USER_LABELS = {
    "department": _("Department"),
    "locale": _("Language"),
}


class PuwanUserDBModelView(HardenedViewMixin, UserDBModelView):
    label_columns = {**UserDBModelView.label_columns, **_USER_LABELS}
    list_columns = ["first_name", "last_name", "username", "department", "email", "active", "roles"]
    add_columns = [
        "first_name", "last_name", "username", "department", "locale", "active", "email",
        "roles", "groups", "password", "conf_password",
    ]
    edit_columns = [
        "first_name", "last_name", "username", "department", "locale", "active", "email", "roles",
        "groups",
    ]
    search_columns = ["first_name", "last_name", "username", "email", "department", "active", "roles"]
    show_fieldsets = [
        (
            _("User info"),
            {"fields": ["username", "department", "locale", "active", "roles", "login_count"]},
        ),
        *UserDBModelView.show_fieldsets[1:],
    ]
    validators_columns = {**UserDBModelView.validators_columns, "department": [DataRequired()]}

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.formatters_columns = display_formatters(self)


# FAB leaves some security columns unlabelled, so they showed in English (also in filters).
class PuwanRoleModelView(HardenedViewMixin, RoleModelView):
    label_columns = {**RoleModelView.label_columns, "user": _("User")}


class PuwanGroupModelView(HardenedViewMixin, UserGroupModelView):
    label_columns = {
        "name": _("Name"), "label": _("Label"), "description": _("Description"),
        "users": _("Users"), "roles": _("Roles"),
    }


class PuwanPermissionViewModelView(HardenedViewMixin, PermissionViewModelView):
    label_columns = {**PermissionViewModelView.label_columns, "role": _("Role")}


class PuwanPermissionModelView(HardenedViewMixin, PermissionModelView):
    pass


class PuwanViewMenuModelView(HardenedViewMixin, ViewMenuModelView):
    pass


class PuwanAuthDBView(AuthDBView):

    @expose("/logout/", methods=["GET", "POST"])
    def logout(self):
        # A GET cannot log anyone out (no cross-site logout): it shows the confirm form.
        if request.method != "POST":
            return self.render_template("puwan/logout.html")
        user = self._get_authenticated_user()
        logout_user()
        if user is not None:
            self.appbuilder.sm.on_user_logout(user)
        return redirect(current_app.config.get("LOGOUT_REDIRECT_URL", self.appbuilder.get_url_for_index))


class PuwanSecurityManager(SecurityManager):
    user_model = PuwanUser
    userdbmodelview = PuwanUserDBModelView
    authdbview = PuwanAuthDBView
    rolemodelview = PuwanRoleModelView
    groupmodelview = PuwanGroupModelView
    permissionviewmodelview = PuwanPermissionViewModelView
    permissionmodelview = PuwanPermissionModelView
    viewmenumodelview = PuwanViewMenuModelView
    # FAB's user statistics chart loads Google Charts from the internet: not on an intranet.
    userstatschartview = None

    def register_views(self) -> None:
        super().register_views()
        # FAB throttles only the login form; the JWT login endpoint gets the same limit.
        api = current_app.blueprints.get("SecurityApi")
        if api is not None and self.is_auth_limited:
            self.limiter.limit(self.auth_rate_limit, methods=["POST"])(api)
