"""The check-out rule: on a flexible day, where the agency requires it (default), a daily
log is needed before check-out; other days and agencies that turn it off are not affected.
Attendance does not import performance: performance registers a check with attendance's hook."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from fleksi.attendance import services as attendance
from fleksi.attendance.models import CheckIn
from fleksi.core.errors import ApplicationError
from fleksi.performance import services
from fleksi.performance.models import PerformanceSettings

from .conftest import TODAY, fresh

pytestmark = pytest.mark.django_db


def check(user, kind: str, hour: int):
    return attendance.checkin_record(actor=fresh(user), data={
        "kind": kind, "location": "rumah", "client_time": f"{TODAY.isoformat()}T{hour:02d}:00:00+07:00",
        "idempotency_key": str(uuid.uuid4()),
    })


def test_check_out_on_a_flexible_day_needs_a_log(world, now):
    check(world.e1.user, "in", 7)
    now["at"] = now["at"].replace(hour=16, minute=5)
    with pytest.raises(ApplicationError) as refused:
        check(world.e1.user, "out", 16)
    assert refused.value.details["reason"] == "log_required" and "laporan harian" in refused.value.message
    assert CheckIn.objects.filter(kind="out").count() == 0
    services.log_create(actor=fresh(world.e1.user), data=services.LogInput(date=TODAY, description="Kajian", quantity=1, minutes=240))
    record, created = check(world.e1.user, "out", 16)
    assert created and record.kind == "out"


def test_an_office_day_needs_no_log(world, now):
    check(world.e2.user, "in", 7)
    now["at"] = now["at"].replace(hour=16, minute=5)
    assert check(world.e2.user, "out", 16)[1]


def test_the_agency_may_turn_it_off(world, now):
    PerformanceSettings.objects.create(agency=world.e1.agency, log_required_before_check_out=False)
    check(world.e1.user, "in", 7)
    now["at"] = now["at"].replace(hour=16, minute=5)
    assert check(world.e1.user, "out", 16)[1]


def test_the_api_answers_with_the_error_shape(client, world, now):
    import json

    from .conftest import bearer

    body = {"kind": "out", "location": "rumah", "client_time": "2026-12-15T09:59:00+07:00", "idempotency_key": str(uuid.uuid4())}
    response = client.post("/api/v1/attendance/check-ins", data=json.dumps(body), content_type="application/json", **bearer(world.e1.user))
    assert response.status_code == 422
    assert response.json()["details"]["reason"] == "log_required"
    assert dt.date.fromisoformat(response.json()["details"]["date"]) == TODAY
