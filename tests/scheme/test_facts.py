"""The bridge to the policy core: the agency's scheme cached per version, failing closed on a
stored policy the core refuses, and one unit-facts helper for requests and plans."""

from __future__ import annotations

import logging

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fleksi.core.errors import ApplicationError, ErrorCode
from fleksi.organisation.admin import AgencyAdminForm
from fleksi.organisation.models import Agency
from fleksi.policy.model import RuleCode
from fleksi.requests import services as request_services
from fleksi.scheme import facts
from fleksi.scheme import services as scheme_services
from tests.factories import EmployeeFactory, UnitFactory
from tests.workflow.helpers import W48, fresh, request_data

pytestmark = pytest.mark.django_db


def test_a_bad_stored_policy_fails_closed_and_is_logged(world, caplog):
    # Written behind the services' back (an old release, a shell): the core refuses the key.
    Agency.objects.filter(pk=world.agency.pk).update(policy={"max_location_days_per_week": 5})
    caplog.set_level(logging.ERROR, logger="fleksi.scheme.facts")
    with pytest.raises(ApplicationError) as caught:
        request_services.request_check(actor=fresh(world.e1.user), data=request_data(W48[0]))
    assert caught.value.code == ErrorCode.POLICY_INVALID
    assert "tidak valid" in caught.value.message
    assert any("stored policy is invalid" in r.getMessage() for r in caplog.records)


def test_a_bad_stored_policy_answers_the_error_shape_in_the_api(world, client):
    Agency.objects.filter(pk=world.agency.pk).update(policy={"unknown_key": 1})
    client.force_login(world.e1.user)
    body = {"start_date": W48[0].isoformat(), "end_date": W48[0].isoformat(), "location_kind": "rumah",
            "schedule_mode": "dates", "dates": [W48[0].isoformat()], "reason": "x" * 20, "work_plan": "y" * 20,
            "outputs": [{"description": "Draf"}]}
    response = client.post("/api/v1/requests/check", body, content_type="application/json")
    assert response.status_code == 409
    assert response.json()["code"] == "policy_invalid"


def test_the_admin_refuses_a_policy_the_core_refuses(world):
    data = {
        "code": world.agency.code, "name": world.agency.name, "time_zone": world.agency.time_zone,
        "flexible_work_enabled": True, "approval_supervisor_first": False, "reminder_after_days": 3,
        "policy": '{"max_location_days_per_week": 3}',
    }
    form = AgencyAdminForm(data=data, instance=world.agency)
    assert not form.is_valid()
    assert "policy" in form.errors
    data["policy"] = '{"max_location_days_per_week": 1}'
    assert AgencyAdminForm(data=data, instance=world.agency).is_valid()


def test_the_scheme_is_parsed_once_per_version(world):
    agency = Agency.objects.get(pk=world.agency.pk)
    first = facts.agency_scheme(agency)
    with CaptureQueriesContext(connection) as queries:
        again = facts.agency_scheme(Agency.objects.get(pk=agency.pk))
    assert again is first
    assert len(queries) == 1  # the agency row itself; no flex-day query, no parsing
    scheme_services.agency_policy_update(actor=fresh(world.hr), agency_id=agency.pk,
                                         data={"max_location_days_per_week": 1})
    changed = facts.agency_scheme(Agency.objects.get(pk=agency.pk))
    assert changed is not first
    assert changed.policy.max_location_days_per_week == 1


def test_a_declared_flex_day_reaches_the_next_check_at_once(world):
    agency = Agency.objects.get(pk=world.agency.pk)
    assert W48[2] not in facts.agency_policy(agency).declared_flex_days
    scheme_services.flex_day_declare(actor=fresh(world.hr), agency_id=agency.pk, date=W48[2], circular="SE uji")
    assert W48[2] in facts.agency_policy(Agency.objects.get(pk=agency.pk)).declared_flex_days


def test_unit_facts_of_a_sub_unit_keep_its_real_parent_and_ancestors():
    root = UnitFactory(code="ROOT")
    mid = UnitFactory(agency=root.agency, parent=root, code="MID")
    leaf = UnitFactory(agency=root.agency, parent=mid, code="LEAF")
    UnitFactory(agency=root.agency, parent=root, code="OTHER")
    chain = facts.unit_facts(mid, subtree=True)
    assert set(chain) == {"ROOT", "MID", "LEAF"}
    assert chain["MID"].parent == "ROOT"
    assert chain["LEAF"].parent == "MID"
    assert set(facts.unit_facts(leaf)) == {"ROOT", "MID", "LEAF"}


def test_the_plan_check_of_a_sub_unit_sees_a_disabled_parent(client):
    """Before: plans rebuilt the checked unit with no parent, so a parent the agency had
    disabled did not stop its sub-unit's home days."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from tests.factories import make_agency_role

    root = UnitFactory(code="INDUK")
    sub = UnitFactory(agency=root.agency, parent=root, code="ANAK")
    Agency.objects.filter(pk=root.agency_id).update(policy={"disabled_units": ["INDUK"]})
    employee = EmployeeFactory(unit=sub)
    hr = make_agency_role(root.agency)
    client.force_login(hr)
    plan = f"nip,tanggal,lokasi\n{employee.nip},2026-11-04,rumah\n".encode()
    response = client.post(reverse("schedules:plan_check"),
                           {"unit": sub.pk, "plan": SimpleUploadedFile("rencana.csv", plan)})
    assert response.status_code == 200
    codes = {f.code for f in response.context["outcome"].result.findings}
    assert RuleCode.AGENCY_NOT_ENABLED in codes
