"""Concurrent answers to a published schedule (PostgreSQL): a confirmation and a change
approval that are each fine alone but together put the employee over the weekly cap.
Both take the unit-then-employee locks publishing takes, so the second is checked after the
first committed and is refused. The check is slowed down to widen the window in which
unlocked writes would both pass. SQLite serialises writers and needs no such test."""

from __future__ import annotations

import time

import pytest

from fleksi.core.errors import ApplicationError
from fleksi.organisation.models import Agency
from fleksi.schedules import change_requests, responses
from fleksi.schedules.models import ArrangementDay
from fleksi.schedules.publishing import schedule_publish
from tests.requests.test_submit_concurrency import race
from tests.workflow.helpers import W48, fresh

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_a_confirmation_and_a_change_approval_at_once_keep_the_weekly_cap(world, monkeypatch):
    Agency.objects.filter(pk=world.agency.pk).update(schedule_needs_confirmation=True)
    schedule = schedule_publish(
        actor=fresh(world.head.user), unit_id=world.unit.pk, start=W48[0], weeks=1,
        rows=[{"nip": world.e1.nip, "tanggal": d.isoformat(), "lokasi": "rumah"} for d in W48[:2]],
    )
    asked = change_requests.change_request_create(
        actor=fresh(world.e1.user), schedule_id=schedule.pk,
        data=change_requests.ChangeInput(dates=(W48[2],), location_kind="rumah", reason="Ada urusan keluarga."),
    )
    # Alone, each is fine (two away days, or one); together three: over the cap of two.
    original = responses._new_errors

    def slowed(**kwargs):
        found = original(**kwargs)
        time.sleep(0.3)
        return found

    # Each caller looks the name up in its own module: the confirmation in responses, the
    # approval in change_requests (which imports it from responses).
    monkeypatch.setattr(responses, "_new_errors", slowed)
    monkeypatch.setattr(change_requests, "_new_errors", slowed)
    head, e1 = fresh(world.head.user), fresh(world.e1.user)
    results = race([
        lambda: responses.schedule_confirm(actor=e1, schedule_id=schedule.pk),
        lambda: change_requests.change_request_approve(actor=head, change_id=asked.pk),
    ])
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1, results
    assert isinstance(errors[0], ApplicationError) and errors[0].code == "policy_violation"
    away = ArrangementDay.objects.filter(active=True, employee=world.e1).exclude(location_kind="kantor")
    assert away.count() in (1, 2)  # the one that committed first, not both
