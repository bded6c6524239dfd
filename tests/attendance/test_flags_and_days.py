"""Flags, the work date in the unit's zone, overnight shifts, the daily record, query counts."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.db import connection

from fleksi.attendance import services
from fleksi.attendance.models import CheckIn, DailyRecord
from fleksi.core.errors import ApplicationError
from fleksi.scheme.facts import agency_calendar

from .conftest import NOW, arrange, body, fresh

pytestmark = pytest.mark.django_db


def record(employee, sent_at=None, **overrides):
    return services.checkin_record(actor=fresh(employee.user), data=body(**overrides), sent_at=sent_at)


def test_a_late_sync_within_the_window_is_accepted_and_flagged(world):
    check_in, created = record(world.e1, client_time="2026-11-29T07:31:00+07:00")
    assert created and "synced_late" in check_in.flags
    assert check_in.work_date == dt.date(2026, 11, 29)


def test_a_sync_beyond_the_window_is_refused_with_a_clear_error(world):
    with pytest.raises(ApplicationError) as error:
        record(world.e1, client_time="2026-11-27T07:31:00+07:00")
    assert error.value.code == "validation_error" and "72 jam" in error.value.message
    assert error.value.details["reason"] == "sync_window_passed"
    assert not CheckIn.objects.exists()


def test_clock_skew_from_the_sent_at_header_is_flagged_not_late(world):
    # The device's clock runs 20 minutes slow: the check-in was live, not queued.
    slow = NOW - dt.timedelta(minutes=20)
    check_in, _ = record(world.e1, sent_at=slow, client_time=(slow - dt.timedelta(seconds=2)).isoformat())
    assert check_in.flags == ["clock_skew"]


def test_no_location_is_flagged(world):
    check_in, _ = record(world.e1, latitude=..., longitude=..., accuracy_m=...)
    assert check_in.flags == ["no_location"]


def test_outside_office_is_beyond_radius_plus_accuracy(world):
    # About 330 m north of the office (radius 150 m).
    far, _ = record(world.e1, latitude=-6.197, longitude=106.816666, accuracy_m=20)
    assert far.flags == ["outside_office"]
    near, _ = record(world.e2, latitude=-6.197, longitude=106.816666, accuracy_m=200)
    assert near.flags == []  # within radius + reported accuracy: not flagged


def test_deviation_from_the_approved_arrangement(world):
    arrange(world.e1, dt.date(2026, 12, 1), "rumah")
    at_office, _ = record(world.e1)
    assert "deviation" in at_office.flags
    at_home, _ = record(world.e2, location="rumah", latitude=..., longitude=..., accuracy_m=...)
    assert "deviation" in at_home.flags  # planned the office by default


def test_a_home_day_checked_in_at_home_is_present_flexibly(world):
    arrange(world.e1, dt.date(2026, 12, 1), "rumah")
    check_in, _ = record(world.e1, location="rumah")
    assert "deviation" not in check_in.flags
    day = DailyRecord.objects.get(employee=world.e1)
    assert day.status == "present_flexible" and day.planned_location == "rumah"


def test_the_work_date_is_in_the_units_zone(world):
    world.child.time_zone = "Asia/Jayapura"  # WIT, UTC+9
    world.child.save()
    # 23:30 WIB on 30 Nov is 01:30 WIT on 1 Dec.
    check_in, _ = record(world.e1, client_time="2026-11-30T23:30:00+07:00")
    assert check_in.work_date == dt.date(2026, 12, 1)


def test_an_overnight_check_out_belongs_to_the_day_it_started(world, now):
    now["at"] = dt.datetime(2026, 12, 2, 6, 5, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    arrange(world.e1, dt.date(2026, 12, 1), "kantor", time_kind="shift", start=dt.time(22), end=dt.time(6))
    record(world.e1, client_time="2026-12-01T21:55:00+07:00")
    out, _ = record(world.e1, kind="out", client_time="2026-12-02T06:02:00+07:00")
    assert out.work_date == dt.date(2026, 12, 1)
    day = DailyRecord.objects.get(employee=world.e1)
    assert not day.is_open
    info = agency_calendar(world.e1.agency).day(dt.date(2026, 12, 1))
    assert day.worked_minutes == 8 * 60 + 7 - info.break_minutes
    assert not DailyRecord.objects.filter(work_date=dt.date(2026, 12, 2)).exists()


def test_net_minutes_after_the_break_and_in_out_in_out(world, now):
    now["at"] = dt.datetime(2026, 12, 1, 16, 5, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    record(world.e1, client_time="2026-12-01T07:30:00+07:00")
    record(world.e1, kind="out", client_time="2026-12-01T12:00:00+07:00")
    record(world.e1, client_time="2026-12-01T13:00:00+07:00")
    record(world.e1, kind="out", client_time="2026-12-01T16:00:00+07:00")
    day = DailyRecord.objects.get(employee=world.e1)
    assert day.worked_minutes == 8 * 60 + 30 - 60  # first in to last out less the 60 min break
    assert day.check_in_count == 4 and not day.is_open


def _queries_of_one_check_in(world, django_assert_max_num_queries, employee):
    services.checkin_record(actor=fresh(employee.user), data=body())  # warms the scheme cache
    actor = fresh(employee.user)
    data = body(idempotency_key=str(uuid.uuid4()), kind="out", client_time="2026-12-01T07:33:00+07:00")
    # 5 statements of work, plus the BEGIN and COMMIT of its transaction that Django logs,
    # plus the rollup of the day and week (docs/decisions/196): the advisory locks and one
    # statement on PostgreSQL, three statements on SQLite.
    rollup = 2 if connection.vendor == "postgresql" else 3
    with django_assert_max_num_queries(5 + 2 + rollup) as captured:
        services.checkin_record(actor=actor, data=data)
    work = [q["sql"] for q in captured.captured_queries if q["sql"].split()[0] not in CONTROL]
    derived = [sql for sql in work if "rollup" in sql or "pg_advisory" in sql]
    assert len(derived) == rollup, derived
    work = [sql for sql in work if sql not in derived]
    assert len(work) <= 5, work
    return len(work)


CONTROL = {"BEGIN", "COMMIT", "SAVEPOINT", "RELEASE"}


@pytest.mark.django_db(transaction=True)  # a real transaction: no test SAVEPOINTs counted
def test_a_check_in_takes_at_most_5_statements_with_or_without_history(world, django_assert_max_num_queries):
    empty = _queries_of_one_check_in(world, django_assert_max_num_queries, world.e1)
    CheckIn.objects.bulk_create(
        CheckIn(
            agency_id=world.e2.agency_id, employee=world.e2, kind="in", location="kantor",
            client_time=NOW - dt.timedelta(days=i), server_time=NOW - dt.timedelta(days=i),
            work_date=(NOW - dt.timedelta(days=i)).date(), idempotency_key=uuid.uuid4(), body_hash="x",
        )
        for i in range(1, 201)
    )
    busy = _queries_of_one_check_in(world, django_assert_max_num_queries, world.e2)
    assert empty == busy <= 5
