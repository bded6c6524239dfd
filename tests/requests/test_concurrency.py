"""The weekly cap and the coverage minimum hold when approvals race (PostgreSQL).

Two threads, each with its own database connection, start their approval at the same moment
(a barrier). The policy check is slowed down so that, without the row locks, both would
check before either writes and both would be approved. With the locks (unit row, then
employee row) the second approval waits, re-checks, sees the first one's days and is refused.
SQLite needs no such test: its writers are serialised (transaction_mode IMMEDIATE).
"""

from __future__ import annotations

import time

import pytest

from fleksi.core.errors import ApplicationError
from fleksi.requests import checking as request_checking
from fleksi.requests import decisions as request_decisions
from fleksi.requests import services as request_services
from fleksi.requests.models import FlexRequest, RequestState
from fleksi.schedules.models import ArrangementDay
from fleksi.scheme import services as scheme_services
from tests.workflow.helpers import W48, fresh, race, request_data, submitted

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def slow_check(monkeypatch):
    original = request_checking.run_check

    def slowed(*args, **kwargs):
        outcome = original(*args, **kwargs)
        time.sleep(0.4)  # the window in which an unlocked approval would race
        return outcome

    monkeypatch.setattr(request_decisions, "run_check", slowed)



def test_weekly_cap_holds_when_two_requests_of_one_employee_are_approved_at_once(world, slow_check):
    first = submitted(world.e1, W48[0], W48[1])
    second = request_services.request_create(actor=fresh(world.e1.user), data=request_data(W48[2]))
    # Two submissions that raced each other: each was checked before the other existed.
    FlexRequest.objects.filter(pk=second.pk).update(state=RequestState.SUBMITTED, approval_step="head")
    head, head_root = fresh(world.head.user), fresh(world.head_root.user)
    results = race([
        lambda: request_decisions.request_approve(actor=head, request_id=first.pk),
        lambda: request_decisions.request_approve(actor=head_root, request_id=second.pk),
    ])
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1, results
    assert isinstance(errors[0], ApplicationError) and errors[0].details["errors"] == ["LOCATION_MAX_DAYS_PER_WEEK"]
    states = sorted(FlexRequest.objects.filter(pk__in=[first.pk, second.pk]).values_list("state", flat=True))
    assert states == ["approved", "submitted"]
    away = ArrangementDay.objects.filter(employee=world.e1, active=True, date__range=(W48[0], W48[4])).count()
    assert away <= 2


def test_coverage_minimum_holds_when_two_approvals_in_one_unit_and_day_race(world, slow_check):
    scheme_services.agency_policy_update(actor=fresh(world.hr), agency_id=world.agency.pk, data={"min_office_share": {"U": 0.5}})
    # Unit U has three employees (head, e1, e2): at least two in the office.
    a = submitted(world.e1, W48[0])
    b = submitted(world.e2, W48[0])
    head, head_root = fresh(world.head.user), fresh(world.head_root.user)
    results = race([
        lambda: request_decisions.request_approve(actor=head, request_id=a.pk),
        lambda: request_decisions.request_approve(actor=head_root, request_id=b.pk),
    ])
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1, results
    assert "COVERAGE_BELOW_MINIMUM" in errors[0].details["errors"]
    assert ArrangementDay.objects.filter(unit=world.unit, date=W48[0], active=True).count() == 1


def test_bulk_and_single_approval_of_the_same_request_approve_it_once(world):
    request = submitted(world.e1, W48[0], W48[1])
    head, head_root = fresh(world.head.user), fresh(world.head_root.user)
    results = race([
        lambda: request_decisions.request_approve(actor=head, request_id=request.pk),
        lambda: request_decisions.request_bulk_approve(actor=head_root, request_ids=[request.pk]),
    ])
    assert FlexRequest.objects.get(pk=request.pk).state == RequestState.APPROVED
    assert ArrangementDay.objects.filter(request=request, active=True).count() == 2
    oks = [r for r in results if not isinstance(r, Exception) and not isinstance(r, list)]
    bulk = next(r for r in results if isinstance(r, list))
    assert len(oks) + int(bulk[0].ok) == 1
