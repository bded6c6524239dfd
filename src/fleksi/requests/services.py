"""The employee's side of a request: check, create, update, submit, cancel; and the shared
helpers of the request services (locks, transitions, audit rows)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from fleksi.audit.services import audit_record
from fleksi.core import clock
from fleksi.core.errors import ApplicationError, ErrorCode
from fleksi.organisation.models import Employee, OrgUnit
from fleksi.organisation.scoping import scope_for
from fleksi.schedules.models import ArrangementDay
from fleksi.schedules.services import arrangement_days_end
from fleksi.scheme.facts import employee_today

from . import notify, selectors
from .checking import CheckOutcome, run_check
from .inputs import RequestInput
from .models import (
    ApprovalStep,
    FlexRequest,
    PlannedOutput,
    RequestState,
    RequestTransition,
)
from .planning import (
    PlannedRequest,
    input_from_request,
    plan_request,
)

BULK_MAX = 200


EDITABLE = (RequestState.DRAFT, RequestState.RETURNED)


CANCELLABLE = (
    RequestState.DRAFT,
    RequestState.RETURNED,
    RequestState.SUBMITTED,
    RequestState.APPROVED,
)


@dataclass(frozen=True)
class BulkResult:
    request_id: int
    ok: bool
    code: str = ""
    message: str = ""


def _validation(field: str, message: str) -> ApplicationError:
    return ApplicationError(ErrorCode.VALIDATION, message, {"fields": {field: message}})


def _not_found(what: str | None = None) -> ApplicationError:
    return ApplicationError(
        ErrorCode.NOT_FOUND, _("%(what)s tidak ditemukan.") % {"what": what or _("Pengajuan")}
    )


def _denied(message: str) -> ApplicationError:
    return ApplicationError(ErrorCode.PERMISSION_DENIED, message)


def _invalid_state(request: FlexRequest, action: str) -> ApplicationError:
    return ApplicationError(
        ErrorCode.INVALID_STATE,
        _("Pengajuan berstatus %(state)s tidak dapat %(action)s.")
        % {"state": RequestState(request.state).label, "action": action},
        {"state": request.state},
    )


def _employees() -> Any:
    return Employee.objects.select_related("unit", "agency", "position", "user")


def _own_employee(actor: Any, employee_id: int | None) -> Employee:
    """The actor's own employee record. Naming anyone else is NOT_FOUND (a tampered form
    changes nothing and reveals nothing)."""
    scope = scope_for(actor)
    if scope.employee_id is None or (employee_id is not None and employee_id != scope.employee_id):
        raise _not_found(_("Pegawai"))
    employee = _employees().filter(pk=scope.employee_id, is_active=True).first()
    if employee is None:
        raise _not_found(_("Pegawai"))
    return employee


def _request_qs() -> Any:
    return FlexRequest.objects.select_related(
        "agency",
        "employee__unit",
        "employee__agency",
        "employee__position",
        "employee__user",
        "office",
        "place",
    )


def _own_request(actor: Any, request_id: int, *, lock: bool = True) -> FlexRequest:
    """The actor's own request, locked. Someone who may see it but does not own it gets
    PERMISSION_DENIED; anyone else NOT_FOUND."""
    request = selectors.request_list_visible(actor=actor).filter(pk=request_id).first()
    if request is None:
        raise _not_found()
    if request.employee_id != scope_for(actor).employee_id:
        raise _denied(_("Hanya pegawai yang mengajukan yang dapat mengubah pengajuan ini."))
    return _reload(request.pk, lock=lock)


def _reload(request_id: int, *, lock: bool) -> FlexRequest:
    qs = _request_qs()
    if lock:
        qs = qs.select_for_update(of=("self",))
    return qs.get(pk=request_id)


def _lock_for_days(request: FlexRequest) -> FlexRequest:
    """Lock the unit row, then the employee row, then the request: the one order every write
    of arrangement days follows, so that racing approvals serialise and never deadlock."""
    OrgUnit.objects.select_for_update().filter(pk=request.employee.unit_id).values_list(
        "pk"
    ).first()
    Employee.objects.select_for_update().filter(pk=request.employee_id).values_list("pk").first()
    return _reload(request.pk, lock=True)


def _visible_request(actor: Any, request_id: int) -> FlexRequest:
    request = selectors.request_list_visible(actor=actor).filter(pk=request_id).first()
    if request is None:
        raise _not_found()
    return request


def _transition(
    request: FlexRequest, actor: Any, from_state: str, note: str = ""
) -> RequestTransition:
    user = actor if getattr(actor, "is_authenticated", False) else None
    return RequestTransition.objects.create(
        request=request, actor=user, from_state=from_state, to_state=request.state, note=note
    )


def _audit(actor: Any, action: str, request: FlexRequest, **data: Any) -> None:
    audit_record(
        actor=actor,
        action=f"flex_request.{action}",
        object_type="flex_request",
        object_id=request.pk,
        agency_id=request.agency_id,
        data={"state": request.state, **data},
    )


def _request_fields(planned: PlannedRequest) -> dict[str, Any]:
    data = planned.data
    return {
        "location_kind": data.location_kind,
        "office": planned.office,
        "place": planned.place,
        "place_description": data.place_description,
        "schedule_mode": data.schedule_mode,
        "start_date": data.start_date,
        "end_date": data.end_date,
        "weekdays": list(data.weekdays),
        "dates": [d.isoformat() for d in data.dates],
        "time_kind": data.time_kind,
        "hours": {k: list(v) for k, v in data.hours.items()},
        "is_special": data.is_special,
        "special_description": data.special_description,
        "reason": data.reason,
        "work_plan": data.work_plan,
    }


def _write_outputs(request: FlexRequest, planned: PlannedRequest) -> None:
    PlannedOutput.objects.filter(request=request).delete()
    PlannedOutput.objects.bulk_create(
        PlannedOutput(
            request=request,
            description=o.description,
            target_quantity=o.target_quantity,
            unit=o.unit,
            due_date=o.due_date,
        )
        for o in planned.data.outputs
    )


def _policy_violation(outcome: CheckOutcome, message: str) -> ApplicationError:
    return ApplicationError(
        ErrorCode.POLICY_VIOLATION,
        message,
        {
            "findings": [f.as_dict() for f in outcome.findings],
            "errors": [f.code for f in outcome.errors],
        },
    )


def _first_step(employee: Employee) -> str:
    """``supervisor`` when the agency asks the direct supervisor first and that supervisor is
    not already a head on the employee's path (then the head decides at once)."""
    if not (employee.agency.approval_supervisor_first and employee.supervisor_id):
        return ApprovalStep.HEAD
    ids = [int(p) for p in employee.unit.path.strip("/").split("/") if p.isdigit()]
    if OrgUnit.objects.filter(pk__in=ids, head_id=employee.supervisor_id).exists():
        return ApprovalStep.HEAD
    return ApprovalStep.SUPERVISOR


def _end_days_from(request: FlexRequest, first: dt.date, now: dt.datetime) -> int:
    """End the request's active days from ``first`` on; earlier days stay as history."""
    return arrangement_days_end(ArrangementDay.objects.filter(request=request, date__gte=first), now=now)


def request_check(
    *, actor: Any, data: RequestInput, employee_id: int | None = None, request_id: int | None = None
) -> CheckOutcome:
    """The live check of a request's input: no writes.

    The request is seen with the employee's approved days and other pending requests of the
    same ISO weeks, and the unit's approved days for coverage. ``request_id`` (an existing
    draft being edited) is left out of "other requests". Invalid input raises VALIDATION.
    ``employee_id`` may name any employee in the actor's scope (a head checking a plan).
    """
    evidence = 0
    if request_id is not None:
        request = _visible_request(actor, request_id)
        employee = _employees().get(pk=request.employee_id)
        evidence = request.evidence.count()
    elif employee_id is None:
        employee = _own_employee(actor, None)
    else:
        visible = scope_for(actor).employees(
            Employee.objects.filter(pk=employee_id, is_active=True)
        )
        employee = _employees().filter(pk__in=visible.values("pk")).first()
        if employee is None:
            raise _not_found(_("Pegawai"))
    planned = plan_request(employee=employee, data=data, evidence_count=evidence)
    return run_check(planned, exclude_request_id=request_id, include_pending=True)


def request_create(
    *, actor: Any, data: RequestInput, employee_id: int | None = None
) -> FlexRequest:
    """A new draft for the actor's own employee record (its findings stored, not enforced)."""
    employee = _own_employee(actor, employee_id)
    with transaction.atomic():
        planned = plan_request(employee=employee, data=data)
        outcome = run_check(planned, include_pending=True)
        request = FlexRequest.objects.create(
            agency=employee.agency,
            employee=employee,
            created_by=actor,
            state=RequestState.DRAFT,
            findings=outcome.stored,
            **_request_fields(planned),
        )
        _write_outputs(request, planned)
        _transition(request, actor, "", _("Draf dibuat."))
        _audit(actor, "create", request, days=len(planned.days))
    return request


def request_update(*, actor: Any, request_id: int, data: RequestInput) -> FlexRequest:
    """Change a draft or a returned request (its owner only)."""
    with transaction.atomic():
        request = _own_request(actor, request_id)
        if request.state not in EDITABLE:
            raise _invalid_state(request, _("diubah"))
        planned = plan_request(
            employee=request.employee, data=data, evidence_count=request.evidence.count()
        )
        outcome = run_check(planned, exclude_request_id=request.pk, include_pending=True)
        for name, value in _request_fields(planned).items():
            setattr(request, name, value)
        request.findings = outcome.stored
        request.save()
        _write_outputs(request, planned)
        _transition(request, actor, request.state, _("Pengajuan diubah."))
        _audit(actor, "update", request, days=len(planned.days))
    return request


def request_submit(*, actor: Any, request_id: int) -> FlexRequest:
    """Submit a draft or returned request; refused (POLICY_VIOLATION, findings in details)
    while the check finds any error, and (VALIDATION) when its dates have passed.

    The check runs under the unit and employee row locks (the order approvals take them):
    two submissions of one employee at once are checked one after the other, the second
    seeing the first's days among the pending ones, so the weekly cap holds at submission
    too, not only at approval (docs/decisions/162)."""
    with transaction.atomic():
        request = _lock_for_days(_own_request(actor, request_id, lock=False))
        if request.state not in EDITABLE:
            raise _invalid_state(request, _("diajukan"))
        planned = plan_request(
            employee=request.employee,
            data=input_from_request(request),
            evidence_count=request.evidence.count(),
        )
        outcome = run_check(planned, exclude_request_id=request.pk, include_pending=True)
        if outcome.has_errors:
            raise _policy_violation(
                outcome,
                _("Pengajuan belum memenuhi ketentuan: %(n)d temuan harus diperbaiki.")
                % {"n": len(outcome.errors)},
            )
        from_state = request.state
        request.state = RequestState.SUBMITTED
        request.approval_step = _first_step(request.employee)
        request.submitted_at = clock.now()
        request.decided_at = None
        request.decided_by = None
        request.decision_note = ""
        request.findings = outcome.stored
        request.save()
        _transition(request, actor, from_state, _("Diajukan."))
        _audit(actor, "submit", request, step=request.approval_step)
        notify.notify_request(
            request=request,
            event=notify.SUBMITTED,
            employees=selectors.request_approvers(request=request),
        )
    return request


def request_cancel(*, actor: Any, request_id: int, reason: str = "") -> FlexRequest:
    """The employee withdraws a request. For an approved one only the days not yet passed
    (today included) are ended; the approvers hear of it."""
    reason = (reason or "").strip()[:2000]
    with transaction.atomic():
        visible = _own_request(actor, request_id, lock=False)
        request = _lock_for_days(visible)
        if request.state not in CANCELLABLE:
            raise _invalid_state(request, _("dibatalkan"))
        today = employee_today(request.employee)
        from_state = request.state
        ended = 0
        if from_state == RequestState.APPROVED:
            if request.end_date < today:
                raise ApplicationError(
                    ErrorCode.INVALID_STATE,
                    _("Periode pengajuan sudah selesai; tidak ada yang dapat dibatalkan."),
                    {"state": request.state},
                )
            ended = _end_days_from(request, today, clock.now())
        approvers = (
            selectors.request_approvers(request=request)
            if from_state in (RequestState.SUBMITTED, RequestState.APPROVED)
            else []
        )
        request.state = RequestState.CANCELLED
        request.approval_step = ""
        request.save()
        _transition(request, actor, from_state, reason)
        _audit(actor, "cancel", request, reason=reason, days_ended=ended, from_state=from_state)
        notify.request_settled(request)
        notify.notify_request(
            request=request, event=notify.CANCELLED, employees=approvers, note=reason
        )
    return request
