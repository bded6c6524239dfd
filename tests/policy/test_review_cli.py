"""Review: ``fleksi plan check`` on nasty input: exit 2, a clear Indonesian message on stderr
(English with ``--lang en``), nothing on stdout, never a traceback."""

from __future__ import annotations

import io
import json
from pathlib import Path

import openpyxl
import pytest

from fleksi.policy.cli import plan_check_main

from .factories import NIP_A, csv_bytes, employee, xlsx_bytes

EMPLOYEES_CSV = (
    "nip,nama,unit_kode,unit_nama,jabatan,tugas_memenuhi_kriteria,domisili\n"
    f"{NIP_A},Budi,UNIT-A,Unit A,Analis,ya,Jl. Merdeka 1\n"
)
PLAN_CSV = f"nip,tanggal,lokasi\n{NIP_A},2026-05-04,rumah\n"


def write(tmp_path: Path, name: str, data: bytes | str) -> str:
    path = tmp_path / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return str(path)


def run(
    capsys: pytest.CaptureFixture[str], employees: str, plan: str, *more: str
) -> tuple[int, str, str]:
    code = plan_check_main(["--employees", employees, "--plan", plan, *more])
    out, err = capsys.readouterr()
    return code, out, err


def xlsx_number_nip() -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["nip", "nama", "unit_kode", "unit_nama", "jabatan"])
    sheet.append([int(NIP_A), "Budi", "UNIT-A", "Unit A", "Analis"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


NASTY_EMPLOYEES: dict[str, tuple[str, bytes, str]] = {
    "empty": ("pegawai.csv", b"", "file kosong"),
    "header-only": (
        "pegawai.csv",
        b"nip,nama,unit_kode,unit_nama,jabatan\n",
        "tidak berisi satu baris data pun",
    ),
    "latin-1": (
        "pegawai.csv",
        "nip,nama,unit_kode,unit_nama,jabatan\n199001012015031001,José,U,Unit,Analis\n".encode(
            "latin-1"
        ),
        "bukan teks UTF-8",
    ),
    "duplicate-header": (
        "pegawai.csv",
        f"nip,nama,unit_kode,unit_nama,jabatan,NIP\n{NIP_A},B,U,Unit,A,{NIP_A}\n".encode(),
        "muncul dua kali",
    ),
    "number-nip-xlsx": ("pegawai.xlsx", xlsx_number_nip(), "angka ilmiah"),
    "csv-named-xlsx": ("pegawai.xlsx", EMPLOYEES_CSV.encode(), "bukan file XLSX"),
    "zero-byte-xlsx": ("pegawai.xlsx", b"", "file kosong"),
    "more-values-than-columns": (
        "pegawai.csv",
        f"nip,nama,unit_kode,unit_nama,jabatan\n{NIP_A},Budi,U,Unit,Analis, Ahli\n".encode(),
        "tanda kutip",
    ),
}

NASTY_PLANS: dict[str, tuple[str, bytes, str]] = {
    "empty": ("rencana.csv", b"", "file kosong"),
    "header-only": ("rencana.csv", b"nip,tanggal,lokasi\r\n", "tidak berisi satu baris data pun"),
    "30-february": (
        "rencana.csv",
        f"nip,tanggal,lokasi\n{NIP_A},2026-02-30,rumah\n".encode(),
        "tanggal '2026-02-30' tidak sah",
    ),
    "start-without-end": (
        "rencana.csv",
        f"nip,tanggal,lokasi,jam_mulai\n{NIP_A},2026-05-04,rumah,08:00\n".encode(),
        "harus diisi keduanya",
    ),
    "year-9999": (
        "rencana.csv",
        f"nip,tanggal,lokasi\n{NIP_A},9999-12-31,rumah\n".encode(),
        "di luar rentang",
    ),
}


@pytest.mark.parametrize("case", list(NASTY_EMPLOYEES))
def test_nasty_employees_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    name, data, expected = NASTY_EMPLOYEES[case]
    employees = write(tmp_path, name, data)
    plan = write(tmp_path, "rencana.csv", PLAN_CSV)
    code, out, err = run(capsys, employees, plan)
    assert (code, out) == (2, "")
    assert expected in err, err
    assert err.startswith(employees + ":")
    assert "Traceback" not in err


@pytest.mark.parametrize("case", list(NASTY_PLANS))
def test_nasty_plan_file(tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str) -> None:
    name, data, expected = NASTY_PLANS[case]
    employees = write(tmp_path, "pegawai.csv", EMPLOYEES_CSV)
    plan = write(tmp_path, name, data)
    code, out, err = run(capsys, employees, plan)
    assert (code, out) == (2, "")
    assert expected in err, err
    assert "Traceback" not in err


def test_header_only_in_english(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    employees = write(tmp_path, "pegawai.csv", EMPLOYEES_CSV)
    plan = write(tmp_path, "rencana.csv", "nip,tanggal,lokasi\n")
    code, out, err = run(capsys, employees, plan, "--lang", "en")
    assert (code, out) == (2, "")
    assert f"{plan}:0: the file has no data row" in err


def test_missing_file_message_is_indonesian(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    employees = write(tmp_path, "pegawai.csv", EMPLOYEES_CSV)
    missing = str(tmp_path / "tidak-ada.csv")
    code, out, err = run(capsys, employees, missing)
    assert (code, out) == (2, "")
    assert err.strip() == f"{missing}:0: file tidak ditemukan"
    code, out, err = run(capsys, employees, missing, "--lang", "en")
    assert err.strip() == f"{missing}:0: file not found"
    code, out, err = run(capsys, employees, str(tmp_path))
    assert (code, out) == (2, "")
    assert "bukan file (folder)" in err


def test_crlf_semicolon_bom_and_xlsx_still_work(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    employees = write(
        tmp_path,
        "pegawai.csv",
        b"\xef\xbb\xbf" + EMPLOYEES_CSV.replace(",", ";").replace("\n", "\r\n").encode(),
    )
    plan = write(
        tmp_path,
        "rencana.xlsx",
        xlsx_bytes([{"NIP": NIP_A, "Tanggal": "2026-05-04", "Lokasi": "Rumah"}]),
    )
    code, out, err = run(capsys, employees, plan)
    assert code == 0, err
    assert json.loads(out)["summary"] == {"employees": 1, "days": 5, "errors": 0, "warnings": 0}
    # and the XLSX employees file is the same as the CSV one
    employees_xlsx = write(
        tmp_path,
        "pegawai.xlsx",
        xlsx_bytes([employee(NIP_A, tugas_memenuhi_kriteria="ya")]),
    )
    code, out_xlsx, _ = run(capsys, employees_xlsx, plan)
    assert (code, out_xlsx) == (0, out)


def test_corrupt_policy_json_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    employees = write(tmp_path, "pegawai.csv", EMPLOYEES_CSV)
    plan = write(tmp_path, "rencana.csv", PLAN_CSV)
    for text in (
        '{"severity": {"COVERAGE_BELOW_MINIMUM": ["warning"]}}',
        '{"new_in_position_months": ' + "9" * 5000 + "}",
        "[" * 100_000,
        '{"max_location_days_per_week": 3, "max_location_days_per_week": 1}',
    ):
        policy = write(tmp_path, "kebijakan.json", text)
        code, out, err = run(capsys, employees, plan, "--policy", policy)
        assert (code, out) == (2, ""), err
        assert err.startswith(policy + ":") and "Traceback" not in err


def test_empty_csv_of_an_employees_file_is_not_confused_with_the_plan(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Both files are reported when both are header-only.
    employees = write(tmp_path, "pegawai.csv", csv_bytes([], ["nip", "nama", "unit_kode"]))
    plan = write(tmp_path, "rencana.csv", "nip,tanggal,lokasi\n")
    code, out, err = run(capsys, employees, plan)
    assert (code, out) == (2, "")
    assert f"{employees}:1: unit_nama: kolom wajib 'unit_nama' tidak ada" in err
    assert f"{plan}:0: file tidak berisi satu baris data pun" in err
