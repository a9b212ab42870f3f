"""The project service secretary (C1): a user of the project's lead department. The form offers
only users of the departments the author writes; REST refuses another department's user (422,
nothing changed); the list and the record page show the secretary."""
from __future__ import annotations

from app.extensions import db
from app.registers.projects.models import Project
from tests.factories import user_id
from tests.registers.projects.helpers import PROJECTS, new_project


def _secretary(app, pk):
    with app.app_context():
        value = db.session.get(Project, pk).secretary_id
        db.session.remove()
    return value


def test_the_form_offers_only_users_of_the_authors_department(app, auth):
    html = auth.client("ipb").get("/projects/add").get_data(as_text=True)
    secretary = html.split('name="secretary"')[1].split("</select>")[0]
    assert "IPB2" in secretary and "EDB" not in secretary and "ADMIN" not in secretary


def test_a_user_of_another_department_is_refused_as_secretary(app, api, enterprises):
    with app.app_context():
        edb, ipb2 = user_id("edb"), user_id("ipb2")
    enterprise = enterprises.create("IPB")
    resp = api("post", PROJECTS, json={"name_zh": "秘书不符项目", "enterprise": enterprise,
                                       "industry": "logistics", "secretary": edb})
    assert resp.status_code == 422 and "secretary" in resp.json["errors"]
    with app.app_context():
        assert db.session.query(Project).filter_by(name_zh="秘书不符项目").count() == 0
    pk = new_project(api, enterprise, secretary=ipb2)
    resp = api("put", f"{PROJECTS}{pk}", json={"secretary": edb})
    assert resp.status_code == 422
    assert _secretary(app, pk) == ipb2


def test_the_list_and_the_record_page_show_the_secretary(app, api, auth, enterprises):
    with app.app_context():
        ipb2 = user_id("ipb2")
    pk = new_project(api, enterprises.create("IPB"), secretary=ipb2)
    client = auth.client("ipb")
    assert "IPB2" in client.get("/projects/list/").get_data(as_text=True)
    assert "IPB2" in client.get(f"/projects/show/{pk}").get_data(as_text=True)


def test_my_projects_lists_the_projects_the_reader_is_secretary_of(app, api, auth, enterprises):
    with app.app_context():
        ipb2 = user_id("ipb2")
    enterprise = enterprises.create("IPB")
    new_project(api, enterprise, name_en="Cold-chain logistics centre", secretary=ipb2)
    new_project(api, enterprise, name_en="Offshore wind equipment base")
    html = auth.client("ipb2").get("/projects/mine/", follow_redirects=True).get_data(
        as_text=True)
    assert "Cold-chain logistics centre" in html and "Offshore wind" not in html
