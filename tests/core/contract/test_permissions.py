"""Who may call each standard route of every register (list, show, add, edit, delete, actions,
export, REST, charts), from its declaration: the roles of the register's profile get in —
they are answered as the administrator is — and every other role is refused (403; 302 to the
login page or 401 for the anonymous). A register's own routes, and every other route of the
platform, are in the golden permission matrix (tests/core/test_permission_matrix.py).
"""
from __future__ import annotations

import pytest

from app.core.registry import DEPARTMENT_RECORDS, REFERENCE_DATA
from tests.core.contract.conftest import REGISTERS, by_table
from tests.core.contract.routes import standard_routes
from tests.core.test_permission_matrix import ROLES, _status

READ = {"can_list", "can_show", "can_export", "can_get", "can_info", "can_charts", "can_calendar"}
WRITE = READ | {"can_add", "can_edit", "can_delete", "muldelete", "can_post", "can_put",
                 "can_import"}
# What each role may do on a register of each profile (the administrator: everything).
PROFILES = {
    DEPARTMENT_RECORDS: {"staff": WRITE, "japanese_window": WRITE, "dispatcher": WRITE,
                         "zone_reader": READ, "auditor": READ, "anonymous": set()},
    REFERENCE_DATA: {"staff": READ, "japanese_window": READ, "dispatcher": READ,
                     "zone_reader": READ, "auditor": READ, "anonymous": set()},
}
ACTION = "muldelete"  # the action the matrix's URLs name (test_permission_matrix.ARGS)


def _permission(view, function: str) -> str | None:
    """The permission a route asks for; None where every caller gets the same answer (a mass
    action without a chosen action, an action the view does not have)."""
    if function == "action_post":
        return None
    if function == "action":
        return ACTION if ACTION in view.actions else None
    return f"can_{view.get_method_permission(function)}"


def _refused(role: str, rule: str, function: str) -> int:
    if role != "anonymous" or function == "action":  # (the action checks its permission itself)
        return 403
    return 401 if rule.startswith("/api/") else 302


@pytest.fixture(scope="module")
def statuses(app):
    """Every standard route's status for every role (a route asked once per role)."""
    from tests.conftest import Auth

    auth, clients, found = Auth(app), {}, {}

    def status(role, method, rule):
        if (role, method, rule) not in found:
            found[role, method, rule] = _status(app, auth, role, ROLES[role], method, rule,
                                                clients)
        return found[role, method, rule]

    return status


@pytest.mark.parametrize("register", **by_table(REGISTERS))
def test_the_roles_of_the_registers_profile_and_only_they_get_its_standard_routes(
        app, statuses, register):
    grants = PROFILES[register.profile]
    routes = standard_routes(app, register)
    assert {function for _m, _r, _v, function in routes} >= {"list", "show", "get_list"}
    wrong = []
    for method, rule, view, function in routes:
        permission = _permission(view, function)
        admin = statuses("admin", method, rule)
        if permission in view.base_permissions:
            assert admin not in (302, 401, 403), (method, rule)
        for role in grants:
            if permission is None:
                expected = admin
            elif permission not in view.base_permissions:  # nobody's, the administrator's neither
                expected = _refused(role, rule, function) if role == "anonymous" else admin
            elif permission in grants[role]:
                expected = admin
            else:
                expected = _refused(role, rule, function)
            got = statuses(role, method, rule)
            if got != expected:
                wrong.append(f"{method} {rule} {role}: expected {expected}, got {got}")
    assert wrong == []
