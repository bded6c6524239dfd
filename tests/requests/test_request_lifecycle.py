"""The request lifecycle through the services: create, update, submit, decide, cancel, revoke."""

from __future__ import annotations

import datetime as dt

import pytest

from fleksi.audit.models import AuditEvent
from fleksi.core.errors import ApplicationError, ErrorCode
from fleksi.organisation import services as org_services
from fleksi.requests import decisions as request_decisions
from fleksi.requests import selectors as request_selectors
from fleksi.requests import services as request_services
from fleksi.requests.models import FlexRequest, RequestState, RequestTransition
from fleksi.schedules.models import ArrangementDay
from tests.workflow.helpers import W48, W49, approved, counts, fresh, request_data, submitted

pytestmark = pytest.mark.django_db


def active_days(employee) -> list[dt.date]:
    return list(ArrangementDay.objects.filter(employee=employee, active=True).order_by("date").values_list("date", flat=True))


def test_create_draft_stores_fields_outputs_findings_and_history(world):
    request = request_services.request_create(actor=fresh(world.e1.user), data=request_data(W48[0], W48[2]))
    request.refresh_from_db()
    assert request.state == RequestState.DRAFT
    assert request.employee_id == world.e1.pk and request.agency_id == world.agency.pk
    assert request.dates == [W48[0].isoformat(), W48[2].isoformat()]
    assert [o.description for o in request.outputs.all()] == ["Draf laporan evaluasi"]
    assert request.findings == []
    assert list(request.transitions.values_list("from_state", "to_state")) == [("", "draft")]
    assert AuditEvent.objects.filter(action="flex_request.create", object_id=str(request.pk)).exists()


def test_draft_keeps_incomplete_findings_and_submit_refuses_them(world):
    user = fresh(world.e1.user)
    request = request_services.request_create(actor=user, data=request_data(W48[0], reason="", work_plan="", outputs=()))
    codes = {f["code"] for f in FlexRequest.objects.get(pk=request.pk).findings}
    assert codes == {"REQUEST_REASON_MISSING", "REQUEST_WORKPLAN_MISSING"}
    before = counts()
    with pytest.raises(ApplicationError) as error:
        request_services.request_submit(actor=user, request_id=request.pk)
    assert error.value.code == ErrorCode.POLICY_VIOLATION
    assert {f["code"] for f in error.value.details["findings"]} == codes
    assert all(f["basis"].startswith("PermenPANRB 4/2025 Pasal 30") for f in error.value.details["findings"])
    assert counts() == before
    assert FlexRequest.objects.get(pk=request.pk).state == RequestState.DRAFT


def test_full_lifecycle_writes_one_day_per_working_date(world, mailoutbox):
    request = submitted(world.e1, W48[0], W48[3])
    assert request.state == RequestState.SUBMITTED and request.approval_step == "head"
    assert request_selectors.request_can_decide(actor=fresh(world.head.user), request=request)
    approved_request = request_decisions.request_approve(actor=fresh(world.head.user), request_id=request.pk, note="Silakan.")
    assert approved_request.state == RequestState.APPROVED
    days = ArrangementDay.objects.filter(request=request)
    assert sorted(d.date for d in days) == [W48[0], W48[3]]
    assert all(d.active and d.location_kind == "rumah" and d.unit_id == world.unit.pk for d in days)
    history = list(RequestTransition.objects.filter(request=request).values_list("from_state", "to_state"))
    assert history == [("", "draft"), ("draft", "submitted"), ("submitted", "approved")]
    assert AuditEvent.objects.filter(action="flex_request.approve", object_id=str(request.pk)).exists()


def test_pattern_skips_weekends_and_holidays(world):
    # 2026-W52: 24 Dec is cuti bersama, 25 Dec is Christmas.
    data = request_data(
        schedule_mode="pattern", dates=(), weekdays=(0, 1, 2, 3, 4, 5),
        start_date=dt.date(2026, 12, 21), end_date=dt.date(2026, 12, 27),
        location_kind="kantor", time_kind="dinamis", hours={str(i): ("07:00", "15:30") for i in range(6)},
    )
    world.e1.position.time_flexibility = "dinamis"
    world.e1.position.save()
    outcome = request_services.request_check(actor=fresh(world.e1.user), data=data)
    assert outcome.dates == [dt.date(2026, 12, 21), dt.date(2026, 12, 22), dt.date(2026, 12, 23)]
    request = request_services.request_create(actor=fresh(world.e1.user), data=data)
    request_services.request_submit(actor=fresh(world.e1.user), request_id=request.pk)
    request_decisions.request_approve(actor=fresh(world.head.user), request_id=request.pk)
    days = list(ArrangementDay.objects.filter(request=request).order_by("date"))
    assert [d.date for d in days] == outcome.dates
    assert days[0].time_kind == "dinamis" and days[0].start_time == dt.time(7, 0) and days[0].end_time == dt.time(15, 30)


def test_update_only_draft_or_returned_and_only_owner(world):
    request = request_services.request_create(actor=fresh(world.e1.user), data=request_data(W48[0]))
    updated = request_services.request_update(actor=fresh(world.e1.user), request_id=request.pk, data=request_data(W48[1], W48[2]))
    assert updated.dates == [W48[1].isoformat(), W48[2].isoformat()]
    request_services.request_submit(actor=fresh(world.e1.user), request_id=request.pk)
    with pytest.raises(ApplicationError) as error:
        request_services.request_update(actor=fresh(world.e1.user), request_id=request.pk, data=request_data(W48[0]))
    assert error.value.code == ErrorCode.INVALID_STATE
    # The head can see the submitted request but never edit it; another employee cannot see it.
    with pytest.raises(ApplicationError) as error:
        request_services.request_update(actor=fresh(world.head.user), request_id=request.pk, data=request_data(W48[0]))
    assert error.value.code == ErrorCode.PERMISSION_DENIED
    with pytest.raises(ApplicationError) as error:
        request_services.request_update(actor=fresh(world.e2.user), request_id=request.pk, data=request_data(W48[0]))
    assert error.value.code == ErrorCode.NOT_FOUND


def test_return_then_edit_and_resubmit(world):
    request = submitted(world.e1, W48[0])
    with pytest.raises(ApplicationError) as error:
        request_decisions.request_return(actor=fresh(world.head.user), request_id=request.pk, reason="  ")
    assert error.value.code == ErrorCode.VALIDATION and "reason" in error.value.details["fields"]
    request_decisions.request_return(actor=fresh(world.head.user), request_id=request.pk, reason="Lengkapi target keluaran.")
    request.refresh_from_db()
    assert request.state == RequestState.RETURNED and request.decision_note == "Lengkapi target keluaran."
    request_services.request_update(actor=fresh(world.e1.user), request_id=request.pk, data=request_data(W48[1]))
    again = request_services.request_submit(actor=fresh(world.e1.user), request_id=request.pk)
    assert again.state == RequestState.SUBMITTED and again.decision_note == ""


def test_reject_needs_reason_and_writes_no_days(world):
    request = submitted(world.e1, W48[0])
    request_decisions.request_reject(actor=fresh(world.head.user), request_id=request.pk, reason="Beban layanan tinggi.")
    request.refresh_from_db()
    assert request.state == RequestState.REJECTED
    assert not ArrangementDay.objects.filter(request=request).exists()
    with pytest.raises(ApplicationError) as error:
        request_decisions.request_approve(actor=fresh(world.head.user), request_id=request.pk)
    assert error.value.code == ErrorCode.INVALID_STATE


def test_cancel_and_revoke_end_only_days_not_yet_passed(world, fixed_clock):
    request = approved(world.e1, world.head, W48[0], W48[1], W49[0])
    fixed_clock(W48[1])  # Tuesday: Monday has passed, Tuesday has not
    request_services.request_cancel(actor=fresh(world.e1.user), request_id=request.pk, reason="Rencana berubah.")
    assert active_days(world.e1) == [W48[0]]
    ended = ArrangementDay.objects.filter(request=request, active=False)
    assert sorted(d.date for d in ended) == [W48[1], W49[0]] and all(d.ended_at for d in ended)

    other = approved(world.e2, world.head, W48[2], W48[4])
    fixed_clock(W48[3])
    with pytest.raises(ApplicationError) as error:
        request_decisions.request_revoke(actor=fresh(world.head.user), request_id=other.pk, reason="")
    assert error.value.code == ErrorCode.VALIDATION
    request_decisions.request_revoke(actor=fresh(world.head.user), request_id=other.pk, reason="Layanan butuh tambahan staf.")
    assert active_days(world.e2) == [W48[2]]
    assert FlexRequest.objects.get(pk=other.pk).state == RequestState.REVOKED


def test_cancel_of_a_finished_period_is_refused(world, fixed_clock):
    request = approved(world.e1, world.head, W48[0])
    fixed_clock(W49[0])
    with pytest.raises(ApplicationError) as error:
        request_services.request_cancel(actor=fresh(world.e1.user), request_id=request.pk)
    assert error.value.code == ErrorCode.INVALID_STATE
    assert active_days(world.e1) == [W48[0]]


def test_later_approval_replaces_future_days_of_an_earlier_one(world):
    first = approved(world.e1, world.head, W48[0], W48[1])
    second = approved(world.e1, world.head, W48[1], location_kind="kantor_lain", office_id=_office(world).pk)
    days = {d.date: d for d in ArrangementDay.objects.filter(employee=world.e1, active=True)}
    assert days[W48[0]].request_id == first.pk
    assert days[W48[1]].request_id == second.pk and days[W48[1]].location_kind == "kantor_lain"
    assert ArrangementDay.objects.filter(request=first, date=W48[1], active=False).count() == 1


def test_approval_after_start_writes_only_remaining_days(world, fixed_clock):
    request = submitted(world.e1, W48[0], W48[2])
    fixed_clock(W48[1])
    request_decisions.request_approve(actor=fresh(world.head.user), request_id=request.pk)
    assert active_days(world.e1) == [W48[2]]
    late = submitted(world.e2, W48[2])
    fixed_clock(W48[3])
    with pytest.raises(ApplicationError) as error:
        request_decisions.request_approve(actor=fresh(world.head.user), request_id=late.pk)
    assert error.value.code == ErrorCode.INVALID_STATE


def test_cancel_of_submitted_request_and_states_that_cannot_cancel(world):
    request = submitted(world.e1, W48[0])
    request_services.request_cancel(actor=fresh(world.e1.user), request_id=request.pk)
    assert FlexRequest.objects.get(pk=request.pk).state == RequestState.CANCELLED
    with pytest.raises(ApplicationError) as error:
        request_services.request_cancel(actor=fresh(world.e1.user), request_id=request.pk)
    assert error.value.code == ErrorCode.INVALID_STATE
    with pytest.raises(ApplicationError) as error:
        request_services.request_submit(actor=fresh(world.e1.user), request_id=request.pk)
    assert error.value.code == ErrorCode.INVALID_STATE


def test_supervisor_first_chain(world):
    world.agency.approval_supervisor_first = True
    world.agency.save()
    # e1's supervisor is the unit head: straight to the head step.
    assert submitted(world.e1, W48[0]).approval_step == "head"
    # A supervisor who is not a head: ES in S, supervised by E2 (a plain employee of U).
    world.es.supervisor = world.e2
    world.es.save()
    request = submitted(world.es, W48[0])
    assert request.approval_step == "supervisor"
    assert request_selectors.request_can_decide(actor=fresh(world.e2.user), request=request)
    forwarded = request_decisions.request_approve(actor=fresh(world.e2.user), request_id=request.pk)
    assert forwarded.state == RequestState.SUBMITTED and forwarded.approval_step == "head"
    assert not ArrangementDay.objects.filter(request=request).exists()
    # The supervisor cannot decide the head step.
    with pytest.raises(ApplicationError) as error:
        request_decisions.request_approve(actor=fresh(world.e2.user), request_id=request.pk)
    assert error.value.code == ErrorCode.PERMISSION_DENIED
    done = request_decisions.request_approve(actor=fresh(world.head_sub.user), request_id=request.pk)
    assert done.state == RequestState.APPROVED
    assert ArrangementDay.objects.filter(request=request, active=True).count() == 1


def test_head_decides_at_supervisor_step_and_it_is_final(world):
    world.agency.approval_supervisor_first = True
    world.agency.save()
    world.es.supervisor = world.e2
    world.es.save()
    request = submitted(world.es, W48[0])
    done = request_decisions.request_approve(actor=fresh(world.head.user), request_id=request.pk)  # head of U, S's parent
    assert done.state == RequestState.APPROVED


def test_a_head_never_decides_their_own_request(world):
    request = submitted(world.head, W48[0])
    assert not request_selectors.request_can_decide(actor=fresh(world.head.user), request=request)
    with pytest.raises(ApplicationError) as error:
        request_decisions.request_approve(actor=fresh(world.head.user), request_id=request.pk)
    assert error.value.code == ErrorCode.PERMISSION_DENIED
    # The head of the parent unit decides it.
    assert request_decisions.request_approve(actor=fresh(world.head_root.user), request_id=request.pk).state == RequestState.APPROVED


def _office(world):
    return org_services.office_save(actor=fresh(world.hr), agency_id=world.agency.pk, name="Kantor Cabang Timur", address="Jl. Timur 1")
