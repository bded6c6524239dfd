"""``fleksi plan check`` through ``plan_check_main``: exit codes, stdout and stderr."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fleksi.policy.cli import plan_check_main

from .factories import NIP_A, NIP_B, csv_bytes, employee, employees_table, xlsx_bytes

PLAN_COLUMNS = ["nip", "tanggal", "lokasi", "jam_mulai", "jam_selesai", "waktu"]


def write(tmp_path: Path, name: str, data: bytes | str) -> str:
    path = tmp_path / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return str(path)


def files(
    tmp_path: Path, plan_rows: list[dict[str, object]], *, ext: str = "csv"
) -> tuple[str, str]:
    build = csv_bytes if ext == "csv" else xlsx_bytes
    people = employees_table([employee(NIP_A), employee(NIP_B, tugas_memenuhi_kriteria="tidak")])
    return (
        write(tmp_path, f"pegawai.{ext}", build(people)),
        write(tmp_path, f"rencana.{ext}", build(plan_rows, PLAN_COLUMNS)),
    )


def away(nip: str, *dates: str, lokasi: str = "rumah") -> list[dict[str, object]]:
    return [{"nip": nip, "tanggal": d, "lokasi": lokasi} for d in dates]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = plan_check_main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_clean_plan_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    employees, plan = files(tmp_path, away(NIP_A, "2026-05-04", "2026-05-05"))
    code, out, _ = run(capsys, "--employees", employees, "--plan", plan)
    assert code == 0
    assert json.loads(out) == {
        "findings": [],
        "summary": {"employees": 2, "days": 5, "errors": 0, "warnings": 0},
    }


def test_cap_exceeded_exits_1_with_the_json_of_formats_md(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    employees, plan = files(tmp_path, away(NIP_A, "2026-03-02", "2026-03-03", "2026-03-04"))
    code, out, _ = run(capsys, "--employees", employees, "--plan", plan, "--format", "json")
    assert code == 1
    assert json.loads(out) == {
        "findings": [
            {
                "code": "LOCATION_MAX_DAYS_PER_WEEK",
                "severity": "error",
                "nip": NIP_A,
                "unit": "UNIT-A",
                "date": None,
                "week": "2026-W10",
                "basis": "PermenPANRB 4/2025 Pasal 13 ayat (1)",
                "message": "3 hari kerja di luar kantor pada minggu 2026-W10; paling banyak 2.",
            }
        ],
        "summary": {"employees": 2, "days": 5, "errors": 1, "warnings": 0},
    }


def test_english_messages(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    employees, plan = files(tmp_path, away(NIP_B, "2026-05-04"))
    code, out, _ = run(capsys, "--employees", employees, "--plan", plan, "--lang", "en")
    assert code == 1
    finding = json.loads(out)["findings"][0]
    assert finding["code"] == "TASK_NOT_ELIGIBLE"
    assert finding["message"].startswith("The employee's tasks do not meet")


def test_info_only_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    employees, plan = files(tmp_path, away(NIP_A, "2026-03-25", "2026-03-26", "2026-03-27"))
    code, out, _ = run(capsys, "--employees", employees, "--plan", plan)
    assert code == 0
    assert {f["code"] for f in json.loads(out)["findings"]} == {"NATIONAL_FLEX_DAY"}


def test_xlsx_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    employees, plan = files(
        tmp_path, away(NIP_A, "2026-05-04", "2026-05-05", "2026-05-06"), ext="xlsx"
    )
    code, out, _ = run(capsys, "--employees", employees, "--plan", plan)
    assert code == 1
    assert json.loads(out)["findings"][0]["week"] == "2026-W19"


def test_text_format_groups_by_employee(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = away(NIP_A, "2026-05-04", "2026-05-05", "2026-05-06") + away(NIP_B, "2026-05-04")
    employees, plan = files(tmp_path, rows)
    code, out, _ = run(capsys, "--employees", employees, "--plan", plan, "--format", "text")
    assert code == 1
    assert f"Pegawai {NIP_A} (Unit UNIT-A)" in out
    assert f"Pegawai {NIP_B} (Unit UNIT-A)" in out
    assert "LOCATION_MAX_DAYS_PER_WEEK" in out and "[PermenPANRB 4/2025 Pasal 13 ayat (1)]" in out
    assert "Ringkasan: 2 pegawai, 5 hari, 2 galat" in out


def test_policy_file_tightens(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    employees, plan = files(tmp_path, away(NIP_A, "2026-05-04", "2026-05-05"))
    policy = write(tmp_path, "policy.json", '{"max_location_days_per_week": 1}')
    code, out, _ = run(capsys, "--employees", employees, "--plan", plan, "--policy", policy)
    assert code == 1
    assert "paling banyak 1" in json.loads(out)["findings"][0]["message"]


def test_looser_policy_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    employees, plan = files(tmp_path, [])
    policy = write(tmp_path, "policy.json", '{\n"max_location_days_per_week": 3\n}')
    code, out, err = run(capsys, "--employees", employees, "--plan", plan, "--policy", policy)
    assert code == 2
    assert out == ""
    assert f"{policy}:2: max_location_days_per_week: " in err


def test_invalid_files_exit_2_with_every_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    people = [employee(NIP_A), employee("1.98503E+17"), employee(NIP_A, nama="")]
    employees = write(tmp_path, "pegawai.csv", csv_bytes(people))
    plan = write(
        tmp_path,
        "rencana.csv",
        csv_bytes(
            [
                {"nip": NIP_A, "tanggal": "2026-05-04", "lokasi": "pantai"},
                {"nip": NIP_A, "tanggal": "2026-13-01", "lokasi": "rumah", "jam_mulai": "08:00"},
            ],
            PLAN_COLUMNS,
        ),
    )
    code, out, err = run(capsys, "--employees", employees, "--plan", plan, "--lang", "en")
    assert code == 2
    assert out == ""
    lines = err.splitlines()
    assert f"{employees}:3: nip: NIP was stored as a number in scientific notation" in err
    assert any(line.startswith(f"{employees}:4: nama: ") for line in lines)
    assert any(line.startswith(f"{employees}:4: nip: duplicate NIP") for line in lines)
    assert any(line.startswith(f"{plan}:2: lokasi: ") for line in lines)
    assert any(line.startswith(f"{plan}:3: tanggal: ") for line in lines)
    assert any(line.startswith(f"{plan}:3: jam_selesai: ") for line in lines)


def test_unknown_employee_in_plan_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    employees, plan = files(tmp_path, away("199207172019032003", "2026-05-04"))
    code, out, err = run(capsys, "--employees", employees, "--plan", plan)
    assert (code, out) == (2, "")
    assert "rencana.csv:2: nip: NIP 199207172019032003 tidak ada di data pegawai" in err


def test_missing_file_and_bad_arguments_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    employees, _ = files(tmp_path, [])
    code, out, err = run(capsys, "--employees", employees, "--plan", str(tmp_path / "none.csv"))
    assert (code, out) == (2, "")
    assert "none.csv" in err
    code, out, _ = run(capsys, "--employees", employees)
    assert (code, out) == (2, "")
    code, out, _ = run(capsys, "--employees", employees, "--plan", employees, "--format", "xml")
    assert (code, out) == (2, "")
