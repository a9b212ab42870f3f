"""Exports (CSV and Excel) write what the list page shows: translated labels, Shanghai times,
related records by their names, in the reader's language — never stored codes."""
import csv
import datetime as dt
import io
import re
from html.parser import HTMLParser

import pytest
from openpyxl import load_workbook

CODES = {"hotline", "consultation", "general", "dispatched", "chemical", "producing", "True",
         "False", "None"}


class _Table(HTMLParser):
    """The list's header labels and each row's cells, as text."""

    def __init__(self):
        super().__init__()
        self.header, self.rows, self._cell, self._row = [], [], None, None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append((tag, " ".join("".join(self._cell).split())))
            self._cell = None
        elif tag == "tr" and self._row:
            if all(kind == "th" for kind, _text in self._row):
                self.header = [text for _kind, text in self._row]
            else:
                self.rows.append([text for _kind, text in self._row])
            self._row = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _listed(client, path) -> list[dict]:
    table = _Table()
    table.feed(client.get(path).get_data(as_text=True))
    labels = [label for label in table.header if label]
    return [dict(zip(labels, row[-len(labels):], strict=True)) for row in table.rows]


def _cell(value) -> str:
    """An Excel cell as the page writes it (its dates are real dates, to the minute there)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return str(value)


def _exported(client, path, fmt) -> list[dict]:
    resp = client.get(path.replace("/list/", f"/export/{fmt}"))
    assert resp.status_code == 200
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(resp.get_data().decode("utf-8-sig"))))
    else:
        rows = [[_cell(v) for v in row]
                for row in load_workbook(io.BytesIO(resp.get_data())).active.values]
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def _midnight(text: str) -> str:
    """A deadline the page writes as the end of a day ("2026-11-30 24:00") is the next day's
    00:00 in a sheet (a time Excel can read)."""
    match = re.fullmatch(r"(\d{4}-\d{2}-\d{2}) 24:00", text)
    if match is None:
        return text
    return f"{dt.date.fromisoformat(match.group(1)) + dt.timedelta(days=1)} 00:00"


def _same_as_the_page(client, path, fmt) -> list[dict]:
    exported, listed = _exported(client, path, fmt), _listed(client, path)
    assert len(exported) == len(listed) >= 1
    for sheet_row, page_row in zip(exported, listed, strict=True):
        shared = set(sheet_row) & set(page_row)
        assert len(shared) >= 5
        assert {k: sheet_row[k] for k in shared} == {k: _midnight(page_row[k]) for k in shared}
    cells = {cell for row in exported for cell in row.values()}
    assert not cells & CODES
    return exported


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize(("lang", "expected"), [
    ("zh", {"渠道": "热线电话", "类别": "咨询类", "状态": "已派单", "承办单位": "投资促进局",
            "受理时间": "2026-11-28 00:30"}),
    ("ja", {"受付経路": "ホットライン", "分類": "相談類", "状態": "振り分け済み",
            "担当部門": "投資促進局", "受付日時": "2026-11-28 00:30"}),
])
def test_work_order_export_writes_what_the_list_shows(orders, auth, fmt, lang, expected):
    orders.dispatched("IPB", channel="hotline", category="consultation",
                      received_at="2026-11-28T00:30")  # typed in Shanghai time
    rows = _same_as_the_page(auth.client("office", lang=lang), "/workorders/list/", fmt)
    assert {k: rows[0][k] for k in expected} == expected
    assert re.fullmatch(r"PW-2026-\d{6}", next(iter(rows[0].values())))


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize(("lang", "expected"), [
    ("zh", {"行业": "石化及新材料", "阶段": "已投产", "日资企业": "是", "出口企业": "否",
            "所属部门": "投资促进局", "工作秘书": "IPB IPB"}),
    ("ja", {"業種": "石油化学・新素材", "段階": "操業中", "日系企業": "はい", "輸出企業": "いいえ",
            "所管部門": "投資促進局", "業務担当秘書": "IPB IPB"}),
])
def test_enterprise_export_writes_what_the_list_shows(enterprises, auth, fmt, lang, expected):
    enterprises.create("IPB", name_zh="导出企业", industry="chemical", stage="producing",
                       japanese_funded=True, secretary="ipb")
    rows = _same_as_the_page(auth.client("ipb", lang=lang), "/enterprises/list/", fmt)
    assert {k: rows[0][k] for k in expected} == expected
