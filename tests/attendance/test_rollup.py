"""The rollups of the daily records (docs/decisions/196) equal, at every step, a fresh count
of the records made here in Python: after check-ins (one with a deviation), the day's close,
an approved correction, a leave import and the next close, a history load, and a rebuild
(twice: the same rows, no duplicates). SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

import pytest
from django.core.management import call_command

from fleksi.attendance import corrections, rollup, services
from fleksi.attendance.history import PastCheckIn, checkin_history_load
from fleksi.attendance.models import DailyRecord, DayRollup, WeekRollup
from fleksi.cli import main

from .conftest import WIB, arrange, body, fresh

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 12, 1)  # Tuesday
NEXT = DAY + dt.timedelta(days=1)


def expected_days() -> dict[tuple[Any, ...], tuple[int, int, frozenset[int] | None]]:
    found: dict[tuple[Any, ...], list[Any]] = defaultdict(lambda: [0, 0, set()])
    for r in DailyRecord.objects.all():
        key = (r.agency_id, r.unit_id, r.work_date, r.planned_location, r.status, r.first_in_location,
               *[name in r.flags for name in rollup.DAY_FLAGS])
        found[key][0] += 1
        found[key][1] += r.worked_minutes
        found[key][2].add(r.employee_id)
    return {k: (n, m, frozenset(ids) if n <= rollup.FEW else None) for k, (n, m, ids) in found.items()}


def stored_days() -> dict[tuple[Any, ...], tuple[int, int, frozenset[int] | None]]:
    stored: dict[tuple[Any, ...], tuple[int, int, frozenset[int] | None]] = {}
    for r in DayRollup.objects.all():
        key = (r.agency_id, r.unit_id, r.work_date, r.planned_location, r.status, r.first_in_location,
               r.deviation, r.outside_office, r.synced_late, r.no_check_in)
        assert key not in stored, key  # one row per key
        ids = frozenset(int(x) for x in r.few_ids.split(",") if x) if r.records <= rollup.FEW else None
        assert r.records <= rollup.FEW or r.few_ids == ""
        stored[key] = (r.records, r.worked_minutes, ids)
    return stored


def expected_weeks() -> dict[tuple[int, dt.date], dict[str, Any]]:
    weeks: dict[tuple[int, dt.date], dict[str, Any]] = {}
    for r in DailyRecord.objects.all():
        monday = r.work_date - dt.timedelta(days=r.work_date.weekday())
        row = weeks.setdefault((r.employee_id, monday), {"agency_id": r.agency_id, **{
            f"{name}_{k}": None if name == "unit" else ("" if name == "location" else 0)
            for name in ("unit", "location", "minutes") for k in range(1, 8)
        }})
        k = r.work_date.isoweekday()
        row[f"unit_{k}"], row[f"location_{k}"], row[f"minutes_{k}"] = r.unit_id, r.planned_location, r.worked_minutes
    return weeks


def stored_weeks() -> dict[tuple[int, dt.date], dict[str, Any]]:
    return {
        (w.employee_id, w.monday): {"agency_id": w.agency_id, **{c: getattr(w, c) for c in rollup.WEEK_COLUMNS}}
        for w in WeekRollup.objects.all()
    }


def assert_rollups_true() -> None:
    assert stored_days() == expected_days()
    assert stored_weeks() == expected_weeks()


def test_the_rollups_follow_every_writer_of_the_records(world, now, tmp_path):
    w = world
    arrange(w.e2, DAY, "rumah")
    services.checkin_record(actor=fresh(w.e1.user), data=body())  # 07:31 at the office, stays open
    assert_rollups_true()
    services.checkin_record(actor=fresh(w.e2.user), data=body())  # planned home, at the office: deviation
    services.checkin_record(actor=fresh(w.e2.user), data=body(kind="out", client_time="2026-12-01T07:34:00+07:00"))
    assert_rollups_true()
    assert DayRollup.objects.filter(deviation=True).count() == 1

    now["at"] = dt.datetime(2026, 12, 2, 8, 0, tzinfo=WIB)
    services.attendance_close_day(actor=None, day=DAY)  # heads absent, e1 without check-out
    assert_rollups_true()
    assert DayRollup.objects.filter(status="absent").exists()

    correction = corrections.correction_submit(
        actor=fresh(w.e1.user), work_date=DAY, kind="missing_check_out", reason="Lupa presensi pulang",
        at=dt.datetime(2026, 12, 1, 16, 30, tzinfo=WIB),
    )
    corrections.correction_approve(actor=fresh(w.head_child.user), correction_id=correction.pk)
    assert_rollups_true()
    assert WeekRollup.objects.get(employee=w.e1).minutes_2 > 0  # Tuesday's minutes came with the fix

    csv = tmp_path / "cuti.csv"
    csv.write_text(f"nip,mulai,sampai,jenis\n{w.head_root.nip},2026-12-02,2026-12-02,cuti tahunan\n")
    call_command("attendance_import_leave", str(csv), "--agency", w.root.agency.code)
    assert_rollups_true()  # leave writes no record: nothing to change until the day is closed
    now["at"] = dt.datetime(2026, 12, 3, 8, 0, tzinfo=WIB)
    services.attendance_close_day(actor=None, day=NEXT)
    assert_rollups_true()
    assert DayRollup.objects.filter(work_date=NEXT, status="leave").exists()

    past = dt.datetime(2026, 11, 23, 7, 40, tzinfo=WIB)  # the Monday before
    checkin_history_load(actor=None, agency_id=w.root.agency_id, rows=[
        PastCheckIn(w.e1.pk, "in", "kantor", past, past, None, None, None),
        PastCheckIn(w.e1.pk, "out", "kantor", past + dt.timedelta(hours=9), past + dt.timedelta(hours=9),
                    None, None, None),
        PastCheckIn(w.e2.pk, "in", "rumah", past, past + dt.timedelta(hours=30), None, None, None),
    ])
    assert_rollups_true()
    assert WeekRollup.objects.filter(monday=dt.date(2026, 11, 23)).count() == 2

    # A rebuild from scratch gives the same rows, twice over; the CLI runs it too.
    DayRollup.objects.all().delete()
    WeekRollup.objects.all().delete()
    call_command("attendance_rollup", "--rebuild")
    assert_rollups_true()
    assert main(["attendance", "rollup", "--rebuild", "--agency", w.root.agency.code]) == 0
    assert_rollups_true()


def test_the_rebuild_shows_its_progress_and_drops_rows_of_weeks_without_records(world, capsys):
    services.checkin_record(actor=fresh(world.e1.user), data=body())
    stale = DayRollup.objects.get()
    DayRollup.objects.create(agency_id=stale.agency_id, unit_id=stale.unit_id, work_date=dt.date(2026, 1, 5),
                             status="absent", records=3)
    call_command("attendance_rollup", "--rebuild", "--agency", str(world.root.agency_id))
    out = capsys.readouterr().out
    assert "minggu 30-11-2026 s.d. 06-12-2026 selesai" in out and "1 minggu dihitung ulang" in out
    assert_rollups_true()


def test_an_edit_or_a_delete_in_the_admin_follows_too(world, now):
    from django.contrib import admin

    from fleksi.attendance.admin import DailyRecordAdmin

    services.checkin_record(actor=fresh(world.e1.user), data=body())
    services.checkin_record(actor=fresh(world.e2.user), data=body())
    model_admin = DailyRecordAdmin(DailyRecord, admin.site)
    record = DailyRecord.objects.get(employee=world.e1)
    record.status, record.unit_id, record.worked_minutes = "absent", world.root.pk, 0
    model_admin.save_model(None, record, None, True)  # moved to another unit: both unit-days
    assert_rollups_true()
    model_admin.delete_model(None, DailyRecord.objects.get(employee=world.e2))
    assert_rollups_true()
    model_admin.delete_queryset(None, DailyRecord.objects.all())
    assert_rollups_true()
    assert not DayRollup.objects.exists() and not WeekRollup.objects.exists()
