"""Approving a correction races a check-in of the same day, and two heads approve at once
(PostgreSQL): the employee row lock serialises them, so the rebuilt day holds every check-in
and the correction, and a correction is decided once."""

from __future__ import annotations

import datetime as dt

import pytest

from fleksi.attendance import corrections, services
from fleksi.attendance.models import DailyRecord
from fleksi.core.errors import ApplicationError
from tests.workflow.helpers import race

from .conftest import WIB, body, fresh

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
DAY = dt.date(2026, 12, 1)


def test_an_approval_and_a_check_in_of_that_day_at_once(world, now):
    services.checkin_record(actor=fresh(world.e1.user), data=body())
    now["at"] = dt.datetime(2026, 12, 1, 18, 0, tzinfo=WIB)
    c = corrections.correction_submit(actor=fresh(world.e1.user), work_date=DAY, kind="missing_check_out",
                                      reason="Lupa pulang", at=dt.datetime(2026, 12, 1, 16, 30, tzinfo=WIB))
    head, employee = fresh(world.head_child.user), fresh(world.e1.user)
    results = race([
        lambda: corrections.correction_approve(actor=head, correction_id=c.pk),
        lambda: services.checkin_record(actor=employee, data=body(kind="in", client_time="2026-12-01T12:30:00+07:00")),
    ])
    assert not any(isinstance(r, Exception) for r in results), results
    record = DailyRecord.objects.get(employee=world.e1, work_date=DAY)
    assert record.check_in_count == 2 and record.last_out is not None
    assert record.last_out == dt.datetime(2026, 12, 1, 16, 30, tzinfo=WIB)
    assert record.last_in == dt.datetime(2026, 12, 1, 12, 30, tzinfo=WIB) and not record.is_open


def test_two_heads_approving_at_once_decide_once(world, now):
    services.checkin_record(actor=fresh(world.e1.user), data=body())
    now["at"] = dt.datetime(2026, 12, 1, 18, 0, tzinfo=WIB)
    c = corrections.correction_submit(actor=fresh(world.e1.user), work_date=DAY, kind="missing_check_out",
                                      reason="Lupa pulang", at=dt.datetime(2026, 12, 1, 16, 30, tzinfo=WIB))
    a, b = fresh(world.head_child.user), fresh(world.head_root.user)
    results = race([
        lambda: corrections.correction_approve(actor=a, correction_id=c.pk),
        lambda: corrections.correction_approve(actor=b, correction_id=c.pk),
    ])
    errors = [r for r in results if isinstance(r, ApplicationError)]
    assert len(errors) == 1 and errors[0].code == "invalid_state", results
