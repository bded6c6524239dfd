"""The fast XLSX reader agrees with openpyxl and understands what Excel writes."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import openpyxl

from fleksi.policy.formats import read_employees
from fleksi.policy.formats.table import _openpyxl_rows
from fleksi.policy.formats.xlsx import iter_first_sheet

from .factories import NIP_A, NIP_B

_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_RNS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'


def excel_like_xlsx(sheet_rows: str, shared: list[str]) -> bytes:
    """A minimal workbook as Excel writes it: shared strings, styles, relative targets."""
    sst = "".join(f"<si><t>{s}</t></si>" for s in shared)
    parts = {
        "[Content_Types].xml": "<Types/>",
        "xl/workbook.xml": (
            f'<workbook {_NS} {_RNS}><workbookPr/><sheets><sheet name="Pegawai" sheetId="1" '
            'r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/sharedStrings" Target="sharedStrings.xml"/>'
            '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/styles" Target="styles.xml"/></Relationships>'
        ),
        "xl/sharedStrings.xml": f"<sst {_NS}>{sst}</sst>",
        "xl/styles.xml": (
            f'<styleSheet {_NS}><numFmts><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd"/>'
            '<numFmt numFmtId="165" formatCode="hh:mm"/></numFmts><cellXfs>'
            '<xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/><xf numFmtId="165"/>'
            '<xf numFmtId="49"/></cellXfs></styleSheet>'
        ),
        "xl/worksheets/sheet1.xml": f"<worksheet {_NS}><sheetData>{sheet_rows}</sheetData></worksheet>",
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return out.getvalue()


HEADER = ["nip", "nama", "unit_kode", "unit_nama", "jabatan", "tmt_jabatan", "kepala_unit"]


def header_row() -> str:
    cells = "".join(f'<c r="{chr(65 + i)}1" t="s"><v>{i}</v></c>' for i in range(len(HEADER)))
    return f'<row r="1">{cells}</row>'


def test_excel_like_file_with_shared_strings_dates_and_int_nip() -> None:
    shared = [*HEADER, "Budi", "UNIT-A", "Unit A", "Analis", NIP_B]
    rows = header_row() + (
        # the NIP as an 18-digit number cell: read as int, accepted
        f'<row r="2"><c r="A2"><v>{NIP_A}</v></c><c r="B2" t="s"><v>7</v></c>'
        '<c r="C2" t="s"><v>8</v></c><c r="D2" t="s"><v>9</v></c><c r="E2" t="s"><v>10</v></c>'
        '<c r="F2" s="2"><v>45293</v></c><c r="G2" t="b"><v>1</v></c></row>'
        # a gap (row 3 absent), columns skipped, the NIP as shared text, a built-in date style
        f'<row r="4"><c r="A4" t="s"><v>11</v></c><c r="B4" t="inlineStr"><is><t>Ani</t></is>'
        '</c><c r="C4" t="s"><v>8</v></c><c r="E4" t="s"><v>10</v></c>'
        '<c r="F4" s="1"><v>45294</v></c></row>'
    )
    result = read_employees(excel_like_xlsx(rows, shared), "pegawai.xlsx")
    assert result.problems == []
    first, second = result.rows
    assert first.nip == NIP_A and first.is_unit_head
    assert first.position_start == dt.date(2024, 1, 2)
    assert second.nip == NIP_B and second.line == 4
    assert second.position_start == dt.date(2024, 1, 3)


def test_time_cells() -> None:
    rows = (
        '<row r="1"><c r="A1" t="inlineStr"><is><t>jam</t></is></c></row>'
        '<row r="2"><c r="A2" s="3"><v>0.3125</v></c></row>'
    )
    assert list(iter_first_sheet(excel_like_xlsx(rows, []))) == [
        (1, ["jam"]),
        (2, [dt.time(7, 30)]),
    ]


def test_agrees_with_openpyxl() -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["teks", "angka", "pecahan", "tanggal", "jam", "benar", "kosong", "akhir"])
    sheet.append(["a", 12, 1.5, dt.date(2026, 3, 2), dt.time(7, 30), True, None, "z"])
    sheet.append([None, None, None, dt.datetime(2026, 3, 2, 8, 15), None, False, None, None])
    sheet.append(["ini ", -3, 1e-3, None, dt.time(16, 0), None, None, "x"])
    out = io.BytesIO()
    workbook.save(out)
    data = out.getvalue()

    def trimmed(rows: list[tuple[int, object]]) -> list[tuple[int, list[object]]]:
        result = []
        for line, row in rows:
            values = list(row)  # type: ignore[call-overload]
            while values and values[-1] is None:
                values.pop()
            if values:
                result.append((line, values))
        return result

    fast = trimmed(list(iter_first_sheet(data)))  # type: ignore[arg-type]
    slow = trimmed(list(_openpyxl_rows(data, "x.xlsx", [])))  # type: ignore[arg-type]
    assert fast == slow
