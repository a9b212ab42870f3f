"""Role profiles expand over the registers' declarations (seeds/roles.yaml names no view of a
register): what each level gives, and what a register adds for its own routes."""
import pytest

from app.core import registry

WRITES = {"can_add", "can_edit", "can_delete", "muldelete", "can_import", "can_post", "can_put",
          "can_transition"}


@pytest.mark.parametrize("register", registry.registers(), ids=lambda r: r.name)
def test_reading_a_profile_gives_no_write(app, register):
    assert {p for _view, p in register.grants(registry.READ)} & WRITES == set()
    assert register.grants(registry.READ) < register.grants(registry.WRITE)


def test_writing_work_orders_gives_their_lifecycle_actions_on_page_and_api(app):
    orders = registry.get("work_order")
    assert {("WorkOrderView", "can_transition"), ("WorkOrderApi", "can_transition"),
            ("WorkOrderDashboardView", "can_charts"), ("Work-order dashboard", "menu_access"),
            ("Work orders", "menu_access"), ("Registers", "menu_access")} \
        <= orders.grants(registry.WRITE)


def test_every_register_of_a_profile_is_in_it(app):
    given = registry.profile_grants(registry.DEPARTMENT_RECORDS, registry.READ)
    for register in registry.registers():
        assert ((register.view_class.__name__, "can_list") in given) == (
            register.profile == registry.DEPARTMENT_RECORDS)
