"""The streaming XLSX writer: what it writes is read back the same by openpyxl and calamine."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from fleksi.core import xlsx_stream
from fleksi.core.xlsx_stream import Text, column_letter


def build(fill) -> bytes:
    book = xlsx_stream.Workbook()
    fill(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_values_sheets_and_styles_round_trip_in_both_readers():
    def fill(book):
        a = book.sheet("Ringkasan")
        b = book.sheet("Harian")
        a.append(["NIP", "Nama", "Menit"], bold=True)
        b.append(["Tanggal", "Catatan"], bold=True)
        for n in range(3):  # sheets interleaved
            a.append([Text(f"19800101200501100{n}"), f"Pegawai {n}", 450 + n])
            b.append([dt.date(2026, 11, 2 + n), None])
        a.append([Text("198001012005011009"), "  spasi  ", Decimal("7.5")])
        b.append(["", True])

    data = build(fill)
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Ringkasan", "Harian"]
    summary = book["Ringkasan"]
    assert [c.value for c in summary[1]] == ["NIP", "Nama", "Menit"] and summary["A1"].font.b
    assert summary["A2"].value == "198001012005011000" and summary["A2"].number_format == "@"
    assert summary["C3"].value == 451 and summary["B5"].value == "  spasi  " and summary["C5"].value == 7.5
    harian = book["Harian"]
    assert harian["A2"].value == dt.datetime(2026, 11, 2) and harian["B2"].value is None
    assert harian["B5"].value is True
    cal = CalamineWorkbook.from_filelike(io.BytesIO(data))
    rows = cal.get_sheet_by_name("Ringkasan").to_python()
    assert rows[1] == ["198001012005011000", "Pegawai 0", 450]
    assert cal.get_sheet_by_name("Harian").to_python()[3][0] == dt.date(2026, 11, 4)


def test_hostile_text_stays_text_and_illegal_characters_are_dropped():
    def fill(book):
        s = book.sheet("A/B:C*?[x]")  # characters Excel refuses in a sheet name
        s.append(["=HYPERLINK(\"http://jahat\")", "<b>&amp;</b>", "a\x00b\x07c\x1f", "x\ufffey"])

    book = openpyxl.load_workbook(io.BytesIO(build(fill)))
    sheet = book.worksheets[0]
    assert sheet.title == "A B C   x"
    cell = sheet["A1"]
    assert cell.value == "=HYPERLINK(\"http://jahat\")" and cell.data_type == "s"  # not a formula
    assert sheet["B1"].value == "<b>&amp;</b>" and sheet["C1"].value == "abc" and sheet["D1"].value == "xy"


def test_duplicate_and_long_sheet_names_are_made_unique_and_short():
    def fill(book):
        for _ in range(3):
            book.sheet("Rekap presensi bulanan seluruh instansi").append([1])

    names = openpyxl.load_workbook(io.BytesIO(build(fill))).sheetnames
    assert len(set(names)) == 3 and all(len(n) <= 31 for n in names)


def test_columns_past_z_and_unsupported_values():
    assert [column_letter(i) for i in (0, 25, 26, 51, 52, 701, 702)] == ["A", "Z", "AA", "AZ", "BA", "ZZ", "AAA"]
    book = xlsx_stream.Workbook()
    sheet = book.sheet("S")
    with pytest.raises(TypeError):
        sheet.append([dt.datetime(2026, 1, 1)])
    with pytest.raises(TypeError):
        sheet.append([object()])
    sheet.append(list(range(60)))
    out = io.BytesIO()
    book.save(out)
    row = CalamineWorkbook.from_filelike(io.BytesIO(out.getvalue())).get_sheet_by_name("S").to_python()[-1]
    assert row[-1] == 59 and len(row) == 60


def test_a_full_sheet_refuses_more_rows(monkeypatch):
    monkeypatch.setattr(xlsx_stream, "MAX_ROWS", 2)
    sheet = xlsx_stream.Workbook().sheet("S")
    sheet.append([1])
    sheet.append([2])
    with pytest.raises(ValueError):
        sheet.append([3])
