"""A file with any problem is rejected whole: the database is unchanged and each problem names
its row and column."""

from __future__ import annotations

import pytest

from fleksi.core.errors import ApplicationError, ErrorCode
from fleksi.organisation.importing import ImportInvalid, employees_import
from fleksi.organisation.models import Employee, OrgUnit
from tests.factories import AgencyFactory, EmployeeFactory, UnitFactory

from .test_import_support import csv_bytes, db_state, nip, row, small_org, xlsx_bytes

pytestmark = pytest.mark.django_db


def rejected(agency, data: bytes, filename: str = "pegawai.csv") -> list[dict]:
    """Run the import, assert it is rejected and changed nothing; return the problems."""
    before = db_state()
    for dry_run in (True, False):
        with pytest.raises(ImportInvalid) as caught:
            employees_import(
                actor=None, agency=agency, data=data, filename=filename, dry_run=dry_run
            )
        assert db_state() == before
    error = caught.value
    assert error.code == ErrorCode.IMPORT_INVALID
    assert "Tidak ada data yang diubah" in error.message
    problems = error.details["problems"]
    assert problems and all(set(p) >= {"line", "column", "message", "message_en"} for p in problems)
    return problems


def only(problems: list[dict]) -> dict:
    assert len(problems) == 1, problems
    return problems[0]


@pytest.fixture
def loaded():
    """An agency that already holds the small organisation."""
    agency = AgencyFactory()
    employees_import(actor=None, agency=agency, data=csv_bytes(small_org()), filename="awal.csv")
    return agency


def test_wrong_nip(loaded) -> None:
    rows = small_org()
    rows[3]["nip"] = "19900101201503100"  # 17 digits
    rows[5]["nip"] = "199013012015031001"  # month 13
    problems = rejected(loaded, csv_bytes(rows))
    assert [(p["line"], p["column"]) for p in problems] == [(5, "nip"), (7, "nip")]
    assert "18" in problems[0]["message"]


def test_every_problem_is_reported_not_only_the_first() -> None:
    agency = AgencyFactory()
    rows = small_org()
    rows[2]["nip"] = "abc"
    rows[4]["email"] = "bukan-email"
    rows[6]["atasan_nip"] = nip(900)
    problems = rejected(agency, csv_bytes(rows))
    assert [(p["line"], p["column"]) for p in problems] == [
        (4, "nip"),
        (6, "email"),
        (8, "atasan_nip"),
    ]


def test_unknown_supervisor_names_the_row(loaded) -> None:
    rows = [row(nip(30), unit_kode="DIT-A", unit_nama="Direktorat A", atasan_nip=nip(31))]
    problem = only(rejected(loaded, csv_bytes(rows)))
    assert (problem["line"], problem["column"]) == (2, "atasan_nip")
    assert nip(31) in problem["message"] and "tidak ada" in problem["message"]


def test_supervisor_of_another_agency_is_unknown_here(loaded) -> None:
    stranger = EmployeeFactory()
    rows = [row(nip(30), unit_kode="DIT-A", unit_nama="Direktorat A", atasan_nip=stranger.nip)]
    problem = only(rejected(loaded, csv_bytes(rows)))
    assert (problem["line"], problem["column"]) == (2, "atasan_nip")


def test_unknown_parent_unit_names_the_row(loaded) -> None:
    rows = [row(nip(30), unit_kode="NEW", unit_nama="Unit Baru", unit_induk_kode="NOWHERE")]
    problem = only(rejected(loaded, csv_bytes(rows)))
    assert (problem["line"], problem["column"]) == (2, "unit_induk_kode")
    assert "NOWHERE" in problem["message"]


def test_cycle_in_unit_tree_within_the_file() -> None:
    agency = AgencyFactory()
    rows = [
        row(nip(0), unit_kode="A", unit_nama="Unit A", unit_induk_kode="B"),
        row(nip(1), unit_kode="B", unit_nama="Unit B", unit_induk_kode="A"),
    ]
    problem = only(rejected(agency, csv_bytes(rows)))
    assert (problem["line"], problem["column"]) == (2, "unit_induk_kode")
    assert "lingkaran" in problem["message"]


def test_cycle_in_unit_tree_formed_with_existing_units(loaded) -> None:
    # ROOT is stored as the parent of DIT-A; the file makes DIT-A the parent of ROOT.
    rows = [
        row(
            nip(0),
            nama="Siti Rahmawati",
            unit_kode="ROOT",
            unit_nama="Sekretariat",
            unit_induk_kode="DIT-A",
            kepala_unit="ya",
            jabatan="Sekretaris",
            tugas_memenuhi_kriteria="tidak",
        )
    ]
    problem = only(rejected(loaded, csv_bytes(rows)))
    assert (problem["line"], problem["column"]) == (2, "unit_induk_kode")
    assert "ROOT → DIT-A → ROOT" in problem["message"]


def test_cycle_in_supervisor_chain_within_the_file() -> None:
    agency = AgencyFactory()
    rows = [
        row(nip(0), unit_nama="Sekretariat", atasan_nip=nip(2)),
        row(nip(1), atasan_nip=nip(0)),
        row(nip(2), atasan_nip=nip(1)),
    ]
    problem = only(rejected(agency, csv_bytes(rows)))
    assert (problem["line"], problem["column"]) == (2, "atasan_nip")
    assert "lingkaran" in problem["message"]


def test_own_supervisor_is_a_cycle() -> None:
    agency = AgencyFactory()
    problem = only(rejected(agency, csv_bytes([row(nip(0), unit_nama="S", atasan_nip=nip(0))])))
    assert problem["column"] == "atasan_nip"


def test_cycle_in_supervisor_chain_formed_with_existing_employees(loaded) -> None:
    # Stored: nip(2) -> nip(1) -> nip(0). The file makes nip(0)'s supervisor nip(2).
    rows = [
        row(
            nip(0),
            nama="Siti Rahmawati",
            unit_kode="ROOT",
            unit_nama="Sekretariat",
            kepala_unit="ya",
            jabatan="Sekretaris",
            tugas_memenuhi_kriteria="tidak",
            atasan_nip=nip(2),
        )
    ]
    problem = only(rejected(loaded, csv_bytes(rows)))
    assert (problem["line"], problem["column"]) == (2, "atasan_nip")
    assert f"{nip(0)} → {nip(2)} → {nip(1)} → {nip(0)}" in problem["message"]


def test_duplicate_nip() -> None:
    agency = AgencyFactory()
    rows = small_org()
    rows[5]["nip"] = nip(2)
    problems = rejected(agency, csv_bytes(rows))
    assert any(
        p["line"] == 7 and p["column"] == "nip" and "ganda" in p["message"] for p in problems
    )


@pytest.mark.parametrize("value", [1.98503e17, 196001012005011001.0])
def test_xlsx_with_nip_as_float_cell(value: float) -> None:
    agency = AgencyFactory()
    rows = small_org()
    rows[1]["nip"] = value
    problems = rejected(agency, xlsx_bytes(rows), filename="pegawai.xlsx")
    first = problems[0]
    assert (first["line"], first["column"]) == (3, "nip")
    assert "angka ilmiah" in first["message"] and "Teks" in first["message"]


def test_csv_with_nip_as_scientific_text() -> None:
    agency = AgencyFactory()
    rows = small_org()
    rows[1]["nip"] = "1.98503E+17"
    problems = rejected(agency, csv_bytes(rows))
    assert (problems[0]["line"], problems[0]["column"]) == (3, "nip")


def test_nip_of_another_agency(loaded) -> None:
    other = AgencyFactory()
    stranger = EmployeeFactory(unit=UnitFactory(agency=other))
    rows = small_org()
    rows[3]["nip"] = stranger.nip
    problem = only(rejected(loaded, csv_bytes(rows)))
    assert (problem["line"], problem["column"]) == (5, "nip")
    assert "instansi lain" in problem["message"]
    assert other.name not in problem["message"]  # the other agency is not revealed
    assert Employee.objects.get(nip=stranger.nip).agency == other


def test_value_longer_than_the_column(loaded) -> None:
    rows = small_org()
    rows[2]["nama"] = "N" * 201
    problem = only(rejected(loaded, csv_bytes(rows)))
    assert (problem["line"], problem["column"]) == (4, "nama")


def test_missing_required_column() -> None:
    agency = AgencyFactory()
    problems = rejected(
        agency, csv_bytes(small_org(), columns=["nip", "nama", "unit_kode", "unit_nama"])
    )
    assert only(problems)["column"] == "jabatan"


def test_crash_halfway_leaves_nothing_behind() -> None:
    agency = AgencyFactory()
    before = db_state()

    def explode(message: str) -> None:
        # Units, positions and accounts are already written when employees are saved.
        if message.startswith("Menyimpan pegawai baru"):
            assert OrgUnit.objects.filter(agency=agency).count() == 3
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        employees_import(
            actor=None,
            agency=agency,
            data=csv_bytes(small_org()),
            filename="p.csv",
            progress=explode,
        )
    assert db_state() == before


def test_permission_denied_for_non_admins(loaded) -> None:
    from tests.factories import make_agency_role, make_head

    employee = Employee.objects.get(nip=nip(3))
    head = make_head(UnitFactory(agency=loaded))
    other_hr = make_agency_role(AgencyFactory())
    for actor in (employee.user, head.user, other_hr):
        before = db_state()
        with pytest.raises(ApplicationError) as caught:
            employees_import(
                actor=actor, agency=loaded, data=csv_bytes(small_org()), filename="p.csv"
            )
        assert caught.value.code == ErrorCode.PERMISSION_DENIED
        with pytest.raises(ApplicationError):
            employees_import(
                actor=actor,
                agency=loaded,
                data=csv_bytes(small_org()),
                filename="p.csv",
                dry_run=True,
            )
        assert db_state() == before
