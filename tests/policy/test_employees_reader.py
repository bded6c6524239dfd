from __future__ import annotations

import datetime as dt

import pytest

from fleksi.policy.formats import EMPLOYEE_COLUMNS, read_employees
from fleksi.policy.model import EmployeeKind, TimeFlexibility
from fleksi.policy.problems import Problem

from .factories import NIP_A, NIP_B, NIP_C, NIP_D, csv_bytes, employee, xlsx_bytes

TODAY = dt.date(2026, 12, 1)  # the caller's date (the core never reads the clock)

FORMATS = ["csv", "xlsx"]


def build(fmt: str, rows: list[dict[str, object]], columns: list[str] | None = None) -> bytes:
    return csv_bytes(rows, columns) if fmt == "csv" else xlsx_bytes(rows, columns)


def read(fmt: str, rows: list[dict[str, object]], columns: list[str] | None = None):  # type: ignore[no-untyped-def]
    return read_employees(build(fmt, rows, columns), f"pegawai.{fmt}", today=TODAY)


def only(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, [p.format() for p in problems]
    return problems[0]


@pytest.mark.parametrize("fmt", FORMATS)
def test_full_row_is_normalised(fmt: str) -> None:
    row = {
        "nip": NIP_A,
        "nama": "Budi Santoso",
        "jenis": "pns",
        "unit_kode": "UNIT-A",
        "unit_nama": "Biro Umum",
        "unit_induk_kode": "ROOT",
        "jabatan": "Analis",
        "kepala_unit": "Ya",
        "atasan_nip": NIP_B,
        "tmt_jabatan": "2024-01-02",
        "email": "Budi@Example.GO.ID",
        "domisili": "Jl. Merdeka 1",
        "tugas_memenuhi_kriteria": "y",
        "tugas_luar_kantor": "0",
        "waktu": "Dinamis",
        "hukuman_disiplin": "false",
        "dikecualikan": "t",
        "keadaan_khusus_mulai": "2026-03-02",
        "keadaan_khusus_sampai": "2026-03-04",
    }
    result = read(fmt, [row, employee(NIP_B, unit_kode="ROOT", unit_nama="Sekretariat")])
    assert result.problems == []
    record = result.rows[0]
    assert record.nip == NIP_A
    assert record.kind is EmployeeKind.PNS
    assert record.unit_name == "Biro Umum"
    assert record.parent_unit_code == "ROOT"
    assert record.is_unit_head is True
    assert record.supervisor_nip == NIP_B
    assert record.position_start == dt.date(2024, 1, 2)
    assert record.email == "budi@example.go.id"
    assert record.tasks_eligible is True
    assert record.field_work is False
    assert record.time_flexibility is TimeFlexibility.DYNAMIC
    assert record.excluded is False
    assert (record.special_start, record.special_end) == (dt.date(2026, 3, 2), dt.date(2026, 3, 4))
    assert record.line == 2
    assert result.units["UNIT-A"].head_nip == NIP_A
    assert result.unknown_supervisor_nips == set()
    assert result.unknown_parent_units == set()


def test_bom_header_case_and_order() -> None:
    data = (
        f"\ufeffJABATAN,Unit_Nama,NIP,Nama,UNIT_KODE\nAnalis,Unit A,{NIP_A},Budi,UNIT-A\n"
    ).encode()
    result = read_employees(data, "pegawai.csv", today=TODAY)
    assert result.problems == []
    assert result.rows[0].nip == NIP_A
    assert result.rows[0].position == "Analis"


def test_xlsx_detected_by_magic_bytes() -> None:
    result = read_employees(xlsx_bytes([employee()]), "upload", today=TODAY)
    assert result.problems == []
    assert len(result.rows) == 1


def test_semicolon_csv() -> None:
    data = f"nip;nama;unit_kode;unit_nama;jabatan\n{NIP_A};Budi;U;Unit;Analis\n".encode()
    result = read_employees(data, "pegawai.csv", today=TODAY)
    assert result.problems == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_unknown_column_is_a_warning(fmt: str) -> None:
    result = read(fmt, [employee(golongan="III/a")])
    assert result.problems == []
    warning = only(result.warnings)
    assert (warning.line, warning.column) == (1, "golongan")


@pytest.mark.parametrize("fmt", FORMATS)
def test_missing_required_column(fmt: str) -> None:
    row = employee()
    del row["jabatan"]
    result = read(fmt, [row])
    problem = only(result.problems)
    assert (problem.line, problem.column) == (1, "jabatan")
    assert "kolom wajib 'jabatan'" in problem.message_id
    assert result.rows == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_required_value_empty(fmt: str) -> None:
    result = read(fmt, [employee(nama="")])
    problem = only(result.problems)
    assert (problem.file, problem.line, problem.column) == (f"pegawai.{fmt}", 2, "nama")
    assert problem.message("id") == "nama wajib diisi"
    assert problem.message("en") == "nama is required"


@pytest.mark.parametrize("fmt", FORMATS)
def test_invalid_nip(fmt: str) -> None:
    result = read(fmt, [employee("199002302015031001")])
    problem = only(result.problems)
    assert (problem.line, problem.column) == (2, "nip")
    assert "19900230" in problem.message_id


def test_scientific_nip_in_csv() -> None:
    result = read("csv", [employee("1.98503E+17")])
    assert only(result.problems).message_id == (
        "NIP tersimpan sebagai angka ilmiah (1.98503E+17); digit NIP sudah hilang dan tidak "
        "dapat dipulihkan: format kolom nip sebagai Teks di Excel, ketik ulang NIP lengkap 18 "
        "digit, lalu simpan ulang"
    )


def test_float_nip_in_xlsx() -> None:
    result = read("xlsx", [employee(198503152010012001.0)])
    assert "angka ilmiah (1.98503E+17)" in only(result.problems).message_id


def test_int_nip_in_xlsx_written_as_float_is_refused() -> None:
    # openpyxl (like Excel) stores a big int as a float in the file: the digits are gone.
    result = read("xlsx", [employee(int(NIP_A))])
    assert "angka ilmiah (1.99001E+17)" in only(result.problems).message_id


@pytest.mark.parametrize("fmt", FORMATS)
def test_duplicate_nip_names_both_lines(fmt: str) -> None:
    result = read(fmt, [employee(NIP_A), employee(NIP_B), employee(NIP_A)])
    problem = only(result.problems)
    assert (problem.line, problem.column) == (4, "nip")
    assert "baris 2" in problem.message_id and "baris 4" in problem.message_id


@pytest.mark.parametrize("fmt", FORMATS)
def test_email_syntax(fmt: str) -> None:
    result = read(fmt, [employee(email="budi@@example")])
    problem = only(result.problems)
    assert problem.column == "email"
    assert "budi@@example" in problem.message_id


@pytest.mark.parametrize(
    ("start", "end", "column"),
    [
        ("2026-03-02", "", "keadaan_khusus_sampai"),
        ("", "2026-03-02", "keadaan_khusus_mulai"),
        ("2026-03-05", "2026-03-02", "keadaan_khusus_sampai"),
    ],
)
@pytest.mark.parametrize("fmt", FORMATS)
def test_special_period(fmt: str, start: str, end: str, column: str) -> None:
    row = employee(keadaan_khusus_mulai=start, keadaan_khusus_sampai=end)
    assert only(read(fmt, [row]).problems).column == column


def test_special_period_one_day_is_fine() -> None:
    row = employee(keadaan_khusus_mulai="2026-03-02", keadaan_khusus_sampai="2026-03-02")
    assert read("csv", [row]).problems == []


def test_xlsx_date_cells() -> None:
    row = employee(
        tmt_jabatan=dt.datetime(2024, 1, 2),
        keadaan_khusus_mulai=dt.date(2026, 3, 2),
        keadaan_khusus_sampai=dt.date(2026, 3, 6),
    )
    result = read("xlsx", [row])
    assert result.problems == []
    assert result.rows[0].position_start == dt.date(2024, 1, 2)
    assert result.rows[0].special_end == dt.date(2026, 3, 6)


@pytest.mark.parametrize("fmt", FORMATS)
def test_unit_name_missing_on_first_row(fmt: str) -> None:
    rows = [employee(NIP_A, unit_nama=""), employee(NIP_B, unit_nama="Unit A")]
    problem = only(read(fmt, rows).problems)
    assert (problem.line, problem.column) == (2, "unit_nama")
    assert "UNIT-A" in problem.message_id


@pytest.mark.parametrize("fmt", FORMATS)
def test_unit_with_two_names(fmt: str) -> None:
    rows = [employee(NIP_A), employee(NIP_B, unit_nama=""), employee(NIP_C, unit_nama="Unit B")]
    problem = only(read(fmt, rows).problems)
    assert (problem.line, problem.column) == (4, "unit_nama")
    assert "baris 2" in problem.message_id


@pytest.mark.parametrize("fmt", FORMATS)
def test_unit_with_two_parents(fmt: str) -> None:
    rows = [
        employee(NIP_A, unit_induk_kode="ROOT"),
        employee(NIP_B, unit_induk_kode="OTHER"),
    ]
    result = read(fmt, rows)
    problem = only(result.problems)
    assert (problem.line, problem.column) == (3, "unit_induk_kode")
    assert "ROOT" in problem.message_id and "OTHER" in problem.message_id


@pytest.mark.parametrize("fmt", FORMATS)
def test_two_heads(fmt: str) -> None:
    rows = [employee(NIP_A, kepala_unit="ya"), employee(NIP_B, kepala_unit="ya")]
    problem = only(read(fmt, rows).problems)
    assert (problem.line, problem.column) == (3, "kepala_unit")
    assert NIP_A in problem.message_id


@pytest.mark.parametrize("fmt", FORMATS)
def test_unit_cycle(fmt: str) -> None:
    rows = [
        employee(NIP_A, unit_kode="A", unit_nama="A", unit_induk_kode="B"),
        employee(NIP_B, unit_kode="B", unit_nama="B", unit_induk_kode="C"),
        employee(NIP_C, unit_kode="C", unit_nama="C", unit_induk_kode="A"),
        employee(NIP_D, unit_kode="D", unit_nama="D", unit_induk_kode="D"),
    ]
    problems = read(fmt, rows).problems
    assert [(p.line, p.column) for p in problems] == [
        (2, "unit_induk_kode"),
        (5, "unit_induk_kode"),
    ]
    assert "A → B → C → A" in problems[0].message_id
    assert "D → D" in problems[1].message_id


@pytest.mark.parametrize("fmt", FORMATS)
def test_supervisor_cycle(fmt: str) -> None:
    rows = [
        employee(NIP_A, atasan_nip=NIP_B),
        employee(NIP_B, atasan_nip=NIP_A),
        employee(NIP_C, atasan_nip=NIP_A),
    ]
    problem = only(read(fmt, rows).problems)
    assert (problem.line, problem.column) == (2, "atasan_nip")
    assert f"{NIP_A} → {NIP_B} → {NIP_A}" in problem.message_id


def test_supervisor_and_parent_outside_file_are_exposed() -> None:
    rows = [employee(NIP_A, atasan_nip=NIP_D, unit_induk_kode="ELSEWHERE")]
    result = read("csv", rows)
    assert result.problems == []
    assert result.unknown_supervisor_nips == {NIP_D}
    assert result.unknown_parent_units == {"ELSEWHERE"}


@pytest.mark.parametrize("fmt", FORMATS)
def test_jenis(fmt: str) -> None:
    rows = [employee(NIP_A, jenis="honorer"), employee("199001012021210001", jenis="PPPK")]
    result = read(fmt, rows)
    problem = only(result.problems)
    assert (problem.line, problem.column) == (2, "jenis")
    assert "honorer" in problem.message_id.lower()
    assert result.rows[0].kind is EmployeeKind.PPPK


@pytest.mark.parametrize("fmt", FORMATS)
def test_invalid_flags_dates_and_time(fmt: str) -> None:
    rows = [employee(kepala_unit="mungkin", tmt_jabatan="02/01/2024", waktu="malam")]
    columns = {(p.line, p.column) for p in read(fmt, rows).problems}
    assert columns == {(2, "kepala_unit"), (2, "tmt_jabatan"), (2, "waktu")}


def test_all_problems_collected_in_line_order() -> None:
    rows = [
        employee(NIP_A, nama="", email=""),
        employee("123"),
        employee(NIP_B, email="x"),
        employee(NIP_C, jabatan=""),
    ]
    problems = read("csv", rows).problems
    assert [(p.line, p.column) for p in problems] == [
        (2, "nama"),
        (3, "nip"),
        (4, "email"),
        (5, "jabatan"),
    ]
    assert problems[0].format("en") == "pegawai.csv:2: nama: nama is required"


def test_blank_lines_are_skipped_but_counted() -> None:
    data = (
        "nip,nama,unit_kode,unit_nama,jabatan\n"
        f"{NIP_A},Budi,U,Unit,Analis\n"
        "\n"
        ",,,,\n"
        f"{NIP_B},,U,,Analis\n"
    ).encode()
    assert [(p.line, p.column) for p in read_employees(data, "e.csv", today=TODAY).problems] == [(5, "nama")]


def test_quoted_newline_keeps_line_numbers() -> None:
    data = (
        "nip,nama,unit_kode,unit_nama,jabatan,domisili\n"
        f'{NIP_A},Budi,U,Unit,Analis,"Jl. Satu\nRT 1"\n'
        f"{NIP_B},,U,,Analis,\n"
    ).encode()
    assert [(p.line, p.column) for p in read_employees(data, "e.csv", today=TODAY).problems] == [(4, "nama")]


def test_not_utf8_and_empty_and_xls() -> None:
    assert read_employees("nip,nama\n\xe9\n".encode("latin-1"), "e.csv", today=TODAY).problems[0].line == 2
    assert read_employees(b"", "e.csv", today=TODAY).problems[0].line == 1
    assert "xls" in read_employees(b"\xd0\xcf\x11\xe0rest", "e.xls", today=TODAY).problems[0].message_id
    assert read_employees(b"PK\x03\x04broken", "e.xlsx", today=TODAY).problems


def test_all_columns_known() -> None:
    row = {column: "" for column in EMPLOYEE_COLUMNS} | employee()
    assert read("csv", [row]).warnings == []


def test_waktu_tidak_accepts_its_variants() -> None:
    from fleksi.policy.formats import read_employees
    from fleksi.policy.model import TimeFlexibility

    header = "nip,nama,unit_kode,unit_nama,jabatan,waktu\n"
    rows = "".join(
        f"19900101201503100{i},Nama {i},U1,{'Unit' if i == 1 else ''},Analis,{v}\n"
        for i, v in enumerate(["t", "false", "0", "TIDAK"], start=1)
    )
    result = read_employees((header + rows).encode(), "pegawai.csv", today=TODAY)
    assert result.problems == []
    assert {r.time_flexibility for r in result.rows} == {TimeFlexibility.NONE}


# ---- what the importer needs (issue 7): the columns present, units without a name ----


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_columns_present_are_reported(fmt: str) -> None:
    columns = ["nip", "nama", "unit_kode", "unit_nama", "jabatan", "waktu"]
    result = read(fmt, [employee(NIP_A)], columns)
    assert result.problems == []
    assert result.columns == frozenset(columns)
    everything = read(fmt, [employee(NIP_A)], list(EMPLOYEE_COLUMNS))
    assert everything.columns == frozenset(EMPLOYEE_COLUMNS)


@pytest.mark.parametrize("fmt", FORMATS)
def test_unit_names_optional_for_the_importer(fmt: str) -> None:
    rows = [
        employee(NIP_A, unit_kode="A", unit_nama=""),
        employee(NIP_B, unit_kode="B", unit_nama=""),
        employee(NIP_C, unit_kode="B", unit_nama="Unit B"),  # named on a later row
    ]
    result = read_employees(build(fmt, rows), f"pegawai.{fmt}", unit_names_required=False, today=TODAY)
    assert result.problems == []
    assert result.unnamed_units == {"A": 2}
    assert (result.units["A"].name, result.units["B"].name) == ("", "Unit B")
    columns = ["nip", "nama", "unit_kode", "jabatan"]  # no unit_nama column at all
    result = read_employees(build(fmt, rows, columns), "p." + fmt, unit_names_required=False, today=TODAY)
    assert result.problems == [] and result.unnamed_units == {"A": 2, "B": 3}
    # The default (fleksi plan check) still requires the column.
    assert only(read(fmt, rows, columns).problems).column == "unit_nama"
