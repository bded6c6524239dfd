"""employees_import: the happy paths, idempotence, updates by NIP, the tree, positions."""

from __future__ import annotations

import datetime as dt

import pytest

from fleksi.accounts.models import User
from fleksi.audit.models import AuditEvent
from fleksi.organisation.importing import AUDIT_ACTION, IMPORT_OVERRIDE_REASON, employees_import
from fleksi.organisation.models import Employee, OrgUnit, Position
from tests.factories import (
    AgencyFactory,
    EmployeeFactory,
    PositionFactory,
    UnitFactory,
    make_agency_role,
)

from .test_import_support import csv_bytes, db_state, nip, row, small_org, xlsx_bytes

pytestmark = pytest.mark.django_db


def run(agency, data: bytes, filename: str = "pegawai.csv", **kwargs):
    return employees_import(actor=None, agency=agency, data=data, filename=filename, **kwargs)


def check_small_org(agency) -> None:
    units = {u.code: u for u in OrgUnit.objects.filter(agency=agency)}
    assert set(units) == {"ROOT", "DIT-A", "DIT-B"}
    root, a, b = units["ROOT"], units["DIT-A"], units["DIT-B"]
    assert root.parent is None and root.path == f"/{root.pk}/" and root.depth == 0
    assert a.parent == root and a.path == f"/{root.pk}/{a.pk}/" and a.depth == 1
    assert b.parent == root and b.path == f"/{root.pk}/{b.pk}/" and b.depth == 1
    assert a.name == "Direktorat A"
    employees = {
        e.nip: e for e in Employee.objects.filter(agency=agency).select_related("position", "user")
    }
    assert len(employees) == 8
    assert (
        root.head == employees[nip(0)]
        and a.head == employees[nip(1)]
        and b.head == employees[nip(4)]
    )
    citra = employees[nip(2)]
    assert citra.name == "Citra Lestari"
    assert citra.unit == a and citra.supervisor == employees[nip(1)]
    assert employees[nip(1)].supervisor == employees[nip(0)]
    assert employees[nip(0)].supervisor is None
    assert citra.position_start == dt.date(2020, 1, 6)
    assert citra.email == "citra@instansi.go.id" and citra.domicile == "Jl. Merdeka 1"
    assert citra.kind == "PNS" and citra.is_active
    assert employees[nip(6)].disciplinary is True
    assert employees[nip(7)].special_start == dt.date(2026, 3, 2)
    assert employees[nip(7)].special_end == dt.date(2026, 3, 31)
    # Users: username = NIP, email from the file, no usable password.
    for employee in employees.values():
        assert employee.user is not None and employee.user.username == employee.nip
        assert not employee.user.has_usable_password()
    assert employees[nip(2)].user.email == "citra@instansi.go.id"


def test_happy_path_csv_builds_tree_heads_supervisors_and_users() -> None:
    agency = AgencyFactory()
    report = run(agency, csv_bytes(small_org()))
    assert (report.units_created, report.units_updated, report.units_unchanged) == (3, 0, 0)
    assert (report.employees_created, report.employees_updated, report.employees_unchanged) == (
        8,
        0,
        0,
    )
    assert report.positions_created == 5 and report.users_created == 8
    assert report.rows == 8 and report.problems == [] and not report.dry_run
    check_small_org(agency)
    event = AuditEvent.objects.get(action=AUDIT_ACTION)
    assert event.agency_id == agency.pk and event.actor is None
    assert event.data["employees_created"] == 8 and event.data["sha256"] == report.sha256


def test_happy_path_xlsx() -> None:
    agency = AgencyFactory()
    rows = small_org()
    rows[2]["tmt_jabatan"] = dt.date(2020, 1, 6)  # a real date cell
    report = run(agency, xlsx_bytes(rows), filename="pegawai.xlsx")
    assert report.employees_created == 8 and report.units_created == 3
    check_small_org(agency)


def test_positions_take_the_first_row_and_differing_rows_get_overrides() -> None:
    agency = AgencyFactory()
    run(agency, csv_bytes(small_org()))
    analyst = Position.objects.get(agency=agency, title="Analis Kebijakan")
    # First row of the title (Citra): eligible, no field work, dynamic hours.
    assert analyst.meets_task_criteria and not analyst.field_work
    assert analyst.time_flexibility == "dinamis"
    field = Position.objects.get(agency=agency, title="Pengawas Lapangan")
    assert field.field_work and not field.meets_task_criteria
    citra = Employee.objects.get(nip=nip(2))
    assert citra.tasks_eligible_override is None and citra.override_reason == ""
    assert citra.tasks_eligible and citra.time_flexibility == "dinamis"
    hadi = Employee.objects.get(nip=nip(7))
    assert hadi.tasks_eligible_override is False
    assert hadi.field_work_override is None and hadi.time_flexibility_override == ""
    assert hadi.override_reason == IMPORT_OVERRIDE_REASON
    assert not hadi.tasks_eligible
    gita = Employee.objects.get(nip=nip(6))  # waktu dinamis like the position: no override
    assert gita.time_flexibility_override == "" and gita.override_reason == ""


def test_reimport_of_the_same_file_writes_nothing() -> None:
    agency = AgencyFactory()
    data = csv_bytes(small_org())
    run(agency, data)
    stamps = dict(Employee.objects.values_list("nip", "updated_at"))
    before = db_state()
    report = run(agency, data)
    assert report.writes == 0
    assert (report.employees_created, report.employees_updated, report.employees_unchanged) == (
        0,
        0,
        8,
    )
    assert (report.units_created, report.units_updated, report.units_unchanged) == (0, 0, 3)
    assert (report.positions_created, report.positions_updated, report.positions_unchanged) == (
        0,
        0,
        5,
    )
    assert report.users_created == 0 and report.changes == [] and report.changes_total == 0
    assert dict(Employee.objects.values_list("nip", "updated_at")) == stamps
    after = db_state()
    assert after.pop("audit") == before.pop("audit") + 1  # the import itself is on record
    assert after == before


def test_reimport_of_the_same_xlsx_writes_nothing() -> None:
    agency = AgencyFactory()
    data = xlsx_bytes(small_org())
    run(agency, data, filename="pegawai.xlsx")
    report = run(agency, data, filename="pegawai.xlsx")
    assert report.writes == 0 and report.employees_unchanged == 8


def test_changed_file_updates_by_nip_and_lists_the_changes() -> None:
    agency = AgencyFactory()
    run(agency, csv_bytes(small_org()))
    untouched = dict(
        Employee.objects.exclude(nip__in=[nip(2), nip(3)]).values_list("nip", "updated_at")
    )
    rows = small_org()
    rows[2].update(nama="Citra Lestari Dewi", email="", atasan_nip=nip(0))  # renamed, email cleared
    rows[3].update(unit_kode="DIT-B", unit_nama="Direktorat B", atasan_nip=nip(4))  # moved
    report = run(agency, csv_bytes(rows), dry_run=True)
    assert (report.employees_created, report.employees_updated, report.employees_unchanged) == (
        0,
        2,
        6,
    )
    changes = {c.nip: {f.field: (f.old, f.new) for f in c.changes} for c in report.changes}
    assert changes[nip(2)]["nama"] == ("Citra Lestari", "Citra Lestari Dewi")
    assert changes[nip(2)]["email"] == ("citra@instansi.go.id", "–")
    assert changes[nip(2)]["atasan_nip"] == (nip(1), nip(0))
    assert changes[nip(3)] == {"unit_kode": ("DIT-A", "DIT-B"), "atasan_nip": (nip(1), nip(4))}
    assert Employee.objects.get(nip=nip(2)).name == "Citra Lestari"  # dry run: nothing saved

    report = run(agency, csv_bytes(rows))
    assert report.employees_updated == 2 and report.employees_unchanged == 6
    citra = Employee.objects.get(nip=nip(2))
    assert citra.name == "Citra Lestari Dewi" and citra.email == ""
    assert citra.supervisor.nip == nip(0)
    assert Employee.objects.get(nip=nip(3)).unit.code == "DIT-B"
    assert (
        dict(Employee.objects.exclude(nip__in=[nip(2), nip(3)]).values_list("nip", "updated_at"))
        == untouched
    )
    assert User.objects.get(username=nip(2)).email == "citra@instansi.go.id"  # login email kept


def test_employees_not_in_the_file_are_left_unchanged() -> None:
    agency = AgencyFactory()
    run(agency, csv_bytes(small_org()))
    other = EmployeeFactory(unit=OrgUnit.objects.get(agency=agency, code="DIT-A"), name="Tetap Ada")
    stamp = Employee.objects.get(pk=other.pk).updated_at
    report = run(agency, csv_bytes(small_org()[:3]))
    assert report.employees_unchanged == 3 and report.writes == 0
    kept = Employee.objects.get(pk=other.pk)
    assert kept.name == "Tetap Ada" and kept.is_active and kept.updated_at == stamp
    assert Employee.objects.filter(agency=agency).count() == 9


def test_dry_run_writes_nothing() -> None:
    agency = AgencyFactory()
    before = db_state()
    report = run(agency, csv_bytes(small_org()), dry_run=True)
    assert report.dry_run and report.employees_created == 8 and report.units_created == 3
    assert report.users_created == 8 and report.changes_total == 8
    assert db_state() == before


def test_moving_a_unit_recomputes_the_paths_of_its_subtree() -> None:
    agency = AgencyFactory()
    rows = [
        *small_org(),
        row(
            nip(8),
            unit_kode="SUB-A",
            unit_nama="Subdirektorat A1",
            unit_induk_kode="DIT-A",
            atasan_nip=nip(1),
        ),
    ]
    run(agency, csv_bytes(rows))
    # Only DIT-A moves (under DIT-B); its child SUB-A is not in the second file.
    moved = [
        row(
            nip(1),
            nama="Budi Santoso",
            unit_kode="DIT-A",
            unit_nama="Direktorat A",
            unit_induk_kode="DIT-B",
            kepala_unit="ya",
            jabatan="Direktur",
            atasan_nip=nip(0),
            tugas_memenuhi_kriteria="tidak",
        )
    ]
    report = run(agency, csv_bytes(moved))
    units = {u.code: u for u in OrgUnit.objects.filter(agency=agency)}
    root, a, b, sub = units["ROOT"], units["DIT-A"], units["DIT-B"], units["SUB-A"]
    assert a.parent == b and a.path == f"/{root.pk}/{b.pk}/{a.pk}/" and a.depth == 2
    assert sub.path == f"/{root.pk}/{b.pk}/{a.pk}/{sub.pk}/" and sub.depth == 3
    assert report.units_updated == 2  # DIT-A and its descendant SUB-A
    assert root.path == f"/{root.pk}/" and b.path == f"/{root.pk}/{b.pk}/"


def test_unit_without_parent_in_file_keeps_its_stored_parent() -> None:
    agency = AgencyFactory()
    run(agency, csv_bytes(small_org()))
    partial = [row(nip(2), nama="Citra Lestari", unit_kode="DIT-A", unit_nama="Direktorat A")]
    run(agency, csv_bytes(partial))
    assert OrgUnit.objects.get(agency=agency, code="DIT-A").parent.code == "ROOT"


def test_new_head_replaces_the_old_one() -> None:
    agency = AgencyFactory()
    run(agency, csv_bytes(small_org()))
    rows = small_org()
    rows[1]["kepala_unit"] = "tidak"
    rows[2]["kepala_unit"] = "ya"
    report = run(agency, csv_bytes(rows))
    assert OrgUnit.objects.get(agency=agency, code="DIT-A").head.nip == nip(2)
    assert report.units_updated == 1


def test_head_not_marked_in_the_file_stops_being_head() -> None:
    agency = AgencyFactory()
    run(agency, csv_bytes(small_org()))
    rows = small_org()
    rows[1]["kepala_unit"] = "tidak"
    run(agency, csv_bytes(rows))
    assert OrgUnit.objects.get(agency=agency, code="DIT-A").head is None


def test_supervisor_and_parent_unit_may_already_exist_in_the_agency() -> None:
    agency = AgencyFactory()
    run(agency, csv_bytes(small_org()))
    rows = [
        row(
            nip(20),
            unit_kode="SUB-B",
            unit_nama="Subbagian B",
            unit_induk_kode="DIT-B",
            atasan_nip=nip(4),
        )
    ]
    report = run(agency, csv_bytes(rows))
    assert report.employees_created == 1 and report.units_created == 1
    new = Employee.objects.get(nip=nip(20))
    assert new.supervisor.nip == nip(4)
    b = OrgUnit.objects.get(agency=agency, code="DIT-B")
    assert new.unit.parent == b and new.unit.path == f"{b.path}{new.unit.pk}/"


def test_position_assessment_is_updated_and_a_finer_one_is_kept() -> None:
    agency = AgencyFactory()
    PositionFactory(agency=agency, title="Analis Kebijakan", can_use_ict=False)  # 4 of 5 criteria
    PositionFactory(agency=agency, title="Arsiparis")  # all five criteria
    rows = [
        row(
            nip(0),
            unit_nama="Sekretariat",
            jabatan="Analis Kebijakan",
            tugas_memenuhi_kriteria="tidak",
        ),
        row(nip(1), jabatan="Arsiparis", tugas_memenuhi_kriteria="tidak"),
    ]
    report = run(agency, csv_bytes(rows))
    assert report.positions_unchanged == 1 and report.positions_updated == 1
    analyst = Position.objects.get(agency=agency, title="Analis Kebijakan")
    assert analyst.can_work_outside_office and not analyst.can_use_ict  # untouched
    archivist = Position.objects.get(agency=agency, title="Arsiparis")
    assert not archivist.meets_task_criteria and not archivist.can_work_outside_office


def test_existing_user_with_the_nip_is_linked_not_duplicated() -> None:
    agency = AgencyFactory()
    user = User.objects.create_user(
        username=nip(0), email="lama@instansi.go.id", password="x-secret-123"
    )
    report = run(agency, csv_bytes([row(nip(0), unit_nama="Sekretariat")]))
    assert report.users_created == 0
    assert Employee.objects.get(nip=nip(0)).user == user
    assert User.objects.filter(username=nip(0)).count() == 1


def test_pppk_rows_are_imported_as_pppk() -> None:
    agency = AgencyFactory()
    pppk = "198503152021000001"  # NI PPPK: birth date + other digits
    run(agency, csv_bytes([row(pppk, unit_nama="Sekretariat", jenis="PPPK")]))
    assert Employee.objects.get(nip=pppk).kind == "PPPK"


def test_hr_admin_import_is_audited_with_the_actor() -> None:
    agency = AgencyFactory()
    hr = make_agency_role(agency)
    employees_import(actor=hr, agency=agency, data=csv_bytes(small_org()), filename="p.csv")
    event = AuditEvent.objects.get(action=AUDIT_ACTION)
    assert event.actor == hr and event.data["users_created"] == 8


def test_progress_reports_stages() -> None:
    agency = AgencyFactory()
    messages: list[str] = []
    run(agency, csv_bytes(small_org()), progress=messages.append)
    assert any("8 baris" in m for m in messages)
    assert any(m.startswith("Menyimpan pegawai baru") for m in messages)
    assert messages[-1] == "Menyusun pohon unit (3 unit)…"
    english: list[str] = []
    run(agency, csv_bytes(small_org()), progress=english.append, dry_run=True, lang="en")
    assert english == [
        "Reading pegawai.csv…",
        "8 employee rows read; checking against the database…",
    ]


def test_preview_is_capped_but_counts_are_exact() -> None:
    from .test_import_support import many_rows

    agency = AgencyFactory()
    report = run(agency, csv_bytes(many_rows(230)), dry_run=True)
    assert report.employees_created == 230 and report.changes_total == 230
    assert len(report.changes) == 200 and report.changes_truncated


def test_import_into_existing_unit_created_elsewhere() -> None:
    agency = AgencyFactory()
    unit = UnitFactory(agency=agency, code="ROOT", name="Sekretariat")
    report = run(agency, csv_bytes([row(nip(0), unit_nama="Sekretariat")]))
    assert report.units_created == 0 and report.units_unchanged == 1
    assert Employee.objects.get(nip=nip(0)).unit == unit


def test_update_of_every_kind_of_field() -> None:
    agency = AgencyFactory()
    run(agency, csv_bytes(small_org()))
    rows = small_org()
    # Gita: not the first row of her position, so her assessment becomes an override.
    rows[6].update(
        tmt_jabatan="",
        domisili="",
        hukuman_disiplin="tidak",
        dikecualikan="ya",
        jenis="PPPK",
        tugas_memenuhi_kriteria="tidak",
        tugas_luar_kantor="ya",
        waktu="sif",
        keadaan_khusus_mulai="2026-04-01",
        keadaan_khusus_sampai="2026-04-30",
    )
    rows[7].update(
        tugas_memenuhi_kriteria="ya",
        keadaan_khusus_mulai="",
        keadaan_khusus_sampai="",
        tmt_jabatan="2021-02-03",
    )
    report = run(agency, csv_bytes(rows))
    assert report.employees_updated == 2
    gita = Employee.objects.get(nip=nip(6))
    assert gita.position_start is None and gita.domicile == ""
    assert not gita.disciplinary and gita.excluded and gita.kind == "PPPK"
    assert gita.tasks_eligible_override is False and gita.field_work_override is True
    assert (
        gita.time_flexibility_override == "sif" and gita.override_reason == IMPORT_OVERRIDE_REASON
    )
    assert gita.special_start == dt.date(2026, 4, 1) and gita.special_end == dt.date(2026, 4, 30)
    hadi = Employee.objects.get(nip=nip(7))
    assert hadi.tasks_eligible_override is None and hadi.override_reason == ""
    assert hadi.special_start is None and hadi.special_end is None
    assert hadi.position_start == dt.date(2021, 2, 3)
    assert hadi.updated_at > gita.user.date_joined
    assert run(agency, csv_bytes(rows)).writes == 0


def test_override_reason_written_by_hr_is_kept_while_the_values_agree() -> None:
    agency = AgencyFactory()
    run(agency, csv_bytes(small_org()))
    Employee.objects.filter(nip=nip(7)).update(override_reason="Tugas pengawasan fisik arsip")
    assert run(agency, csv_bytes(small_org())).writes == 0
    assert Employee.objects.get(nip=nip(7)).override_reason == "Tugas pengawasan fisik arsip"
