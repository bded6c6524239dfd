"""request_check: input validation (Indonesian, nothing written) and the policy findings of a
request seen with the employee's approved days, pending requests and the unit's coverage."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from fleksi.core.errors import ApplicationError, ErrorCode
from fleksi.organisation import services as org_services
from fleksi.requests import decisions as request_decisions
from fleksi.requests import evidence as request_evidence
from fleksi.requests import services as request_services
from fleksi.requests.inputs import OutputInput
from fleksi.requests.models import FlexRequest
from fleksi.scheme import services as scheme_services
from tests.factories import EmployeeFactory
from tests.workflow.helpers import (
    TODAY,
    W48,
    W49,
    approved,
    counts,
    fresh,
    request_data,
    submitted,
)

pytestmark = pytest.mark.django_db


def codes(outcome) -> set[str]:
    return {f.code for f in outcome.findings}


def validation_fields(actor, data, **kwargs) -> dict[str, str]:
    before = counts()
    for call in (request_services.request_check, request_services.request_create):
        with pytest.raises(ApplicationError) as error:
            call(actor=actor, data=data, **kwargs)
        assert error.value.code == ErrorCode.VALIDATION
        assert counts() == before
    return error.value.details["fields"]


def test_clean_request_has_no_findings(world):
    outcome = request_services.request_check(actor=fresh(world.e1.user), data=request_data(W48[0], W48[1]))
    assert outcome.findings == [] and not outcome.has_errors
    assert outcome.dates == [W48[0], W48[1]]


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"dates": (TODAY - dt.timedelta(days=1),), "start_date": TODAY - dt.timedelta(days=1)}, "start_date", "sudah lewat"),
        ({"start_date": W48[2], "end_date": W48[0], "dates": (W48[0],)}, "end_date", "sebelum tanggal mulai"),
        ({"location_kind": "pantai"}, "location_kind", "tidak dikenal"),
        ({"location_kind": "kantor"}, "location_kind", "fleksibel"),
        ({"location_kind": "kantor_lain"}, "office_id", "kantor lain"),
        ({"location_kind": "lokasi_lain", "place_id": 999999}, "place_id", "daftar"),
        ({"dates": ()}, "dates", "paling sedikit satu tanggal"),
        ({"dates": (W49[0],)}, "dates", "di luar periode"),
        ({"end_date": W48[0] + dt.timedelta(days=400)}, "end_date", "paling lama"),
        ({"outputs": (OutputInput(description=" "),)}, "outputs", "kosong"),
        ({"time_kind": "sif", "location_kind": "kantor"}, "time_kind", "tidak ditetapkan"),
    ],
)
def test_bad_input_is_refused_in_indonesian_and_nothing_changes(world, overrides, field, words):
    fields = validation_fields(fresh(world.e1.user), request_data(W48[0], **overrides))
    assert field in fields and words in fields[field]


def test_pattern_without_any_working_day(world):
    data = request_data(schedule_mode="pattern", dates=(), weekdays=(5, 6), start_date=W48[0], end_date=W48[4])
    fields = validation_fields(fresh(world.e1.user), data)
    assert "tidak mengenai satu pun hari kerja" in fields["weekdays"]
    data = request_data(schedule_mode="pattern", dates=(), weekdays=(), start_date=W48[0], end_date=W48[4])
    assert "weekdays" in validation_fields(fresh(world.e1.user), data)


def test_office_of_another_agency_is_refused(world):
    foreign_office = org_services.office_save(actor=fresh(world.foreign_hr), agency_id=world.foreign_agency.pk, name="Kantor Asing")
    data = request_data(W48[0], location_kind="kantor_lain", office_id=foreign_office.pk)
    assert "office_id" in validation_fields(fresh(world.e1.user), data)


def test_dynamic_hours_need_valid_times(world):
    world.e1.position.time_flexibility = "dinamis"
    world.e1.position.save()
    data = request_data(W48[0], location_kind="kantor", time_kind="dinamis", hours={"0": ("9.00", "17:00")})
    assert "JJ:MM" in validation_fields(fresh(world.e1.user), data)["hours"]
    data = request_data(W48[0], location_kind="kantor", time_kind="dinamis", hours={})
    assert "hours" in validation_fields(fresh(world.e1.user), data)
    ok = request_data(W48[0], location_kind="kantor", time_kind="dinamis", hours={"0": ("06:30", "15:00")})
    assert not request_services.request_check(actor=fresh(world.e1.user), data=ok).has_errors


def test_lowered_severity_lets_the_check_report_instead_of_refusing(world):
    scheme_services.agency_policy_update(actor=fresh(world.hr), agency_id=world.agency.pk, data={"severity": {"SHIFT_NOT_ELIGIBLE": "warning"}})
    data = request_data(W48[0], location_kind="kantor", time_kind="sif", hours={"0": ("22:00", "06:00")})
    outcome = request_services.request_check(actor=fresh(world.e1.user), data=data)
    shift = [f for f in outcome.findings if f.code == "SHIFT_NOT_ELIGIBLE"]
    assert shift and shift[0].severity == "warning"


def test_tampered_employee_is_not_found_and_nothing_changes(world):
    before = counts()
    with pytest.raises(ApplicationError) as error:
        request_services.request_create(actor=fresh(world.e1.user), data=request_data(W48[0]), employee_id=world.e2.pk)
    assert error.value.code == ErrorCode.NOT_FOUND
    assert counts() == before
    # request_check may name an employee within the actor's scope only.
    assert request_services.request_check(actor=fresh(world.head.user), data=request_data(W48[0]), employee_id=world.e1.pk).findings == []
    for outsider in (world.e2, world.foreign):
        with pytest.raises(ApplicationError) as error:
            request_services.request_check(actor=fresh(world.e1.user), data=request_data(W48[0]), employee_id=outsider.pk)
        assert error.value.code == ErrorCode.NOT_FOUND


def test_weekly_cap_counts_approved_days_and_pending_requests(world):
    approved(world.e1, world.head, W48[0])
    submitted(world.e1, W48[1])
    outcome = request_services.request_check(actor=fresh(world.e1.user), data=request_data(W48[2]))
    assert outcome.has_errors and "LOCATION_MAX_DAYS_PER_WEEK" in codes(outcome)
    cap = next(f for f in outcome.findings if f.code == "LOCATION_MAX_DAYS_PER_WEEK")
    assert cap.week == "2026-W48" and cap.numbers == {"days": 3, "max": 2}
    assert cap.basis == "PermenPANRB 4/2025 Pasal 13 ayat (1)"
    assert "3 hari kerja di luar kantor pada minggu 2026-W48; paling banyak 2." in cap.message
    # Another week is free.
    assert not request_services.request_check(actor=fresh(world.e1.user), data=request_data(W49[2])).has_errors


def test_message_follows_the_active_language(world):
    approved(world.e1, world.head, W48[0], W48[1])
    with translation.override("en"):
        outcome = request_services.request_check(actor=fresh(world.e1.user), data=request_data(W48[2]))
    assert outcome.findings[0].message.startswith("3 working days away from the office")


def test_editing_a_request_does_not_count_it_twice(world):
    request = submitted(world.e1, W48[0], W48[1])
    request_decisions.request_return(actor=fresh(world.head.user), request_id=request.pk, reason="Perbaiki.")
    outcome = request_services.request_check(actor=fresh(world.e1.user), data=request_data(W48[0], W48[1]), request_id=request.pk)
    assert not outcome.has_errors


def test_cap_is_a_submission_blocker(world):
    approved(world.e1, world.head, W48[0], W48[1])
    request = request_services.request_create(actor=fresh(world.e1.user), data=request_data(W48[2]))
    with pytest.raises(ApplicationError) as error:
        request_services.request_submit(actor=fresh(world.e1.user), request_id=request.pk)
    assert error.value.code == ErrorCode.POLICY_VIOLATION
    assert error.value.details["errors"] == ["LOCATION_MAX_DAYS_PER_WEEK"]


def test_field_work_has_no_cap(world):
    world.e1.field_work_override = True
    world.e1.save()
    approved(world.e1, world.head, W48[0], W48[1])
    assert not request_services.request_check(actor=fresh(world.e1.user), data=request_data(W48[2])).has_errors


def test_special_circumstances_lift_the_cap_only_within_the_period(world):
    approved(world.e1, world.head, W48[0], W48[1])
    special = request_data(W48[2], W48[3], W49[0], W49[1], W49[2], is_special=True, special_description="Merawat orang tua")
    outcome = request_services.request_check(actor=fresh(world.e1.user), data=special)
    # Within its own period the cap is lifted; only the missing evidence is reported.
    assert codes(outcome) == {"REQUEST_REASON_MISSING"}
    # An ordinary request in a week outside any special period still meets the cap.
    approved(world.e2, world.head, W48[0], W48[1])
    ordinary = request_services.request_check(actor=fresh(world.e2.user), data=request_data(W48[2]))
    assert "LOCATION_MAX_DAYS_PER_WEEK" in codes(ordinary)


def test_approved_special_period_covers_later_ordinary_requests_inside_it(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    user = fresh(world.e1.user)
    request = request_services.request_create(actor=user, data=request_data(W48[0], W48[1], W48[2], W48[3], is_special=True))
    request_evidence.evidence_add(actor=user, request_id=request.pk, upload=SimpleUploadedFile("surat.pdf", b"%PDF-1.7\n%..."))
    request_services.request_submit(actor=user, request_id=request.pk)
    request_decisions.request_approve(actor=fresh(world.head.user), request_id=request.pk)
    inside = request_services.request_check(actor=fresh(world.e1.user), data=request_data(W48[0], W48[1], W48[2], W48[3]))
    assert "LOCATION_MAX_DAYS_PER_WEEK" not in codes(inside)
    outside = request_services.request_check(actor=fresh(world.e1.user), data=request_data(W49[0], W49[1], W49[2]))
    assert "LOCATION_MAX_DAYS_PER_WEEK" in codes(outside)


def test_coverage_minimum_counts_the_units_approved_days(world):
    scheme_services.agency_policy_update(actor=fresh(world.hr), agency_id=world.agency.pk, data={"min_office_share": {"U": 0.75}})
    # Unit U: head, e1, e2 -> 3 employees; 75% asks for 3 in the office.
    outcome = request_services.request_check(actor=fresh(world.e1.user), data=request_data(W48[0]))
    coverage = [f for f in outcome.findings if f.code == "COVERAGE_BELOW_MINIMUM"]
    assert len(coverage) == 1 and coverage[0].date == W48[0]
    assert coverage[0].numbers["office"] == 2 and coverage[0].numbers["required"] == 3
    scheme_services.agency_policy_update(actor=fresh(world.hr), agency_id=world.agency.pk, data={"min_office_share": {"U": 0.5}})
    assert not request_services.request_check(actor=fresh(world.e1.user), data=request_data(W48[0])).has_errors
    approved(world.e2, world.head, W48[0])
    outcome = request_services.request_check(actor=fresh(world.e1.user), data=request_data(W48[0]))
    assert "COVERAGE_BELOW_MINIMUM" in codes(outcome)


def test_agency_not_enabled_blocks_submission(world):
    world.agency.flexible_work_enabled = False
    world.agency.save()
    request = request_services.request_create(actor=fresh(world.e1.user), data=request_data(W48[0]))
    with pytest.raises(ApplicationError) as error:
        request_services.request_submit(actor=fresh(world.e1.user), request_id=request.pk)
    assert error.value.code == ErrorCode.POLICY_VIOLATION
    assert "AGENCY_NOT_ENABLED" in error.value.details["errors"]


@pytest.mark.parametrize(
    ("attribute", "value", "code"),
    [
        ("disciplinary", True, "EMPLOYEE_DISCIPLINE"),
        ("excluded", True, "EMPLOYEE_EXCLUDED"),
        ("tasks_eligible_override", False, "TASK_NOT_ELIGIBLE"),
        ("position_start", TODAY - dt.timedelta(days=30), "EMPLOYEE_NEW_IN_POSITION"),
    ],
)
def test_eligibility_findings_reach_the_request(world, attribute, value, code):
    setattr(world.e1, attribute, value)
    world.e1.save()
    outcome = request_services.request_check(actor=fresh(world.e1.user), data=request_data(W48[0]))
    assert code in codes(outcome) and outcome.has_errors
    finding = next(f for f in outcome.findings if f.code == code)
    assert finding.basis.startswith("PermenPANRB 4/2025") and finding.date == W48[0]


def test_other_employees_problems_are_not_this_requests_findings(world):
    other = EmployeeFactory(unit=world.unit, disciplinary=True)
    scheme_services.agency_policy_update(actor=fresh(world.hr), agency_id=world.agency.pk, data={"min_office_share": {"U": 0.25}})
    # The same facts do produce the finding for the other employee's own request ...
    own = request_services.request_check(actor=fresh(other.user), data=request_data(W48[0]))
    assert "EMPLOYEE_DISCIPLINE" in codes(own)
    # ... but not for a colleague whose check reads them for the unit's coverage.
    assert request_services.request_check(actor=fresh(world.e1.user), data=request_data(W48[0])).findings == []


def test_described_other_location_is_accepted_for_the_approver_to_judge(world):
    from tests.workflow.helpers import W48, fresh, request_data

    user = fresh(world.e1.user)
    described = request_data(W48[0], location_kind="lokasi_lain", place_description="Perpustakaan Daerah, Jl. Pemuda 5")
    request = request_services.request_create(actor=user, data=described)
    assert FlexRequest.objects.get(pk=request.pk).place_id is None
    request_services.request_submit(actor=user, request_id=request.pk)
    request_decisions.request_approve(actor=fresh(world.head.user), request_id=request.pk)
    assert FlexRequest.objects.get(pk=request.pk).state == "approved"


def test_other_location_needs_a_place_or_a_description(world):
    from fleksi.core.errors import ApplicationError
    from tests.workflow.helpers import W48, fresh, request_data

    with pytest.raises(ApplicationError) as error:
        request_services.request_create(actor=fresh(world.e1.user), data=request_data(W48[0], location_kind="lokasi_lain", place_description="rumah"))
    assert "place_id" in error.value.details["fields"]


@pytest.mark.parametrize("day", [dt.date(9999, 12, 31), dt.date(9999, 12, 27), dt.date(3000, 1, 1)])
def test_dates_far_in_the_future_are_a_validation_error_not_a_crash(world, day):
    from fleksi.core.errors import ApplicationError, ErrorCode
    from tests.workflow.helpers import W48, fresh, request_data

    user = fresh(world.e1.user)
    for data in (request_data(day), request_data(W48[0], end_date=W48[4], dates=(W48[0], day))):
        with pytest.raises(ApplicationError) as error:
            request_services.request_check(actor=user, data=data)
        assert error.value.code == ErrorCode.VALIDATION
