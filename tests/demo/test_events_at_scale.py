"""The event pages cost the same few SQL queries for a handful of events or many, and an event's
page the same however many registrations it has — for the lead department (EDB) and for a
co-operating one (IPB reads every kind through the event's co-operating departments).
Events and registrations come from the bulk generator, as at full size."""
import datetime as dt
import re

import pytest
from sqlalchemy import func

from app.core import registry
from app.demo.generator import generate
from app.extensions import db
from tests.core.contract.conftest import view_of
from tests.core.contract.test_queries import LIST_QUERIES, SHOW_QUERIES, filter_choices
from tests.core.test_list_at_scale import page_queries

UNTIL = dt.date(2026, 11, 25)
MONTH = "2026-12"          # with years=0 the events fall from UNTIL to four months after it
CALENDAR_QUERIES = 3       # user with roles, permissions, the month's events


def _add(app, events: int, registrations: int, seed: int) -> None:
    with app.app_context():
        generate(enterprises=60, workorders=0, seed=seed, years=0, until=UNTIL,
                 events=events, registrations=registrations)
        db.session.remove()


def _events(app) -> int:
    from app.registers.events.models import Event

    with app.app_context():
        return db.session.query(Event).count()


def _linked(html: str, route: str) -> int:
    return len(set(re.findall(rf'href="/{route}/show/(\d+)', html)))


@pytest.mark.parametrize("user", ["edb", "ipb"])
def test_event_list_and_month_cost_the_same_queries_for_5_or_50_events(app, auth, user):
    client = auth.client(user)
    pages = ("/events/list/?psize_EventView=100", f"/events/calendar/?month={MONTH}")
    _add(app, 5, 40, seed=1)
    few = [page_queries(app, client, page) for page in pages]
    few_shown = _linked(client.get(pages[1]).get_data(as_text=True), "events")
    _add(app, 45, 400, seed=2)
    assert _events(app) == 50
    many = [page_queries(app, client, page) for page in pages]
    listed = client.get(pages[0]).get_data(as_text=True)
    assert _linked(listed, "events") == 50
    assert _linked(client.get(pages[1]).get_data(as_text=True), "events") > few_shown
    assert few == many, (few, many)
    bound = LIST_QUERIES + filter_choices(view_of(app, registry.get("event")))
    assert many[0] <= bound and many[1] <= CALENDAR_QUERIES, many


@pytest.mark.parametrize("user", ["edb", "ipb"])
def test_an_event_page_costs_the_same_queries_for_5_or_50_registrations(app, auth, user):
    from app.registers.registrations.models import Registration

    _add(app, 1, 5, seed=3)
    _add(app, 1, 50, seed=4)
    with app.app_context():
        sizes = dict(db.session.query(func.count(), Registration.event_id)
                     .group_by(Registration.event_id).all())
        db.session.remove()
    assert set(sizes) == {5, 50}
    client = auth.client(user)
    counts = [page_queries(app, client, f"/events/show/{sizes[n]}") for n in (5, 50)]
    assert counts[0] == counts[1] <= SHOW_QUERIES, counts
    # and their registrations, listed by event
    lists = [page_queries(app, client, f"/registrations/list/?_flt_0_event={sizes[n]}")
             for n in (5, 50)]
    assert lists[0] == lists[1], lists
    page = client.get(f"/registrations/list/?_flt_0_event={sizes[50]}&psize_RegistrationView=100")
    assert _linked(page.get_data(as_text=True), "registrations") == 50
