"""Every write of presensi: the check-in (idempotent, at most 5 SQL statements), closing a
day, leave days, the purge of coordinates.

A check-in is one transaction: the employee's row is locked (check-ins of one person are
serialised, so the daily record is a plain read-modify-write), the check-in is inserted and
the day's record updated; history is never re-read. The idempotency ledger
(``CheckInKey``: one row per employee and key, filled by a trigger on the insert) is the guard
against doubles, on the partitioned PostgreSQL table too: a retry's insert fails, the
transaction rolls back and the stored record is read and compared by the body's hash (200 or
409).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from fleksi.audit.services import audit_record
from fleksi.core import clock
from fleksi.core.errors import ApplicationError, ErrorCode, permission_denied
from fleksi.organisation.models import Employee
from fleksi.organisation.scoping import scope_for
from fleksi.policy import DayInfo
from fleksi.schedules.selectors import arrangement_days_on
from fleksi.scheme.facts import agency_calendar

from . import rollup
from .geo import haversine_m
from .hooks import run_check_out_checks
from .inputs import CheckInInput, parse_check_in
from .models import (
    AttendanceSettings,
    CheckIn,
    CheckInKey,
    CheckInKind,
    DailyRecord,
    DayStatus,
    Flag,
    LeaveDay,
    LocationKind,
)

SKEW_LIMIT = dt.timedelta(minutes=5)
LATE_AFTER = dt.timedelta(minutes=5)
# A check-out after midnight closes the open check-in of the day before when that check-in
# is at most this old (an overnight shift); an older open day was a forgotten check-out.
OVERNIGHT_LIMIT = dt.timedelta(hours=20)
DEFAULTS = AttendanceSettings(sync_window_hours=72, location_retention_days=90)


def attendance_settings(agency: Any) -> AttendanceSettings:
    try:
        return agency.attendance_settings  # type: ignore[no-any-return]
    except AttendanceSettings.DoesNotExist:
        return DEFAULTS


def _local_zone(employee: Employee) -> ZoneInfo:
    return ZoneInfo(employee.unit.time_zone or employee.agency.time_zone)


def _flags(*groups: Iterable[str]) -> list[str]:
    order = list(Flag.values)
    found = {flag for group in groups for flag in group}
    return sorted(found, key=lambda f: order.index(f) if f in order else len(order))


@dataclass(frozen=True)
class Plan:
    """The planned place and hours of a work date (the approved arrangement, else the
    standard office day on a working day, else nothing planned)."""

    location: str
    start: dt.time | None
    end: dt.time | None
    overnight: bool


def plan_of(arranged: Any | None, day: DayInfo) -> Plan:
    if arranged is not None:
        return Plan(
            arranged.location_kind,
            arranged.start_time,
            arranged.end_time,
            arranged.time_kind == "shift",
        )
    if day.working:
        return Plan(LocationKind.OFFICE, day.start, day.standard_end, False)
    return Plan("", None, None, False)


def _worked(first_in: dt.datetime | None, last_out: dt.datetime | None, day: DayInfo) -> int:
    if first_in is None or last_out is None or last_out <= first_in:
        return 0
    span = int((last_out - first_in).total_seconds() // 60)
    return max(0, span - day.break_minutes)


def _own_employee_locked(actor: Any) -> Employee:
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise permission_denied(_("Hanya pegawai yang dapat melakukan presensi."))
    employee = (
        Employee.objects.select_related("unit", "agency", "agency__attendance_settings", "office")
        .select_for_update(of=("self",))
        .filter(user_id=actor.pk, is_active=True)
        .first()
    )
    if employee is None:
        raise permission_denied(
            _("Akun ini tidak terhubung dengan data pegawai: presensi tidak dapat dicatat.")
        )
    return employee


def checkin_record(
    *, actor: Any, data: CheckInInput | Mapping[str, Any], sent_at: dt.datetime | None = None
) -> tuple[CheckIn, bool]:
    """Record a check-in or check-out of the actor's own employee.

    Returns ``(record, created)``: ``created`` is False when the same idempotency key with the
    same body was stored before (nothing new is written). The same key with another body is
    CONFLICT. ``sent_at`` is the device's clock when it sent the request (the
    ``X-Fleksi-Sent-At`` header), if it says: it tells a clock that is off from a check-in
    that waited in the offline queue.
    """
    now = clock.now()
    parsed = data if isinstance(data, CheckInInput) else parse_check_in(data, now=now)
    try:
        with transaction.atomic():
            return _record(actor=actor, data=parsed, now=now, sent_at=sent_at), True
    except IntegrityError:
        existing = _stored(actor=actor, key=parsed.idempotency_key)
        if existing is None:
            raise
    if existing.body_hash != parsed.body_hash:
        raise ApplicationError(
            ErrorCode.CONFLICT,
            _("Kunci idempotensi ini sudah dipakai untuk presensi lain dengan isi berbeda."),
            {"id": existing.pk, "idempotency_key": str(parsed.idempotency_key)},
        )
    return existing, False


def _stored(*, actor: Any, key: Any) -> CheckIn | None:
    """The check-in stored under this key of the actor's employee: the ledger gives its id and
    server time, so the read touches one month's partition (docs/decisions/110)."""
    ledger = (
        CheckInKey.objects.filter(employee__user_id=actor.pk, idempotency_key=key)
        .values_list("checkin_id", "server_time")
        .first()
    )
    if ledger is None:
        return None
    return CheckIn.objects.filter(pk=ledger[0], server_time=ledger[1]).first()


def _record(
    *, actor: Any, data: CheckInInput, now: dt.datetime, sent_at: dt.datetime | None
) -> CheckIn:
    employee = _own_employee_locked(actor)  # 1
    settings = attendance_settings(employee.agency)
    flags: list[str] = []

    # Server time is the truth; the device's clock is judged against it.
    if sent_at is not None and abs(now - sent_at) <= dt.timedelta(days=7):
        skew = now - sent_at
        age = sent_at - data.client_time
        if abs(skew) > SKEW_LIMIT:
            flags.append(Flag.CLOCK_SKEW)
    else:
        age = now - data.client_time
        if age < -SKEW_LIMIT:
            flags.append(Flag.CLOCK_SKEW)
    if age > dt.timedelta(hours=settings.sync_window_hours):
        raise ApplicationError(
            ErrorCode.VALIDATION,
            _(
                "Presensi ini dikirim lebih dari %(hours)s jam setelah waktunya dan tidak "
                "dapat diterima lagi. Ajukan koreksi presensi kepada pimpinan unit."
            )
            % {"hours": settings.sync_window_hours},
            {"fields": {"client_time": _("Melewati batas pengiriman terlambat.")},
             "reason": "sync_window_passed", "window_hours": settings.sync_window_hours},
        )
    if age > LATE_AFTER:
        flags.append(Flag.SYNCED_LATE)

    zone = _local_zone(employee)
    local = data.client_time.astimezone(zone)
    today = local.date()
    yesterday = today - dt.timedelta(days=1)
    records = {
        r.work_date: r
        for r in DailyRecord.objects.filter(employee_id=employee.pk, work_date__in=[yesterday, today])
    }  # 2
    work_date = today
    if data.kind == CheckInKind.OUT:
        current, previous = records.get(today), records.get(yesterday)
        if (
            (current is None or not current.is_open)
            and previous is not None
            and previous.is_open
            and previous.last_in is not None
            and data.client_time - previous.last_in <= OVERNIGHT_LIMIT
        ):
            work_date = yesterday
    arranged = arrangement_days_on(employee_ids=[employee.pk], day=work_date)  # 3
    calendar = agency_calendar(employee.agency)  # cached per scheme version
    day = calendar.day(work_date)
    plan = plan_of(arranged.get(employee.pk), day)
    if data.kind == CheckInKind.OUT:  # checks other apps register (performance: a log first)
        run_check_out_checks(employee=employee, work_date=work_date, flexible=employee.pk in arranged)

    if data.latitude is None:
        flags.append(Flag.NO_LOCATION)
    elif data.location == LocationKind.OFFICE:
        office = employee.office
        if (
            office is not None
            and office.latitude is not None
            and office.longitude is not None
            and office.radius_m is not None
        ):
            distance = haversine_m(
                float(data.latitude), float(data.longitude or 0),
                float(office.latitude), float(office.longitude),
            )
            if distance > office.radius_m + (data.accuracy_m or 0):
                flags.append(Flag.OUTSIDE_OFFICE)
    if plan.location and data.location != plan.location:
        flags.append(Flag.DEVIATION)

    check_in = CheckIn.objects.create(
        agency_id=employee.agency_id,
        employee=employee,
        kind=data.kind,
        location=data.location,
        client_time=data.client_time.astimezone(dt.UTC),
        server_time=now.astimezone(dt.UTC),
        work_date=work_date,
        idempotency_key=data.idempotency_key,
        body_hash=data.body_hash,
        latitude=data.latitude,
        longitude=data.longitude,
        accuracy_m=data.accuracy_m,
        note=data.note,
        flags=_flags(flags),
    )  # 4 (a retried key fails here: IntegrityError)

    record = records.get(work_date)
    if record is None:
        record = DailyRecord(
            agency_id=employee.agency_id,
            unit_id=employee.unit_id,
            employee_id=employee.pk,
            work_date=work_date,
            planned_location=plan.location,
            planned_start=plan.start,
            planned_end=plan.end,
            status=DayStatus.PRESENT_FLEXIBLE,
        )
    _apply(record, check_in, day)
    record.save()  # 5
    rollup.record_saved(record)  # 6-10: the rollups of its unit-day and week (last: locks)
    return check_in


def _apply(record: DailyRecord, check_in: CheckIn, day: DayInfo) -> None:
    """Fold one check-in into its day (no history read: first/last and the running flags)."""
    at = check_in.client_time
    if check_in.kind == CheckInKind.IN:
        if record.first_in is None or at < record.first_in:
            record.first_in = at
            record.first_in_location = check_in.location
        if record.last_in is None or at >= record.last_in:
            record.last_in = at
        record.is_open = record.last_out is None or at > record.last_out
        if check_in.location == LocationKind.OFFICE:
            record.status = DayStatus.PRESENT_OFFICE
        elif record.status != DayStatus.PRESENT_OFFICE:
            record.status = DayStatus.PRESENT_FLEXIBLE
    else:
        if record.last_out is None or at >= record.last_out:
            record.last_out = at
        record.is_open = record.last_in is not None and record.last_in > record.last_out
        if record.status not in (DayStatus.PRESENT_OFFICE, DayStatus.PRESENT_FLEXIBLE):
            record.status = (
                DayStatus.PRESENT_OFFICE
                if check_in.location == LocationKind.OFFICE
                else DayStatus.PRESENT_FLEXIBLE
            )
    record.worked_minutes = _worked(record.first_in, record.last_out, day)
    record.check_in_count += 1
    record.flags = _flags(
        [f for f in record.flags if f not in (Flag.NO_CHECK_OUT, Flag.NO_CHECK_IN)], check_in.flags
    )


# ---------------------------------------------------------------------------------------
# After the day


@dataclass(frozen=True)
class CloseDayResult:
    day: dt.date
    absent: int
    leave: int
    holiday: int
    flexible_without_check_in: int
    without_check_out: int


def attendance_close_day(*, actor: Any, day: dt.date, agency_id: int | None = None) -> CloseDayResult:
    """Decide the day of every active employee who has no record yet: leave, holiday, a
    flexible day (never absent for want of an office check-in), else absent on a working day.
    Open days get "no check-out". Safe to run twice: existing records are not duplicated.

    The actor is a system admin (the command) or the agency's HR (for their agency only).
    """
    scope = scope_for(actor) if actor is not None else None
    if (
        scope is not None
        and not scope.is_system_admin
        and (agency_id is None or not scope.can_manage_agency(agency_id))
    ):
        raise permission_denied(_("Hanya admin SDM instansi yang dapat menutup hari presensi."))
    counts = {"absent": 0, "leave": 0, "holiday": 0, "flex": 0}
    employees = Employee.objects.filter(is_active=True).select_related("agency", "unit")
    if agency_id is not None:
        employees = employees.filter(agency_id=agency_id)
    with transaction.atomic():
        now = clock.now()
        open_count = (
            DailyRecord.objects.filter(work_date=day, is_open=True, closed_at__isnull=True)
            .filter(**({"agency_id": agency_id} if agency_id else {}))
            .count()
        )
        for record in DailyRecord.objects.filter(
            work_date=day, is_open=True, closed_at__isnull=True,
            **({"agency_id": agency_id} if agency_id else {}),
        ):
            record.flags = _flags(record.flags, [Flag.NO_CHECK_OUT])
            record.closed_at = now
            record.save(update_fields=["flags", "closed_at", "updated_at"])
        have = set(DailyRecord.objects.filter(work_date=day).values_list("employee_id", flat=True))
        on_leave = set(
            LeaveDay.objects.filter(start__lte=day, end__gte=day).values_list("employee_id", flat=True)
        )
        missing = [e for e in employees if e.pk not in have]
        rollup.lock_employees(e.pk for e in missing)  # their weeks are recomputed below
        arranged: dict[int, Any] = {}
        if missing:
            arranged = arrangement_days_on(employee_ids=[e.pk for e in missing], day=day)
        new: list[DailyRecord] = []
        for employee in missing:
            calendar = agency_calendar(employee.agency)
            info = calendar.day(day)
            plan = plan_of(arranged.get(employee.pk), info)
            flags: list[str] = []
            if employee.pk in on_leave:
                status, key = DayStatus.LEAVE, "leave"
            elif not info.working and employee.pk not in arranged:
                if info.weekday >= 5:
                    continue  # a weekend without a shift: no record
                status, key = DayStatus.HOLIDAY, "holiday"
            elif plan.location and plan.location != LocationKind.OFFICE:
                status, key = DayStatus.PRESENT_FLEXIBLE, "flex"
                flags = [Flag.NO_CHECK_IN]
            else:
                status, key = DayStatus.ABSENT, "absent"
            counts[key] += 1
            new.append(
                DailyRecord(
                    agency_id=employee.agency_id,
                    unit_id=employee.unit_id,
                    employee_id=employee.pk,
                    work_date=day,
                    planned_location=plan.location,
                    planned_start=plan.start,
                    planned_end=plan.end,
                    status=status,
                    flags=flags,
                    closed_at=now,
                )
            )
        DailyRecord.objects.bulk_create(new, batch_size=500, ignore_conflicts=True)
        # The rollups (docs/decisions/196): the weeks of the new records' employees, and every
        # unit-day of the agencies that have records that day (closed days changed flags).
        agencies = sorted(set(DailyRecord.objects.filter(
            work_date=day, **({"agency_id": agency_id} if agency_id else {})
        ).values_list("agency_id", flat=True).distinct()))
        rollup.refresh_weeks(start=day, end=day, employee_ids=[r.employee_id for r in new], locked=True)
        for agency in agencies:
            rollup.refresh_days(agency_id=agency, start=day, end=day)
        audit_record(
            actor=actor,
            action="attendance.close_day",
            object_type="attendance_day",
            object_id=day.isoformat(),
            agency_id=agency_id,
            data={**counts, "no_check_out": open_count},
        )
    return CloseDayResult(
        day=day,
        absent=counts["absent"],
        leave=counts["leave"],
        holiday=counts["holiday"],
        flexible_without_check_in=counts["flex"],
        without_check_out=open_count,
    )


# ---------------------------------------------------------------------------------------
# Leave days and the retention of coordinates


@dataclass(frozen=True)
class LeaveImportResult:
    created: int
    unchanged: int
    errors: list[str]


LEAVE_HEADER = ["nip", "mulai", "sampai", "jenis"]


def leave_import(*, actor: Any, agency_id: int, rows: Iterable[Mapping[str, str]]) -> LeaveImportResult:
    """Import approved leave (CSV ``nip,mulai,sampai,jenis``): all rows or none. The actor
    is the agency's HR (or None: the system, from the command)."""
    if actor is not None and not scope_for(actor).can_manage_agency(agency_id):
        raise permission_denied(_("Hanya admin SDM instansi yang dapat mengimpor cuti."))
    rows = list(rows)
    nips = {(r.get("nip") or "").strip() for r in rows}
    employees = dict(
        Employee.objects.filter(agency_id=agency_id, nip__in=nips).values_list("nip", "pk")
    )
    errors: list[str] = []
    parsed: list[tuple[int, dt.date, dt.date, str]] = []
    for number, row in enumerate(rows, start=2):
        nip = (row.get("nip") or "").strip()
        kind = (row.get("jenis") or "").strip()[:60]
        try:
            start = dt.date.fromisoformat((row.get("mulai") or "").strip())
            end = dt.date.fromisoformat((row.get("sampai") or "").strip())
        except ValueError:
            errors.append(_("Baris %(n)s: tanggal harus TTTT-BB-HH.") % {"n": number})
            continue
        if nip not in employees:
            errors.append(_("Baris %(n)s: NIP %(nip)s tidak dikenal di instansi ini.") % {"n": number, "nip": nip})
            continue
        if end < start or (end - start).days > 366:
            errors.append(_("Baris %(n)s: rentang tanggal tidak sah.") % {"n": number})
            continue
        if not kind:
            errors.append(_("Baris %(n)s: jenis cuti wajib diisi.") % {"n": number})
            continue
        parsed.append((employees[nip], start, end, kind))
    if errors:
        raise ApplicationError(ErrorCode.IMPORT_INVALID, _("Berkas cuti tidak dapat diimpor."), {"errors": errors})
    created = 0
    with transaction.atomic():
        for employee_id, start, end, kind in parsed:
            _obj, made = LeaveDay.objects.get_or_create(
                agency_id=agency_id, employee_id=employee_id, start=start, end=end, kind=kind,
                defaults={"created_by": actor if getattr(actor, "is_authenticated", False) else None},
            )
            created += int(made)
        audit_record(
            actor=actor, action="attendance.leave_import", object_type="agency",
            object_id=agency_id, agency_id=agency_id, data={"created": created, "rows": len(parsed)},
        )
    return LeaveImportResult(created=created, unchanged=len(parsed) - created, errors=[])


def attendance_purge_locations(*, actor: Any = None) -> int:
    """Null the coordinates of check-ins older than each agency's retention period (UU PDP
    27/2022); the flags (inside/outside, deviation) stay. Returns the rows changed."""
    from fleksi.organisation.models import Agency

    now = clock.now()
    total = 0
    for agency in Agency.objects.select_related("attendance_settings"):
        days = attendance_settings(agency).location_retention_days
        # The condition of the partial index checkin_agency_time_located, word for word: old
        # months whose coordinates are gone are not read again (docs/decisions/110).
        total += CheckIn.objects.filter(
            Q(latitude__isnull=False) | Q(longitude__isnull=False) | Q(accuracy_m__isnull=False),
            agency_id=agency.pk, server_time__lt=now - dt.timedelta(days=days),
        ).update(latitude=None, longitude=None, accuracy_m=None)
    if total:
        audit_record(actor=actor, action="attendance.purge_locations", data={"rows": total})
    return total
