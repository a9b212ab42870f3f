"""Importing enterprises: what a row becomes (created, updated by its USCC, unchanged or refused
with its reasons), values as people write them, departments' records protected, and nothing
written unless every row passes."""
import pytest

from app.core.models import RecordChange
from app.core.transfer.importer import ImportChanged, Importer
from app.extensions import db
from app.registers.enterprises.models import Enterprise
from tests.core.transfer.conftest import (
    ENTERPRISE_HEADER_ZH,
    csv_bytes,
    reasons,
    totals,
    xlsx_bytes,
)
from tests.factories import department_id, valid_uscc


def _enterprise(app, uscc: str) -> Enterprise | None:
    with app.app_context():
        item = db.session.query(Enterprise).filter_by(uscc=uscc).one_or_none()
        if item is not None:
            db.session.expunge(item)
        db.session.remove()
    return item


def _history(app, uscc: str) -> list[tuple]:
    with app.app_context():
        item = db.session.query(Enterprise).filter_by(uscc=uscc).one()
        rows = [(c.action, c.before, c.after) for c in db.session.query(RecordChange)
                .filter_by(table_name="enterprise", record_id=item.id).order_by(RecordChange.id)]
        db.session.remove()
    return rows


def test_rows_create_enterprises_in_the_authors_department_with_history(app, importing):
    codes = [valid_uscc(), valid_uscc()]
    content = csv_bytes(ENTERPRISE_HEADER_ZH, [[codes[0], "导入企业甲", "石化及新材料", "已投产", "是"],
                                               [codes[1], "导入企业乙", "汽车及零部件", "在建项目", "否"]])
    summary = importing("ipb", content)
    assert summary["counts"] == {"create": 2, "update": 0, "unchanged": 0, "refused": 0}
    assert summary["committed"]["create"] == 2
    first = _enterprise(app, codes[0])
    assert (first.name_zh, first.industry, first.stage, first.japanese_funded) == (
        "导入企业甲", "chemical", "producing", True)
    with app.app_context():
        assert first.department_id == department_id("IPB")
    assert [action for action, _b, _a in _history(app, codes[0])] == ["create"]


def test_headers_and_choices_in_japanese_and_english(app, importing):
    code, other = valid_uscc(), valid_uscc()
    ja = csv_bytes(["統一社会信用コード", "名称（中国語）", "業種", "段階", "日系企業", "輸出企業"],
                   [[code, "日本語見出しの企業", "自動車・部品", "操業中", "はい", "いいえ"]])
    en = csv_bytes(["Unified social credit code", "NAME (CHINESE)", "industry", "Stage"],
                   [[other, "英文表头企业", "Clean energy", "In production"]])
    assert importing("jawin", ja, lang="ja")["counts"]["create"] == 1
    assert importing("ipb", en)["counts"]["create"] == 1
    item = _enterprise(app, code)
    assert (item.industry, item.stage, item.japanese_funded, item.export_enterprise) == (
        "automotive", "producing", True, False)
    assert _enterprise(app, other).industry == "energy"


@pytest.mark.parametrize(("written", "stored"), [
    ("是", True), ("否", False), ("はい", True), ("いいえ", False), ("yes", True), ("No", False),
    ("1", True), ("0", False), ("TRUE", True), ("false", False), ("✓", True),
])
def test_yes_and_no_as_people_write_them(app, importing, written, stored):
    code = valid_uscc()
    importing("ipb", csv_bytes(ENTERPRISE_HEADER_ZH, [[code, "是否企业", "chemical", "producing",
                                                       written]]))
    assert _enterprise(app, code).japanese_funded is stored


def test_a_row_with_an_existing_uscc_updates_that_enterprise_only_where_it_differs(
        app, importing, enterprises):
    code = valid_uscc()
    enterprises.create("IPB", uscc=code, name_zh="旧名称", industry="chemical", stage="producing")
    content = csv_bytes(ENTERPRISE_HEADER_ZH + ["地址"],
                        [[code.lower(), "新名称", "石化及新材料", "已投产", "否", "普湾新区1号"]])
    summary = importing("ipb", content, lang="zh")
    assert summary["counts"] == {"create": 0, "update": 1, "unchanged": 0, "refused": 0}
    assert summary["rows"][0]["changes"] == [["名称（中文）", "旧名称", "新名称"],
                                            ["地址", "", "普湾新区1号"]]
    item = _enterprise(app, code)
    assert (item.name_zh, item.address, item.uscc) == ("新名称", "普湾新区1号", code)
    assert _history(app, code)[-1] == ("update", {"name_zh": "旧名称", "address": None},
                                       {"name_zh": "新名称", "address": "普湾新区1号"})


def test_an_empty_cell_clears_an_optional_field_and_keeps_a_required_one(app, importing,
                                                                         enterprises):
    code = valid_uscc()
    enterprises.create("IPB", uscc=code, name_zh="留空企业", address="旧地址", stage="producing")
    importing("ipb", csv_bytes(["统一社会信用代码", "地址", "阶段"], [[code, "", ""]]))
    item = _enterprise(app, code)
    assert (item.address, item.stage) == (None, "producing")


def test_the_same_file_twice_changes_nothing_the_second_time(app, importing):
    content = csv_bytes(ENTERPRISE_HEADER_ZH, [[valid_uscc(), "两次企业", "食品加工", "已投产", "否"]])
    importing("ipb", content)
    before = totals(app)
    summary = importing("ipb", content)
    assert summary["counts"] == {"create": 0, "update": 0, "unchanged": 1, "refused": 0}
    assert totals(app) == before


def test_another_departments_enterprise_is_refused_and_nothing_is_written(app, importing,
                                                                          enterprises):
    theirs = valid_uscc()
    enterprises.create("EDB", uscc=theirs, name_zh="经发局企业")
    before = totals(app)
    content = csv_bytes(ENTERPRISE_HEADER_ZH, [[valid_uscc(), "本局新企业", "食品加工", "已投产", "否"],
                                               [theirs, "改名企业", "食品加工", "已投产", "否"]])
    summary = importing("ipb", content)
    assert summary["counts"]["refused"] == 1 and summary["counts"]["create"] == 1
    assert summary["rows"][1]["row"] == 3
    assert reasons(summary) == ["You may not change records of another department."]
    assert "committed" not in summary
    assert totals(app) == before
    assert _enterprise(app, theirs).name_zh == "经发局企业"


def test_a_row_putting_an_enterprise_into_another_department_is_refused(app, importing):
    content = csv_bytes(ENTERPRISE_HEADER_ZH + ["所属部门"],
                        [[valid_uscc(), "越权企业", "食品加工", "已投产", "否", "EDB"]])
    summary = importing("ipb", content)
    assert reasons(summary) == ["You may not put a record into another department."]


@pytest.mark.parametrize("written", ["IPB", "ipb", "投资促进局", "投資促進局",
                                     "Investment Promotion Bureau"])
def test_a_department_by_code_or_name_in_any_language(app, importing, written):
    code = valid_uscc()
    summary = importing("ipb", csv_bytes(ENTERPRISE_HEADER_ZH + ["所属部门"],
                                         [[code, "部门企业", "食品加工", "已投产", "否", written]]))
    assert summary["counts"]["create"] == 1, summary


def test_the_japanese_window_reimports_what_it_sees_and_may_not_change_others(
        app, importing, enterprises):
    theirs = valid_uscc()
    enterprises.create("IPB", uscc=theirs, name_zh="日资企业", japanese_funded=True,
                       industry="chemical", stage="producing")
    row = [theirs, "日资企业", "石化及新材料", "已投产", "是"]
    same = importing("jawin", csv_bytes(ENTERPRISE_HEADER_ZH, [row]))
    assert same["counts"] == {"create": 0, "update": 0, "unchanged": 1, "refused": 0}
    changed = importing("jawin", csv_bytes(ENTERPRISE_HEADER_ZH, [[*row[:1], "改名", *row[2:]]]),
                        lang="ja")
    assert reasons(changed) == ["他の部門のレコードは変更できません。"]
    assert _enterprise(app, theirs).name_zh == "日资企业"


def test_an_enterprise_the_user_cannot_see_is_refused_not_created_again(app, importing,
                                                                        enterprises):
    hidden = valid_uscc()
    enterprises.create("EDB", uscc=hidden, name_zh="看不见的企业", japanese_funded=False)
    summary = importing("jawin", csv_bytes(ENTERPRISE_HEADER_ZH,
                                           [[hidden, "看不见的企业", "食品加工", "已投产", "否"]]))
    assert summary["counts"]["refused"] == 1


def test_a_secretary_by_user_name_or_full_name(app, importing):
    codes = [valid_uscc(), valid_uscc()]
    summary = importing("ipb", csv_bytes(ENTERPRISE_HEADER_ZH + ["工作秘书"], [
        [codes[0], "秘书企业一", "食品加工", "已投产", "否", "ipb2"],
        [codes[1], "秘书企业二", "食品加工", "已投产", "否", "IPB2 IPB"]]))
    assert summary["counts"]["create"] == 2, summary
    with app.app_context():
        assert {db.session.query(Enterprise).filter_by(uscc=c).one().secretary.username
                for c in codes} == {"ipb2"}


@pytest.mark.parametrize(("column", "written", "reason"), [
    ("统一社会信用代码", "91210200MA0000000X",
     "统一社会信用代码: 不是有效的统一社会信用代码"),
    ("行业", "航天", "行业: “航天”不在可选值中："),
    ("日资企业", "也许", "日资企业: 请填写是或否（是/否、はい/いいえ、1/0）。"),
    ("名称（中文）", "", "名称（中文）: 此项为必填项。"),
    ("工作秘书", "nobody", "工作秘书: 未找到记录“nobody”。"),
])
def test_a_value_that_cannot_be_stored_refuses_its_row_with_a_translated_reason(
        app, importing, column, written, reason):
    header = ENTERPRISE_HEADER_ZH + ["工作秘书"]
    row = [valid_uscc(), "理由企业", "食品加工", "已投产", "否", ""]
    row[header.index(column)] = written
    summary = importing("ipb", csv_bytes(header, [row]), lang="zh")
    assert summary["counts"]["refused"] == 1
    assert reasons(summary)[0].startswith(reason)


def test_the_same_uscc_twice_in_a_file_refuses_the_second_row(app, importing):
    code = valid_uscc()
    summary = importing("ipb", csv_bytes(ENTERPRISE_HEADER_ZH, [
        [code, "重复甲", "食品加工", "已投产", "否"], [code.lower(), "重复乙", "食品加工", "已投产", "否"]]))
    assert summary["rows"][-1]["row"] == 3
    assert reasons(summary) == ["Row 2 has the same Unified social credit code."]
    assert _enterprise(app, code) is None


def test_typed_excel_cells_and_columns_not_imported_are_reported(app, importing):
    code = valid_uscc()
    content = xlsx_bytes(["统一社会信用代码", "名称（中文）", "日资企业", "联系电话", "备注", "企业名称"],
                         [[code, "表格企业", True, 41187654321, "随便写", "不导入"]])
    summary = importing("ipb", content)
    assert summary["ignored"] == ["备注", "企业名称"]
    item = _enterprise(app, code)
    assert (item.japanese_funded, item.contact_phone) == (True, "41187654321")


@pytest.mark.parametrize(("header", "rows", "message"), [
    (["名称（中文）", "名称（中文）"], [["a", "b"]], "Two columns of the file are both"),
    (["名称（中文）", "行业"], [["无代码企业", "食品加工"]],
     "The file has no “Unified social credit code” column"),
    (["备注", "说明"], [["x", "y"]], "None of the file's columns is a column of this register"),
    (ENTERPRISE_HEADER_ZH, [], "The file has no rows below its header row."),
])
def test_a_file_without_what_an_import_needs_is_refused(app, importing, header, rows, message):
    before = totals(app)
    with pytest.raises(Exception) as refused:
        importing("ipb", csv_bytes(header, rows))
    assert message in str(refused.value)
    assert totals(app) == before


def test_a_file_over_the_row_limit_is_refused(app, importing):
    rows = [[valid_uscc(), f"限额企业{n}", "食品加工", "已投产", "否"] for n in range(4)]
    with pytest.raises(Exception) as refused:
        importing("ipb", csv_bytes(ENTERPRISE_HEADER_ZH, rows), IMPORT_MAX_ROWS=3)
    assert "more than 3 rows" in str(refused.value)
    assert totals(app)[0] == 0


def test_records_changed_since_the_preview_refuse_the_whole_import(app, enterprises, tmp_path):
    """Between preview and confirmation another department registered one of the codes: the
    confirmation plans the rows again, and writes none of them."""
    from flask import g

    from app.core import registry
    from app.core.models import PuwanUser

    codes = [valid_uscc() for _ in range(3)]
    path = tmp_path / "late.csv"
    path.write_bytes(csv_bytes(ENTERPRISE_HEADER_ZH,
                               [[c, f"企业{n}", "食品加工", "已投产", "否"] for n, c in enumerate(codes)]))
    with app.test_request_context("/"):
        g.user = db.session.query(PuwanUser).filter_by(username="ipb").one()
        importer = Importer(registry.get("enterprise"), str(path))
        assert importer.preview()["counts"]["create"] == 3
        enterprises.create("EDB", uscc=codes[2], name_zh="抢先登记")
        before = totals(app)
        with pytest.raises(ImportChanged):
            importer.commit()
        db.session.remove()
    assert totals(app) == before
    assert _enterprise(app, codes[0]) is None


def test_the_batch_write_refuses_all_when_one_record_fails_its_check(app):
    """RecordCommands.import_rows: the first refused record rolls back the records before it
    (in earlier chunks too) and names its row."""
    from flask import g

    from app.core.commands import RecordCommands
    from app.core.exceptions import ValidationFailed
    from app.core.models import PuwanUser

    before = totals(app)
    with app.test_request_context("/"):
        g.user = db.session.query(PuwanUser).filter_by(username="ipb").one()
        good = [(n, Enterprise(uscc=valid_uscc(), name_zh=f"批量{n}"), None) for n in range(3)]
        bad = [(9, Enterprise(uscc="not a code", name_zh="坏"), None)]
        with pytest.raises(ValidationFailed) as refused:
            RecordCommands(Enterprise).import_rows([good, bad])
        db.session.remove()
    assert refused.value.row == 9 and "uscc" in refused.value.errors
    assert totals(app) == before


def test_an_import_in_many_chunks_keeps_each_record_with_its_history(app, importing,
                                                                     monkeypatch):
    """200 rows in chunks of 30: on SQLite the batch numbers the new records itself (so that
    a chunk is one INSERT); each history row must name the record it describes."""
    from app.core.transfer import importer

    monkeypatch.setattr(importer, "CHUNK", 30)
    rows = [[valid_uscc(), f"分批企业{n:03d}", "食品加工", "已投产", "否"] for n in range(200)]
    summary = importing("ipb", csv_bytes(ENTERPRISE_HEADER_ZH, rows))
    assert summary["committed"]["create"] == 200
    with app.app_context():
        names = {e.id: (e.uscc, e.name_zh) for e in db.session.query(Enterprise)}
        history = {c.record_id: (c.after["uscc"], c.after["name_zh"])
                   for c in db.session.query(RecordChange).filter_by(action="create")}
        db.session.remove()
    assert len(names) == 200 and history == names
