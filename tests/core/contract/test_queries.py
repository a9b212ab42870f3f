"""A register's list page costs the same few SQL queries for 5 rows or 50, and its record page
the same few however many records it links: related columns come with the page's query, and
the buttons offered row by row are decided without a query (the dispatcher reads every
department and writes the Office's only)."""
from __future__ import annotations

import pytest
from sqlalchemy import inspect
from sqlalchemy.orm import RelationshipDirection

from app.core import registry
from app.extensions import db
from tests.core.contract.conftest import OWNED, by_table, create, view_of
from tests.core.test_list_at_scale import page_queries
from tests.factories import Make, department_id, sample_record

LIST_QUERIES = 4  # user with roles, permissions, capped count, page …
SHOW_QUERIES = 7
# Registers whose record page gathers other packages' panels, each one query whatever the rows:
# a project's page shows its monthly reports, its approval schedule and its expert reviews.
PANEL_QUERIES = {"project": 2}

pytestmark = pytest.mark.parametrize("register", **by_table(OWNED))


def filter_choices(view) -> int:
    """… and the choices of the search form's relation filters: one query per related model
    (read once per request however many filters name it), whatever the rows."""
    return len({view.datamodel.get_related_model(c) for c in view.search_columns
                if view.datamodel.is_relation(c)})


def test_the_list_page_costs_the_same_few_queries_for_5_or_50_rows(app, clients, register):
    view = view_of(app, register)
    path = f"{register.route}/list/?psize_{type(view).__name__}=50"
    office = clients.ui("office")
    for _ in range(5):
        create(app, register, "ipb")
    counts = [page_queries(app, office, path)]
    for department in ("IPB", "EDB", "AAB"):  # (the same rows, stored at once; rows of
        sample_records(app, register, 15, department)  # several departments cost no more)
    counts.append(page_queries(app, office, path))
    assert counts[0] == counts[1] <= LIST_QUERIES + filter_choices(view), counts


def sample_records(app, register, n: int, department: str = "IPB") -> None:
    with app.app_context():
        owner = department_id(department)
        db.session.add_all(register.model(**register.sample(Make), department_id=owner)
                           for _ in range(n))
        db.session.commit()
        db.session.remove()


def _links(app, register, n: int) -> dict:
    """``n`` linked records on each many-to-many relation of the register (their register's
    sample makes them)."""
    links = {}
    for rel in inspect(register.model).relationships:
        target = registry.get(rel.mapper.class_.__tablename__)
        if rel.direction is RelationshipDirection.MANYTOMANY and target and target.sample:
            # (reference data, e.g. institutions, belongs to no department: stored as it is)
            links[rel.key] = [create(app, target, "ipb") if hasattr(target.model, "department_id")
                              else sample_record(app, target) for _ in range(n)]
    return links


def test_the_record_page_costs_the_same_few_queries_however_many_links(app, clients, register):
    office = clients.ui("office")
    pages = [f"{register.route}/show/{create(app, register, 'ipb', links=_links(app, register, n))}"
             for n in (1, 5)]
    counts = [page_queries(app, office, page) for page in pages]
    assert counts[0] == counts[1] <= SHOW_QUERIES + PANEL_QUERIES.get(register.table, 0), counts
