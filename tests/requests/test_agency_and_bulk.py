"""Agency settings services and bulk approval."""

from __future__ import annotations

from decimal import Decimal

import pytest

from fleksi.audit.models import AuditEvent
from fleksi.core.errors import ApplicationError, ErrorCode
from fleksi.organisation import services as org_services
from fleksi.organisation.models import Agency
from fleksi.requests import decisions as request_decisions
from fleksi.requests.models import FlexRequest
from fleksi.schedules.models import ArrangementDay
from fleksi.scheme import services as scheme_services
from fleksi.scheme.models import AgencyFlexDay
from tests.workflow.helpers import W48, approved, counts, fresh, submitted

pytestmark = pytest.mark.django_db


def test_policy_looser_than_the_law_is_refused_with_every_problem(world):
    before = counts()
    with pytest.raises(ApplicationError) as error:
        scheme_services.agency_policy_update(
            actor=fresh(world.hr), agency_id=world.agency.pk,
            data={"max_location_days_per_week": 3, "new_in_position_months": 2, "tidak_dikenal": 1},
        )
    assert error.value.code == ErrorCode.VALIDATION
    keys = {p["key"] for p in error.value.details["problems"]}
    assert {"max_location_days_per_week", "tidak_dikenal"} <= keys
    assert "Pasal 13" in " ".join(p["message"] for p in error.value.details["problems"])
    assert Agency.objects.get(pk=world.agency.pk).policy == {}
    assert counts() == before


def test_policy_update_stores_and_applies(world):
    scheme_services.agency_policy_update(actor=fresh(world.ppk), agency_id=world.agency.pk, data={"max_location_days_per_week": 1})
    assert Agency.objects.get(pk=world.agency.pk).policy == {"max_location_days_per_week": 1}
    assert AuditEvent.objects.filter(action="agency.policy_update").count() == 1
    approved(world.e1, world.head, W48[0])
    with pytest.raises(ApplicationError) as error:
        submitted(world.e1, W48[1])
    assert error.value.details["errors"] == ["LOCATION_MAX_DAYS_PER_WEEK"]


def test_settings_update_validates_reminder_days(world):
    with pytest.raises(ApplicationError) as error:
        scheme_services.agency_settings_update(actor=fresh(world.hr), agency_id=world.agency.pk, flexible_work_enabled=False,
                                        approval_supervisor_first=True, reminder_after_days=0)
    assert "reminder_after_days" in error.value.details["fields"]
    agency = scheme_services.agency_settings_update(actor=fresh(world.hr), agency_id=world.agency.pk, flexible_work_enabled=False,
                                             approval_supervisor_first=True, reminder_after_days=5)
    agency.refresh_from_db()
    assert (agency.flexible_work_enabled, agency.approval_supervisor_first, agency.reminder_after_days) == (False, True, 5)


def test_office_and_place_save_validate_names(world):
    hr = fresh(world.hr)
    office = org_services.office_save(actor=hr, agency_id=world.agency.pk, name=" Kantor Pusat ", address="Jl. A")
    assert office.name == "Kantor Pusat"
    with pytest.raises(ApplicationError) as error:
        org_services.office_save(actor=hr, agency_id=world.agency.pk, name="kantor pusat")
    assert error.value.code == ErrorCode.VALIDATION
    with pytest.raises(ApplicationError):
        org_services.office_save(actor=hr, agency_id=world.agency.pk, name="")
    renamed = org_services.office_save(actor=hr, agency_id=world.agency.pk, office_id=office.pk, name="Kantor Induk",
                                   address="Jl. B", is_active=False)
    assert (renamed.pk, renamed.name, renamed.is_active) == (office.pk, "Kantor Induk", False)
    foreign = org_services.office_save(actor=fresh(world.foreign_hr), agency_id=world.foreign_agency.pk, name="Kantor F")
    with pytest.raises(ApplicationError) as error:
        org_services.office_save(actor=hr, agency_id=world.agency.pk, office_id=foreign.pk, name="Curian")
    assert error.value.code == ErrorCode.NOT_FOUND
    place = org_services.place_save(actor=hr, agency_id=world.agency.pk, name="Perpustakaan Daerah")
    assert place.agency_id == world.agency.pk


def test_flex_day_declare_is_one_per_date(world):
    hr = fresh(world.hr)
    scheme_services.flex_day_declare(actor=hr, agency_id=world.agency.pk, date=W48[0], circular="SE 2/2026", max_share="0.5")
    scheme_services.flex_day_declare(actor=hr, agency_id=world.agency.pk, date=W48[0], circular="SE 2/2026", max_share="0.3")
    assert AgencyFlexDay.objects.get().max_share == Decimal("0.30")
    with pytest.raises(ApplicationError) as error:
        scheme_services.flex_day_declare(actor=hr, agency_id=world.agency.pk, date=W48[1], circular="SE", max_share="1.5")
    assert "max_share" in error.value.details["fields"]
    with pytest.raises(ApplicationError):
        scheme_services.flex_day_declare(actor=hr, agency_id=world.agency.pk, date=W48[1], circular=" ", max_share="1")


def test_bulk_approve_isolates_failures(world):
    ok_one = submitted(world.e1, W48[0])
    ok_two = submitted(world.es, W48[0])
    foreign = submitted(world.foreign, W48[0])
    first_e2 = submitted(world.e2, W48[0], W48[1])
    results = request_decisions.request_bulk_approve(actor=fresh(world.head.user),
                                            request_ids=[ok_one.pk, foreign.pk, ok_two.pk, ok_one.pk, first_e2.pk, 999999])
    by_id = {r.request_id: r for r in results}
    assert len(results) == 5  # duplicates once
    assert by_id[ok_one.pk].ok and by_id[ok_two.pk].ok and by_id[first_e2.pk].ok
    assert not by_id[foreign.pk].ok and by_id[foreign.pk].code == ErrorCode.NOT_FOUND
    assert not by_id[999999].ok
    assert FlexRequest.objects.get(pk=foreign.pk).state == "submitted"


def test_bulk_approve_one_policy_failure_does_not_block_others(world):
    scheme_services.agency_policy_update(actor=fresh(world.hr), agency_id=world.agency.pk, data={"min_office_share": {"U": 0.5}})
    # Unit U has 3 employees: at least 2 must be in the office. Two requests for Monday fit
    # one at a time, not both.
    a = submitted(world.e1, W48[0])
    b = submitted(world.e2, W48[0])
    c = submitted(world.es, W48[0])  # sub-unit S: another unit's coverage
    results = request_decisions.request_bulk_approve(actor=fresh(world.head.user), request_ids=[a.pk, b.pk, c.pk])
    assert [r.ok for r in results] == [True, False, True]
    assert results[1].code == ErrorCode.POLICY_VIOLATION
    assert ArrangementDay.objects.filter(active=True, date=W48[0], unit=world.unit).count() == 1
