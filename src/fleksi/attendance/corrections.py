"""Corrections of presensi (issue 8): a forgotten check-out or check-in, or a wrong place, is
fixed by a correction the head of the unit (or the acting Plt/Plh) decides. Check-ins are
never edited: approving rebuilds the day's record from its check-ins plus the approved
corrections (a missing check-out acts as a synthetic check-out), and the audit row keeps the
record before and after (docs/decisions/115).

Writes here, reads in ``selectors_corrections``; the month lock in ``locks``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, cast
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fleksi.audit.services import audit_record
from fleksi.core import clock
from fleksi.core.errors import ApplicationError, ErrorCode, not_found, permission_denied
from fleksi.notifications.services import Recipient, notifications_settle, notify
from fleksi.organisation.models import Employee
from fleksi.organisation.scoping import Scope, scope_for
from fleksi.requests.selectors import request_approvers
from fleksi.schedules.selectors import employee_days
from fleksi.scheme.facts import agency_calendar

from . import rollup
from .locks import ensure_month_open
from .models import (
    CheckIn,
    CheckInKind,
    Correction,
    CorrectionKind,
    CorrectionState,
    DailyRecord,
    DayStatus,
    Flag,
    LocationKind,
)
from .services import _apply, _flags, plan_of

CORRECTED = "corrected"  # a day flag: the record was rebuilt with an approved correction
MAX_AGE_DAYS = 40  # a correction is for a recent day (the month lock closes older ones)
SUBMITTED = "attendance_correction_submitted"
APPROVED = "attendance_correction_approved"
REJECTED = "attendance_correction_rejected"

TEXTS = {
    SUBMITTED: (
        gettext_lazy("Koreksi presensi dari %(name)s"),
        gettext_lazy("%(name)s mengajukan koreksi presensi %(date)s (%(what)s) dan menunggu keputusan Anda."),
    ),
    APPROVED: (
        gettext_lazy("Koreksi presensi %(date)s disetujui"),
        gettext_lazy("Koreksi presensi Anda untuk %(date)s (%(what)s) disetujui."),
    ),
    REJECTED: (
        gettext_lazy("Koreksi presensi %(date)s ditolak"),
        gettext_lazy("Koreksi presensi Anda untuk %(date)s (%(what)s) ditolak. Catatan: %(note)s"),
    ),
}


def _zone(employee: Employee) -> ZoneInfo:
    return ZoneInfo(employee.unit.time_zone or employee.agency.time_zone or "Asia/Jakarta")


def _invalid(field: str, message: str) -> ApplicationError:
    return ApplicationError(ErrorCode.VALIDATION, message, {"fields": {field: message}})


def _date_text(day: dt.date) -> str:
    from fleksi.core.humanize import date_range_text

    return date_range_text(day, day)


# ---------------------------------------------------------------------------------------
# Who decides


@dataclass(frozen=True)
class _Ask:
    """What ``requests.selectors.request_approvers`` reads of a request: the same people
    decide a correction as a flexible-work request at the unit head's step."""

    employee: Employee
    agency_id: int
    approval_step: str = "head"


def correction_deciders(*, employee: Employee) -> list[Employee]:
    """The head of the nearest unit on the employee's path (other than the employee) and
    that unit's Plt/Plh of the day; the agency's PPK when nobody heads a unit above."""
    return request_approvers(request=cast(Any, _Ask(employee, employee.agency_id)))


def is_decider(scope: Scope, correction: Correction) -> bool:
    employee = correction.employee
    if scope.is_system_admin:
        return True
    if scope.employee_id is None or scope.employee_id == employee.pk:
        return False
    if any(employee.unit.path.startswith(p) for p in scope.head_unit_paths):
        return True
    unit = employee.unit
    no_head_above = unit.parent_id is None and unit.head_id in (None, employee.pk)
    return no_head_above and employee.agency_id in scope.ppk_agency_ids


def can_see(scope: Scope, correction: Correction) -> bool:
    employee = correction.employee
    return (
        scope.is_system_admin
        or scope.employee_id == employee.pk
        or employee.agency_id in scope.admin_agency_ids
        or any(employee.unit.path.startswith(p) for p in scope.head_unit_paths)
    )


# ---------------------------------------------------------------------------------------
# Rebuilding a day


def _snapshot(record: DailyRecord | None) -> dict[str, Any] | None:
    if record is None:
        return None
    return {
        "status": record.status,
        "planned_location": record.planned_location,
        "first_in": record.first_in.isoformat() if record.first_in else None,
        "first_in_location": record.first_in_location,
        "last_in": record.last_in.isoformat() if record.last_in else None,
        "last_out": record.last_out.isoformat() if record.last_out else None,
        "is_open": record.is_open,
        "worked_minutes": record.worked_minutes,
        "flags": list(record.flags),
        "check_in_count": record.check_in_count,
    }


def day_rebuild(*, employee: Employee, work_date: dt.date) -> tuple[dict[str, Any] | None, DailyRecord]:
    """Rebuild the employee's record of ``work_date`` from its check-ins and the approved
    corrections (the caller holds the employee's row lock). Returns the record before (a
    snapshot) and the saved record after. History is read for this one day only."""
    record = DailyRecord.objects.filter(employee_id=employee.pk, work_date=work_date).first()
    before = _snapshot(record)
    check_ins = list(
        CheckIn.objects.filter(employee_id=employee.pk, work_date=work_date).order_by("client_time", "id")
    )
    approved = list(
        Correction.objects.filter(
            employee_id=employee.pk, work_date=work_date, state=CorrectionState.APPROVED
        ).order_by("decided_at", "id")
    )
    day = agency_calendar(employee.agency).day(work_date)
    arranged = {a.date: a for a in employee_days(employee_id=employee.pk, start=work_date, end=work_date)}
    plan = plan_of(arranged.get(work_date), day)
    if record is None:
        record = DailyRecord(
            agency_id=employee.agency_id,
            unit_id=employee.unit_id,
            employee_id=employee.pk,
            work_date=work_date,
            planned_location=plan.location,
            planned_start=plan.start,
            planned_end=plan.end,
        )
    planned = record.planned_location or plan.location
    place = next(
        (c.location for c in reversed(approved) if c.kind == CorrectionKind.WRONG_LOCATION and c.location),
        "",
    )
    events: list[CheckIn] = []
    for c in check_ins:
        flags = list(c.flags or [])
        location = c.location
        if place:
            location = place
            flags = [f for f in flags if f not in (Flag.DEVIATION, Flag.OUTSIDE_OFFICE)]
            if planned and place != planned:
                flags.append(Flag.DEVIATION)
        events.append(CheckIn(kind=c.kind, location=location, client_time=c.client_time, flags=flags))
    for fix in approved:
        if fix.kind == CorrectionKind.WRONG_LOCATION or fix.at is None:
            continue
        kind = CheckInKind.OUT if fix.kind == CorrectionKind.MISSING_CHECK_OUT else CheckInKind.IN
        location = place or fix.location or record.first_in_location or planned or LocationKind.OFFICE
        flags = [Flag.DEVIATION] if kind == CheckInKind.IN and planned and location != planned else []
        events.append(CheckIn(kind=kind, location=location, client_time=fix.at, flags=flags))
    events.sort(key=lambda e: e.client_time)

    was_closed = record.closed_at is not None
    old_status, old_flags = record.status, list(record.flags or [])
    record.first_in = record.last_in = record.last_out = None
    record.first_in_location = ""
    record.is_open = False
    record.worked_minutes = 0
    record.check_in_count = 0
    record.flags = []
    record.status = ""  # set by the first event
    for event in events:
        _apply(record, event, day)
    if not events or old_status in (DayStatus.LEAVE, DayStatus.HOLIDAY, DayStatus.NON_WORKING):
        record.status = old_status or DayStatus.PRESENT_FLEXIBLE
    if not events:
        record.flags = old_flags
    record.check_in_count = len(check_ins)
    extra = [CORRECTED] if approved else []
    if was_closed and record.is_open:
        extra.append(Flag.NO_CHECK_OUT)
    record.flags = _flags(record.flags, extra)
    record.save()
    rollup.record_saved(record)
    return before, record


# ---------------------------------------------------------------------------------------
# Submitting and deciding


def _own_employee(actor: Any) -> Employee:
    scope = scope_for(actor)
    if scope.employee_id is None:
        raise permission_denied(_("Akun ini tidak terhubung dengan data pegawai."))
    return (
        Employee.objects.select_related("unit", "agency", "user")
        .select_for_update(of=("self",))
        .get(pk=scope.employee_id)
    )


def correction_submit(
    *,
    actor: Any,
    work_date: dt.date,
    kind: str,
    reason: str,
    at: dt.datetime | None = None,
    location: str = "",
) -> Correction:
    """The actor's own correction of one day: ``missing_check_out`` / ``missing_check_in``
    with the time (``at``, aware), ``wrong_location`` with the true place (``location``).
    Refused for a future day, a day older than 40 days, a locked month, a time outside the
    day, a kind already waiting for a decision on that day."""
    reason = (reason or "").strip()
    location = (location or "").strip()
    if kind not in CorrectionKind.values:
        raise _invalid("kind", _("Jenis koreksi tidak dikenal."))
    if len(reason) < 5:
        raise _invalid("reason", _("Tuliskan alasan koreksi (paling sedikit 5 huruf)."))
    if len(reason) > 1000:
        raise _invalid("reason", _("Alasan paling panjang 1000 huruf."))
    if location and location not in LocationKind.values:
        raise _invalid("location", _("Tempat tidak dikenal."))
    with transaction.atomic():
        employee = _own_employee(actor)
        zone = _zone(employee)
        now = clock.now()
        today = now.astimezone(zone).date()
        if work_date > today:
            raise _invalid("work_date", _("Koreksi hanya untuk hari yang sudah berjalan."))
        if (today - work_date).days > MAX_AGE_DAYS:
            raise _invalid("work_date", _("Koreksi hanya untuk %(n)s hari terakhir.") % {"n": MAX_AGE_DAYS})
        ensure_month_open(employee=employee, day=work_date)
        if kind == CorrectionKind.WRONG_LOCATION:
            if not location:
                raise _invalid("location", _("Pilih tempat yang benar."))
            at = None
        else:
            if at is None or at.tzinfo is None:
                raise _invalid("at", _("Isi jam yang dikoreksi."))
            start = dt.datetime.combine(work_date, dt.time(0), zone)
            if not (start <= at < start + dt.timedelta(hours=36)) or at > now:
                raise _invalid("at", _("Jam harus pada hari itu (atau dini hari berikutnya) dan tidak di masa depan."))
            if kind == CorrectionKind.MISSING_CHECK_IN and not location:
                raise _invalid("location", _("Pilih tempat presensi masuk."))
            record = DailyRecord.objects.filter(employee_id=employee.pk, work_date=work_date).first()
            if (
                kind == CorrectionKind.MISSING_CHECK_OUT
                and record is not None
                and record.last_in is not None
                and at <= record.last_in
            ):
                raise _invalid("at", _("Jam pulang harus setelah presensi masuk terakhir."))
        if Correction.objects.filter(
            employee_id=employee.pk, work_date=work_date, kind=kind, state=CorrectionState.SUBMITTED
        ).exists():
            raise ApplicationError(
                ErrorCode.CONFLICT,
                _("Koreksi yang sama untuk hari ini masih menunggu keputusan."),
                {"work_date": work_date.isoformat(), "kind": kind},
            )
        correction = Correction.objects.create(
            agency_id=employee.agency_id,
            employee=employee,
            work_date=work_date,
            kind=kind,
            at=at.astimezone(dt.UTC) if at is not None else None,
            location=location,
            reason=reason,
            submitted_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit_record(
            actor=actor, action="attendance.correction_submit", object_type="attendance_correction",
            object_id=correction.pk, agency_id=employee.agency_id,
            data={"employee_id": employee.pk, "work_date": work_date.isoformat(), "kind": kind,
                  "at": correction.at.isoformat() if correction.at else None, "location": location},
        )
        _notify(correction, SUBMITTED, correction_deciders(employee=employee), url=_board_url(employee))
    return correction


def _board_url(employee: Employee) -> str:
    from django.urls import reverse

    return reverse("attendance:unit_board") + f"?unit={employee.unit_id}#koreksi"


def _mine_url() -> str:
    from django.urls import reverse

    return reverse("attendance:corrections")


def _notify(correction: Correction, event: str, people: list[Employee], *, url: str, note: str = "") -> None:
    recipients = [
        Recipient(user=p.user, email=((p.user.email if p.user else "") or p.email or "").strip())
        for p in people
        if p is not None and p.user is not None
    ]
    name = correction.employee.name
    day = correction.work_date

    def texts() -> tuple[str, str]:
        title, body = TEXTS[event]
        values = {
            "name": name, "date": _date_text(day), "note": note or "-",
            "what": str(CorrectionKind(correction.kind).label),
        }
        return str(title) % values, str(body) % values

    notify(
        recipients=recipients, kind=event, texts=texts, url=url,
        subject=f"attendance_correction:{correction.pk}",
    )


def _for_decision(actor: Any, correction_id: int) -> tuple[Correction, Employee]:
    scope = scope_for(actor)
    correction = (
        Correction.objects.select_related("employee__unit", "employee__agency", "employee__user")
        .filter(pk=correction_id)
        .first()
    )
    if correction is None or not can_see(scope, correction):
        raise not_found(_("Koreksi presensi"))
    if not is_decider(scope, correction):
        raise permission_denied(_("Hanya pimpinan unit (atau Plt/Plh) pegawai ini yang dapat memutuskan koreksi."))
    employee = (
        Employee.objects.select_related("unit", "agency", "user")
        .select_for_update(of=("self",))
        .get(pk=correction.employee_id)
    )
    correction = Correction.objects.select_for_update().get(pk=correction.pk)
    correction.employee = employee
    if correction.state != CorrectionState.SUBMITTED:
        raise ApplicationError(
            ErrorCode.INVALID_STATE,
            _("Koreksi ini sudah diputuskan."),
            {"state": correction.state},
        )
    ensure_month_open(employee=employee, day=correction.work_date)
    return correction, employee


def correction_approve(*, actor: Any, correction_id: int, note: str = "") -> Correction:
    """Approve: the day's record is rebuilt with the correction; the audit row holds the
    record before and after."""
    with transaction.atomic():
        correction, employee = _for_decision(actor, correction_id)
        correction.state = CorrectionState.APPROVED
        correction.decider = actor if getattr(actor, "is_authenticated", False) else None
        correction.decided_at = clock.now()
        correction.decision_note = (note or "").strip()[:1000]
        correction.save()
        before, after = day_rebuild(employee=employee, work_date=correction.work_date)
        audit_record(
            actor=actor, action="attendance.correction_approve", object_type="attendance_correction",
            object_id=correction.pk, agency_id=employee.agency_id,
            data={"employee_id": employee.pk, "work_date": correction.work_date.isoformat(),
                  "kind": correction.kind, "before": before, "after": _snapshot(after)},
        )
        notifications_settle(subject=f"attendance_correction:{correction.pk}", kinds=[SUBMITTED])
        _notify(correction, APPROVED, [employee], url=_mine_url())
    return correction


def correction_reject(*, actor: Any, correction_id: int, note: str) -> Correction:
    """Reject with a note for the employee; the day's record stays as it is."""
    note = (note or "").strip()
    if not note:
        raise _invalid("note", _("Tuliskan alasan penolakan."))
    with transaction.atomic():
        correction, employee = _for_decision(actor, correction_id)
        correction.state = CorrectionState.REJECTED
        correction.decider = actor if getattr(actor, "is_authenticated", False) else None
        correction.decided_at = clock.now()
        correction.decision_note = note[:1000]
        correction.save()
        audit_record(
            actor=actor, action="attendance.correction_reject", object_type="attendance_correction",
            object_id=correction.pk, agency_id=employee.agency_id,
            data={"employee_id": employee.pk, "work_date": correction.work_date.isoformat(),
                  "kind": correction.kind, "note": correction.decision_note},
        )
        notifications_settle(subject=f"attendance_correction:{correction.pk}", kinds=[SUBMITTED])
        _notify(correction, REJECTED, [employee], url=_mine_url(), note=correction.decision_note)
    return correction
