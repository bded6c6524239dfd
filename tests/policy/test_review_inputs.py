"""Review: nasty input files give problems (file, line, column, Indonesian and English),
never an exception, and nothing in a file is silently dropped."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import openpyxl
import pytest

from fleksi.policy.formats import read_employees, read_plan
from fleksi.policy.problems import Problem

from .factories import NIP_A, NIP_B, csv_bytes, employee, xlsx_bytes

TODAY = dt.date(2026, 12, 1)  # the caller's date (the core never reads the clock)

PLAN_COLUMNS = ["nip", "tanggal", "lokasi"]


def plan_xlsx() -> bytes:
    return xlsx_bytes([{"nip": NIP_A, "tanggal": "2026-05-04", "lokasi": "rumah"}], PLAN_COLUMNS)


def rewrite(data: bytes, part: str, change: object) -> bytes:
    """The same workbook with one part changed (``change``: new bytes or a function)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in source.namelist():
            content = source.read(name)
            if name == part:
                content = change(content) if callable(change) else change  # type: ignore[assignment]
            archive.writestr(name, content)
    return out.getvalue()


def single_file_problem(problems: list[Problem], filename: str) -> Problem:
    assert len(problems) == 1, [p.format() for p in problems]
    problem = problems[0]
    assert problem.file == filename and problem.message_id and problem.message_en
    return problem


# --- corrupt XLSX: the openpyxl fallback must not raise either -----------------------------


@pytest.mark.parametrize(
    ("part", "change"),
    [
        ("xl/worksheets/sheet1.xml", lambda b: b[: len(b) // 2]),  # truncated sheet
        ("xl/styles.xml", b"<garbage"),
        ("xl/workbook.xml", b"<garbage"),
        (
            "xl/worksheets/sheet1.xml",
            lambda b: b.replace(b't="inlineStr"><is><t>nip</t></is>', b't="s"><v>99</v>'),
        ),
    ],
    ids=["truncated-sheet", "bad-styles", "bad-workbook", "shared-string-out-of-range"],
)
def test_corrupt_xlsx_is_a_problem(part: str, change: object) -> None:
    data = rewrite(plan_xlsx(), part, change)
    result = read_plan(data, "rencana.xlsx", {NIP_A})
    problem = single_file_problem(result.problems, "rencana.xlsx")
    assert "XLSX" in problem.message_id
    assert result.rows == []


def test_date_serial_out_of_range_is_a_problem() -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(PLAN_COLUMNS)
    sheet.append([NIP_A, 1e10, "rumah"])
    sheet["B2"].number_format = "yyyy-mm-dd"
    out = io.BytesIO()
    workbook.save(out)
    result = read_plan(out.getvalue(), "rencana.xlsx", {NIP_A})
    assert result.problems and result.rows == []


def test_xlsx_with_a_dtd_is_refused_not_read_by_the_fallback() -> None:
    data = rewrite(
        plan_xlsx(),
        "xl/worksheets/sheet1.xml",
        lambda b: b'<!DOCTYPE worksheet [<!ENTITY a "rumah">]>' + b.replace(b">rumah<", b">&a;<"),
    )
    result = read_plan(data, "rencana.xlsx", {NIP_A})
    problem = single_file_problem(result.problems, "rencana.xlsx")
    assert "DTD" in problem.message_id
    assert result.rows == []


# --- empty files and files that are not what their name says ------------------------------


@pytest.mark.parametrize("name", ["pegawai.csv", "pegawai.xlsx"])
def test_zero_byte_file_says_it_is_empty(name: str) -> None:
    problem = single_file_problem(read_employees(b"", name, today=TODAY).problems, name)
    assert "kosong" in problem.message_id and "empty" in problem.message_en
    assert "Error" not in problem.message_id  # no exception class names


def test_xlsx_that_is_really_a_csv_says_so() -> None:
    data = csv_bytes([employee()])
    problem = single_file_problem(read_employees(data, "pegawai.xlsx", today=TODAY).problems, "pegawai.xlsx")
    assert "bukan file XLSX" in problem.message_id and "CSV" in problem.message_id
    assert "not an XLSX file" in problem.message_en
    assert "Error" not in problem.message_id and "BadZipFile" not in problem.message_id


# --- a CSV row with more values than the header -------------------------------------------


def test_csv_row_with_more_values_than_columns_is_a_problem() -> None:
    # An unquoted comma in domisili: "No 1" would silently be dropped.
    data = (
        "nip,nama,unit_kode,unit_nama,jabatan,domisili\n"
        f"{NIP_A},Budi,UNIT-A,Unit A,Analis,Jl. Merdeka, No 1\n"
        f"{NIP_B},Sari,UNIT-A,,Analis,\n"
    ).encode()
    result = read_employees(data, "pegawai.csv", today=TODAY)
    problem = single_file_problem(result.problems, "pegawai.csv")
    assert problem.line == 2
    assert "7" in problem.message_id and "6" in problem.message_id
    assert "tanda kutip" in problem.message_id


def test_csv_trailing_empty_values_are_fine() -> None:
    data = f"nip,tanggal,lokasi\n{NIP_A},2026-05-04,rumah,,\n".encode()
    assert read_plan(data, "rencana.csv", {NIP_A}).problems == []


def test_xlsx_values_right_of_the_header_are_a_warning() -> None:
    rows = [{"nip": NIP_A, "tanggal": "2026-05-04", "lokasi": "rumah", "x": "catatan"}]
    data = xlsx_bytes(rows, [*PLAN_COLUMNS, "x"])
    # blank out the header cell of the 4th column: a value without a column name
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    sheet = workbook.active
    assert sheet is not None
    sheet["D1"] = None
    out = io.BytesIO()
    workbook.save(out)
    result = read_plan(out.getvalue(), "rencana.xlsx", {NIP_A})
    assert result.problems == []
    assert [(w.line, w.column) for w in result.warnings] == [(1, "#4")]


# --- NIPs of the plan are checked even when the employees file is not usable ---------------


def test_plan_float_nip_is_reported_without_known_employees() -> None:
    data = xlsx_bytes(
        [{"nip": float(NIP_A), "tanggal": "2026-05-04", "lokasi": "rumah"}], PLAN_COLUMNS
    )
    for known in (None, {NIP_A}):
        result = read_plan(data, "rencana.xlsx", known)
        problem = single_file_problem(result.problems, "rencana.xlsx")
        assert (problem.line, problem.column) == (2, "nip")
        # the same message as the employees reader (not the digits the float made up)
        assert "angka ilmiah (1.99001E+17)" in problem.message_id


def test_plan_nip_shape_is_checked_without_known_employees() -> None:
    data = csv_bytes([{"nip": "12345", "tanggal": "2026-05-04", "lokasi": "rumah"}], PLAN_COLUMNS)
    result = read_plan(data, "rencana.csv", None)
    assert [(p.line, p.column) for p in result.problems] == [(2, "nip")]


# --- dates the calendar cannot handle -----------------------------------------------------


@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01", "1899-12-31", "2101-01-01"])
def test_plan_date_outside_the_checkable_range(value: str) -> None:
    data = csv_bytes([{"nip": NIP_A, "tanggal": value, "lokasi": "rumah"}], PLAN_COLUMNS)
    result = read_plan(data, "rencana.csv", {NIP_A})
    assert [(p.line, p.column) for p in result.problems] == [(2, "tanggal")]
    assert value in result.problems[0].message_id


def test_plan_dates_at_the_edges_of_the_range() -> None:
    rows = [
        {"nip": NIP_A, "tanggal": "1900-01-01", "lokasi": "rumah"},
        {"nip": NIP_A, "tanggal": "2100-12-31", "lokasi": "rumah"},
    ]
    assert read_plan(csv_bytes(rows, PLAN_COLUMNS), "rencana.csv", {NIP_A}).problems == []


def test_far_future_position_start_does_not_crash() -> None:
    from fleksi.policy.check import check_plan
    from fleksi.policy.model import DayPlan, EmployeeFacts, LocationKind

    staff = EmployeeFacts(
        nip=NIP_A,
        unit="U",
        tasks_eligible=True,
        position_start=dt.date(9999, 12, 31),
        domicile_registered=True,
    )
    rows = [DayPlan(NIP_A, dt.date(2026, 5, 4), LocationKind.HOME)]
    codes = [f.code.value for f in check_plan([staff], rows).findings]
    assert codes == ["EMPLOYEE_NEW_IN_POSITION"]
