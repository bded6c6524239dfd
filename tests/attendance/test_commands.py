"""close-day (absent, leave, holiday, flexible never absent; twice is once), the purge of
coordinates, the leave import."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import CommandError, call_command

from fleksi.attendance import services
from fleksi.attendance.models import CheckIn, DailyRecord
from fleksi.cli import main

from .conftest import arrange, body, fresh

pytestmark = pytest.mark.django_db
TUESDAY = dt.date(2026, 12, 1)


def statuses(day):
    return dict(DailyRecord.objects.filter(work_date=day).values_list("employee_id", "status"))


def test_close_day_marks_absent_but_never_a_flexible_day_and_is_safe_twice(world, tmp_path):
    services.checkin_record(actor=fresh(world.e1.user), data=body())  # open: no check-out
    arrange(world.e2, TUESDAY, "rumah")
    csv = tmp_path / "cuti.csv"
    csv.write_text(f"nip,mulai,sampai,jenis\n{world.head_child.nip},2026-11-30,2026-12-04,cuti tahunan\n")
    call_command("attendance_import_leave", str(csv), "--agency", world.root.agency.code)
    call_command("attendance_close_day", "--date", "2026-12-01")
    first = statuses(TUESDAY)
    assert first[world.e1.pk] == "present_office"
    assert "no_check_out" in DailyRecord.objects.get(employee=world.e1).flags
    assert first[world.e2.pk] == "present_flexible"  # a home day without check-in: not absent
    assert "no_check_in" in DailyRecord.objects.get(employee=world.e2).flags
    assert first[world.head_child.pk] == "leave"
    assert first[world.head_root.pk] == "absent"
    count = DailyRecord.objects.count()
    assert main(["attendance", "close-day", "--date", "2026-12-01"]) == 0
    assert statuses(TUESDAY) == first and DailyRecord.objects.count() == count


def test_close_day_on_a_holiday_and_a_weekend(world):
    call_command("attendance_close_day", "--date", "2026-12-25")  # Natal
    assert set(statuses(dt.date(2026, 12, 25)).values()) == {"holiday"}
    call_command("attendance_close_day", "--date", "2026-12-05")  # Saturday
    assert statuses(dt.date(2026, 12, 5)) == {}


def test_leave_import_refuses_a_bad_file_whole(world, tmp_path):
    csv = tmp_path / "cuti.csv"
    csv.write_text(f"nip,mulai,sampai,jenis\n{world.e1.nip},2026-12-01,2026-12-02,cuti\n{world.other.nip},2026-12-01,2026-12-02,cuti\n")
    with pytest.raises(CommandError):
        call_command("attendance_import_leave", str(csv), "--agency", world.root.agency.code)
    assert not world.e1.leave_days.exists()


def test_purge_nulls_coordinates_after_the_retention_and_keeps_the_flags(world, now):
    old, _ = services.checkin_record(actor=fresh(world.e1.user), data=body(latitude=-6.197))
    now["at"] = now["at"] + dt.timedelta(days=91)
    new, _ = services.checkin_record(
        actor=fresh(world.e2.user), data=body(client_time=now["at"].isoformat())
    )
    call_command("attendance_purge_locations")
    old, new = CheckIn.objects.get(pk=old.pk), CheckIn.objects.get(pk=new.pk)
    assert old.latitude is None and old.longitude is None and old.flags == ["outside_office"]
    assert new.latitude is not None
