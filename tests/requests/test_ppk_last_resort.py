"""The head of a root unit has nobody above on the unit path: the agency's PPK decides."""

from __future__ import annotations

import pytest

from fleksi.core.errors import ApplicationError
from fleksi.notifications.models import Notification
from fleksi.organisation.models import AgencyRole, AgencyRoleKind
from fleksi.requests import decisions as request_decisions
from fleksi.requests import selectors as request_selectors
from fleksi.requests.models import RequestState
from tests.workflow.helpers import W48, fresh, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def ppk_employee(world):
    """The PPK is an employee of the agency too (the usual case: the Sekda's superior)."""
    from tests.factories import EmployeeFactory

    person = EmployeeFactory(unit=world.sibling)
    AgencyRole.objects.create(user=person.user, agency=world.agency, role=AgencyRoleKind.PPK)
    return person


def test_root_head_request_goes_to_the_ppk(world, ppk_employee):
    request = submitted(world.head_root, W48[0])
    assert Notification.objects.filter(user=ppk_employee.user, kind__startswith="request").exists()
    ppk = fresh(ppk_employee.user)
    assert [r.pk for r in request_selectors.inbox_list(actor=ppk)] == [request.pk]
    assert request_selectors.request_can_decide(actor=ppk, request=request_selectors.request_get(actor=ppk, request_id=request.pk))
    request_decisions.request_approve(actor=ppk, request_id=request.pk)
    request.refresh_from_db()
    assert request.state == RequestState.APPROVED


def test_ppk_does_not_decide_requests_that_have_a_head(world, ppk_employee):
    request = submitted(world.e1, W48[0])
    ppk = fresh(ppk_employee.user)
    assert request.pk not in [r.pk for r in request_selectors.inbox_list(actor=ppk)]
    with pytest.raises(ApplicationError):
        request_decisions.request_approve(actor=ppk, request_id=request.pk)


def test_hr_admin_is_not_a_last_resort_approver(world):
    request = submitted(world.head_root, W48[0])
    hr = fresh(world.hr)
    assert list(request_selectors.inbox_list(actor=hr)) == []
    with pytest.raises(ApplicationError):
        request_decisions.request_approve(actor=hr, request_id=request.pk)
