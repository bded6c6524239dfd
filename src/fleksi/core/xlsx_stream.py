"""A streaming XLSX writer for the large exports (docs/decisions/183).

openpyxl's write-only workbook spends about 20 µs per cell (a Cell object, an element and
its serialisation each): a month of attendance of a large agency is several million cells, far
past a download anyone waits for. This writer turns each row straight into SpreadsheetML text
(inline strings, numbers, dates), appends it to the sheet's own temporary file, and zips the
sheets at the end, about 40 times faster with memory that does not depend on the row count.

Only what the exports need: text (always a string cell, never a formula: a value such as
``=HYPERLINK(...)`` stays text), text marked ``Text`` with Excel's text format (NIPs), whole and
decimal numbers, dates, bold header rows, several sheets written in any interleaving.
Characters XML 1.0 cannot carry (control characters) are dropped. The output opens in Excel,
LibreOffice, openpyxl and python-calamine (tests read it back with both libraries).
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterable
from decimal import Decimal
from typing import IO, Any
from xml.sax.saxutils import escape, quoteattr

MAX_ROWS = 1_048_576  # Excel's limit per sheet
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")
_EPOCH = dt.date(1899, 12, 30)
# Cell styles (indexes into cellXfs below): 0 general, 1 text "@", 2 date, 3 bold.
_TEXT, _DATE, _BOLD = 1, 2, 3
_TEXT_ATTR = f' s="{_TEXT}"'
_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_STYLES = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="{_NS}">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="dd\\-mm\\-yyyy"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
)


class Text(str):
    """A string written with Excel's text format ("@"), e.g. an 18-digit NIP: Excel keeps it as
    typed when the cell is edited."""


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


_NEEDS_WORK = re.compile("[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# The tail of an inline-string cell after its reference, per (text, style): exports repeat the
# same labels, names and NIPs row after row, so most cells are a dictionary hit.
_TAILS: dict[tuple[str, str], str] = {}


def _clean(value: str) -> str:
    return escape(_ILLEGAL.sub("", value)) if _NEEDS_WORK.search(value) else value


def _string_tail(value: str, style: str) -> str:
    key = (value, style)
    tail = _TAILS.get(key)
    if tail is None:
        text = _clean(value)
        space = ' xml:space="preserve"' if text != text.strip() else ""
        tail = f'" t="inlineStr"{style}><is><t{space}>{text}</t></is></c>'
        if len(_TAILS) > 5_000:  # bounded: names and NIPs repeat within an employee's rows
            _TAILS.clear()
        _TAILS[key] = tail
    return tail


class Sheet:
    def __init__(self, title: str) -> None:
        self.title = title
        self.rows = 0
        self._file: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 (closed by the workbook)
        self._columns: list[str] = []

    def _refs(self, count: int) -> list[str]:
        while len(self._columns) < count:
            self._columns.append(column_letter(len(self._columns)))
        return self._columns

    def append(self, values: Iterable[Any], *, bold: bool = False) -> None:
        """One row; ``None`` and ``""`` leave the cell empty."""
        if self.rows >= MAX_ROWS:
            raise ValueError(f"sheet {self.title!r} is full ({MAX_ROWS} rows)")
        r = self.rows + 1
        values = list(values)
        refs = self._refs(len(values))
        bold_attr = f' s="{_BOLD}"' if bold else ""
        cells = []
        row = str(r)
        for col, value in zip(refs, values, strict=False):
            if value is None or value == "":
                continue
            if isinstance(value, str):
                style = _TEXT_ATTR if isinstance(value, Text) else bold_attr
                cells.append('<c r="' + col + row + _string_tail(value, style))
            elif isinstance(value, bool):
                cells.append(f'<c r="{col}{r}" t="b"><v>{int(value)}</v></c>')
            elif isinstance(value, int | float | Decimal):
                cells.append(f'<c r="{col}{r}"{bold_attr}><v>{value}</v></c>')
            elif isinstance(value, dt.datetime):
                raise TypeError("datetime cells are not supported: write the local time as text")
            elif isinstance(value, dt.date):
                cells.append(f'<c r="{col}{r}" s="{_DATE}"><v>{(value - _EPOCH).days}</v></c>')
            else:
                raise TypeError(f"unsupported cell value {type(value).__name__}")
        self._file.write(f'<row r="{r}">{"".join(cells)}</row>'.encode())
        self.rows = r

    def _copy_into(self, out: IO[bytes]) -> None:
        out.write(f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{_NS}"><sheetData>'.encode())
        self._file.seek(0)
        shutil.copyfileobj(self._file, out, 1 << 20)
        out.write(b"</sheetData></worksheet>")

    def close(self) -> None:
        self._file.close()


class Workbook:
    """Sheets are added in order; ``save`` writes the zip into a file object."""

    def __init__(self) -> None:
        self.sheets: list[Sheet] = []

    def sheet(self, title: str) -> Sheet:
        name = _SHEET_NAME_BAD.sub(" ", title).strip()[:31] or f"Sheet{len(self.sheets) + 1}"
        taken = {s.title.lower() for s in self.sheets}
        base, n = name, 2
        while name.lower() in taken:
            suffix = f" {n}"
            name, n = base[: 31 - len(suffix)] + suffix, n + 1
        sheet = Sheet(name)
        self.sheets.append(sheet)
        return sheet

    def save(self, out: IO[bytes]) -> None:
        try:
            self._save(out)
        finally:
            for sheet in self.sheets:
                sheet.close()

    def _save(self, out: IO[bytes]) -> None:
        n = len(self.sheets)
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for i in range(1, n + 1)
        )
        content_types = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            f"{overrides}</Types>"
        )
        root_rels = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{_REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        )
        sheets = "".join(
            f'<sheet name={quoteattr(_clean(s.title))} sheetId="{i}" r:id="rId{i}"/>'
            for i, s in enumerate(self.sheets, start=1)
        )
        workbook = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<workbook xmlns="{_NS}" xmlns:r="{_REL_NS}"><sheets>{sheets}</sheets></workbook>'
        )
        rels = "".join(
            f'<Relationship Id="rId{i}" Type="{_REL_NS}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, n + 1)
        )
        workbook_rels = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'{rels}<Relationship Id="rId{n + 1}" Type="{_REL_NS}/styles" Target="styles.xml"/></Relationships>'
        )
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
            archive.writestr("[Content_Types].xml", content_types)
            archive.writestr("_rels/.rels", root_rels)
            archive.writestr("xl/workbook.xml", workbook)
            archive.writestr("xl/_rels/workbook.xml.rels", workbook_rels)
            archive.writestr("xl/styles.xml", _STYLES)
            for i, sheet in enumerate(self.sheets, start=1):
                with archive.open(f"xl/worksheets/sheet{i}.xml", "w", force_zip64=True) as part:
                    sheet._copy_into(part)
