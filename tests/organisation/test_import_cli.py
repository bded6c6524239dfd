"""fleksi import employees FILE [--agency CODE] [--dry-run] [--lang id|en]."""

from __future__ import annotations

import pytest

from fleksi.cli import main
from fleksi.organisation.importing import employees_import_cli
from fleksi.organisation.models import Agency, Employee
from tests.factories import AgencyFactory

from .test_import_support import csv_bytes, db_state, nip, small_org, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def good_csv(tmp_path):
    path = tmp_path / "pegawai.csv"
    path.write_bytes(csv_bytes(small_org()))
    return path


@pytest.fixture
def bad_csv(tmp_path):
    rows = small_org()
    rows[3]["nip"] = "12345"
    rows[4]["atasan_nip"] = nip(999)
    path = tmp_path / "salah.csv"
    path.write_bytes(csv_bytes(rows))
    return path


def test_import_creates_the_agency_and_prints_progress_and_summary(good_csv, capsys) -> None:
    code = employees_import_cli(
        path=str(good_csv), agency_code="kemen-uji", dry_run=False, lang="id"
    )
    out, err = capsys.readouterr()
    assert code == 0, err
    agency = Agency.objects.get(code="kemen-uji")
    assert agency.name == "kemen-uji"
    assert "Instansi 'kemen-uji' belum ada; dibuat" in out
    assert "8 baris pegawai terbaca" in out
    assert "Pegawai: 8 baru, 0 diubah, 0 tetap" in out
    assert Employee.objects.filter(agency=agency).count() == 8

    code = employees_import_cli(
        path=str(good_csv), agency_code="kemen-uji", dry_run=False, lang="id"
    )
    out, _ = capsys.readouterr()
    assert code == 0
    assert "Pegawai: 0 baru, 0 diubah, 8 tetap" in out and "Tidak ada perubahan" in out


def test_the_only_agency_is_used_without_agency_option(good_csv, capsys) -> None:
    agency = AgencyFactory()
    assert employees_import_cli(path=str(good_csv), agency_code=None, dry_run=False, lang="id") == 0
    assert Employee.objects.filter(agency=agency).count() == 8


def test_several_agencies_need_the_agency_option(good_csv, capsys) -> None:
    AgencyFactory(code="satu")
    AgencyFactory(code="dua")
    assert employees_import_cli(path=str(good_csv), agency_code=None, dry_run=False, lang="id") == 2
    _, err = capsys.readouterr()
    assert "--agency" in err and "satu" in err and "dua" in err
    assert Employee.objects.count() == 0


def test_no_agency_at_all_needs_the_agency_option(good_csv, capsys) -> None:
    assert employees_import_cli(path=str(good_csv), agency_code=None, dry_run=False, lang="id") == 2
    assert "--agency" in capsys.readouterr().err


def test_invalid_agency_code(good_csv, capsys) -> None:
    assert (
        employees_import_cli(path=str(good_csv), agency_code="bad code!", dry_run=False, lang="id")
        == 2
    )
    assert "tidak sah" in capsys.readouterr().err
    assert not Agency.objects.exists()


def test_missing_file_is_a_clear_error(tmp_path, capsys) -> None:
    missing = tmp_path / "tidak-ada.csv"
    assert employees_import_cli(path=str(missing), agency_code="x", dry_run=False, lang="id") == 2
    out, err = capsys.readouterr()
    assert f"Berkas tidak ditemukan: {missing}" in err and out == ""
    assert not Agency.objects.exists()


def test_invalid_file_prints_every_problem_and_changes_nothing(bad_csv, capsys) -> None:
    AgencyFactory(code="uji")
    before = db_state()
    assert employees_import_cli(path=str(bad_csv), agency_code="uji", dry_run=False, lang="id") == 2
    _, err = capsys.readouterr()
    lines = err.splitlines()
    assert lines[0].startswith(f"{bad_csv}:5: nip: NIP '12345'")
    assert lines[1].startswith(f"{bad_csv}:6: atasan_nip: ")
    assert "tidak ada" in lines[1]
    assert "2 masalah" in lines[-1]
    assert db_state() == before


def test_invalid_file_in_english(bad_csv, capsys) -> None:
    AgencyFactory(code="uji")
    assert employees_import_cli(path=str(bad_csv), agency_code="uji", dry_run=False, lang="en") == 2
    err = capsys.readouterr().err
    assert f"{bad_csv}:5: nip: NIP '12345' has 5 digits" in err
    assert "neither in this file" in err and "Nothing was changed" in err


def test_invalid_file_for_a_new_agency_does_not_create_it(bad_csv, capsys) -> None:
    assert (
        employees_import_cli(path=str(bad_csv), agency_code="baru", dry_run=False, lang="id") == 2
    )
    assert not Agency.objects.exists()


def test_dry_run_shows_changes_and_saves_nothing(good_csv, capsys) -> None:
    before = db_state()
    assert (
        employees_import_cli(path=str(good_csv), agency_code="baru", dry_run=True, lang="id") == 0
    )
    out, _ = capsys.readouterr()
    assert "akan dibuat" in out and "Pegawai: 8 baru" in out
    assert f"+ {nip(2)} Citra Lestari" in out and "--dry-run" in out
    assert db_state() == before and not Agency.objects.exists()


def test_xlsx_file_through_the_command_line(tmp_path, capsys) -> None:
    path = tmp_path / "pegawai.xlsx"
    path.write_bytes(xlsx_bytes(small_org()))
    AgencyFactory(code="uji")
    assert main(["import", "employees", str(path), "--agency", "uji"]) == 0
    assert Employee.objects.count() == 8


def test_float_nip_in_xlsx_through_the_command_line(tmp_path, capsys) -> None:
    rows = small_org()
    rows[0]["nip"] = 1.98503e17
    path = tmp_path / "pegawai.xlsx"
    path.write_bytes(xlsx_bytes(rows))
    AgencyFactory(code="uji")
    assert main(["import", "employees", str(path), "--agency", "uji", "--lang", "en"]) == 2
    err = capsys.readouterr().err
    # The wording is the policy core's (fleksi.policy.nip); only line, column and gist here.
    assert f"{path}:2: nip: NIP " in err and "scientific notation" in err
    assert Employee.objects.count() == 0
