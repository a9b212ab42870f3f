"""Security manager: department-aware users, POST-only logout, throttled API login,
a password policy, sessions and API tokens that end on logout, password change and deactivation,
and the security views' extra columns."""
from __future__ import annotations

import re

from flask import abort, current_app, g, has_request_context, redirect, request
from flask_appbuilder import expose
from flask_appbuilder.exceptions import PasswordComplexityValidationError
from flask_appbuilder.security.sqla.manager import SecurityManager
from flask_appbuilder.security.views import (
    AuthDBView,
    PermissionModelView,
    PermissionViewModelView,
    RoleListWidget,
    RoleModelView,
    RoleShowWidget,
    UserDBModelView,
    UserGroupModelView,
    ViewMenuModelView,
)
from flask_babel import lazy_gettext as _
from flask_login import current_user, login_user, logout_user
from sqlalchemy.orm import joinedload, undefer_group
from wtforms import SelectField
from wtforms.validators import DataRequired

from app.core.models import PuwanUser
from app.core.security_labels import permission_label, role_label, view_menu_label
from app.core.views import HardenedViewMixin, display_formatters

JWT_STAMP_CLAIM = "stamp"
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
    # The language is chosen from those the platform speaks, not typed as a code.
    add_form_extra_fields = {**UserDBModelView.add_form_extra_fields, "locale": SelectField(
        _("Language"), choices=[("", _("The browser's language")), ("zh", "中文"), ("ja", "日本語"),
                                ("en", "English")], default="")}
    edit_form_extra_fields = {"locale": add_form_extra_fields["locale"]}
    # Links to the user's own forms: they change nothing on the row they are offered on.
    read_only_actions = frozenset({"userinfoedit", "resetmypassword"})

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.formatters_columns = display_formatters(self)


# FAB leaves some security columns unlabelled, so they showed in English (also in filters).
# Roles, permissions and view-menus show by their labels (app.core.security_labels).
class PuwanRoleListWidget(RoleListWidget):
    template = "puwan/widgets/role_list.html"  # FAB's prints the cells unformatted


class PuwanRoleShowWidget(RoleShowWidget):
    template = "puwan/widgets/role_show.html"


class PuwanRoleModelView(HardenedViewMixin, RoleModelView):
    label_columns = {**RoleModelView.label_columns, "user": _("User"), "groups": _("Groups")}
    list_widget = PuwanRoleListWidget
    show_widget = PuwanRoleShowWidget

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.formatters_columns = {**display_formatters(self), "name": role_label}


class PuwanGroupModelView(HardenedViewMixin, UserGroupModelView):
    label_columns = {
        "name": _("Name"), "label": _("Label"), "description": _("Description"),
        "users": _("Users"), "roles": _("Roles"),
    }

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.formatters_columns = display_formatters(self)


class PuwanPermissionViewModelView(HardenedViewMixin, PermissionViewModelView):
    label_columns = {**PermissionViewModelView.label_columns, "role": _("Role")}

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.formatters_columns = display_formatters(self)


class PuwanPermissionModelView(HardenedViewMixin, PermissionModelView):
    formatters_columns = {"name": permission_label}


class PuwanViewMenuModelView(HardenedViewMixin, ViewMenuModelView):
    formatters_columns = {"name": view_menu_label}


class PuwanAuthDBView(AuthDBView):

    @expose("/logout/", methods=["GET", "POST"])
    def logout(self):
        # A GET cannot log anyone out (no cross-site logout): it shows the confirm form.
        if request.method != "POST":
            return self.render_template("puwan/logout.html")
        user = self._get_authenticated_user()
        logout_user()
        if user is not None:
            # Ends every session and API token of the user, in every browser (not only this one).
            user.end_sessions()
            self.appbuilder.sm.session.commit()
            self.appbuilder.sm.on_user_logout(user)
        return redirect(current_app.config.get("LOGOUT_REDIRECT_URL", self.appbuilder.get_url_for_index))


def login_account() -> str:
    """The throttle key of a login attempt: the address and the account it names."""
    from flask_limiter.util import get_remote_address

    data = request.get_json(silent=True) if request.is_json else None
    username = (data or {}).get("username") if isinstance(data, dict) else \
        request.form.get("username")
    return f"{get_remote_address()}|{str(username or '').strip().casefold()}"


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

    # --- sessions and API tokens carry the user's session stamp (see PuwanUser) -------------------
    def _stamped_user(self, pk: str, stamp: str | None):
        user = self.get_user_by_id(int(pk)) if pk.isdigit() else None
        if user is not None and user.is_active and user.has_stamp(stamp):
            return user
        return None

    def load_user(self, user_id: str):
        pk, _sep, stamp = str(user_id).partition(":")
        return self._stamped_user(pk, stamp)

    def load_user_jwt(self, _jwt_header, jwt_data):
        user = self._stamped_user(str(jwt_data["sub"]), jwt_data.get(JWT_STAMP_CLAIM))
        if user is not None:
            g.user = user  # as FAB does: a JWT user is known only once the token is read
        return user  # None: flask_jwt_extended answers 401

    def _jwt_claims(self, identity) -> dict:
        # FAB issues tokens with the user's id as identity (login and refresh).
        user = self.session.get(self.user_model, int(identity))
        return {JWT_STAMP_CLAIM: user.session_stamp} if user is not None else {}

    def create_jwt_manager(self, app):
        jwt_manager = super().create_jwt_manager(app)
        jwt_manager.additional_claims_loader(self._jwt_claims)
        return jwt_manager

    def reset_password(self, userid, password):
        # The administrator's form passes the id as its query string gives it (a string, which
        # PostgreSQL refuses to compare with an integer column).
        user = self.get_user_by_id(int(userid)) if str(userid).isdigit() else None
        if user is None:
            abort(404)
        super().reset_password(user.id, password)  # the new password ends the user's sessions
        if has_request_context() and current_user.is_authenticated and current_user.id == user.id:
            # ... except the one that changed it: it continues with the new stamp.
            login_user(user)

    # --- permission checks: one query per request, not one per check ------------------------------
    # Stock FAB runs an EXISTS query for every has_access() (each menu entry, each button) and
    # loads the user's roles and groups separately. Here the user comes with its roles in one
    # query and the permission set of those roles is read once per request (never across requests,
    # so a changed role applies to the very next request).
    def get_user_by_id(self, pk):
        from flask_appbuilder.security.sqla.models import Group

        # (with the columns every page shows, e.g. the top bar's unread notices: "per_request")
        return (self.session.query(self.user_model)
                .options(joinedload(self.user_model.roles),
                         joinedload(self.user_model.groups).joinedload(Group.roles),
                         undefer_group("per_request"))
                .filter(self.user_model.id == pk).one_or_none())

    def permission_set(self, user) -> frozenset[tuple[str, str]]:
        """(permission, view-menu) pairs granted to the user's database roles."""
        cached = g.get("_puwan_permissions") if has_request_context() else None
        if cached is not None and cached[0] == user.id:
            return cached[1]
        role_ids = [r.id for r in self.get_user_roles(user) if r.name not in self.builtin_roles]
        pairs = self._granted_pairs(role_ids=role_ids) if role_ids else frozenset()
        if has_request_context():
            g._puwan_permissions = (user.id, pairs)
        return pairs

    def public_permission_set(self) -> frozenset[tuple[str, str]]:
        """(permission, view-menu) pairs granted to the public role (nobody logged in)."""
        cached = g.get("_puwan_public_permissions") if has_request_context() else None
        if cached is not None:
            return cached
        pairs = self._granted_pairs(role_name=self.auth_role_public)
        if has_request_context():
            g._puwan_public_permissions = pairs
        return pairs

    def _granted_pairs(self, role_ids=None, role_name=None) -> frozenset[tuple[str, str]]:
        from flask_appbuilder.security.sqla.models import (
            Permission,
            PermissionView,
            Role,
            ViewMenu,
            assoc_permissionview_role,
        )

        query = (self.session.query(Permission.name, ViewMenu.name)
                 .select_from(PermissionView)
                 .join(Permission, Permission.id == PermissionView.permission_id)
                 .join(ViewMenu, ViewMenu.id == PermissionView.view_menu_id)
                 .join(assoc_permissionview_role,
                       assoc_permissionview_role.c.permission_view_id == PermissionView.id))
        if role_name is not None:
            query = query.join(Role, Role.id == assoc_permissionview_role.c.role_id).filter(
                Role.name == role_name)
        else:
            query = query.filter(assoc_permissionview_role.c.role_id.in_(role_ids))
        return frozenset(query.distinct().all())

    def is_item_public(self, permission_name, view_name) -> bool:
        # FAB loads the public role, then its permissions (two queries before every API call).
        return (permission_name, view_name) in self.public_permission_set()

    def _has_view_access(self, user, permission_name: str, view_name: str) -> bool:
        if (permission_name, view_name) in self.permission_set(user):
            return True
        return any(role.name in self.builtin_roles
                   and self._has_access_builtin_roles(role, permission_name, view_name)
                   for role in self.get_user_roles(user))

    def has_access(self, permission_name: str, view_name: str) -> bool:
        # A page asks the same questions many times (each menu entry, each button, each row's
        # links): answered once per request and user.
        if not has_request_context():
            return super().has_access(permission_name, view_name)
        user = g.get("user")
        key = (getattr(user, "id", None), permission_name, view_name)
        answers = g.setdefault("_puwan_access", {})
        if key not in answers:
            answers[key] = super().has_access(permission_name, view_name)
        return answers[key]

    def _get_user_permission_view_menus(self, user, permission_name, view_menus_name):
        if user is None:  # the public role: FAB's own lookup
            return super()._get_user_permission_view_menus(user, permission_name,
                                                           view_menus_name)
        result = {name for role in self.get_user_roles(user) if role.name in self.builtin_roles
                  for name in view_menus_name
                  if self._has_access_builtin_roles(role, permission_name, name)}
        result.update(view for permission, view in self.permission_set(user)
                      if permission == permission_name)
        return result

    def register_views(self) -> None:
        super().register_views()
        # FAB throttles only the login form; the JWT login endpoint gets the same limit.
        api = current_app.blueprints.get("SecurityApi")
        if api is not None and self.is_auth_limited:
            self.limiter.limit(self.auth_rate_limit, methods=["POST"])(api)
        # FAB's limit counts per address, and a department's staff often share one (a NAT or
        # proxy on the intranet): that limit is set high, and a low one counts the attempts on
        # one account from one address (a mistyped password locks out nobody else).
        account_limit = current_app.config.get("AUTH_ACCOUNT_RATE_LIMIT")
        if self.is_auth_limited and account_limit:
            for blueprint in (self.auth_view.blueprint, api):
                if blueprint is not None:
                    self.limiter.limit(account_limit, methods=["POST"],
                                       key_func=login_account)(blueprint)
