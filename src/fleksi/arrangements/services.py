"""Every write of the flexible-work workflow.

Each service is keyword-only with the acting user first, runs in one transaction, checks
the actor's right before touching anything, writes an audit row (and, for a request, a
``RequestTransition``), and sends notifications' emails only after the commit.

States (PermenPANRB 4/2025 Pasal 30)::

    draft --submit--> submitted --approve--> approved --revoke--> revoked
      ^                 |  |  \\--reject--> rejected
      |                 |  \\--return--> returned --submit--> submitted
      \\-- update ------/(draft/returned only)
    draft/returned/submitted/approved --cancel (employee)--> cancelled

With ``Agency.approval_supervisor_first`` a submission waits first at the ``supervisor``
step; the direct supervisor's approval moves it to the ``head`` step (no days yet).

The weekly cap and the unit's coverage minimum must hold when two approvals race: the
approval locks the unit row, then the employee row (always in this order), then the request,
and re-runs the policy check inside the transaction before writing the arrangement days.
Cancel and revoke take the same locks (they end days). See docs/decisions/040-*.md.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import secrets
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, BinaryIO
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from fleksi.audit.services import audit_record
from fleksi.core import clock
from fleksi.core.errors import ApplicationError, ErrorCode
from fleksi.organisation.models import Agency, Employee, OrgUnit
from fleksi.organisation.scoping import scope_for
from fleksi.policy.model import Policy, PolicyError

from . import notifications, selectors
from .checking import (
    CheckOutcome,
    PlannedRequest,
    agency_calendar,
    agency_policy,
    employee_today,
    input_from_request,
    plan_request,
    planned_from_request,
    run_check,
)
from .inputs import RequestInput
from .models import (
    AgencyFlexDay,
    AgencyOffice,
    ApprovalStep,
    ArrangementDay,
    CalendarFeed,
    Evidence,
    FlexRequest,
    Notification,
    PermittedPlace,
    PlannedOutput,
    RequestState,
    RequestTransition,
)

EVIDENCE_MAX_BYTES = 5 * 1024 * 1024
EVIDENCE_MAX_FILES = 10
BULK_MAX = 200
EDITABLE = (RequestState.DRAFT, RequestState.RETURNED)
CANCELLABLE = (RequestState.DRAFT, RequestState.RETURNED, RequestState.SUBMITTED, RequestState.APPROVED)

# What a file really is, by its first bytes (never by its name or the browser's word).
_MAGIC: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
)

__all__ = [
    "BulkResult",
    "CheckOutcome",
    "agency_policy_update",
    "agency_settings_update",
    "calendar_feed_revoke",
    "calendar_feed_rotate",
    "evidence_add",
    "evidence_open",
    "flex_day_declare",
    "flex_day_remove",
    "notification_mark_read",
    "office_save",
    "place_save",
    "request_approve",
    "request_bulk_approve",
    "request_cancel",
    "request_check",
    "request_create",
    "request_reject",
    "request_return",
    "request_revoke",
    "request_submit",
    "request_update",
    "requests_remind_pending",
]


@dataclass(frozen=True)
class BulkResult:
    request_id: int
    ok: bool
    code: str = ""
    message: str = ""


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------


def _validation(field: str, message: str) -> ApplicationError:
    return ApplicationError(ErrorCode.VALIDATION, message, {"fields": {field: message}})


def _not_found(what: str | None = None) -> ApplicationError:
    return ApplicationError(ErrorCode.NOT_FOUND, _("%(what)s tidak ditemukan.") % {"what": what or _("Pengajuan")})


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
        "agency", "employee__unit", "employee__agency", "employee__position", "employee__user",
        "office", "place",
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
    OrgUnit.objects.select_for_update().filter(pk=request.employee.unit_id).values_list("pk").first()
    Employee.objects.select_for_update().filter(pk=request.employee_id).values_list("pk").first()
    return _reload(request.pk, lock=True)


def _visible_request(actor: Any, request_id: int) -> FlexRequest:
    request = selectors.request_list_visible(actor=actor).filter(pk=request_id).first()
    if request is None:
        raise _not_found()
    return request


def _transition(request: FlexRequest, actor: Any, from_state: str, note: str = "") -> RequestTransition:
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
        {"findings": [f.as_dict() for f in outcome.findings], "errors": [f.code for f in outcome.errors]},
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
    return ArrangementDay.objects.filter(request=request, active=True, date__gte=first).update(
        active=False, ended_at=now
    )


# --------------------------------------------------------------------------------------------
# Requests: check, create, update, submit
# --------------------------------------------------------------------------------------------


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
        visible = scope_for(actor).employees(Employee.objects.filter(pk=employee_id, is_active=True))
        employee = _employees().filter(pk__in=visible.values("pk")).first()
        if employee is None:
            raise _not_found(_("Pegawai"))
    planned = plan_request(employee=employee, data=data, evidence_count=evidence)
    return run_check(planned, exclude_request_id=request_id, include_pending=True)


def request_create(*, actor: Any, data: RequestInput, employee_id: int | None = None) -> FlexRequest:
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
        planned = plan_request(employee=request.employee, data=data, evidence_count=request.evidence.count())
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
    while the check finds any error, and (VALIDATION) when its dates have passed."""
    with transaction.atomic():
        request = _own_request(actor, request_id)
        if request.state not in EDITABLE:
            raise _invalid_state(request, _("diajukan"))
        planned = plan_request(
            employee=request.employee, data=input_from_request(request), evidence_count=request.evidence.count()
        )
        outcome = run_check(planned, exclude_request_id=request.pk, include_pending=True)
        if outcome.has_errors:
            raise _policy_violation(
                outcome, _("Pengajuan belum memenuhi ketentuan: %(n)d temuan harus diperbaiki.") % {"n": len(outcome.errors)}
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
        notifications.notify_request(
            request=request, event=notifications.SUBMITTED, employees=selectors.request_approvers(request=request)
        )
    return request


# --------------------------------------------------------------------------------------------
# Decisions
# --------------------------------------------------------------------------------------------


def _decidable(actor: Any, request_id: int, *, for_days: bool) -> FlexRequest:
    """The request, locked, if the actor decides it now; else NOT_FOUND / PERMISSION_DENIED /
    INVALID_STATE."""
    visible = _visible_request(actor, request_id)
    request = _lock_for_days(visible) if for_days else _reload(visible.pk, lock=True)
    scope = scope_for(actor)
    head = selectors.is_head_decider(scope, request) or selectors.is_ppk_decider(scope, request)
    supervisor = scope.employee_id not in (None, request.employee_id) and request.employee.supervisor_id == scope.employee_id
    if not (head or supervisor):
        raise _denied(_("Anda tidak berwenang memutuskan pengajuan ini."))
    if request.state != RequestState.SUBMITTED:
        raise _invalid_state(request, _("diputuskan"))
    if not (head or selectors.is_supervisor_decider(scope, request)):
        raise _denied(_("Pengajuan ini kini menunggu keputusan pimpinan unit."))
    return request


def _required_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise _validation("reason", _("Alasan wajib diisi."))
    if len(reason) > 2000:
        raise _validation("reason", _("Alasan paling banyak 2000 karakter."))
    return reason


def request_approve(*, actor: Any, request_id: int, note: str = "") -> FlexRequest:
    """Approve a submitted request. At the supervisor step (by the direct supervisor) it
    moves on to the unit head; otherwise the policy check is re-run under the unit and
    employee locks and, if it holds, one ArrangementDay is written per remaining date
    (replacing another request's day on the same date: a change of arrangement)."""
    note = (note or "").strip()[:2000]
    with transaction.atomic():
        request = _decidable(actor, request_id, for_days=True)
        scope = scope_for(actor)
        now = clock.now()
        if (
            request.approval_step == ApprovalStep.SUPERVISOR
            and not selectors.is_head_decider(scope, request)
            and not selectors.is_ppk_decider(scope, request)
        ):
            request.approval_step = ApprovalStep.HEAD
            request.save(update_fields=["approval_step", "updated_at"])
            forwarded = _("Disetujui atasan langsung; diteruskan ke pimpinan unit.")
            _transition(request, actor, RequestState.SUBMITTED, f"{forwarded} {note}".strip())
            _audit(actor, "approve_supervisor", request, note=note)
            notifications.notify_request(
                request=request, event=notifications.FORWARDED, employees=selectors.request_approvers(request=request)
            )
            return request

        employee = request.employee
        policy = agency_policy(employee.agency)
        calendar = agency_calendar(employee.agency, policy)
        today = employee_today(employee)
        planned = planned_from_request(request, calendar=calendar, evidence_count=request.evidence.count())
        planned = planned.only_from(today)
        if not planned.days:
            raise ApplicationError(
                ErrorCode.INVALID_STATE,
                _("Semua tanggal pengajuan ini sudah lewat; kembalikan atau tolak pengajuan."),
                {"state": request.state},
            )
        outcome = run_check(planned, exclude_request_id=request.pk, include_pending=False, policy=policy, calendar=calendar)
        if outcome.has_errors:
            raise _policy_violation(
                outcome, _("Pengajuan tidak dapat disetujui: %(n)d temuan melanggar ketentuan.") % {"n": len(outcome.errors)}
            )
        dates = [d.date for d in planned.days]
        replaced = ArrangementDay.objects.filter(employee=employee, active=True, date__in=dates).update(
            active=False, ended_at=now
        )
        ArrangementDay.objects.bulk_create(
            ArrangementDay(
                agency_id=request.agency_id,
                unit_id=employee.unit_id,
                employee=employee,
                request=request,
                date=day.date,
                location_kind=day.location_kind,
                time_kind=day.time_kind,
                start_time=day.start,
                end_time=day.end,
                is_special=request.is_special,
            )
            for day in planned.days
        )
        request.state = RequestState.APPROVED
        request.approval_step = ""
        request.decided_at = now
        request.decided_by = actor
        request.decision_note = note
        request.findings = outcome.stored
        request.save()
        _transition(request, actor, RequestState.SUBMITTED, note)
        _audit(actor, "approve", request, days=len(dates), replaced=replaced, note=note)
        notifications.notify_request(request=request, event=notifications.APPROVED, employees=[employee], note=note)
    return request


def request_reject(*, actor: Any, request_id: int, reason: str) -> FlexRequest:
    reason = _required_reason(reason)
    with transaction.atomic():
        request = _decidable(actor, request_id, for_days=False)
        request.state = RequestState.REJECTED
        request.approval_step = ""
        request.decided_at = clock.now()
        request.decided_by = actor
        request.decision_note = reason
        request.save()
        _transition(request, actor, RequestState.SUBMITTED, reason)
        _audit(actor, "reject", request, reason=reason)
        notifications.notify_request(request=request, event=notifications.REJECTED, employees=[request.employee], note=reason)
    return request


def request_return(*, actor: Any, request_id: int, reason: str) -> FlexRequest:
    """Return for changes: the employee edits and submits again."""
    reason = _required_reason(reason)
    with transaction.atomic():
        request = _decidable(actor, request_id, for_days=False)
        request.state = RequestState.RETURNED
        request.approval_step = ""
        request.decided_at = clock.now()
        request.decided_by = actor
        request.decision_note = reason
        request.save()
        _transition(request, actor, RequestState.SUBMITTED, reason)
        _audit(actor, "return", request, reason=reason)
        notifications.notify_request(request=request, event=notifications.RETURNED, employees=[request.employee], note=reason)
    return request


def request_revoke(*, actor: Any, request_id: int, reason: str) -> FlexRequest:
    """Revoke an approval (a head of the employee's path, or the agency's PPK): the days not
    yet passed (today included) are ended; earlier days stay as history."""
    reason = _required_reason(reason)
    with transaction.atomic():
        visible = _visible_request(actor, request_id)
        request = _lock_for_days(visible)
        if not selectors.request_can_revoke(actor=actor, request=request):
            if request.state != RequestState.APPROVED and (
                selectors.is_head_decider(scope_for(actor), request) or request.agency_id in scope_for(actor).ppk_agency_ids
            ):
                raise _invalid_state(request, _("dicabut"))
            raise _denied(_("Anda tidak berwenang mencabut persetujuan ini."))
        today = employee_today(request.employee)
        if request.end_date < today:
            raise ApplicationError(
                ErrorCode.INVALID_STATE, _("Periode pengajuan sudah selesai; tidak ada yang dapat dicabut."), {"state": request.state}
            )
        ended = _end_days_from(request, today, clock.now())
        request.state = RequestState.REVOKED
        request.save()
        _transition(request, actor, RequestState.APPROVED, reason)
        _audit(actor, "revoke", request, reason=reason, days_ended=ended)
        notifications.notify_request(request=request, event=notifications.REVOKED, employees=[request.employee], note=reason)
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
                    ErrorCode.INVALID_STATE, _("Periode pengajuan sudah selesai; tidak ada yang dapat dibatalkan."), {"state": request.state}
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
        notifications.notify_request(request=request, event=notifications.CANCELLED, employees=approvers, note=reason)
    return request


def request_bulk_approve(*, actor: Any, request_ids: list[int]) -> list[BulkResult]:
    """Approve many requests, each in its own transaction: one failing blocks no other."""
    seen: set[int] = set()
    ids = [i for i in request_ids if not (i in seen or seen.add(i))]  # type: ignore[func-returns-value]
    if len(ids) > BULK_MAX:
        raise _validation("request_ids", _("Paling banyak %(n)d pengajuan sekaligus.") % {"n": BULK_MAX})
    results = []
    for request_id in ids:
        try:
            request_approve(actor=actor, request_id=request_id)
        except ApplicationError as error:
            results.append(BulkResult(request_id, False, str(error.code), error.message))
        else:
            results.append(BulkResult(request_id, True))
    return results


# --------------------------------------------------------------------------------------------
# Evidence (keadaan khusus)
# --------------------------------------------------------------------------------------------


def _sniff(head: bytes) -> tuple[str, str] | None:
    for magic, content_type, extension in _MAGIC:
        if head.startswith(magic):
            return content_type, extension
    return None


def evidence_add(*, actor: Any, request_id: int, upload: UploadedFile) -> Evidence:
    """Attach a supporting file (PDF, JPEG or PNG by its content; at most 5 MB) to the
    actor's own draft or returned request. Stored under MEDIA_ROOT with a random name."""
    size = upload.size or 0
    if size > EVIDENCE_MAX_BYTES:
        raise _validation("file", _("Berkas paling besar 5 MB."))
    if size == 0:
        raise _validation("file", _("Berkas kosong."))
    upload.seek(0)
    sniffed = _sniff(upload.read(16))
    if sniffed is None:
        raise _validation("file", _("Berkas harus PDF, JPEG atau PNG (isi berkas tidak sesuai)."))
    content_type, extension = sniffed
    digest = hashlib.sha256()
    total = 0
    upload.seek(0)
    for chunk in upload.chunks():
        total += len(chunk)
        if total > EVIDENCE_MAX_BYTES:
            raise _validation("file", _("Berkas paling besar 5 MB."))
        digest.update(chunk)
    upload.seek(0)
    with transaction.atomic():
        request = _own_request(actor, request_id)
        if request.state not in EDITABLE:
            raise _invalid_state(request, _("diberi bukti"))
        if request.evidence.count() >= EVIDENCE_MAX_FILES:
            raise _validation("file", _("Paling banyak %(n)d berkas bukti.") % {"n": EVIDENCE_MAX_FILES})
        original = os.path.basename(upload.name or "bukti")[:255] or "bukti"
        evidence = Evidence(
            request=request,
            original_name=original,
            content_type=content_type,
            size=total,
            sha256=digest.hexdigest(),
            uploaded_by=actor,
        )
        evidence.file.save(secrets.token_hex(16) + extension, upload, save=False)
        evidence.save()
        calendar = agency_calendar(request.agency)
        planned = planned_from_request(request, calendar=calendar, evidence_count=request.evidence.count())
        request.findings = run_check(planned, exclude_request_id=request.pk, calendar=calendar).stored
        request.save(update_fields=["findings", "updated_at"])
        _transition(request, actor, request.state, _("Bukti ditambahkan: %(name)s") % {"name": original})
        _audit(actor, "evidence_add", request, evidence=evidence.pk, sha256=evidence.sha256, size=total)
    return evidence


def evidence_open(*, actor: Any, evidence_id: int) -> tuple[Evidence, BinaryIO]:
    """The file of an evidence for its employee, the approvers (heads of the path, the
    direct supervisor) and the agency's HR admins and PPK; NOT_FOUND for anyone else."""
    evidence = Evidence.objects.select_related("request__employee__unit").filter(pk=evidence_id).first()
    if evidence is None:
        raise _not_found(_("Bukti"))
    request = evidence.request
    scope = scope_for(actor)
    own = scope.employee_id is not None and request.employee_id == scope.employee_id
    others = request.state != RequestState.DRAFT and (
        request.agency_id in scope.admin_agency_ids
        or (scope.employee_id is not None and request.employee.supervisor_id == scope.employee_id)
        or (scope.employee_id != request.employee_id and any(request.employee.unit.path.startswith(p) for p in scope.head_unit_paths))
    )
    if not (own or others):
        raise _not_found(_("Bukti"))
    handle = evidence.file.open("rb")
    audit_record(
        actor=actor, action="flex_request.evidence_open", object_type="evidence", object_id=evidence.pk,
        agency_id=request.agency_id, data={"request": request.pk},
    )
    return evidence, handle  # type: ignore[return-value]


# --------------------------------------------------------------------------------------------
# Agency settings (HR admin, PPK)
# --------------------------------------------------------------------------------------------


def _lang() -> str:
    from django.utils.translation import get_language

    return "en" if (get_language() or "id").startswith("en") else "id"


def agency_policy_update(*, actor: Any, agency_id: int, data: dict[str, Any]) -> Agency:
    """Set the agency's policy (policy.json keys). Anything looser than the regulation or
    malformed is refused with every problem in ``details["problems"]``."""
    with transaction.atomic():
        agency = selectors.agency_for_manager(actor=actor, agency_id=agency_id)
        if not isinstance(data, dict):
            raise _validation("policy", _("Kebijakan harus berupa objek JSON."))
        try:
            Policy.from_dict(data)
        except PolicyError as error:
            problems = [{"key": p.column, "message": p.message(_lang())} for p in error.problems]
            raise ApplicationError(
                ErrorCode.VALIDATION,
                _("Kebijakan ditolak: %(first)s") % {"first": problems[0]["message"] if problems else ""},
                {"problems": problems, "fields": {"policy": "; ".join(p["message"] for p in problems)}},
            ) from None
        agency = Agency.objects.select_for_update().get(pk=agency.pk)
        old = agency.policy
        agency.policy = dict(data)
        agency.save(update_fields=["policy"])
        audit_record(actor=actor, action="agency.policy_update", object_type="agency", object_id=agency.pk,
                     agency_id=agency.pk, data={"old": old, "new": agency.policy})
    return agency


def agency_settings_update(
    *, actor: Any, agency_id: int, flexible_work_enabled: bool, approval_supervisor_first: bool, reminder_after_days: int
) -> Agency:
    if isinstance(reminder_after_days, bool) or not isinstance(reminder_after_days, int) or not 1 <= reminder_after_days <= 60:
        raise _validation("reminder_after_days", _("Pengingat harus 1 sampai 60 hari."))
    with transaction.atomic():
        selectors.agency_for_manager(actor=actor, agency_id=agency_id)
        agency = Agency.objects.select_for_update().get(pk=agency_id)
        old = {
            "flexible_work_enabled": agency.flexible_work_enabled,
            "approval_supervisor_first": agency.approval_supervisor_first,
            "reminder_after_days": agency.reminder_after_days,
        }
        agency.flexible_work_enabled = bool(flexible_work_enabled)
        agency.approval_supervisor_first = bool(approval_supervisor_first)
        agency.reminder_after_days = reminder_after_days
        agency.save(update_fields=list(old))
        audit_record(actor=actor, action="agency.settings_update", object_type="agency", object_id=agency.pk,
                     agency_id=agency.pk, data={"old": old, "new": {k: getattr(agency, k) for k in old}})
    return agency


def _save_named(
    model: type[AgencyOffice] | type[PermittedPlace], *, actor: Any, agency_id: int, row_id: int | None,
    name: str, address: str, is_active: bool, what: str, action: str,
) -> Any:
    name = (name or "").strip()
    address = (address or "").strip()
    if not name:
        raise _validation("name", _("Nama wajib diisi."))
    if len(name) > 200:
        raise _validation("name", _("Nama paling banyak 200 karakter."))
    if len(address) > 500:
        raise _validation("address", _("Alamat paling banyak 500 karakter."))
    with transaction.atomic():
        agency = selectors.agency_for_manager(actor=actor, agency_id=agency_id)
        row: Any = model(agency=agency)
        if row_id is not None:
            row = model.objects.select_for_update().filter(pk=row_id, agency=agency).first()
            if row is None:
                raise _not_found(what)
        if model.objects.filter(agency=agency, name__iexact=name).exclude(pk=row.pk).exists():
            raise _validation("name", _("Nama %(name)s sudah dipakai.") % {"name": name})
        row.name, row.address, row.is_active = name, address, bool(is_active)
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError:
            raise _validation("name", _("Nama %(name)s sudah dipakai.") % {"name": name}) from None
        audit_record(actor=actor, action=action, object_type=model.__name__.lower(), object_id=row.pk,
                     agency_id=agency.pk, data={"name": name, "address": address, "is_active": row.is_active, "new": row_id is None})
    return row


def office_save(
    *, actor: Any, agency_id: int, office_id: int | None = None, name: str, address: str = "", is_active: bool = True
) -> AgencyOffice:
    """Create or change an office of the agency (another office an employee may work from)."""
    return _save_named(AgencyOffice, actor=actor, agency_id=agency_id, row_id=office_id, name=name,
                       address=address, is_active=is_active, what=_("Kantor"), action="agency.office_save")


def place_save(
    *, actor: Any, agency_id: int, place_id: int | None = None, name: str, address: str = "", is_active: bool = True
) -> PermittedPlace:
    """Create or change a permitted "other location" (Pasal 12 ayat (1) huruf c)."""
    return _save_named(PermittedPlace, actor=actor, agency_id=agency_id, row_id=place_id, name=name,
                       address=address, is_active=is_active, what=_("Lokasi"), action="agency.place_save")


def flex_day_declare(
    *, actor: Any, agency_id: int, date: dt.date, circular: str, max_share: Decimal | float | str = 1
) -> AgencyFlexDay:
    """Apply a national flexible-work day in the agency (one per date; declaring a date again
    changes it)."""
    circular = (circular or "").strip()
    if not circular:
        raise _validation("circular", _("Dasar (surat edaran) wajib diisi."))
    if len(circular) > 200:
        raise _validation("circular", _("Dasar paling banyak 200 karakter."))
    if not isinstance(date, dt.date):
        raise _validation("date", _("Tanggal wajib diisi."))
    try:
        share = Decimal(str(max_share)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        share = Decimal(-1)
    if not Decimal(0) <= share <= Decimal(1):
        raise _validation("max_share", _("Porsi pegawai harus 0 sampai 1."))
    with transaction.atomic():
        agency = selectors.agency_for_manager(actor=actor, agency_id=agency_id)
        day, created = AgencyFlexDay.objects.select_for_update().update_or_create(
            agency=agency, date=date, defaults={"circular": circular, "max_share": share}
        )
        audit_record(actor=actor, action="agency.flex_day_declare", object_type="agency_flex_day", object_id=day.pk,
                     agency_id=agency.pk, data={"date": date.isoformat(), "circular": circular, "max_share": str(share), "new": created})
    return day


def flex_day_remove(*, actor: Any, flex_day_id: int) -> None:
    with transaction.atomic():
        day = AgencyFlexDay.objects.select_for_update().filter(pk=flex_day_id).first()
        if day is None:
            raise _not_found(_("Hari kerja fleksibel"))
        try:
            selectors.agency_for_manager(actor=actor, agency_id=day.agency_id)
        except ApplicationError as error:
            if error.code == ErrorCode.NOT_FOUND:
                raise _not_found(_("Hari kerja fleksibel")) from None
            raise
        audit_record(actor=actor, action="agency.flex_day_remove", object_type="agency_flex_day", object_id=day.pk,
                     agency_id=day.agency_id, data={"date": day.date.isoformat(), "circular": day.circular})
        day.delete()


# --------------------------------------------------------------------------------------------
# Notifications, calendar feed, reminders
# --------------------------------------------------------------------------------------------


def notification_mark_read(*, actor: Any, notification_id: int | None = None) -> int:
    """Mark one (or, with None, every) notification of the actor as read; returns how many.
    Not audited: reading one's own bell changes nothing of record."""
    if not getattr(actor, "is_authenticated", False):
        raise ApplicationError(ErrorCode.UNAUTHENTICATED, _("Silakan masuk terlebih dahulu."))
    with transaction.atomic():
        qs = Notification.objects.filter(user_id=actor.pk)
        if notification_id is not None:
            if not qs.filter(pk=notification_id).exists():
                raise _not_found(_("Notifikasi"))
            qs = qs.filter(pk=notification_id)
        return qs.filter(read_at__isnull=True).update(read_at=clock.now())


def calendar_feed_rotate(*, actor: Any) -> CalendarFeed:
    """A new secret calendar URL for the actor; the old one stops working at once."""
    employee = _own_employee(actor, None)
    with transaction.atomic():
        Employee.objects.select_for_update().filter(pk=employee.pk).values_list("pk").first()
        now = clock.now()
        revoked = CalendarFeed.objects.filter(employee=employee, revoked_at__isnull=True).update(revoked_at=now)
        feed = CalendarFeed.objects.create(employee=employee, token=secrets.token_urlsafe(32))
        audit_record(actor=actor, action="calendar_feed.rotate", object_type="calendar_feed", object_id=feed.pk,
                     agency_id=employee.agency_id, data={"revoked": revoked})
    return feed


def calendar_feed_revoke(*, actor: Any) -> int:
    employee = _own_employee(actor, None)
    with transaction.atomic():
        revoked = CalendarFeed.objects.filter(employee=employee, revoked_at__isnull=True).update(revoked_at=clock.now())
        audit_record(actor=actor, action="calendar_feed.revoke", object_type="calendar_feed", object_id="",
                     agency_id=employee.agency_id, data={"revoked": revoked})
    return revoked


def requests_remind_pending(*, today: dt.date) -> int:
    """Remind the approvers of every request submitted ``reminder_after_days`` days ago or
    earlier. At most one reminder per approver, request and day (``Notification.key``), so
    running it twice a day sends nothing new. Returns the number of notifications written."""
    sent = 0
    pending = (
        FlexRequest.objects.filter(state=RequestState.SUBMITTED, submitted_at__isnull=False)
        .select_related("agency", "employee__unit", "employee__user")
        .order_by("submitted_at", "id")
    )
    for request in pending:
        after = request.agency.reminder_after_days
        if not after:
            continue
        zone = request.employee.unit.time_zone or request.agency.time_zone
        submitted = request.submitted_at.astimezone(ZoneInfo(zone)).date()  # type: ignore[union-attr]
        waited = (today - submitted).days
        if waited < after:
            continue
        try:
            with transaction.atomic():
                created = notifications.notify_request(
                    request=request,
                    event=notifications.REMINDER,
                    employees=selectors.request_approvers(request=request, on=today),
                    key=f"remind:{request.pk}:{today.isoformat()}",
                    extra={"days": waited},
                )
        except IntegrityError:  # a concurrent run sent it: fine, it is sent once
            continue
        sent += len(created)
    if sent:
        audit_record(actor=None, action="flex_request.remind_pending", object_type="flex_request",
                     data={"date": today.isoformat(), "notifications": sent})
    return sent

