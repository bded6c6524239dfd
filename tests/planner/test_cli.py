"""``fleksi plan propose`` (FORMATS.md): inputs, outputs, exit codes, messages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fleksi.cli import main
from fleksi.policy.cli import plan_check_main

from ..policy.factories import csv_bytes, employee, employees_table, make_nip

NIPS = [make_nip(i * 7919 + 11) for i in range(6)]
PLAN_COLUMNS = ["nip", "tanggal", "lokasi", "jam_mulai", "jam_selesai", "waktu"]


def write(tmp_path: Path, name: str, data: bytes | str) -> str:
    path = tmp_path / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return str(path)


def people(tmp_path: Path, **extra: dict[str, object]) -> str:
    rows = [employee(nip, **extra.get(nip, {})) for nip in NIPS]
    return write(tmp_path, "pegawai.csv", csv_bytes(employees_table(rows)))


def prefs(tmp_path: Path, rows: list[dict[str, object]]) -> str:
    return write(tmp_path, "pilihan.csv", csv_bytes(rows, ["nip", "hari", "lokasi", "bobot"]))


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["plan", "propose", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_csv_output_is_a_plan_that_plan_check_accepts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    employees = people(tmp_path)
    preferences = prefs(
        tmp_path,
        [{"nip": n, "hari": h, "lokasi": "", "bobot": 2} for n in NIPS for h in ("senin", "jumat", "rabu")],
    )
    policy = write(tmp_path, "policy.json", json.dumps({"min_office_share": {"*": 0.5}}))
    code, out, err = run(
        capsys, "--employees", employees, "--from", "2026-07-08", "--weeks", "2",
        "--preferences", preferences, "--policy", policy, "--anchor", "rabu",
    )
    assert code == 0, err
    lines = out.strip().splitlines()
    assert lines[0] == "nip,tanggal,lokasi,jam_mulai,jam_selesai,waktu"
    rows = [line.split(",") for line in lines[1:]]
    assert len(rows) == 2 * 2 * 3  # per Monday and Friday 3 of 6 away, two weeks
    assert {r[1] for r in rows} == {"2026-07-06", "2026-07-10", "2026-07-13", "2026-07-17"}
    assert all(r[2] == "rumah" and r[5] == "reguler" for r in rows)
    plan = write(tmp_path, "usulan.csv", out)
    assert plan_check_main(["--employees", employees, "--plan", plan, "--policy", policy]) == 0


def test_json_output_has_the_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    employees = people(tmp_path)
    preferences = prefs(tmp_path, [{"nip": NIPS[0], "hari": "kamis", "lokasi": "kantor_lain", "bobot": ""}])
    current = write(
        tmp_path,
        "sekarang.csv",
        csv_bytes([{"nip": NIPS[1], "tanggal": "2026-07-07", "lokasi": "rumah"}], PLAN_COLUMNS),
    )
    code, out, err = run(
        capsys, "--employees", employees, "--from", "2026-07-06", "--weeks", "1",
        "--preferences", preferences, "--plan", current, "--format", "json", "--time-limit", "5",
    )
    assert code == 0, err
    data = json.loads(out)
    assert sorted(data["plan"], key=lambda r: r["nip"]) == sorted([
        {"nip": NIPS[0], "tanggal": "2026-07-09", "lokasi": "kantor_lain", "jam_mulai": None,
         "jam_selesai": None, "waktu": "reguler"},
        {"nip": NIPS[1], "tanggal": "2026-07-07", "lokasi": "rumah", "jam_mulai": None,
         "jam_selesai": None, "waktu": "reguler"},
    ], key=lambda r: r["nip"])
    summary = data["summary"]
    assert summary["status"] == "optimal" and summary["gap"] == 0.0
    assert summary["preferences_met"] == 1 and summary["preferences"] == 1
    assert summary["worst_employee_met_share"] == 1.0 and summary["changes"] == 1
    assert set(summary) == {
        "status", "gap", "preferences_met", "preferences", "worst_employee_met_share",
        "changes", "seconds",
    }


def test_keadaan_khusus_rows_stay_and_infeasible_is_explained(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    special = {"keadaan_khusus_mulai": "2026-07-01", "keadaan_khusus_sampai": "2026-07-31"}
    employees = people(tmp_path, **{n: special for n in NIPS[:4]})
    current = write(
        tmp_path,
        "sekarang.csv",
        csv_bytes([{"nip": n, "tanggal": "2026-07-10", "lokasi": "rumah"} for n in NIPS[:4]], PLAN_COLUMNS),
    )
    policy = write(tmp_path, "policy.json", json.dumps({"min_office_share": {"*": 0.5}}))
    code, out, err = run(
        capsys, "--employees", employees, "--from", "2026-07-06", "--weeks", "1",
        "--plan", current, "--policy", policy,
    )
    assert code == 1 and out == ""
    assert "Tidak ada jadwal yang sah" in err
    assert "3 dari 6 pegawai unit UNIT-A harus di kantor pada Jumat 2026-07-10, tetapi 4 sedang cuti atau keadaan khusus" in err
    code, out, err = run(
        capsys, "--employees", employees, "--from", "2026-07-06", "--weeks", "1",
        "--plan", current, "--policy", policy, "--lang", "en",
    )
    assert code == 1 and "3 of 6 staff of unit UNIT-A must be in the office on Friday 2026-07-10" in err
    # Without the coverage minimum, the keadaan khusus days stay as they are.
    code, out, err = run(
        capsys, "--employees", employees, "--from", "2026-07-06", "--weeks", "1", "--plan", current
    )
    assert code == 0, err
    assert out.count("2026-07-10,rumah") == 4


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--from", "2026-13-01", "--weeks", "1"], "--from: tanggal '2026-13-01' tidak sah"),
        (["--from", "2026-07-06", "--weeks", "0"], "--weeks: jumlah minggu '0' tidak sah"),
        (["--from", "2026-07-06", "--weeks", "1", "--anchor", "senin,sabtu"], "hari 'sabtu' tidak dikenal"),
        (["--from", "2026-07-06", "--weeks", "1", "--time-limit", "-1"], "batas waktu '-1' tidak sah"),
        (["--weeks", "1"], "the following arguments are required: --from"),
    ],
)
def test_invalid_arguments_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, out, err = run(capsys, "--employees", people(tmp_path), *argv)
    assert code == 2 and out == "" and message in err


def test_invalid_preferences_are_all_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    preferences = prefs(
        tmp_path,
        [
            {"nip": NIPS[0], "hari": "sabtu", "lokasi": "", "bobot": ""},
            {"nip": NIPS[1], "hari": "libur", "lokasi": "", "bobot": "5"},
            {"nip": NIPS[2], "hari": "senin", "lokasi": "kantor", "bobot": ""},
            {"nip": "199001012015031999", "hari": "senin", "lokasi": "", "bobot": ""},
            {"nip": NIPS[3], "hari": "selasa", "lokasi": "", "bobot": ""},
            {"nip": NIPS[3], "hari": "Selasa", "lokasi": "", "bobot": ""},
        ],
    )
    code, out, err = run(
        capsys, "--employees", people(tmp_path), "--from", "2026-07-06", "--weeks", "1",
        "--preferences", preferences,
    )
    assert code == 2 and out == ""
    assert "pilihan.csv:2: hari: sabtu hanya dapat dipilih pegawai yang bekerja dalam sif" in err
    assert "pilihan.csv:3: bobot: bobot '5' tidak sah" in err
    assert "pilihan.csv:3: hari: nilai 'libur' tidak dikenal" in err
    assert "pilihan.csv:4: lokasi: nilai 'kantor' tidak dikenal" in err
    assert "pilihan.csv:5: nip: NIP 199001012015031999 tidak ada di data pegawai" in err
    assert "pilihan.csv:7: hari: NIP" in err


def test_missing_file_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys, "--employees", str(tmp_path / "tidak-ada.csv"), "--from", "2026-07-06", "--weeks", "1"
    )
    assert code == 2 and out == "" and "file tidak ditemukan" in err
