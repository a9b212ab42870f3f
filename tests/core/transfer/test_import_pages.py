"""The import as people use it: the list's buttons, the upload form (CSRF), the job's page with
its progress, the preview, the confirmation — a job is its user's own — and the command line."""
import datetime as dt
import io
import re

import pytest
from openpyxl import Workbook, load_workbook

from tests.conftest import csrf_token
from tests.core.transfer.conftest import (
    ENTERPRISE_HEADER_ZH,
    confirm,
    csv_bytes,
    totals,
    upload,
    wait,
)
from tests.factories import valid_uscc

IMPORT = "/enterprises/import/"


def _rows(n: int = 2) -> list[list]:
    return [[valid_uscc(), f"页面导入企业{k}", "石化及新材料", "已投产", "否"] for k in range(n)]


def _job(client, content: bytes, filename: str = "enterprises.csv") -> str:
    resp = upload(client, IMPORT, content, filename)
    assert resp.status_code == 302, resp.get_data(as_text=True)[-1500:]
    return resp.headers["Location"]


def test_the_list_offers_import_where_the_user_may_import(auth):
    staff = auth.client("ipb").get("/enterprises/list/").get_data(as_text=True)
    reader = auth.client("reader").get("/enterprises/list/").get_data(as_text=True)
    assert 'id="import-link"' in staff and 'id="export-buttons"' in staff
    assert 'id="import-link"' not in reader and 'id="export-buttons"' in reader
    assert auth.client("reader").get(IMPORT).status_code == 403


def test_preview_then_confirm_through_the_pages(app, auth):
    client = auth.client("ipb", lang="zh")
    rows = _rows()
    job = _job(client, csv_bytes(ENTERPRISE_HEADER_ZH, rows, encoding="gb18030"))
    progress = wait(client, job)
    assert progress["state"] == "ready" and progress["progress"] == 1.0
    page = client.get(job).get_data(as_text=True)
    assert "新增: 2" in page and rows[0][1] in page and "石化及新材料" in page
    assert totals(app) == (0, 0)  # nothing before the confirmation
    assert confirm(client, job).status_code == 302
    done = wait(client, job)
    assert done["state"] == "done" and done["counts"]["create"] == 2
    assert 'id="import-done"' in client.get(job).get_data(as_text=True)
    assert totals(app) == (2, 2)
    assert rows[1][1] in client.get("/enterprises/list/").get_data(as_text=True)


def test_confirming_needs_the_csrf_token_and_happens_once(app, auth):
    client = auth.client("ipb")
    job = _job(client, csv_bytes(ENTERPRISE_HEADER_ZH, _rows(1)))
    wait(client, job)
    assert client.post(job + "/confirm").status_code == 400
    assert totals(app) == (0, 0)
    confirm(client, job)
    wait(client, job)
    again = client.post(job + "/confirm", data={"csrf_token": csrf_token(client, job)})
    assert again.status_code == 409
    assert totals(app) == (1, 1)


def test_a_job_is_its_users_own(app, auth):
    owner = auth.client("ipb")
    job = _job(owner, csv_bytes(ENTERPRISE_HEADER_ZH, _rows(1)))
    wait(owner, job)
    colleague = auth.client("ipb2")  # the same department, the same permissions
    assert colleague.get(job).status_code == 404
    assert colleague.get(job + "/progress").status_code == 404
    token = csrf_token(colleague, IMPORT)
    assert colleague.post(job + "/confirm", data={"csrf_token": token}).status_code == 404
    other_register = job.replace("/enterprises/", "/workorders/")
    assert owner.get(other_register).status_code == 404
    assert totals(app) == (0, 0)
    assert wait(owner, job)["state"] == "ready"


def test_refused_rows_are_shown_with_reasons_and_cannot_be_confirmed(app, auth, enterprises):
    theirs = valid_uscc()
    enterprises.create("EDB", uscc=theirs, name_zh="别人的企业")
    client = auth.client("ipb", lang="ja")
    job = _job(client, csv_bytes(ENTERPRISE_HEADER_ZH, [*_rows(1),
                                                        [theirs, "改名", "食品加工", "已投产", "否"]]))
    assert wait(client, job)["state"] == "refused"
    page = client.get(job).get_data(as_text=True)
    assert "他の部門のレコードは変更できません。" in page
    assert 'id="import-refused"' in page and 'id="import-confirm"' not in page
    token = csrf_token(client, job)
    assert client.post(job + "/confirm", data={"csrf_token": token}).status_code == 409
    assert totals(app) == (1, 0)  # (the other department's enterprise only)


def _formula_workbook() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(ENTERPRISE_HEADER_ZH)
    for row in _rows(5):
        sheet.append(row)
    sheet["B7"] = '=CONCAT("a","b")'
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


@pytest.mark.parametrize(("content", "filename", "message"), [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(300), "photo.xlsx", "不是 CSV 或 Excel"),
    (b"", "empty.csv", "文件为空"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "old.xls", ".xls"),
])
def test_a_bad_file_is_refused_on_the_upload_page(app, auth, content, filename, message):
    client = auth.client("ipb", lang="zh")
    resp = upload(client, IMPORT, content, filename)
    assert resp.status_code == 422
    assert message in resp.get_data(as_text=True)
    assert totals(app) == (0, 0)


def test_a_file_over_the_size_limit_is_refused(app, auth):
    app.config["IMPORT_MAX_BYTES"] = 1024
    try:
        resp = upload(auth.client("ipb"), IMPORT, csv_bytes(ENTERPRISE_HEADER_ZH, _rows(40)),
                      "big.csv")
    finally:
        app.config["IMPORT_MAX_BYTES"] = 10 * 1024 * 1024
    assert resp.status_code == 422
    assert "The file is larger than 1 KB." in resp.get_data(as_text=True)


def test_a_formula_refuses_the_file_naming_its_cell(app, auth):
    client = auth.client("ipb", lang="zh")
    job = _job(client, _formula_workbook(), "formula.xlsx")
    assert wait(client, job)["state"] == "refused"
    assert "单元格 B7 含有公式" in client.get(job).get_data(as_text=True)
    assert totals(app) == (0, 0)


def test_the_progress_answers_as_json(auth):
    client = auth.client("ipb")
    job = _job(client, csv_bytes(ENTERPRISE_HEADER_ZH, _rows(3)))
    state = wait(client, job)
    assert set(state) == {"state", "progress", "rows", "counts"}
    assert state["rows"] == 3 and state["counts"]["create"] == 3


def test_the_export_in_excel_has_typed_cells(app, auth, orders):
    orders.dispatched("IPB", received_at="2026-11-28T00:30")  # typed in Shanghai time
    client = auth.client("office", lang="ja")
    sheet = load_workbook(io.BytesIO(client.get("/workorders/export/xlsx").get_data())).active
    header = [cell.value for cell in sheet[1]]
    received = sheet.cell(row=2, column=header.index("受付日時") + 1)
    assert received.value == dt.datetime(2026, 11, 28, 0, 30)
    assert received.number_format == "yyyy-mm-dd hh:mm"
    assert sheet["A1"].font.b and sheet.freeze_panes == "A2"


def test_the_export_follows_the_japanese_windows_scope(auth, enterprises):
    enterprises.create("IPB", name_zh="日资可见企业", japanese_funded=True)
    enterprises.create("IPB", name_zh="内资不可见企业", japanese_funded=False)
    enterprises.create("AAB", name_zh="本部门企业", japanese_funded=False)
    body = auth.client("jawin").get("/enterprises/export/csv").get_data().decode("utf-8-sig")
    assert "日资可见企业" in body and "本部门企业" in body and "内资不可见企业" not in body
    assert body.startswith("Unified social credit code,")


def test_the_command_line_previews_and_imports(app, tmp_path):
    path = tmp_path / "cli.csv"
    path.write_bytes(csv_bytes(ENTERPRISE_HEADER_ZH, _rows(3)))
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["records", "import", "enterprise", str(path), "--user", "ipb",
                              "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "create 3" in dry.output and totals(app) == (0, 0)
    done = runner.invoke(args=["records", "import", "enterprise", str(path), "--user", "ipb"])
    assert done.exit_code == 0, done.output
    assert re.search(r"Imported: create 3", done.output) and totals(app) == (3, 3)
    again = runner.invoke(args=["records", "import", "enterprise", str(path), "--user", "edb"])
    assert again.exit_code == 1 and "row 2" in again.output  # another department's records
    assert totals(app) == (3, 3)


def test_an_upload_over_the_servers_limit_gets_a_translated_page(app, auth):
    client = auth.client("ipb", lang="zh")
    token = csrf_token(client, IMPORT)
    app.config["MAX_CONTENT_LENGTH"] = 2048
    try:
        resp = client.post(IMPORT, data={"csrf_token": token,
                                         "file": (io.BytesIO(b"x" * 4096), "huge.csv")},
                           content_type="multipart/form-data")
    finally:
        app.config["MAX_CONTENT_LENGTH"] = 25 * 1024 * 1024
    assert resp.status_code == 413
    assert "上传的文件过大。" in resp.get_data(as_text=True)


def test_text_that_excel_would_run_is_guarded_and_imports_back_as_written(app, auth, enterprises):
    from app.extensions import db
    from app.registers.enterprises.models import Enterprise

    enterprises.create("IPB", name_zh="=HYPERLINK(\"http://evil\",\"点我\")", contact_phone="+81 3 1234")
    client = auth.client("ipb")
    exported = client.get("/enterprises/export/csv").get_data().decode("utf-8-sig")
    assert "'=HYPERLINK" in exported and "'+81 3 1234" in exported
    job = _job(client, exported.encode("utf-8-sig"))
    assert wait(client, job)["counts"]["unchanged"] == 1
    with app.app_context():
        assert db.session.query(Enterprise).one().contact_phone == "+81 3 1234"
        db.session.remove()
