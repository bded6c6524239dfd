"""A column absent from the file leaves the stored values alone (issue 7, data safety).

Before the fix, an import without ``tugas_memenuhi_kriteria`` and ``waktu`` reset every
position of the file to "tidak": everyone holding those titles, also the employees not in
the file, silently lost their eligibility.
"""

from __future__ import annotations

import pytest

from fleksi.organisation.importing import (
    ImportInvalid,
    ImportNeedsConfirmation,
    employees_import,
)
from fleksi.organisation.models import Employee, OrgUnit, Position
from tests.factories import AgencyFactory, EmployeeFactory

from .test_import_support import COLUMNS, csv_bytes, db_state, nip, row, small_org

pytestmark = pytest.mark.django_db

REQUIRED_ONLY = ["nip", "nama", "unit_kode", "jabatan"]


def run(agency, data: bytes, **kwargs):
    return employees_import(actor=None, agency=agency, data=data, filename="p.csv", **kwargs)


def without(*names: str) -> list[str]:
    return [c for c in COLUMNS if c not in names]


def loaded_agency():
    """small_org imported, plus an analyst of DIT-A who is in no file."""
    agency = AgencyFactory()
    run(agency, csv_bytes(small_org()))
    analyst = Position.objects.get(agency=agency, title="Analis Kebijakan")
    outsider = EmployeeFactory(
        agency=agency, unit=OrgUnit.objects.get(agency=agency, code="DIT-A"), position=analyst
    )
    return agency, outsider


def test_file_without_assessment_columns_changes_no_position_and_no_eligibility() -> None:
    agency, outsider = loaded_agency()
    assert Employee.objects.get(pk=outsider.pk).tasks_eligible
    before = db_state()
    columns = without("tugas_memenuhi_kriteria", "tugas_luar_kantor", "waktu")
    report = run(agency, csv_bytes(small_org(), columns))
    assert report.positions_updated == 0 and report.positions_unchanged == 5
    assert report.writes == 0, [c.changes for c in report.changes]
    after = db_state()
    after.pop("audit"), before.pop("audit")
    assert after == before
    analyst = Position.objects.get(agency=agency, title="Analis Kebijakan")
    assert analyst.meets_task_criteria and analyst.time_flexibility == "dinamis"
    assert Employee.objects.get(pk=outsider.pk).tasks_eligible
    hadi = Employee.objects.get(nip=nip(7))  # his stored override is kept too
    assert hadi.tasks_eligible_override is False and not hadi.tasks_eligible


def test_file_with_only_the_required_columns_changes_nothing_stored() -> None:
    agency, _ = loaded_agency()
    before = db_state()
    report = run(agency, csv_bytes(small_org(), REQUIRED_ONLY))
    assert report.writes == 0
    after = db_state()
    after.pop("audit"), before.pop("audit")
    assert after == before  # heads, supervisors, emails, dates, flags, unit names: all kept


def test_each_optional_column_absent_alone_keeps_its_field() -> None:
    agency, _ = loaded_agency()
    rows = small_org()
    for r in rows:  # values that would change every field if their column were read
        r.update(
            jenis="PPPK",
            atasan_nip="",
            tmt_jabatan="2025-01-01",
            email="baru@instansi.go.id",
            domisili="Jl. Baru 9",
            hukuman_disiplin="ya",
            dikecualikan="ya",
            keadaan_khusus_mulai="2026-05-04",
            keadaan_khusus_sampai="2026-05-08",
            kepala_unit="tidak",
        )
    stored = {e.nip: e for e in Employee.objects.filter(agency=agency)}
    columns = without(
        "jenis",
        "atasan_nip",
        "tmt_jabatan",
        "email",
        "domisili",
        "hukuman_disiplin",
        "dikecualikan",
        "keadaan_khusus_mulai",
        "keadaan_khusus_sampai",
        "kepala_unit",
    )
    assert run(agency, csv_bytes(rows, columns)).writes == 0
    for employee in Employee.objects.filter(agency=agency, nip__in=[r["nip"] for r in rows]):
        old = stored[employee.nip]
        assert (employee.kind, employee.supervisor_id, employee.position_start) == (
            old.kind,
            old.supervisor_id,
            old.position_start,
        )
        assert (employee.email, employee.domicile) == (old.email, old.domicile)
        assert (employee.disciplinary, employee.excluded) == (old.disciplinary, old.excluded)
        assert (employee.special_start, employee.special_end) == (
            old.special_start,
            old.special_end,
        )
    assert OrgUnit.objects.get(agency=agency, code="DIT-A").head.nip == nip(1)


def test_a_present_column_with_an_empty_cell_still_clears() -> None:
    agency, _ = loaded_agency()
    rows = small_org()
    rows[2]["email"] = ""
    report = run(agency, csv_bytes(rows, without("waktu")))
    assert report.employees_updated == 1
    assert Employee.objects.get(nip=nip(2)).email == ""


def test_new_rows_take_the_defaults_for_absent_columns() -> None:
    agency, _ = loaded_agency()
    rows = [
        row(nip(30), unit_kode="DIT-A", jabatan="Analis Kebijakan"),  # stored position
        row(nip(31), unit_kode="DIT-A", jabatan="Jabatan Baru"),  # new position
    ]
    report = run(agency, csv_bytes(rows, REQUIRED_ONLY))
    assert report.employees_created == 2 and report.positions_created == 1
    analyst = Employee.objects.get(nip=nip(30))
    assert analyst.tasks_eligible_override is None and analyst.override_reason == ""
    assert analyst.tasks_eligible and analyst.time_flexibility == "dinamis"  # as the position
    new = Position.objects.get(agency=agency, title="Jabatan Baru")
    assert (new.meets_task_criteria, new.field_work, new.time_flexibility) == (
        False,
        False,
        "tidak",
    )
    fresh = Employee.objects.get(nip=nip(31))
    assert fresh.kind == "PNS" and fresh.supervisor is None and fresh.email == ""
    assert not fresh.disciplinary and not fresh.excluded and fresh.special_start is None


def test_one_present_assessment_column_changes_only_its_part() -> None:
    agency, _ = loaded_agency()
    rows = small_org()
    rows[2]["waktu"] = "sif"  # Citra: first row of Analis Kebijakan
    report = run(agency, csv_bytes(rows, without("tugas_memenuhi_kriteria")))
    assert report.positions_updated == 1
    analyst = Position.objects.get(agency=agency, title="Analis Kebijakan")
    assert analyst.time_flexibility == "sif" and analyst.meets_task_criteria


def test_preview_counts_the_employees_a_position_change_affects() -> None:
    agency, _ = loaded_agency()
    rows = [r for r in small_org() if r["nip"] == nip(2)]  # only Citra, first of her title
    rows[0]["tugas_memenuhi_kriteria"] = "tidak"
    report = run(agency, csv_bytes(rows), dry_run=True)
    (change,) = report.position_changes
    assert change.title == "Analis Kebijakan" and change.action == "updated"
    assert [c.field for c in change.changes] == ["tugas_memenuhi_kriteria"]
    # Citra (in the file) and Gita and the outsider (not in it) lose eligibility; Hadi has
    # his own "tidak" override and is not affected.
    assert (change.affected, change.affected_outside_file) == (3, 2)
    assert report.employees_affected_outside_file == 2 and report.needs_confirmation


def test_changes_outside_the_file_need_the_confirmation_when_asked_for() -> None:
    agency, outsider = loaded_agency()
    rows = [r for r in small_org() if r["nip"] == nip(2)]
    rows[0]["tugas_memenuhi_kriteria"] = "tidak"
    before = db_state()
    with pytest.raises(ImportNeedsConfirmation) as caught:
        run(agency, csv_bytes(rows), allow_changes_outside_file=False)
    assert caught.value.details["employees_outside_file"] == 2
    assert db_state() == before
    run(agency, csv_bytes(rows), allow_changes_outside_file=True)
    assert not Employee.objects.get(pk=outsider.pk).tasks_eligible


def test_a_change_only_for_employees_in_the_file_needs_no_confirmation() -> None:
    agency = AgencyFactory()
    run(agency, csv_bytes(small_org()))
    rows = small_org()
    rows[5]["tugas_luar_kantor"] = "tidak"  # Fajar is the only Pengawas Lapangan
    report = run(agency, csv_bytes(rows), allow_changes_outside_file=False)
    assert report.positions_updated == 1 and not report.needs_confirmation
    assert report.position_changes[0].affected == 1


# ---- unit_nama only for new units ----


def test_existing_unit_may_omit_its_name_and_keeps_it() -> None:
    agency, _ = loaded_agency()
    rows = small_org()
    for r in rows:
        r.pop("unit_nama", None)
    assert run(agency, csv_bytes(rows)).writes == 0
    assert run(agency, csv_bytes(rows, without("unit_nama"))).writes == 0
    assert OrgUnit.objects.get(agency=agency, code="DIT-A").name == "Direktorat A"


def test_new_unit_without_a_name_is_refused_with_line_and_column() -> None:
    agency, _ = loaded_agency()
    rows = [
        row(nip(40), unit_kode="DIT-A"),
        row(nip(41), unit_kode="BARU", unit_induk_kode="ROOT"),
        row(nip(42), unit_kode="BARU"),
    ]
    with pytest.raises(ImportInvalid) as caught:
        run(agency, csv_bytes(rows))
    (problem,) = caught.value.problems
    assert (problem.line, problem.column) == (3, "unit_nama")
    assert "BARU" in problem.message_id and "unit baru" in problem.message_id


def test_new_unit_may_be_named_on_a_later_row() -> None:
    agency = AgencyFactory()
    rows = [row(nip(0), unit_kode="ROOT"), row(nip(1), unit_kode="ROOT", unit_nama="Sekretariat")]
    run(agency, csv_bytes(rows))
    assert OrgUnit.objects.get(agency=agency, code="ROOT").name == "Sekretariat"


# ---- unit codes ----


@pytest.mark.parametrize(
    "code", ['EVIL";filename="x.bat', "BIRO UMUM", "../x", "A/B", "UNIT\u00a0A", "kode;rm"]
)
def test_unit_codes_with_other_characters_are_refused(code: str) -> None:
    agency = AgencyFactory()
    rows = [row(nip(0), unit_kode="ROOT", unit_nama="Sekretariat"), row(nip(1), unit_kode=code)]
    rows[1]["unit_nama"] = "Unit Aneh"
    with pytest.raises(ImportInvalid) as caught:
        run(agency, csv_bytes(rows))
    problems = [(p.line, p.column) for p in caught.value.problems]
    assert (3, "unit_kode") in problems
    message = next(p for p in caught.value.problems if p.column == "unit_kode")
    assert "huruf, angka" in message.message_id and "letters, digits" in message.message_en
    assert OrgUnit.objects.filter(agency=agency).count() == 0


def test_unit_codes_with_dots_dashes_and_underscores_are_accepted() -> None:
    agency = AgencyFactory()
    rows = [row(nip(0), unit_kode="Biro_Umum-1.2", unit_nama="Biro Umum")]
    assert run(agency, csv_bytes(rows)).units_created == 1


def test_a_parent_code_with_other_characters_is_refused() -> None:
    agency = AgencyFactory()
    rows = [row(nip(0), unit_kode="A", unit_nama="A", unit_induk_kode="X;Y")]
    with pytest.raises(ImportInvalid) as caught:
        run(agency, csv_bytes(rows))
    assert [(p.line, p.column) for p in caught.value.problems] == [(2, "unit_induk_kode")]
