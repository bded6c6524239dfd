"""The XLSX reader (python-calamine behind bounds checked first) and what Excel writes."""

from __future__ import annotations

import datetime as dt
import io
import tracemalloc
import zipfile

import pytest

from fleksi.policy.formats import read_employees, read_plan
from fleksi.policy.formats.table import load_table
from fleksi.policy.formats.xlsx import Limits, XlsxRejected, check_xlsx, read_first_sheet

from .factories import NIP_A, NIP_B, csv_bytes, employee, xlsx_bytes

TODAY = dt.date(2026, 12, 1)

_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_RNS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'


def excel_like_xlsx(
    sheet_rows: str, shared: list[str], *, dimension: str = "", sst: str | None = None
) -> bytes:
    """A minimal workbook as Excel writes it: shared strings, styles, relative targets."""
    if sst is None:
        sst = "".join(f"<si><t>{s}</t></si>" for s in shared)
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
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
        "xl/worksheets/sheet1.xml": (
            f'<worksheet {_NS}>{f"<dimension ref={chr(34)}{dimension}{chr(34)}/>" if dimension else ""}'
            f"<sheetData>{sheet_rows}</sheetData></worksheet>"
        ),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return out.getvalue()


HEADER = ["nip", "nama", "unit_kode", "unit_nama", "jabatan", "tmt_jabatan", "kepala_unit"]


def header_row() -> str:
    cells = "".join(f'<c r="{chr(65 + i)}1" t="s"><v>{i}</v></c>' for i in range(len(HEADER)))
    return f'<row r="1">{cells}</row>'


def test_excel_like_file_with_shared_strings_dates() -> None:
    shared = [*HEADER, "Budi", "UNIT-A", "Unit A", "Analis", NIP_B, NIP_A]
    rows = header_row() + (
        '<row r="2"><c r="A2" t="s"><v>12</v></c><c r="B2" t="s"><v>7</v></c>'
        '<c r="C2" t="s"><v>8</v></c><c r="D2" t="s"><v>9</v></c><c r="E2" t="s"><v>10</v></c>'
        '<c r="F2" s="2"><v>45293</v></c><c r="G2" t="b"><v>1</v></c></row>'
        # a gap (row 3 absent), columns skipped, the NIP as shared text, a built-in date style
        '<row r="4"><c r="A4" t="s"><v>11</v></c><c r="B4" t="inlineStr"><is><t>Ani</t></is>'
        '</c><c r="C4" t="s"><v>8</v></c><c r="E4" t="s"><v>10</v></c>'
        '<c r="F4" s="1"><v>45294</v></c></row>'
    )
    result = read_employees(excel_like_xlsx(rows, shared), "pegawai.xlsx", today=TODAY)
    assert result.problems == []
    first, second = result.rows
    assert first.nip == NIP_A and first.is_unit_head
    assert first.position_start == dt.date(2024, 1, 2)
    assert second.nip == NIP_B and second.line == 4
    assert second.position_start == dt.date(2024, 1, 3)


def test_nip_stored_as_a_number_says_the_digits_are_lost() -> None:
    """Excel keeps 15 significant digits of a number: an 18-digit NIP cell has lost three."""
    shared = [*HEADER, "Budi", "UNIT-A", "Unit A", "Analis"]
    rows = header_row() + (
        '<row r="2"><c r="A2"><v>1.99001012015031E+17</v></c><c r="B2" t="s"><v>7</v></c>'
        '<c r="C2" t="s"><v>8</v></c><c r="D2" t="s"><v>9</v></c><c r="E2" t="s"><v>10</v></c>'
        "</row>"
    )
    result = read_employees(excel_like_xlsx(rows, shared), "pegawai.xlsx", today=TODAY)
    [problem] = result.problems
    assert problem.column == "nip" and problem.line == 2
    assert "digit NIP sudah hilang" in problem.message_id and "ketik ulang" in problem.message_id
    assert "digits are lost" in problem.message_en


def test_time_cells() -> None:
    rows = (
        '<row r="1"><c r="A1" t="inlineStr"><is><t>jam</t></is></c></row>'
        '<row r="2"><c r="A2" s="3"><v>0.3125</v></c></row>'
    )
    assert read_first_sheet(excel_like_xlsx(rows, [])) == [(1, ["jam"]), (2, [dt.time(7, 30)])]


def test_waktu_zero_is_tidak_in_csv_and_xlsx() -> None:
    """A numeric 0 from XLSX and the text "0" from CSV mean the same: tidak."""
    rows = [employee(NIP_A, waktu=0, domisili="Jl. Merdeka 1")]
    from_csv = read_employees(csv_bytes(rows), "pegawai.csv", today=TODAY)
    from_xlsx = read_employees(xlsx_bytes(rows), "pegawai.xlsx", today=TODAY)
    assert from_csv.problems == [] and from_xlsx.problems == []
    assert from_csv.rows[0].time_flexibility == from_xlsx.rows[0].time_flexibility
    assert from_xlsx.rows[0].time_flexibility.value == "tidak"


def _refused(data: bytes, limits: Limits | None = None) -> str:
    table, problems, _ = load_table(
        data, "pegawai.xlsx", known=HEADER, required=("nip",), limits=limits
    )
    assert table is None and len(problems) == 1 and problems[0].line == 0
    return problems[0].message_id


def _peak_mb(function: object) -> float:
    tracemalloc.start()
    try:
        function()  # type: ignore[operator]
        return tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize(
    "rows, dimension",
    [
        ('<row r="1"><c r="ZZZZZ1" t="inlineStr"><is><t>x</t></is></c></row>', ""),
        ('<row r="1"><c r="A1" t="inlineStr"><is><t>nip</t></is></c></row>', "A1:ZZZZZ1"),
        ('<row r="1"><c r="XFE1"><v>1</v></c></row>', ""),
    ],
)
def test_a_column_beyond_xfd_is_refused_early(rows: str, dimension: str) -> None:
    data = excel_like_xlsx(rows, [], dimension=dimension)
    assert len(data) < 3000
    message: list[str] = []
    peak = _peak_mb(lambda: message.append(_refused(data)))
    assert "kolom" in message[0] and "ditolak" in message[0]
    assert peak < 5


def test_a_row_beyond_the_limit_is_refused_early() -> None:
    rows = '<row r="1"><c r="A1"><v>1</v></c></row><row r="9000000"><c r="XFD9000000"><v>1</v></c></row>'
    data = excel_like_xlsx(rows, [])
    message: list[str] = []
    peak = _peak_mb(lambda: message.append(_refused(data)))
    assert "baris" in message[0] or "kolom" in message[0]
    assert peak < 5


def test_a_sparse_grid_too_big_is_refused() -> None:
    # A1 and ZZ99999: few cells, but calamine would build a 99,999 x 702 grid.
    rows = '<row r="1"><c r="A1"><v>1</v></c></row><row r="99999"><c r="ZZ99999"><v>1</v></c></row>'
    message = _refused(excel_like_xlsx(rows, []), Limits(max_cells=1_000_000))
    assert "sel" in message


def test_too_many_rows() -> None:
    rows = "".join(f'<row r="{i}"><c r="A{i}"><v>{i}</v></c></row>' for i in range(1, 1002))
    assert "1,001" in _refused(excel_like_xlsx(rows, []), Limits(max_rows=1000))
    rows_csv = b"nip\n" + b"1\n" * 1000
    table, problems, _ = load_table(
        rows_csv, "p.csv", known=["nip"], required=["nip"], limits=Limits(max_rows=1000)
    )
    assert table is None and "baris" in problems[0].message_id


def test_cells_without_references_count_as_columns() -> None:
    cells = "<c><v>1</v></c>" * 300
    rows = f"<row>{cells}</row>"
    assert "kolom" in _refused(excel_like_xlsx(rows, []), Limits(max_columns=200))


def test_a_zip_bomb_of_shared_strings_is_refused_with_bounded_memory() -> None:
    bomb = "<si><t>" + "A" * 50_000_000 + "</t></si>"  # 50 MB that deflates to ~50 KB
    data = excel_like_xlsx(header_row(), [], sst=bomb)
    del bomb
    assert len(data) < 200_000
    message: list[str] = []
    peak = _peak_mb(lambda: message.append(_refused(data)))
    assert "bom zip" in message[0]
    assert peak < 10
    # With no ratio limit the total size still stops it, while decompressing.
    limits = Limits(max_compression_ratio=10**9, max_unzipped_bytes=10_000_000)
    peak = _peak_mb(lambda: message.append(_refused(data, limits)))
    assert "diekstrak" in message[-1]
    assert peak < 10


def test_a_zip_that_lies_about_its_sizes_is_stopped_while_decompressing() -> None:
    data = excel_like_xlsx(header_row(), [], sst="<si><t>" + "B" * 5_000_000 + "</t></si>")
    limits = Limits(max_compression_ratio=10**9, max_unzipped_bytes=1_000_000)
    with pytest.raises(XlsxRejected):
        check_xlsx(data, limits)


def test_file_size_limit() -> None:
    data = excel_like_xlsx(header_row(), HEADER)
    assert "MB" in _refused(data, Limits(max_file_bytes=100))


def test_plan_reader_takes_limits() -> None:
    data = excel_like_xlsx(header_row(), HEADER)
    result = read_plan(data, "plan.xlsx", limits=Limits(max_file_bytes=100))
    assert not result.ok and "ditolak" in result.problems[0].message_id
