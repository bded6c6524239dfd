"""The approver's decisions on a request: approve (with the supervisor step), reject,
return, revoke, bulk approval, and the reminders of pending requests."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from fleksi.audit.services import audit_record
from fleksi.core import clock
from fleksi.core.errors import ApplicationError, ErrorCode
from fleksi.organisation.scoping import scope_for
from fleksi.schedules.services import arrangement_days_write
from fleksi.scheme.facts import agency_calendar, agency_policy, employee_today

from . import notify, selectors
from .checking import run_check
from .models import (
    ApprovalStep,
    FlexRequest,
    RequestState,
)
from .planning import (
    planned_from_request,
)
from .services import (
    BULK_MAX,
    BulkResult,
    _audit,
    _denied,
    _end_days_from,
    _invalid_state,
    _lock_for_days,
    _policy_violation,
    _reload,
    _transition,
    _validation,
    _visible_request,
)


def _decidable(actor: Any, request_id: int, *, for_days: bool) -> FlexRequest:
    """The request, locked, if the actor decides it now; else NOT_FOUND / PERMISSION_DENIED /
    INVALID_STATE."""
    visible = _visible_request(actor, request_id)
    request = _lock_for_days(visible) if for_days else _reload(visible.pk, lock=True)
    scope = scope_for(actor)
    head = selectors.is_head_decider(scope, request) or selectors.is_ppk_decider(scope, request)
    supervisor = (
        scope.employee_id not in (None, request.employee_id)
        and request.employee.supervisor_id == scope.employee_id
    )
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
            notify.request_settled(request)
            notify.notify_request(
                request=request,
                event=notify.FORWARDED,
                employees=selectors.request_approvers(request=request),
            )
            return request

        employee = request.employee
        policy = agency_policy(employee.agency)
        calendar = agency_calendar(employee.agency, policy)
        today = employee_today(employee)
        planned = planned_from_request(
            request, calendar=calendar, evidence_count=request.evidence.count()
        )
        planned = planned.only_from(today)
        if not planned.days:
            raise ApplicationError(
                ErrorCode.INVALID_STATE,
                _("Semua tanggal pengajuan ini sudah lewat; kembalikan atau tolak pengajuan."),
                {"state": request.state},
            )
        outcome = run_check(
            planned,
            exclude_request_id=request.pk,
            include_pending=False,
            policy=policy,
            calendar=calendar,
        )
        if outcome.has_errors:
            raise _policy_violation(
                outcome,
                _("Pengajuan tidak dapat disetujui: %(n)d temuan melanggar ketentuan.")
                % {"n": len(outcome.errors)},
            )
        dates = [d.date for d in planned.days]
        replaced = arrangement_days_write(
            employee=employee,
            days=planned.days,
            now=now,
            request_id=request.pk,
            is_special=request.is_special,
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
        notify.request_settled(request)
        notify.notify_request(
            request=request, event=notify.APPROVED, employees=[employee], note=note
        )
    return request


def _decide_with_reason(
    *, actor: Any, request_id: int, reason: str, state: str, action: str, event: str
) -> FlexRequest:
    """Reject or return a submitted request: the reason is required and reaches the employee."""
    reason = _required_reason(reason)
    with transaction.atomic():
        request = _decidable(actor, request_id, for_days=False)
        request.state = state
        request.approval_step = ""
        request.decided_at = clock.now()
        request.decided_by = actor
        request.decision_note = reason
        request.save()
        _transition(request, actor, RequestState.SUBMITTED, reason)
        _audit(actor, action, request, reason=reason)
        notify.request_settled(request)
        notify.notify_request(request=request, event=event, employees=[request.employee], note=reason)
    return request


def request_reject(*, actor: Any, request_id: int, reason: str) -> FlexRequest:
    return _decide_with_reason(
        actor=actor, request_id=request_id, reason=reason,
        state=RequestState.REJECTED, action="reject", event=notify.REJECTED,
    )


def request_return(*, actor: Any, request_id: int, reason: str) -> FlexRequest:
    """Return for changes: the employee edits and submits again."""
    return _decide_with_reason(
        actor=actor, request_id=request_id, reason=reason,
        state=RequestState.RETURNED, action="return", event=notify.RETURNED,
    )


def request_revoke(*, actor: Any, request_id: int, reason: str) -> FlexRequest:
    """Revoke an approval (a head of the employee's path, or the agency's PPK): the days not
    yet passed (today included) are ended; earlier days stay as history."""
    reason = _required_reason(reason)
    with transaction.atomic():
        visible = _visible_request(actor, request_id)
        request = _lock_for_days(visible)
        if not selectors.request_can_revoke(actor=actor, request=request):
            if request.state != RequestState.APPROVED and (
                selectors.is_head_decider(scope_for(actor), request)
                or request.agency_id in scope_for(actor).ppk_agency_ids
            ):
                raise _invalid_state(request, _("dicabut"))
            raise _denied(_("Anda tidak berwenang mencabut persetujuan ini."))
        today = employee_today(request.employee)
        if request.end_date < today:
            raise ApplicationError(
                ErrorCode.INVALID_STATE,
                _("Periode pengajuan sudah selesai; tidak ada yang dapat dicabut."),
                {"state": request.state},
            )
        ended = _end_days_from(request, today, clock.now())
        request.state = RequestState.REVOKED
        request.save()
        _transition(request, actor, RequestState.APPROVED, reason)
        _audit(actor, "revoke", request, reason=reason, days_ended=ended)
        notify.notify_request(
            request=request, event=notify.REVOKED, employees=[request.employee], note=reason
        )
    return request


def request_bulk_approve(*, actor: Any, request_ids: list[int]) -> list[BulkResult]:
    """Approve many requests, each in its own transaction: one failing blocks no other."""
    seen: set[int] = set()
    ids = [i for i in request_ids if not (i in seen or seen.add(i))]  # type: ignore[func-returns-value]
    if len(ids) > BULK_MAX:
        raise _validation(
            "request_ids", _("Paling banyak %(n)d pengajuan sekaligus.") % {"n": BULK_MAX}
        )
    results = []
    for request_id in ids:
        try:
            request_approve(actor=actor, request_id=request_id)
        except ApplicationError as error:
            results.append(BulkResult(request_id, False, str(error.code), error.message))
        else:
            results.append(BulkResult(request_id, True))
    return results


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
                created = notify.notify_request(
                    request=request,
                    event=notify.REMINDER,
                    employees=selectors.request_approvers(request=request, on=today),
                    key=f"remind:{request.pk}:{today.isoformat()}",
                    extra={"days": waited},
                )
        except IntegrityError:  # a concurrent run sent it: fine, it is sent once
            continue
        sent += len(created)
    if sent:
        audit_record(
            actor=None,
            action="flex_request.remind_pending",
            object_type="flex_request",
            data={"date": today.isoformat(), "notifications": sent},
        )
    return sent
