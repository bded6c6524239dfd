"""Plt/Plh: the HR admin appoints an acting official who then holds the head's scope for those dates."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from fleksi.core import clock
from fleksi.organisation.models import Delegation
from fleksi.organisation.scoping import scope_for
from tests.factories import EmployeeFactory, UnitFactory, make_agency_role, make_head

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    unit = UnitFactory()
    head = make_head(unit)
    staff = EmployeeFactory(unit=unit)
    acting = EmployeeFactory(unit=UnitFactory(agency=unit.agency))
    return {"unit": unit, "head": head, "staff": staff, "acting": acting, "hr": make_agency_role(unit.agency),
            "foreign_hr": make_agency_role(UnitFactory().agency)}


def url(world):
    return reverse("organisation:unit_delegations", args=[world["unit"].pk])


def test_permissions(client, world):
    assert client.get(url(world)).status_code == 302
    for user in (world["staff"].user, world["head"].user, world["foreign_hr"]):
        client.force_login(user)
        assert client.get(url(world)).status_code == 404
    client.force_login(world["hr"])
    assert client.get(url(world)).status_code == 200


def test_appoint_then_acting_official_sees_the_unit_then_revoke(client, world):
    client.force_login(world["hr"])
    today = clock.today()
    response = client.post(url(world), {"delegate_nip": world["acting"].nip, "kind": "plh",
                                        "start": today.isoformat(), "end": (today + dt.timedelta(days=5)).isoformat(),
                                        "reason": "ST 12/2026"})
    assert response.status_code == 302
    delegation = Delegation.objects.get()
    acting_user = world["acting"].user
    assert world["unit"].pk in scope_for(acting_user, on=today).head_unit_ids
    assert world["unit"].pk not in scope_for(acting_user, on=today + dt.timedelta(days=6)).head_unit_ids
    client.post(url(world), {"revoke": delegation.pk})
    delegation.refresh_from_db()
    assert delegation.revoked_at is not None
    assert world["unit"].pk not in scope_for(acting_user, on=today).head_unit_ids


def test_bad_input_changes_nothing(client, world):
    client.force_login(world["hr"])
    today = clock.today()
    foreign = EmployeeFactory()
    cases = [
        {"delegate_nip": foreign.nip, "kind": "plt", "start": today, "end": today},
        {"delegate_nip": world["acting"].nip, "kind": "plt", "start": today, "end": today - dt.timedelta(days=1)},
        {"delegate_nip": world["acting"].nip, "kind": "plt", "start": today - dt.timedelta(days=9), "end": today - dt.timedelta(days=2)},
        {"delegate_nip": world["head"].nip, "kind": "plt", "start": today, "end": today},
    ]
    for data in cases:
        response = client.post(url(world), data)
        assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert Delegation.objects.count() == 0
    client.force_login(world["foreign_hr"])
    assert client.post(url(world), {"revoke": 1}).status_code == 404
