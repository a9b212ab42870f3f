"""A project's stages as its lead department (IPB) moves them: one step at a time, admission
refused by the checks other packages add, withdrawal with a reason; a reader of every department
is refused (403) before a wrong stage (409) before missing values (422), each changing nothing;
another department (EDB) does not see the project at all (404)."""
from __future__ import annotations

import pytest

from app.core.models import RecordChange
from app.extensions import db
from app.registers.projects import hooks
from app.registers.projects.models import Project, ProjectEvent
from tests.registers.projects.helpers import PROJECTS, act, new_project

STEPS = [("sign", "signed"), ("admit", "admitted"), ("start_approvals", "approvals"),
         ("start_construction", "construction"), ("start_production", "producing")]


def _stage(app, pk):
    with app.app_context():
        stage = db.session.get(Project, pk).stage
        db.session.remove()
    return stage


def _changes(app, pk):
    with app.app_context():
        n = db.session.query(RecordChange).filter_by(table_name="project",
                                                     record_id=pk).count()
        db.session.remove()
    return n


@pytest.fixture
def project(api, enterprises):
    return new_project(api, enterprises.create("IPB"))


def test_the_lead_department_moves_a_project_through_every_stage(app, api, project):
    for action, stage in STEPS:
        resp = act(api, project, action, note="按计划推进")
        assert resp.status_code == 200, resp.json
        assert resp.json["result"]["stage"] == stage
    with app.app_context():
        events = db.session.query(ProjectEvent).filter_by(project_id=project).count()
        db.session.remove()
    assert events == len(STEPS)


def test_a_stage_cannot_be_skipped(app, api, project):
    resp = act(api, project, "start_construction")
    assert resp.status_code == 409
    assert _stage(app, project) == "intention"


def test_another_department_is_refused_before_the_state_is_looked_at(app, api, project):
    before = _changes(app, project)
    # the zone's reader sees the project but does not lead it; EDB does not even see it
    assert act(api, project, "start_production", "reader").status_code == 403
    assert act(api, project, "withdraw", "reader").status_code == 403
    assert act(api, project, "sign", "edb").status_code == 404
    assert _stage(app, project) == "intention" and _changes(app, project) == before


def test_withdrawing_needs_a_reason_and_is_possible_before_production_only(app, api, project):
    assert act(api, project, "withdraw").status_code == 422
    assert _stage(app, project) == "intention"
    assert act(api, project, "withdraw", reason="企业投资计划调整").status_code == 200
    assert _stage(app, project) == "withdrawn"
    assert act(api, project, "sign").status_code == 409


def test_a_producing_project_cannot_be_withdrawn(app, api, project):
    for action, _next in STEPS:
        act(api, project, action)
    assert act(api, project, "withdraw", reason="x").status_code == 409


def test_the_stage_is_not_edited_directly(app, api, project):
    resp = api("put", f"{PROJECTS}{project}", json={"stage": "producing"})
    assert resp.status_code in (400, 422)
    assert _stage(app, project) == "intention"


def test_a_new_project_starts_at_intention_or_signed(app, api, enterprises):
    enterprise = enterprises.create("IPB")
    resp = api("post", PROJECTS, json={"name_zh": "跳级项目", "enterprise": enterprise,
                                       "industry": "logistics", "stage": "construction"})
    assert resp.status_code == 422 and "stage" in resp.json["errors"]
    with app.app_context():
        assert db.session.query(Project).filter_by(name_zh="跳级项目").count() == 0
    assert _stage(app, new_project(api, enterprise, stage="signed")) == "signed"


@pytest.fixture
def admission_check():
    """A check another package would add (the expert reviews add the real one for chemical
    projects): here an energy project is admitted only once its review is noted."""
    def check(session, project):
        if project.industry == "energy" and "审查" not in (project.description or ""):
            return "能源项目须经节能审查"
        return None

    hooks.ADMISSION_CHECKS.append(check)
    yield check
    hooks.ADMISSION_CHECKS.remove(check)


def test_admission_is_refused_by_a_check_another_package_added(app, api, enterprises,
                                                               admission_check):
    pk = new_project(api, enterprises.create("IPB"), industry="energy", stage="signed")
    before = _changes(app, pk)
    resp = act(api, pk, "admit")
    assert resp.status_code == 422
    assert "能源项目须经节能审查" in str(resp.json)
    assert _stage(app, pk) == "signed" and _changes(app, pk) == before
    assert api("put", f"{PROJECTS}{pk}", json={"description": "已通过专家审查"}).status_code == 200
    assert act(api, pk, "admit").status_code == 200
    assert _stage(app, pk) == "admitted"


def test_a_project_the_checks_do_not_concern_is_admitted(app, api, enterprises,
                                                         admission_check):
    pk = new_project(api, enterprises.create("IPB"), stage="signed")
    assert act(api, pk, "admit").status_code == 200
