"""Reading an upload: XLSX and CSV by content, in the encodings people's Excel saves; files
that are not tables, formulas and XML tricks refused before anything is read."""
import datetime as dt
import io
import zipfile

import pytest
from flask_babel import force_locale
from openpyxl import Workbook, load_workbook

from app.core.transfer.sheets import CellError, FileRefused, open_table, write_xlsx
from tests.core.transfer.conftest import csv_bytes

ROWS = [["名称（中文）", "日資", "備考"], ["大连普湾企业", "是", "Ｗ，全角"],
        ["株式会社テスト", "いいえ", ""]]


def _read(tmp_path, content: bytes, name: str = "upload.bin") -> list:
    path = tmp_path / name
    path.write_bytes(content)
    table = open_table(str(path))
    return [cells for _number, cells in table.rows()]


def _refused(tmp_path, content: bytes) -> str:
    with pytest.raises(FileRefused) as refused:
        _read(tmp_path, content)
    with force_locale("en"):
        return str(refused.value)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_csv_is_read_in_the_encodings_excel_saves(ctx, tmp_path, encoding):
    content = csv_bytes(ROWS[0], ROWS[1:], encoding=encoding)
    assert _read(tmp_path, content) == ROWS


def test_a_gb18030_file_is_not_mistaken_for_utf8(ctx, tmp_path):
    content = "名称,地址\n测试企业,大连市普湾新区\n".encode("gb18030")
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")
    assert _read(tmp_path, content)[1] == ["测试企业", "大连市普湾新区"]


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_csv_with_the_list_separator_of_another_locale(ctx, tmp_path, delimiter):
    content = csv_bytes(ROWS[0], ROWS[1:], delimiter=delimiter)
    assert _read(tmp_path, content) == ROWS


def test_empty_rows_are_skipped_and_rows_keep_their_spreadsheet_numbers(ctx, tmp_path):
    path = tmp_path / "gaps.csv"
    path.write_bytes(b"a,b\n,\n1,2\n\n3,4\n")
    assert [number for number, _cells in open_table(str(path)).rows()] == [1, 3, 5]


def test_xlsx_cells_come_typed(ctx, tmp_path):
    path = tmp_path / "typed.xlsx"
    moment = dt.datetime(2026, 11, 28, 9, 30, 15)
    write_xlsx(str(path), "企業", ["文字", "整数", "小数", "日時", "日付"],
               [["テキスト", 41187654321, 2.5, moment, dt.date(2026, 11, 28)]])
    rows = [cells for _n, cells in open_table(str(path)).rows()]
    assert rows[1] == ["テキスト", 41187654321, 2.5, moment, dt.datetime(2026, 11, 28)]


def test_written_xlsx_has_bold_frozen_header_and_widths_counting_cjk_double(ctx, tmp_path):
    path = tmp_path / "look.xlsx"
    write_xlsx(str(path), "企业", ["统一社会信用代码", "Name"], [["91210200000000001X", "abc"]])
    sheet = load_workbook(path).active
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.b and sheet["B1"].font.b
    # 8 CJK characters are 16 wide; 18 ASCII characters 18: the code column is the wider
    assert sheet.column_dimensions["A"].width == 20
    assert sheet.column_dimensions["B"].width == 6


def test_text_that_looks_like_a_formula_is_written_as_text_and_read_back(ctx, tmp_path):
    path = tmp_path / "guard.xlsx"
    write_xlsx(str(path), "x", ["a"], [["=HYPERLINK(\"http://evil\")"], ["-5 ℃"]])
    cell = load_workbook(path).active["A2"]
    assert cell.data_type == "s" and cell.quotePrefix
    assert [cells for _n, cells in open_table(str(path)).rows()][1:] == [
        ['=HYPERLINK("http://evil")'], ["-5 ℃"]]


def test_a_formula_cell_refuses_the_file_naming_the_cell(ctx, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["名称（中文）", "数量"])
    for n in range(5):
        sheet.append([f"企业{n}", n])
    sheet["B7"] = "=SUM(B2:B6)"
    data = io.BytesIO()
    book.save(data)
    message = _refused(tmp_path, data.getvalue())
    assert "B7" in message and "formula" in message


def _handmade_xlsx(sheet_xml: str, shared: str | None = None) -> bytes:
    """A workbook as other programs write it (namespace prefixes, shared strings, phonetic
    readings), which openpyxl would not produce."""
    ns = 'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ' \
         'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as book:
        book.writestr("[Content_Types].xml", "<Types/>")
        book.writestr("xl/workbook.xml", f'<x:workbook {ns}><x:sheets>'
                                         '<x:sheet name="S" sheetId="1" r:id="rId1"/>'
                                         "</x:sheets></x:workbook>")
        book.writestr("xl/_rels/workbook.xml.rels",
                      '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                      'relationships"><Relationship Id="rId1" Target="/xl/worksheets/s.xml" '
                      'Type="worksheet"/></Relationships>')
        book.writestr("xl/worksheets/s.xml", sheet_xml.replace("NS", ns))
        if shared is not None:
            book.writestr("xl/sharedStrings.xml", shared.replace("NS", ns))
    return data.getvalue()


def test_xlsx_of_other_programs_prefixes_shared_strings_and_readings(ctx, tmp_path):
    shared = ('<x:sst NS><x:si><x:t>東京</x:t><x:rPh sb="0" eb="2"><x:t>トウキョウ</x:t></x:rPh>'
              '</x:si><x:si><x:r><x:t>大连</x:t></x:r><x:r><x:t>普湾</x:t></x:r></x:si></x:sst>')
    sheet = ('<x:worksheet NS><x:sheetData>'
             '<x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="C1" t="s"><x:v>1</x:v>'
             '</x:c></x:row>'
             '<x:row r="4"><x:c r="B4" t="inlineStr"><x:is><x:t>ｲﾝﾗｲﾝ</x:t></x:is></x:c>'
             '<x:c r="C4" t="b"><x:v>1</x:v></x:c><x:c r="D4" t="e"><x:v>#N/A</x:v></x:c></x:row>'
             "</x:sheetData></x:worksheet>")
    path = tmp_path / "other.xlsx"
    path.write_bytes(_handmade_xlsx(sheet, shared))
    rows = list(open_table(str(path)).rows())
    assert rows == [(1, ["東京", None, "大连普湾"]),
                    (4, [None, "ｲﾝﾗｲﾝ", True, CellError("#N/A")])]


def test_xml_with_a_dtd_is_refused(ctx, tmp_path):
    bomb = ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
            '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
            '<x:worksheet NS><x:sheetData><x:row><x:c t="inlineStr"><x:is><x:t>&b;</x:t></x:is>'
            "</x:c></x:row></x:sheetData></x:worksheet>")
    assert "not a CSV or Excel" in _refused(tmp_path, _handmade_xlsx(bomb))


@pytest.mark.parametrize("content", [
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" + bytes(range(256)),  # an image
    b"PK\x03\x04 not really a zip file at all",                                # a broken zip
    b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\x00\x01\x02",                    # a PDF
], ids=["image", "broken-zip", "pdf"])
def test_a_renamed_binary_file_is_refused(ctx, tmp_path, content):
    assert "not a CSV or Excel" in _refused(tmp_path, content)


def test_a_zip_that_is_no_workbook_is_refused(ctx, tmp_path):
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert "not a CSV or Excel" in _refused(tmp_path, data.getvalue())


def test_an_old_excel_file_is_refused_with_what_to_do(ctx, tmp_path):
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    assert ".xlsx" in _refused(tmp_path, ole)


def test_utf16_without_its_byte_order_mark_is_not_taken_for_text(ctx, tmp_path):
    assert "not a CSV or Excel" in _refused(tmp_path, "名称,地址\n企业,大连".encode("utf-16-le"))


def test_dates_of_a_workbook_counting_from_1904_are_read_right(ctx, tmp_path):
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    book = Workbook()
    book.epoch = CALENDAR_MAC_1904  # (Excel for Mac's old date system)
    book.active.append(["受付日時"])
    book.active.append([dt.datetime(2026, 11, 28, 9, 30)])
    path = tmp_path / "mac.xlsx"
    book.save(path)
    assert [cells for _n, cells in open_table(str(path)).rows()][1] == [
        dt.datetime(2026, 11, 28, 9, 30)]
