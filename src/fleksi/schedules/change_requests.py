"""The change request of a published schedule's part (issue 11, docs/decisions/200): its own
document, asked by the employee and decided by the head of the schedule's unit. An approval
writes the days through ``services.arrangement_days_write`` after the policy core found no
new error, under the unit-then-employee locks publishing takes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from fleksi.audit.services import audit_record
from fleksi.core import clock
from fleksi.core.errors import ApplicationError, ErrorCode, permission_denied
from fleksi.notifications.services import Recipient, notify
from fleksi.organisation.models import Employee
from fleksi.organisation.scoping import scope_for
from fleksi.policy.enums import LocationKind

from .models import (
    ArrangementDay,
    ChangeState,
    ConfirmationState,
    ScheduleChangeRequest,
    ScheduleConfirmation,
)
from .plans import _plannable_unit
from .responses import (
    MAX_REASON,
    MIN_REASON,
    MyPart,
    _Day,
    _day_plan,
    _heads,
    _invalid,
    _lock,
    _me,
    _new_errors,
    my_schedule_get,
    my_schedule_url,
    responses_url,
)
from .services import arrangement_days_write


def _change_missing() -> ApplicationError:
    return ApplicationError(ErrorCode.NOT_FOUND, _("Permintaan perubahan jadwal tidak ditemukan."))


def _employee_recipient(employee: Employee) -> list[Recipient]:
    if employee.user is None:
        return []
    return [Recipient(user=employee.user, email=((employee.user.email or employee.email or "").strip()))]



@dataclass(frozen=True)
class ChangeInput:
    dates: tuple[dt.date, ...]
    location_kind: str
    reason: str


def _clean_change(part: MyPart, data: ChangeInput) -> tuple[list[dt.date], str, str]:
    allowed = set(part.workdays())
    dates = sorted(set(data.dates))
    if not dates:
        raise _invalid(_("Pilih paling sedikit satu tanggal."), "dates")
    for date in dates:
        if date not in allowed:
            raise _invalid(
                _("Tanggal %(d)s bukan hari kerja periode jadwal ini yang belum lewat.") % {"d": date.isoformat()},
                "dates",
            )
    try:
        location = LocationKind(str(data.location_kind)).value
    except ValueError:
        raise _invalid(_("Pilih tempat kerja yang diinginkan."), "location_kind") from None
    reason = (data.reason or "").strip()
    if len(reason) < MIN_REASON:
        raise _invalid(_("Tuliskan alasan paling sedikit %(n)d karakter.") % {"n": MIN_REASON}, "reason")
    if len(reason) > MAX_REASON:
        raise _invalid(_("Alasan paling banyak %(n)d karakter.") % {"n": MAX_REASON}, "reason")
    return dates, location, reason


def change_request_create(*, actor: Any, schedule_id: int, data: ChangeInput) -> ScheduleChangeRequest:
    """The employee asks for a change of days of a published schedule; the heads are told."""
    part = my_schedule_get(actor=actor, schedule_id=schedule_id)
    if not part.can_change:
        raise ApplicationError(ErrorCode.INVALID_STATE, _("Jadwal ini tidak dapat diubah lagi."))
    dates, location, reason = _clean_change(part, data)
    schedule, me = part.schedule, part.employee
    with transaction.atomic():
        Employee.objects.select_for_update().filter(pk=me.pk).values_list("pk").first()
        if ScheduleChangeRequest.objects.filter(
            schedule=schedule, employee=me, state=ChangeState.SUBMITTED
        ).exists():
            raise ApplicationError(
                ErrorCode.CONFLICT,
                _("Masih ada permintaan perubahan jadwal ini yang menunggu keputusan."),
            )
        change = ScheduleChangeRequest.objects.create(
            agency_id=schedule.agency_id, unit_id=schedule.unit_id, schedule=schedule, employee=me,
            dates=[d.isoformat() for d in dates], location_kind=location, reason=reason,
            created_at=clock.now(),
        )
        audit_record(
            actor=actor, action="schedule_change.submit", object_type="schedule_change",
            object_id=change.pk, agency_id=schedule.agency_id,
            data={"schedule": schedule.pk, "dates": change.dates, "location": location},
        )
        name = me.name
        notify(
            recipients=_heads(schedule),
            kind="schedule_change_submitted",
            texts=lambda: (
                _("Permintaan perubahan jadwal"),
                _("%(name)s meminta perubahan jadwal hybrid pada %(n)d tanggal.") % {"name": name, "n": len(dates)},
            ),
            url=responses_url(schedule.pk),
            key=f"schedule_change:{change.pk}:submitted",
            subject=f"schedule_change:{change.pk}",
        )
    return change


def _may_decide(actor: Any, change: ScheduleChangeRequest) -> None:
    from .publishing import publishable_unit

    dates = [dt.date.fromisoformat(d) for d in change.dates]
    try:
        publishable_unit(actor=actor, unit_id=change.unit_id, start=min(dates), end=max(dates))
    except ApplicationError:
        raise _change_missing() from None


def _decidable(actor: Any, change: ScheduleChangeRequest) -> None:
    """The head of the schedule's unit (or of a unit above it), or a Plt/Plh whose
    delegation covers every date of the change; never the employee who asked."""
    _may_decide(actor, change)
    me = _me(actor)
    if me is not None and me.pk == change.employee_id:
        raise permission_denied(_("Anda tidak dapat memutus permintaan Anda sendiri."))


def change_request_get(*, actor: Any, change_id: int) -> ScheduleChangeRequest:
    """The employee who asked, or whoever may read the schedule's unit plans (head, Plt/Plh,
    HR admin, PPK); others 404."""
    change = (
        ScheduleChangeRequest.objects.select_related("schedule", "employee", "unit", "decided_by")
        .filter(pk=change_id)
        .first()
    )
    if change is None:
        raise _change_missing()
    me = _me(actor)
    if me is not None and me.pk == change.employee_id:
        return change
    try:
        _plannable_unit(actor, change.unit_id)
    except ApplicationError:
        _may_decide(actor, change)  # a Plt/Plh for the dates of the change
    return change


def _locked_change(change_id: int) -> ScheduleChangeRequest:
    change = ScheduleChangeRequest.objects.select_for_update(of=("self",)).select_related(
        "schedule", "employee", "employee__user", "unit", "unit__agency"
    ).get(pk=change_id)
    if change.state != ChangeState.SUBMITTED:
        raise ApplicationError(
            ErrorCode.INVALID_STATE,
            _("Permintaan ini sudah %(state)s.") % {"state": change.get_state_display().lower()},
        )
    return change


def _tell_employee(change: ScheduleChangeRequest, approved: bool) -> None:
    period = ", ".join(dt.date.fromisoformat(d).strftime("%d-%m-%Y") for d in change.dates)
    note = change.decision_note
    notify(
        recipients=_employee_recipient(change.employee),
        kind="schedule_change_decided",
        texts=lambda: (
            _("Permintaan perubahan jadwal disetujui") if approved else _("Permintaan perubahan jadwal ditolak"),
            (_("Perubahan jadwal Anda untuk %(dates)s disetujui.") if approved
             else _("Perubahan jadwal Anda untuk %(dates)s ditolak: %(note)s")) % {"dates": period, "note": note},
        ),
        url=my_schedule_url(change.schedule_id),
        key=f"schedule_change:{change.pk}:decided",
        subject=f"schedule_change:{change.pk}",
    )


def change_request_approve(*, actor: Any, change_id: int, note: str = "") -> ScheduleChangeRequest:
    """Approve: the dates get the wanted place (written through ``arrangement_days_write``,
    the schedule as their source) unless the policy core finds a new error (cap, the unit's
    coverage on those days): 422 ``policy_violation`` with the findings, nothing changes.
    A date with an approved request's day is refused (the request wins). The dates leave the
    employee's pending part, if any: they are in force now."""
    change = change_request_get(actor=actor, change_id=change_id)
    _decidable(actor, change)
    with transaction.atomic():
        _lock(change.unit, change.employee)
        change = _locked_change(change.pk)
        today, now = clock.today(), clock.now()
        dates = [dt.date.fromisoformat(d) for d in change.dates]
        if any(d < today for d in dates):
            raise ApplicationError(
                ErrorCode.INVALID_STATE, _("Sebagian tanggal permintaan ini sudah lewat; tolak permintaan ini.")
            )
        existing = {
            d.date: d for d in ArrangementDay.objects.filter(employee=change.employee, active=True, date__in=dates)
        }
        for date in dates:
            if existing.get(date) is not None and existing[date].request_id is not None:
                raise ApplicationError(
                    ErrorCode.VALIDATION,
                    _("%(name)s sudah punya hari yang disetujui lewat pengajuan pada %(d)s; cabut pengajuan itu dahulu.")
                    % {"name": change.employee.name, "d": date.isoformat()},
                    {"fields": {"dates": date.isoformat()}},
                )
        write = {
            date: _day_plan(change.employee.nip, date, change.location_kind, "reguler", None, None) for date in dates
        }
        schedule = change.schedule
        errors = _new_errors(
            unit=change.unit, start=min(schedule.start, min(dates)), end=max(schedule.end, max(dates)),
            employee=change.employee, write=write, remove=(),
        )
        if errors:
            raise ApplicationError(
                ErrorCode.POLICY_VIOLATION,
                _("Perubahan tidak dapat disetujui: %(n)d temuan melanggar ketentuan.") % {"n": len(errors)},
                {"findings": errors},
            )
        arrangement_days_write(
            employee=change.employee,
            days=[_Day(d, change.location_kind, "reguler", None, None) for d in dates],
            now=now,
            schedule_id=schedule.pk,
        )
        conf = ScheduleConfirmation.objects.select_for_update().filter(
            schedule=schedule, employee=change.employee, state=ConfirmationState.PENDING
        ).first()
        if conf is not None:
            conf.rows = [r for r in conf.rows if r["tanggal"] not in change.dates]
            conf.ends = [d for d in conf.ends if d not in change.dates]
            conf.save(update_fields=["rows", "ends"])
        change.state, change.decided_at, change.decided_by = ChangeState.APPROVED, now, actor
        change.decision_note = (note or "").strip()[:MAX_REASON]
        change.save(update_fields=["state", "decided_at", "decided_by", "decision_note"])
        audit_record(
            actor=actor, action="schedule_change.approve", object_type="schedule_change",
            object_id=change.pk, agency_id=change.agency_id,
            data={"schedule": schedule.pk, "employee": change.employee.nip, "dates": change.dates,
                  "location": change.location_kind},
        )
        _tell_employee(change, approved=True)
    return change


def change_request_reject(*, actor: Any, change_id: int, note: str) -> ScheduleChangeRequest:
    change = change_request_get(actor=actor, change_id=change_id)
    _decidable(actor, change)
    note = (note or "").strip()
    if len(note) < 5:
        raise _invalid(_("Tuliskan alasan penolakan."), "note")
    with transaction.atomic():
        _lock(change.unit, change.employee)
        change = _locked_change(change.pk)
        change.state, change.decided_at, change.decided_by = ChangeState.REJECTED, clock.now(), actor
        change.decision_note = note[:MAX_REASON]
        change.save(update_fields=["state", "decided_at", "decided_by", "decision_note"])
        audit_record(
            actor=actor, action="schedule_change.reject", object_type="schedule_change",
            object_id=change.pk, agency_id=change.agency_id,
            data={"schedule": change.schedule_id, "employee": change.employee.nip, "note": change.decision_note},
        )
        _tell_employee(change, approved=False)
    return change


def change_request_cancel(*, actor: Any, change_id: int) -> ScheduleChangeRequest:
    """The employee withdraws their own open change request."""
    me = _me(actor)
    change = ScheduleChangeRequest.objects.filter(pk=change_id).first()
    if me is None or change is None or change.employee_id != me.pk:
        raise _change_missing()
    with transaction.atomic():
        Employee.objects.select_for_update().filter(pk=me.pk).values_list("pk").first()
        change = _locked_change(change.pk)
        change.state, change.decided_at = ChangeState.CANCELLED, clock.now()
        change.save(update_fields=["state", "decided_at"])
        audit_record(
            actor=actor, action="schedule_change.cancel", object_type="schedule_change",
            object_id=change.pk, agency_id=change.agency_id, data={"schedule": change.schedule_id},
        )
    return change


def change_requests_for(*, actor: Any, schedule_id: int | None = None, state: str = "") -> list[ScheduleChangeRequest]:
    """Change requests the actor sees: their own, and those of the units they may read plans
    of (head, Plt/Plh, HR admin, PPK); one schedule's or all."""
    scope = scope_for(actor)
    me = _me(actor)
    qs = ScheduleChangeRequest.objects.select_related("employee", "schedule", "unit", "decided_by")
    if not scope.is_system_admin:
        from django.db.models import Q

        cond = Q(agency_id__in=scope.admin_agency_ids)
        for path in scope.head_unit_paths:
            cond |= Q(unit__path__startswith=path)
        if me is not None:
            cond |= Q(employee=me)
        if not scope.admin_agency_ids and not scope.head_unit_paths and me is None:
            return []
        qs = qs.filter(cond)
    if schedule_id is not None:
        qs = qs.filter(schedule_id=schedule_id)
    if state:
        qs = qs.filter(state=state)
    return list(qs.order_by("-created_at", "-id")[:200])
