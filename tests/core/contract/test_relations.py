"""Every link a write makes is checked, for every relation of every register that points at the
records of a department (many-to-one, many-to-many): a link to a record the user may not link
to is refused with 422 on the field, on every path, and nothing is stored; a link the record
already has is not checked again; forms and ``_info`` offer only what the check accepts; a
many-to-many change is recorded in the history with the linked records' names.

``ipb`` links the records of another register: one of IPB's (``mine``) and one of EDB's it
may not read (``theirs``).
"""
from __future__ import annotations

import re

import prison
import pytest
from sqlalchemy import inspect
from sqlalchemy.orm import RelationshipDirection

from app.core import registry
from app.core.history import label_of
from app.core.models import Department, RecordChange
from app.extensions import db
from tests.core.contract.conftest import (
    OWNED,
    api_payload,
    count,
    create,
    form_payload,
    form_values,
    free_text,
    link_values,
    sample,
    view_of,
)


def _target(rel):
    return registry.get(rel.mapper.class_.__tablename__)


def _to_records(model):
    """Every relation by which a write links records of a department (unless it says it
    needs no check), read from the model itself."""
    for rel in inspect(model).relationships:
        if rel.direction is RelationshipDirection.ONETOMANY or rel.viewonly \
                or rel.info.get("scope_check", True) is False:
            continue
        if hasattr(rel.mapper.class_, "owning_department_id") and rel.key != "department":
            yield rel


# (register, relation) of every link to another register's records (their sample makes them)
LINKS = [(r, rel.key) for r in OWNED for rel in _to_records(r.model)
         if _target(rel) is not None and _target(rel).sample]
MANY = [(r, key) for r, key in LINKS
        if getattr(r.model, key).property.direction is RelationshipDirection.MANYTOMANY]


def _ids(pairs):
    return [f"{r.table}.{key}" for r, key in pairs]


def links(pairs):
    return pytest.mark.parametrize(("register", "key"), pairs, ids=_ids(pairs))


def _rel(register, key):
    return getattr(register.model, key).property


def _many(register, key) -> bool:
    return _rel(register, key).direction is RelationshipDirection.MANYTOMANY


def _value(register, key, pk):
    """A link as the API takes it: an id, or a list of ids."""
    return [pk] if _many(register, key) else pk


def _fk(register, key) -> str:
    column = next(iter(_rel(register, key).local_columns))
    return register.model.__mapper__.get_property_by_column(column).key


def _api(register) -> str:
    return f"/api/v1/{register.api_class.resource_name}/"


def _changes(app, table) -> list[tuple]:
    with app.app_context():
        rows = [(c.action, c.record_id, c.before, c.after)
                for c in db.session.query(RecordChange).filter_by(table_name=table)
                .order_by(RecordChange.id)]
        db.session.remove()
    return rows


def _named(app, model, *pks) -> list[dict]:
    with app.app_context():
        named = [{"id": pk, "label": label_of(db.session.get(model, pk))} for pk in sorted(pks)]
        db.session.remove()
    return named


@pytest.fixture
def targets(app, register, key):
    """(mine, theirs): a record of the linked register in IPB, and one in EDB."""
    target = _target(_rel(register, key))
    values = link_values(register, target.model)  # (e.g. an event of the kind it needs)
    return create(app, target, "ipb", **values), create(app, target, "edb", **values)


@links(LINKS)
def test_linking_a_record_the_user_may_not_link_is_422_and_stores_nothing(
        app, client, clients, register, key, targets):
    _mine, theirs = targets
    payload = {**api_payload(register, sample(app, register)),
               key: _value(register, key, theirs)}
    before = count(app, register.model)
    resp = client.post(_api(register), headers=clients.api("ipb"), json=payload)
    assert resp.status_code == 422
    assert key in resp.json["errors"]
    assert count(app, register.model) == before
    assert _changes(app, register.table) == []


@links(LINKS)
def test_a_form_cannot_link_a_record_the_user_may_not_link(
        app, clients, register, key, targets):
    mine, theirs = targets
    pk = create(app, register, "ipb")
    ipb = clients.ui("ipb")
    if key not in view_of(app, register).edit_columns:  # (linked once, when it is added: a
        before = count(app, register.model)              # registration's event)
        data = {**form_values(ipb, f"{register.route}/add"),
                **form_payload(register, sample(app, register, "ipb")), key: str(theirs)}
        assert ipb.post(f"{register.route}/add", data=data).status_code == 422
        assert count(app, register.model) == before
        return
    linked = _linked(app, register, key, pk)  # (none, or the sample's own: a required link)
    values = form_values(ipb, f"{register.route}/edit/{pk}")
    resp = ipb.post(f"{register.route}/edit/{pk}", data={**values, key: str(theirs)})
    assert resp.status_code == 422
    assert _linked(app, register, key, pk) == linked != theirs
    assert mine  # (offered: see the next test)


def _linked(app, register, key, pk):
    """The id (or ids) the record links by ``key``."""
    with app.app_context():
        linked = getattr(db.session.get(register.model, pk), key)
        ids = [t.id for t in linked] if _many(register, key) else getattr(linked, "id", None)
        db.session.remove()
    return ids


@links(LINKS)
def test_forms_and_info_offer_only_what_the_check_accepts(
        app, client, clients, register, key, targets):
    mine, theirs = targets
    html = clients.ui("ipb").get(f"{register.route}/add").get_data(as_text=True)
    select = re.search(rf'<select[^>]*name="{key}".*?</select>', html, re.S)
    if select and "puwan-lookup" not in select.group(0):  # (a lookup searches as it is typed)
        select = select.group(0)
        assert f'value="{mine}"' in select and f'value="{theirs}"' not in select
    q = prison.dumps({"keys": ["add_columns", "edit_columns"]})
    info = client.get(f"{_api(register)}_info?q={q}", headers=clients.api("ipb")).json
    for columns in ("add_columns", "edit_columns"):
        offered = {f["name"]: f for f in info[columns]}
        if key in offered:
            ids = {v["id"] for v in offered[key]["values"]}
            assert mine in ids and theirs not in ids, columns


@links(LINKS)
def test_a_link_the_user_can_no_longer_follow_does_not_block_an_unrelated_edit(
        app, client, clients, register, key, targets):
    """The linked record moved to another department after it was linked: editing something
    else keeps the link; only links a write makes are checked."""
    mine, _theirs = targets
    if _rel(register, key).info.get("parent"):
        pytest.skip(f"{register.table} belongs to its {key}: it moves with it")
    if _many(register, key):
        pk = create(app, register, "ipb", links={key: [mine]})
    else:
        pk = create(app, register, "ipb", **{_fk(register, key): mine})
    target = _rel(register, key).mapper.class_
    with app.app_context():
        db.session.get(target, mine).department_id = (
            db.session.query(Department.id).filter_by(code="EDB").scalar())
        db.session.commit()
    field = free_text(register)
    resp = client.put(f"{_api(register)}{pk}", headers=clients.api("ipb"),
                      json={field: "只改这一项"})
    assert resp.status_code == 200, resp.json
    with app.app_context():
        item = db.session.get(register.model, pk)
        linked = getattr(item, key)
        assert (mine in [t.id for t in linked]) if _many(register, key) else linked.id == mine
        assert getattr(item, field) == "只改这一项"
        db.session.remove()


@links(MANY)
def test_a_many_to_many_change_is_recorded_with_the_linked_records_names(
        app, client, clients, register, key, targets):
    mine, _theirs = targets
    other = create(app, _target(_rel(register, key)), "ipb")
    target = _rel(register, key).mapper.class_
    headers = clients.api("ipb")
    payload = {**api_payload(register, sample(app, register)), key: [mine]}
    resp = client.post(_api(register), headers=headers, json=payload)
    assert resp.status_code == 201, resp.json
    pk = resp.json["id"]
    assert client.put(f"{_api(register)}{pk}", headers=headers,
                      json={key: [mine, other]}).status_code == 200
    assert client.put(f"{_api(register)}{pk}", headers=headers,
                      json={key: [other]}).status_code == 200
    rows = [(action, before, after) for action, record, before, after
            in _changes(app, register.table) if record == pk]
    assert [action for action, _b, _a in rows] == ["create", "update", "update"]
    assert rows[0][2][key] == _named(app, target, mine)
    assert (rows[1][1], rows[1][2]) == ({key: _named(app, target, mine)},
                                        {key: _named(app, target, mine, other)})
    assert (rows[2][1], rows[2][2]) == ({key: _named(app, target, mine, other)},
                                        {key: _named(app, target, other)})


@links(MANY)
def test_the_change_history_page_names_the_linked_records(
        app, client, clients, register, key, targets):
    """In the reader's language, as they were named when linked ("A、B → B")."""
    mine, _theirs = targets
    other = create(app, _target(_rel(register, key)), "ipb")
    pk = create(app, register, "ipb", links={key: [mine, other]})
    assert client.put(f"{_api(register)}{pk}", headers=clients.api("ipb"),
                      json={key: [other]}).status_code == 200
    target = _rel(register, key).mapper.class_
    with app.app_context():
        names = {t: str(db.session.get(target, t)) for t in (mine, other)}
        db.session.get(target, other).name_zh = "后来改名"  # (the history keeps the old name)
        db.session.commit()
    html = clients.ui("auditor", lang="zh").get("/history/list/").get_data(as_text=True)
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    from flask_babel import force_locale

    with app.test_request_context("/"), force_locale("zh"):
        label = str(register.field_labels[key])
    first, second = sorted((mine, other))
    assert f"{label}: {names[first]}、{names[second]} → {names[other]}" in text
    assert f"{label}: {names[first]}、{names[second]}" in text  # its creation
