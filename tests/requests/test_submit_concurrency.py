"""Concurrent submissions (PostgreSQL): the weekly cap holds at submission, and 8 copies of
one submit form do one thing.

Each thread has its own connection and starts at a barrier. The check of a submission is
slowed down so that, without the row lock ``request_submit`` takes (unit, then employee),
every submission would be checked before any commits and all would pass; with it they are
checked one after the other. Removing the lock (``_lock_for_days`` in request_submit) makes
the first test fail. SQLite needs no such test: its writers are serialised.
"""

from __future__ import annotations

import time
import uuid

import pytest
from django.test import Client
from django.urls import reverse

from fleksi.core.errors import ApplicationError
from fleksi.core.formonce import FIELD
from fleksi.core.models import FormSubmission
from fleksi.requests import checking as request_checking
from fleksi.requests import services as request_services
from fleksi.requests.models import FlexRequest, RequestState
from tests.requests.test_views_requests import form_data
from tests.workflow.helpers import W48, fresh, race, request_data

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def slow_submit_check(monkeypatch):
    original = request_checking.run_check

    def slowed(*args, **kwargs):
        outcome = original(*args, **kwargs)
        time.sleep(0.3)  # the window in which an unlocked submission would race
        return outcome

    monkeypatch.setattr(request_services, "run_check", slowed)



def test_the_weekly_cap_holds_when_two_requests_of_one_employee_are_submitted_at_once(world, slow_submit_check):
    # Two drafts of 2026-W48: two days and one day (the cap is two days away a week).
    first = request_services.request_create(actor=fresh(world.e1.user), data=request_data(W48[0], W48[1]))
    second = request_services.request_create(actor=fresh(world.e1.user), data=request_data(W48[2]))
    a, b = fresh(world.e1.user), fresh(world.e1.user)
    results = race([
        lambda: request_services.request_submit(actor=a, request_id=first.pk),
        lambda: request_services.request_submit(actor=b, request_id=second.pk),
    ], join_timeout=120)
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1, results
    assert isinstance(errors[0], ApplicationError)
    assert "LOCATION_MAX_DAYS_PER_WEEK" in errors[0].details["errors"]
    assert FlexRequest.objects.filter(state=RequestState.SUBMITTED).count() == 1


def _post(user, data):
    client = Client()
    client.force_login(user)
    return lambda: client.post(reverse("requests:request_new"), data)


def test_eight_copies_of_one_submit_form_make_one_request(world):
    data = form_data(W48[0], W48[1], action="submit") | {FIELD: str(uuid.uuid4())}
    results = race([_post(world.e1.user, data) for _ in range(8)], join_timeout=120)
    assert not any(isinstance(r, Exception) for r in results), results
    assert [r.status_code for r in results] == [302] * 8, [getattr(r, "status_code", r) for r in results]
    request = FlexRequest.objects.get()
    assert request.state == RequestState.SUBMITTED
    # every copy was sent where the first one went: the request's page
    assert {r["Location"] for r in results} == {reverse("requests:request_detail", args=[request.pk])}
    assert FormSubmission.objects.count() == 1


def test_five_submit_forms_without_the_token_at_once_stay_within_the_cap(world, slow_submit_check):
    """Forms without the token (an old page, a script), one day of 2026-W48 each, sent at
    once: the lock at submission lets two be submitted (the cap); the rest stay drafts."""
    results = race([_post(world.e1.user, form_data(day, action="submit")) for day in W48], join_timeout=120)
    assert not any(isinstance(r, Exception) for r in results), results
    assert FlexRequest.objects.count() == 5
    assert FlexRequest.objects.filter(state=RequestState.SUBMITTED).count() == 2
    assert FlexRequest.objects.filter(state=RequestState.DRAFT).count() == 3
