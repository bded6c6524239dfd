"""The check-in table by month (docs/decisions/110): partitioned on PostgreSQL, plain on
SQLite, the idempotency ledger on both, partitions made ahead by a command, old months
detached rather than deleted row by row."""

from __future__ import annotations

import datetime as dt
import io
import uuid

import pytest
from django.core.management import call_command
from django.db import connection

from fleksi.attendance import partitions, services
from fleksi.attendance.models import CheckIn, CheckInKey, DailyRecord
from fleksi.core.errors import ApplicationError

from .conftest import body, fresh

UTC = dt.UTC


def _partition_of(check_in_id: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tableoid::regclass::text FROM attendance_checkin WHERE id = %s", [check_in_id])
        return str(cursor.fetchone()[0])


def test_every_check_in_has_its_key_in_the_ledger(world):
    record, created = services.checkin_record(actor=fresh(world.e1.user), data=body())
    key = CheckInKey.objects.get()
    assert created and (key.employee_id, key.idempotency_key, key.checkin_id) == (
        world.e1.pk, record.idempotency_key, record.pk,
    )
    assert key.agency_id == world.e1.agency_id and key.server_time == record.server_time


def test_a_second_insert_of_a_key_fails_in_the_database_whatever_the_path(world):
    from django.db import IntegrityError, transaction

    record, _ = services.checkin_record(actor=fresh(world.e1.user), data=body())
    with pytest.raises(IntegrityError), transaction.atomic():
        CheckIn.objects.create(
            agency_id=record.agency_id, employee_id=record.employee_id, kind="out", location="rumah",
            client_time=record.client_time, server_time=record.server_time + dt.timedelta(days=40),
            work_date=record.work_date, idempotency_key=record.idempotency_key, body_hash="other",
        )
    assert CheckIn.objects.count() == 1


@pytest.mark.django_db
def test_retention_on_sqlite_or_postgresql_removes_old_months_and_their_keys(world, now):
    now["at"] = dt.datetime(2026, 10, 15, 9, 0, tzinfo=UTC)
    partitions.ensure_partitions(ahead=2, today=dt.date(2026, 10, 1))
    old, _ = services.checkin_record(
        actor=fresh(world.e1.user), data=body(client_time="2026-10-15T15:58:00+07:00")
    )
    now["at"] = dt.datetime(2026, 12, 1, 0, 35, tzinfo=UTC)
    recent, _ = services.checkin_record(actor=fresh(world.e1.user), data=body())
    result = partitions.drop_months_before(cutoff=dt.date(2026, 11, 1), drop=True)
    assert list(CheckIn.objects.values_list("pk", flat=True)) == [recent.pk]
    assert list(CheckInKey.objects.values_list("checkin_id", flat=True)) == [recent.pk]
    assert DailyRecord.objects.filter(work_date=dt.date(2026, 10, 15)).exists()  # the day stays
    assert result.keys_forgotten == 1
    assert old.pk not in CheckIn.objects.values_list("pk", flat=True)


# --------------------------------------------------------------------------- PostgreSQL


@pytest.mark.postgres
def test_the_check_in_table_is_partitioned_with_a_default_and_agency_leading_indexes(db):
    assert partitions.is_partitioned()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = 'attendance_checkin'::regclass"
        )
        children = {name for (name,) in cursor.fetchall()}
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'attendance_checkin'"
        )
        indexes = dict(cursor.fetchall())
        cursor.execute(
            "SELECT pg_get_partkeydef('attendance_checkin'::regclass)"
        )
        (key,) = cursor.fetchone()
    assert key == "RANGE (server_time)"
    assert partitions.DEFAULT_PARTITION in children
    assert partitions.partition_name(partitions.month_start(dt.datetime.now(UTC).date())) in children
    assert set(indexes) >= {"attendance_checkin_pkey", "checkin_agency_emp_date", "checkin_agency_time",
                            "checkin_agency_time_located"}
    for name, definition in indexes.items():
        if name != "attendance_checkin_pkey":
            assert "(agency_id," in definition, definition
    assert "(id, server_time)" in indexes["attendance_checkin_pkey"]


@pytest.mark.postgres
def test_a_check_in_lands_in_its_months_partition(world, now):
    partitions.ensure_partitions(ahead=1, today=dt.date(2026, 11, 1))
    record, _ = services.checkin_record(actor=fresh(world.e1.user), data=body())
    assert _partition_of(record.pk) == "attendance_checkin_2026_12"


@pytest.mark.postgres
def test_the_partitions_command_is_safe_to_run_twice_and_moves_rows_out_of_default(world, now):
    # A month nobody created yet: the check-in goes to DEFAULT, never fails.
    now["at"] = dt.datetime(2027, 9, 14, 0, 35, tzinfo=UTC)
    record, _ = services.checkin_record(
        actor=fresh(world.e1.user), data=body(client_time="2027-09-14T07:31:00+07:00")
    )
    assert _partition_of(record.pk) == partitions.DEFAULT_PARTITION
    first = partitions.ensure_partitions(ahead=2, today=dt.date(2027, 9, 1))
    assert first == ["attendance_checkin_2027_09", "attendance_checkin_2027_10", "attendance_checkin_2027_11"]
    assert _partition_of(record.pk) == "attendance_checkin_2027_09"
    assert partitions.ensure_partitions(ahead=2, today=dt.date(2027, 9, 1)) == []
    out = io.StringIO()
    call_command("attendance_partitions", "--ahead", "2", stdout=out)
    call_command("attendance_partitions", "--ahead", "2", stdout=out)
    # The retry of the moved check-in still answers 200 with the same record.
    same, created = services.checkin_record(
        actor=fresh(world.e1.user),
        data=body(client_time="2027-09-14T07:31:00+07:00", idempotency_key=str(record.idempotency_key)),
    )
    assert (same.pk, created) == (record.pk, False)


@pytest.mark.postgres
def test_retention_detaches_whole_months_and_keeps_them_as_archive(world, now):
    partitions.ensure_partitions(ahead=2, today=dt.date(2026, 10, 1))
    now["at"] = dt.datetime(2026, 10, 15, 2, 0, tzinfo=UTC)
    old, _ = services.checkin_record(
        actor=fresh(world.e1.user), data=body(client_time="2026-10-15T08:58:00+07:00")
    )
    now["at"] = dt.datetime(2026, 12, 1, 0, 35, tzinfo=UTC)
    services.checkin_record(actor=fresh(world.e1.user), data=body())
    result = partitions.drop_months_before(cutoff=dt.date(2026, 11, 15))
    assert "attendance_checkin_2026_10" in result.detached and result.rows_deleted == 0
    assert "attendance_checkin_2026_11" not in result.detached  # not a whole month before
    assert dt.date(2026, 10, 1) not in partitions.monthly_partitions()
    assert not CheckIn.objects.filter(pk=old.pk).exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM attendance_checkin_archive_2026_10")
        assert cursor.fetchone()[0] == 1


@pytest.mark.postgres
def test_the_same_key_across_a_month_boundary_is_one_check_in(world, now):
    partitions.ensure_partitions(ahead=1, today=dt.date(2026, 11, 1))
    data = body(client_time="2026-12-01T06:59:00+07:00")  # 23:59 UTC on 30 November
    now["at"] = dt.datetime(2026, 11, 30, 23, 59, 30, tzinfo=UTC)
    first, created = services.checkin_record(actor=fresh(world.e1.user), data=data)
    assert created and _partition_of(first.pk) == "attendance_checkin_2026_11"
    now["at"] = dt.datetime(2026, 12, 1, 0, 0, 30, tzinfo=UTC)  # the retry, next month
    again, created = services.checkin_record(actor=fresh(world.e1.user), data=data)
    assert (again.pk, created) == (first.pk, False)
    with pytest.raises(ApplicationError) as conflict:
        services.checkin_record(actor=fresh(world.e1.user), data={**data, "kind": "out"})
    assert conflict.value.code == "conflict"
    assert CheckIn.objects.count() == 1 and CheckInKey.objects.count() == 1
    assert DailyRecord.objects.get().check_in_count == 1


@pytest.mark.postgres
def test_ids_keep_counting_after_the_rebuild(world):
    a, _ = services.checkin_record(actor=fresh(world.e1.user), data=body())
    b, _ = services.checkin_record(actor=fresh(world.e1.user), data=body(idempotency_key=str(uuid.uuid4())))
    assert b.pk > a.pk


def test_deleting_an_employee_takes_their_keys(world):
    services.checkin_record(actor=fresh(world.e1.user), data=body())
    services.checkin_record(actor=fresh(world.e2.user), data=body())
    world.e1.delete()
    assert list(CheckInKey.objects.values_list("employee_id", flat=True)) == [world.e2.pk]
    assert list(CheckIn.objects.values_list("employee_id", flat=True)) == [world.e2.pk]
