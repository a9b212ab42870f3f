"""Spreadsheet files in and out.

Reading (``open_table``): an upload is an XLSX workbook (its first sheet) or a CSV file in
UTF-8, UTF-8 with BOM, GB18030 (what Chinese Excel saves) or UTF-16 (Excel's "Unicode text"),
comma, semicolon or tab separated — recognised by its content, not its name. Rows are
streamed: the sheet's XML goes through expat (about ten times faster than openpyxl's reader,
and it tells a formula from a value), so memory does not grow with the file. A formula cell,
a DTD, a legacy .xls, a binary or an undecodable file refuses the whole file.

Writing: ``write_xlsx`` streams rows (openpyxl's write-only mode: bounded memory) with a bold,
frozen header, column widths from the first rows (CJK characters count double), dates and
times as real Excel dates; ``write_csv`` is UTF-8 with a BOM, so Excel opens it right.
"""
from __future__ import annotations

import codecs
import csv
import datetime as dt
import decimal
import io
import os
import posixpath
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from xml.parsers import expat

from defusedxml import ElementTree
from flask_babel import lazy_gettext as _
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

from app.core.exceptions import ValidationFailed

# A workbook's unpacked XML may be this large (a small zip can unpack to gigabytes).
MAX_XML_BYTES = 512 * 1024 * 1024
CHUNK = 1 << 16
NOT_A_TABLE = _("This is not a CSV or Excel (.xlsx) file.")
XLS = _("Excel 97–2003 files (.xls) cannot be imported: save the file as an Excel workbook "
        "(.xlsx) or as CSV.")
# Control characters no text file has (a binary file decoded as GB18030 is full of them).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_DATE_FORMAT_IDS = {*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)}


class FileRefused(ValidationFailed):
    """A file that cannot be imported at all: nothing is read from it, nothing changes."""


@dataclass(frozen=True)
class CellError:
    """A cell holding an Excel error value (``#N/A``, ``#DIV/0!`` …)."""

    code: str

    def __str__(self) -> str:
        return self.code


def open_table(path: str):
    """The file's first sheet as a ``CsvTable`` or ``XlsxTable`` (by content)."""
    with open(path, "rb") as fh:
        head = fh.read(8)
    if head.startswith(b"PK\x03\x04"):
        return XlsxTable(path)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileRefused(XLS)
    return CsvTable(path)


class _Table:
    """``rows()`` yields (row number as the spreadsheet shows it, cells) for every row with a
    value; ``progress`` says how far reading got (0 to 1)."""

    kind = ""

    def rows(self) -> Iterator[tuple[int, list]]:
        for number, cells in self._rows():
            if any(cell is not None and cell != "" for cell in cells):
                yield number, cells

    def _rows(self) -> Iterator[tuple[int, list]]:
        raise NotImplementedError

    @property
    def progress(self) -> float:
        raise NotImplementedError

    def close(self) -> None:
        """Release the file."""


# --- CSV -------------------------------------------------------------------------------------
def _encoding(path: str) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030: the first that decodes the
    whole file into text (a file with control characters is not text)."""
    with open(path, "rb") as fh:
        start = fh.read(4)
        if start.startswith(codecs.BOM_UTF8):
            candidates = ["utf-8-sig"]
        elif start[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
            candidates = ["utf-16"]
        else:
            candidates = ["utf-8", "gb18030"]
        for encoding in candidates:
            fh.seek(0)
            decoder = codecs.getincrementaldecoder(encoding)()
            try:
                while chunk := fh.read(1 << 20):
                    if _CONTROL.search(decoder.decode(chunk)):
                        raise FileRefused(NOT_A_TABLE)
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                continue
            return encoding
    raise FileRefused(NOT_A_TABLE)


class CsvTable(_Table):
    kind = "csv"

    def __init__(self, path: str):
        self.path = path
        self.size = os.path.getsize(path) or 1
        self.encoding = _encoding(path)
        self._raw = None
        with open(path, encoding=self.encoding, newline="") as fh:
            first = fh.readline()
        # Excel saves CSV with the list separator of its locale: a comma, a semicolon or a tab.
        self.delimiter = max((",", ";", "\t"), key=first.count) if first.strip() else ","

    def _rows(self):
        self._raw = open(self.path, "rb")  # noqa: SIM115  (closed by close())
        text = io.TextIOWrapper(self._raw, encoding=self.encoding, newline="")
        try:
            for number, cells in enumerate(csv.reader(text, delimiter=self.delimiter), 1):
                yield number, [cell.strip() for cell in cells]
        except csv.Error as exc:
            raise FileRefused(NOT_A_TABLE) from exc
        finally:
            self.close()

    @property
    def progress(self) -> float:
        raw = self._raw
        return 1.0 if raw is None or raw.closed else min(raw.tell() / self.size, 1.0)

    def close(self) -> None:
        if self._raw is not None:
            self._raw.close()


# --- XLSX ------------------------------------------------------------------------------------
def _local(name: str) -> str:
    return name.rpartition("}")[2]


def _xml(data: bytes):
    """A small part of the workbook (workbook, relations, styles), parsed safely."""
    try:
        return ElementTree.fromstring(data, forbid_dtd=True)
    except Exception as exc:  # (defusedxml's refusals and ParseError alike)
        raise FileRefused(NOT_A_TABLE) from exc


def _column_index(reference: str) -> int:
    """0 for "A7", 27 for "AB3"."""
    index = 0
    for char in reference:
        if not char.isalpha():
            break
        index = index * 26 + ord(char.upper()) - 64
    return index - 1


def _column_letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _round_second(value: dt.datetime) -> dt.datetime:
    """Excel keeps times as fractions of a day: 09:30 may come back as 09:29:59.999."""
    if value.microsecond >= 500_000:
        value += dt.timedelta(seconds=1)
    return value.replace(microsecond=0)


class _Parser:
    """An expat parser of one XML part that refuses DTDs and entities (no XML bombs). The
    handlers get element names without their namespace prefix (``x:c`` → ``c``): the prefix,
    if any, is the root element's, and is only cut when there is one (names are compared
    millions of times)."""

    def __init__(self, start, end, text):
        parser = expat.ParserCreate()
        parser.buffer_text = True
        self.start, self.end = start, end
        parser.StartElementHandler = self._root
        parser.CharacterDataHandler = text
        parser.StartDoctypeDeclHandler = self._refuse
        parser.EntityDeclHandler = self._refuse
        self.parser = parser

    def _root(self, name, attrs):
        prefix = name.partition(":")[0] + ":" if ":" in name else ""
        if prefix:
            cut = len(prefix)
            start, end = self.start, self.end
            self.parser.StartElementHandler = lambda n, a: start(n[cut:], a)
            self.parser.EndElementHandler = lambda n: end(n[cut:])
        else:
            self.parser.StartElementHandler = self.start
            self.parser.EndElementHandler = self.end
        self.parser.StartElementHandler(name, attrs)

    @staticmethod
    def _refuse(*_args):
        raise FileRefused(NOT_A_TABLE)

    def feed(self, data: bytes, final: bool = False) -> None:
        try:
            self.parser.Parse(data, final)
        except expat.ExpatError as exc:
            raise FileRefused(NOT_A_TABLE) from exc


class XlsxTable(_Table):
    kind = "xlsx"

    def __init__(self, path: str):
        try:
            self.zip = zipfile.ZipFile(path)
            names = set(self.zip.namelist())
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise FileRefused(NOT_A_TABLE) from exc
        if "xl/workbook.xml" not in names:
            raise FileRefused(NOT_A_TABLE)
        for info in self.zip.infolist():
            if info.file_size > MAX_XML_BYTES:
                raise FileRefused(NOT_A_TABLE)
        self.epoch = CALENDAR_WINDOWS_1900
        self.sheet = self._first_sheet(names)
        self.dates = self._date_styles(names)
        self.names = names
        self.strings: list[str] = []  # (read with the rows: opening a file stays quick)
        self._read = 0
        self._size = max(self.zip.getinfo(self.sheet).file_size, 1)

    def _first_sheet(self, names) -> str:
        workbook = _xml(self.zip.read("xl/workbook.xml"))
        sheet_id = None
        for element in workbook.iter():
            name = _local(element.tag)
            if name == "workbookPr" and element.get("date1904") in ("1", "true"):
                self.epoch = CALENDAR_MAC_1904
            if name == "sheet" and sheet_id is None:
                sheet_id = next((v for k, v in element.attrib.items() if _local(k) == "id"), None)
        targets = {}
        if "xl/_rels/workbook.xml.rels" in names:
            for element in _xml(self.zip.read("xl/_rels/workbook.xml.rels")).iter():
                if _local(element.tag) == "Relationship":
                    targets[element.get("Id")] = element.get("Target", "")
        target = targets.get(sheet_id, "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
            posixpath.join("xl", target))
        if path not in names:
            raise FileRefused(NOT_A_TABLE)
        return path

    def _date_styles(self, names) -> list[bool]:
        """Per cell style (``s``): whether its number format shows a date or a time."""
        if "xl/styles.xml" not in names:
            return []
        styles = _xml(self.zip.read("xl/styles.xml"))
        formats = dict(BUILTIN_FORMATS)
        dates = []
        for element in styles.iter():
            if _local(element.tag) == "numFmt":
                formats[int(element.get("numFmtId", "0"))] = element.get("formatCode", "")
        for element in styles:
            if _local(element.tag) != "cellXfs":
                continue
            for xf in element:
                number = int(xf.get("numFmtId", "0"))
                dates.append(number in _DATE_FORMAT_IDS
                             or (number in formats and is_date_format(formats[number])))
        return dates

    def _shared_strings(self, names) -> list[str]:
        if "xl/sharedStrings.xml" not in names:
            return []
        strings: list[str] = []
        parts: list[str] = []
        state = {"t": False, "phonetic": 0}

        def start(name, _attrs):
            if name == "t" and not state["phonetic"]:
                state["t"] = True
            elif name == "rPh":  # a Japanese reading (furigana), not part of the text
                state["phonetic"] += 1
            elif name == "si":
                parts.clear()

        def end(name):
            if name == "t":
                state["t"] = False
            elif name == "rPh":
                state["phonetic"] -= 1
            elif name == "si":
                strings.append("".join(parts))

        def text(data):
            if state["t"]:
                parts.append(data)

        parser = _Parser(start, end, text)
        with self.zip.open("xl/sharedStrings.xml") as fh:
            while chunk := fh.read(CHUNK):
                parser.feed(chunk)
        parser.feed(b"", True)
        return strings

    def _rows(self):
        self.strings = self._shared_strings(self.names)
        rows: list[tuple[int, list]] = []
        row: dict[int, object] = {}
        cell: dict = {}
        texts: list[str] = []
        state = {"row": 0, "col": -1, "capture": False, "phonetic": 0}

        def start(name, attrs):
            if name == "c":
                reference = attrs.get("r")
                state["col"] = _column_index(reference) if reference else state["col"] + 1
                cell.clear()
                cell["t"], cell["s"], cell["r"] = attrs.get("t"), attrs.get("s"), reference
                texts.clear()
            elif name in ("v", "t") and not state["phonetic"]:
                state["capture"] = True
            elif name == "f":
                reference = cell.get("r") or (
                    _column_letters(state["col"]) + str(state["row"]))
                raise FileRefused(_("Cell %(cell)s holds a formula: only values can be "
                                    "imported (copy the cells and paste them as values).",
                                    cell=reference))
            elif name == "rPh":
                state["phonetic"] += 1
            elif name == "row":
                number = attrs.get("r")
                state["row"] = int(number) if number else state["row"] + 1
                state["col"] = -1
                row.clear()

        def end(name):
            if name in ("v", "t"):
                state["capture"] = False
            elif name == "rPh":
                state["phonetic"] -= 1
            elif name == "c":
                row[state["col"]] = self._value(cell, "".join(texts))
            elif name == "row":
                width = max(row) + 1 if row else 0
                rows.append((state["row"], [row.get(i) for i in range(width)]))

        def text(data):
            if state["capture"]:
                texts.append(data)

        parser = _Parser(start, end, text)
        with self.zip.open(self.sheet) as fh:
            while chunk := fh.read(CHUNK):
                self._read += len(chunk)
                parser.feed(chunk)
                yield from rows
                rows.clear()
            parser.feed(b"", True)
            yield from rows
        self._read = self._size

    def _value(self, cell: dict, text: str):
        kind = cell["t"]
        if kind == "s":
            try:
                return self.strings[int(text)]
            except (ValueError, IndexError) as exc:
                raise FileRefused(NOT_A_TABLE) from exc
        if kind in ("inlineStr", "str"):
            return text
        if text == "":
            return None
        if kind == "b":
            return text in ("1", "true")
        if kind == "e":
            return CellError(text)
        if kind == "d":
            try:
                return dt.datetime.fromisoformat(text)
            except ValueError:
                return text
        try:
            number = int(text) if re.fullmatch(r"-?\d+", text) else float(text)
        except ValueError:
            return text
        style = cell["s"]
        if style is not None and style.isdigit() and int(style) < len(self.dates) \
                and self.dates[int(style)]:
            moment = from_excel(number, self.epoch)
            return _round_second(moment) if isinstance(moment, dt.datetime) else moment
        return number

    @property
    def progress(self) -> float:
        return min(self._read / self._size, 1.0)

    def close(self) -> None:
        self.zip.close()


# --- writing ---------------------------------------------------------------------------------
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
DATE_FORMAT = "yyyy-mm-dd"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
WIDTH_SAMPLE = 200
MAX_WIDTH = 60


def text_width(value) -> int:
    """Characters as a spreadsheet shows them: a CJK (wide) character takes two."""
    if isinstance(value, dt.datetime):
        return 16
    if isinstance(value, dt.date):
        return 10
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def widths(header: list[str], sample: list[list]) -> list[float]:
    return [min(max([text_width(label)] + [text_width(row[i]) for row in sample]) + 2, MAX_WIDTH)
            for i, label in enumerate(header)]


def write_xlsx(target, title: str, header: list[str], rows: Iterable[list]) -> None:
    """Stream ``rows`` into a one-sheet workbook at ``target`` (a path or binary file): bold,
    frozen header; widths from the first rows; dates and times as Excel dates; numbers as
    numbers; text starting like a formula kept as text (Excel's quote prefix)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    rows = iter(rows)
    sample = [row for _n, row in zip(range(WIDTH_SAMPLE), rows, strict=False)]
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=sheet_title(title))
    for i, width in enumerate(widths(header, sample), 1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)

    def header_cell(label):
        cell = WriteOnlyCell(sheet, value=str(label))
        cell.font = bold
        return cell

    def typed(value):
        if isinstance(value, dt.datetime):
            cell = WriteOnlyCell(sheet, value=value)
            cell.number_format = DATETIME_FORMAT
            return cell
        if isinstance(value, dt.date):
            cell = WriteOnlyCell(sheet, value=value)
            cell.number_format = DATE_FORMAT
            return cell
        if isinstance(value, str) and value.startswith(FORMULA_START):
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"  # (openpyxl would write "=…" as a formula)
            cell.quotePrefix = True
            return cell
        if isinstance(value, decimal.Decimal):
            return float(value)
        return value

    sheet.append([header_cell(label) for label in header])
    for row in sample:
        sheet.append([typed(v) for v in row])
    for row in rows:
        sheet.append([typed(v) for v in row])
    book.save(target)


def csv_text(value) -> str:
    """A value as CSV text; text starting like a formula gets a quote (CSV injection)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_START) else value
    return str(value)


def csv_lines(header: list[str], rows: Iterable[list]) -> Iterator[str]:
    """The CSV file, line by line (for a streamed response), starting with a UTF-8 BOM."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([str(label) for label in header])
    yield "\ufeff" + buffer.getvalue()
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([csv_text(v) for v in row])
        yield buffer.getvalue()


def sheet_title(title: str) -> str:
    """A valid sheet name: at most 31 characters, none of []:*?/\\."""
    return re.sub(r"[\[\]:*?/\\]", " ", str(title))[:31] or "Sheet1"
