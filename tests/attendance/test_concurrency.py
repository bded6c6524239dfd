"""Two devices (or a retry racing its original) post the same key at once (PostgreSQL).

Each thread has its own connection and starts at a barrier. The unique (employee,
idempotency_key) constraint and the employee row lock leave one check-in: one thread gets
created=True, the other the same record with created=False.
"""

from __future__ import annotations

import pytest

from fleksi.attendance import services
from fleksi.attendance.models import CheckIn, DailyRecord
from tests.workflow.helpers import race

from .conftest import body, fresh

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]



def test_the_same_key_posted_twice_at_once_is_stored_once(world):
    data = body()
    a, b = fresh(world.e1.user), fresh(world.e1.user)
    results = race([
        lambda: services.checkin_record(actor=a, data=data),
        lambda: services.checkin_record(actor=b, data=data),
    ])
    assert not any(isinstance(r, Exception) for r in results), results
    created = sorted(r[1] for r in results)
    assert created == [False, True]
    assert results[0][0].pk == results[1][0].pk
    assert CheckIn.objects.count() == 1
    assert DailyRecord.objects.get().check_in_count == 1


def test_two_keys_of_one_employee_at_once_both_count_in_the_day(world):
    a, b = fresh(world.e1.user), fresh(world.e1.user)
    results = race([
        lambda: services.checkin_record(actor=a, data=body()),
        lambda: services.checkin_record(actor=b, data=body(kind="out", client_time="2026-12-01T07:33:00+07:00")),
    ])
    assert all(r[1] is True for r in results), results
    assert DailyRecord.objects.get().check_in_count == 2
