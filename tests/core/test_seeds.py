"""Reference data: loaded idempotently; a bad file is reported with file and line, loads nothing."""
import shutil
from pathlib import Path

import pytest
from flask import current_app

from app.core.models import Department, Measure, MeasureDepartment
from app.core.seeds import SeedError, load_all
from app.extensions import db


def _counts():
    return (db.session.query(Department).count(), db.session.query(Measure).count(),
            db.session.query(MeasureDepartment).count())


def test_plan_departments_and_measures_are_loaded(ctx):
    codes = {d.code for d in db.session.query(Department)}
    assert codes == {"MC", "OFFICE", "IPB", "AAB", "EDB", "FIN", "PMW", "PCB", "DIS", "IRG"}
    assert {m.code for m in db.session.query(Measure)} == {
        "A1", "A2", "A3", "A4", "A5", "B1", "B2", "B3", "B4", "B5", "B6", "C1", "C2", "C3", "C4"}
    b2 = db.session.query(Measure).filter_by(code="B2").one()
    leads = [p.department.code for p in b2.participants if p.role == "lead"]
    assert leads == ["OFFICE"] and b2.all_departments_cooperate


def test_department_names_in_three_languages(ctx):
    ipb = db.session.query(Department).filter_by(code="IPB").one()
    names = (ipb.name_zh, ipb.name_ja, ipb.name_en)
    assert names == ("投资促进局", "投資促進局", "Investment Promotion Bureau")


def test_seeding_twice_changes_nothing(ctx):
    before = _counts()
    report = load_all()
    assert (report.created, report.updated) == (0, 0)
    assert _counts() == before


def test_default_roles_exist(ctx):
    sm = current_app.appbuilder.sm
    for name in ("Admin", "Department staff", "Zone reader", "Auditor", "Japanese window"):
        assert sm.find_role(name) is not None, name


@pytest.fixture
def seeds_copy(app, tmp_path):
    target = tmp_path / "seeds"
    shutil.copytree(Path(app.config["SEEDS_DIR"]), target)
    return target


def test_bad_seed_file_is_reported_with_line_and_loads_nothing(ctx, seeds_copy):
    with (seeds_copy / "departments.yaml").open("a", encoding="utf-8") as fh:
        fh.write("- {code: NEW, name_zh: 新部门, name_ja: 新部門, name_en: New}\n")
    measures = (seeds_copy / "measures.yaml").read_text(encoding="utf-8")
    (seeds_copy / "measures.yaml").write_text(
        measures.replace("- code: B3\n", "- code: B3\n  lead: [NOPE]\n  x: 1\n- code: B9\n"),
        encoding="utf-8")
    before = _counts()
    with pytest.raises(SeedError) as err:
        load_all(str(seeds_copy))
    assert "measures.yaml:" in str(err.value)
    line = int(str(err.value).split("measures.yaml:")[1].split(":")[0])
    text = (seeds_copy / "measures.yaml").read_text(encoding="utf-8").splitlines()
    assert "NOPE" in "\n".join(text[line - 1: line + 2])
    assert _counts() == before
    assert db.session.query(Department).filter_by(code="NEW").count() == 0


def test_malformed_yaml_is_reported_with_line(ctx, seeds_copy):
    (seeds_copy / "roles.yaml").write_text("- name: X\n  grants: [[a, b]\n", encoding="utf-8")
    with pytest.raises(SeedError, match=r"roles\.yaml:\d+"):
        load_all(str(seeds_copy))


def test_seed_cli_reports_bad_file(app, seeds_copy):
    (seeds_copy / "departments.yaml").write_text("- {code: X}\n", encoding="utf-8")
    app.config["SEEDS_DIR"] = str(seeds_copy)
    try:
        result = app.test_cli_runner().invoke(args=["seed"])
    finally:
        app.config["SEEDS_DIR"] = str(Path(__file__).resolve().parents[2] / "seeds")
    assert result.exit_code != 0
    assert "departments.yaml:1" in result.output


def test_a_registers_seed_file_is_checked_with_the_rest_before_anything_is_written(
        ctx, seeds_copy):
    # service_types.yaml is declared by the work-order register, not known to core
    with (seeds_copy / "departments.yaml").open("a", encoding="utf-8") as fh:
        fh.write("- {code: NEW, name_zh: 新部门, name_ja: 新部門, name_en: New}\n")
    with (seeds_copy / "service_types.yaml").open("a", encoding="utf-8") as fh:
        fh.write("- {code: policy, name_zh: 重复, name_ja: 重複, name_en: Twice}\n")
    with pytest.raises(SeedError, match=r"service_types\.yaml:\d+: duplicate code 'policy'"):
        load_all(str(seeds_copy))
    assert db.session.query(Department).filter_by(code="NEW").count() == 0


def test_sla_policies_of_the_clocks_are_checked(ctx, seeds_copy):
    policies = (seeds_copy / "sla_policies.yaml").read_text(encoding="utf-8")
    (seeds_copy / "sla_policies.yaml").write_text(
        policies.replace("unit: hours", "unit: fortnights", 1), encoding="utf-8")
    with pytest.raises(SeedError, match=r"sla_policies\.yaml:\d+: unit must be one of"):
        load_all(str(seeds_copy))


@pytest.mark.parametrize("profiles, message", [
    ("{department record: write}", "unknown profile 'department record'"),
    ("{department records: admin}", "level must be one of read, write, not 'admin'"),
    ("[department records]", "'profiles' must map a profile to read or write"),
])
def test_a_role_profile_that_does_not_exist_is_reported_with_its_line(ctx, seeds_copy, profiles,
                                                                      message):
    roles = (seeds_copy / "roles.yaml").read_text(encoding="utf-8")
    (seeds_copy / "roles.yaml").write_text(roles.replace(
        "  profiles: {department records: read, reference data: read}",
        f"  profiles: {profiles}", 1), encoding="utf-8")
    with pytest.raises(SeedError) as err:
        load_all(str(seeds_copy))
    assert message in str(err.value)
    line = int(str(err.value).split("roles.yaml:")[1].split(":")[0])
    assert "Zone reader" in (seeds_copy / "roles.yaml").read_text(encoding="utf-8").splitlines()[
        line - 1]
