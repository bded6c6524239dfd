"""A national flexible-work day the agency declares reaches the policy check."""

from __future__ import annotations

import pytest

from fleksi.requests import services as request_services
from fleksi.scheme import services as scheme_services
from tests.workflow.helpers import W48, fresh, request_data

pytestmark = pytest.mark.django_db


def codes(outcome):
    return {f.code for f in outcome.findings}


def test_declared_day_is_flagged_and_not_counted_toward_the_cap(world):
    employee = fresh(world.e1.user)
    three_days = request_data(W48[0], W48[1], W48[2], location_kind="rumah")
    assert "LOCATION_MAX_DAYS_PER_WEEK" in codes(request_services.request_check(actor=employee, data=three_days))
    scheme_services.flex_day_declare(actor=fresh(world.hr), agency_id=world.agency.pk, date=W48[0], circular="SE MenPANRB 9/2026")
    outcome = request_services.request_check(actor=employee, data=three_days)
    assert "NATIONAL_FLEX_DAY" in codes(outcome)
    assert "LOCATION_MAX_DAYS_PER_WEEK" not in codes(outcome)
    flex = next(f for f in outcome.findings if f.code == "NATIONAL_FLEX_DAY")
    assert flex.severity == "info" and "SE MenPANRB 9/2026" in flex.message


def test_another_agency_declaration_changes_nothing(world):
    scheme_services.flex_day_declare(
        actor=fresh(world.foreign_hr), agency_id=world.foreign_agency.pk, date=W48[0], circular="SE lain"
    )
    outcome = request_services.request_check(
        actor=fresh(world.e1.user), data=request_data(W48[0], W48[1], W48[2], location_kind="rumah")
    )
    assert "LOCATION_MAX_DAYS_PER_WEEK" in codes(outcome)
