"""Publishing a unit's hybrid schedule (issue 11): the head's proposed, perhaps edited, plan
becomes the employees' arrangement days, written through the same function approved
requests use (``services.arrangement_days_write``). docs/decisions/135-publishing-a-schedule.md.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from fleksi.audit.services import audit_record
from fleksi.core import clock
from fleksi.core.errors import ApplicationError, ErrorCode
from fleksi.notifications.services import Recipient, notify
from fleksi.organisation.models import Delegation, Employee, OrgUnit
from fleksi.policy.check import CheckResult, check_plan
from fleksi.policy.enums import LocationKind, Severity, TimeKind
from fleksi.policy.model import DayPlan
from fleksi.scheme.facts import agency_calendar, agency_policy

from . import rollup
from .models import ArrangementDay, PublishedSchedule, ScheduleConfirmation
from .plans import _unit_people
from .services import arrangement_days_end, arrangement_days_write

MAX_WEEKS = 8
NOTIFY_KIND = "schedule_published"


def _invalid(message: str, field: str) -> ApplicationError:
    return ApplicationError(ErrorCode.VALIDATION, message, {"fields": {field: message}})


def _not_found() -> ApplicationError:
    return ApplicationError(ErrorCode.NOT_FOUND, _("Unit organisasi tidak ditemukan."))


def publishable_unit(*, actor: Any, unit_id: int, start: dt.date, end: dt.date) -> OrgUnit:
    """The unit if the actor heads it (or a unit above it), or is its Plt/Plh on every date
    of the period; otherwise 404 (another unit's schedule is not visible)."""
    unit = OrgUnit.objects.select_related("agency").filter(pk=unit_id).first()
    employee = (
        Employee.objects.filter(user=actor, is_active=True).only("id").first()
        if getattr(actor, "is_authenticated", False)
        else None
    )
    if unit is None or employee is None:
        raise _not_found()
    ancestors = [p for p in _ancestor_paths(unit.path)]
    heads = OrgUnit.objects.filter(head=employee, path__in=ancestors).exists()
    if heads:
        return unit
    delegations = Delegation.objects.filter(
        delegate=employee, unit__path__in=ancestors, revoked_at__isnull=True
    ).filter(Q(start__lte=end) & Q(end__gte=start))
    covered = set()
    for d_start, d_end in delegations.values_list("start", "end"):
        day = max(d_start, start)
        while day <= min(d_end, end):
            covered.add(day)
            day += dt.timedelta(days=1)
    days = (end - start).days + 1
    if len(covered) < days:
        raise _not_found()
    return unit


def _ancestor_paths(path: str) -> list[str]:
    """Every prefix of a materialised path that is a unit's path ("/1/", "/1/4/")."""
    parts = [p for p in path.split("/") if p]
    lead = "/" if path.startswith("/") else ""
    tail = "/" if path.endswith("/") else ""
    return [lead + "/".join(parts[: i + 1]) + tail for i in range(len(parts))] + [path]


def period_of(start: dt.date, weeks: int) -> tuple[dt.date, dt.date]:
    if not 1 <= weeks <= MAX_WEEKS:
        raise _invalid(_("Jumlah minggu harus 1 sampai %(n)d.") % {"n": MAX_WEEKS}, "weeks")
    monday = start - dt.timedelta(days=start.weekday())
    return monday, monday + dt.timedelta(days=7 * weeks - 1)


def _time(value: Any, field: str) -> dt.time | None:
    if value in (None, ""):
        return None
    try:
        return dt.time.fromisoformat(str(value))
    except ValueError:
        raise _invalid(_("Jam tidak sah: %(v)s.") % {"v": value}, field) from None


def rows_from_plan(rows: Iterable[Mapping[str, Any] | DayPlan]) -> list[DayPlan]:
    """plan.csv rows (dicts with nip, tanggal, lokasi, jam_mulai, jam_selesai, waktu) as
    DayPlan; a row that cannot be read is a 422 naming it."""
    out = []
    for row in rows:
        if isinstance(row, DayPlan):
            out.append(row)
            continue
        try:
            out.append(
                DayPlan(
                    nip=str(row["nip"]),
                    date=dt.date.fromisoformat(str(row["tanggal"])),
                    location=LocationKind(str(row.get("lokasi") or "kantor")),
                    start=_time(row.get("jam_mulai"), "plan"),
                    end=_time(row.get("jam_selesai"), "plan"),
                    time_kind=TimeKind(str(row.get("waktu") or "reguler")),
                )
            )
        except (KeyError, ValueError):
            raise _invalid(_("Baris rencana tidak sah: %(row)s.") % {"row": dict(row)}, "plan") from None
    return out


def _row_dict(row: DayPlan) -> dict[str, str | None]:
    return {
        "nip": row.nip,
        "tanggal": row.date.isoformat(),
        "lokasi": row.location.value,
        "jam_mulai": f"{row.start:%H:%M}" if row.start is not None else None,
        "jam_selesai": f"{row.end:%H:%M}" if row.end is not None else None,
        "waktu": row.time_kind.value,
    }


@dataclass(frozen=True)
class _Day:
    date: dt.date
    location_kind: str
    time_kind: str
    start: dt.time | None
    end: dt.time | None


def _day_of(row: DayPlan) -> _Day:
    return _Day(row.date, row.location.value, row.time_kind.value, row.start, row.end)


def _same(day: ArrangementDay, row: DayPlan) -> bool:
    return (
        day.location_kind == row.location.value
        and day.time_kind == row.time_kind.value
        and day.start_time == row.start
        and day.end_time == row.end
    )


@dataclass
class ScheduleCheck:
    """The plan as it would stand after publishing, checked by the policy core."""

    unit: OrgUnit
    start: dt.date
    end: dt.date
    rows: list[DayPlan]
    result: CheckResult
    names: dict[str, str]
    employees: dict[str, Employee]
    existing: dict[tuple[str, dt.date], ArrangementDay]


def _validate_rows(rows: list[DayPlan], names: Mapping[str, str], start: dt.date, end: dt.date) -> None:
    seen: set[tuple[str, dt.date]] = set()
    for row in rows:
        if row.nip not in names:
            raise _invalid(_("Pegawai %(nip)s bukan pegawai unit ini.") % {"nip": row.nip}, "plan")
        if not start <= row.date <= end:
            raise _invalid(
                _("Tanggal %(d)s di luar periode jadwal.") % {"d": row.date.isoformat()}, "plan"
            )
        if (row.nip, row.date) in seen:
            raise _invalid(
                _("Dua baris untuk %(nip)s pada %(d)s.") % {"nip": row.nip, "d": row.date.isoformat()},
                "plan",
            )
        seen.add((row.nip, row.date))


def schedule_check(*, unit: OrgUnit, start: dt.date, end: dt.date, rows: list[DayPlan]) -> ScheduleCheck:
    """The policy core over the plan as it would stand: the rows, plus the days of approved
    requests in the period that the rows leave alone (they stay)."""
    facts, names, units = _unit_people(unit)
    _validate_rows(rows, names, start, end)
    employees = {
        e.nip: e
        for e in Employee.objects.filter(unit__path__startswith=unit.path, is_active=True)
        .select_related("user", "unit")
    }
    existing = {
        (d.employee.nip, d.date): d
        for d in ArrangementDay.objects.filter(
            employee__unit__path__startswith=unit.path, active=True, date__range=(start, end)
        ).select_related("employee")
    }
    planned = {(r.nip, r.date) for r in rows}
    kept = [
        DayPlan(
            nip=nip,
            date=date,
            location=LocationKind(d.location_kind),
            start=d.start_time,
            end=d.end_time,
            time_kind=TimeKind(d.time_kind),
        )
        for (nip, date), d in existing.items()
        if d.request_id is not None and (nip, date) not in planned and nip in names
    ]
    policy = agency_policy(unit.agency)
    result = check_plan(
        facts, [*rows, *kept], policy, units=units, calendar=agency_calendar(unit.agency, policy)
    )
    return ScheduleCheck(unit, start, end, rows, result, names, employees, existing)


def finding_details(f: Any) -> dict[str, Any]:
    """One finding as the error details of a refused publish, confirmation or change."""
    return {
        "code": f.code.value,
        "severity": f.severity.value,
        "nip": f.nip,
        "unit": f.unit,
        "date": f.date.isoformat() if f.date else None,
        "week": f.week,
        "message": f.message("id"),
        "message_en": f.message("en"),
    }


def _findings_details(result: CheckResult) -> list[dict[str, Any]]:
    return [finding_details(f) for f in result.findings if f.severity is Severity.ERROR]


def schedule_publish(
    *,
    actor: Any,
    unit_id: int,
    start: dt.date,
    weeks: int,
    rows: Iterable[Mapping[str, Any] | DayPlan],
) -> PublishedSchedule:
    """Publish the unit's schedule for the weeks from ``start``: refused (422
    ``policy_violation`` with the findings) unless the policy core finds no error; a row
    that would change an approved request's day is refused (revoke the request first).
    Days of an earlier published schedule in the period that the new one leaves out end."""
    first, end = period_of(start, weeks)
    plan = rows_from_plan(rows)
    unit = publishable_unit(actor=actor, unit_id=unit_id, start=first, end=end)
    today = clock.today()
    if any(r.date < today for r in plan):
        raise _invalid(_("Jadwal tidak dapat diterbitkan untuk tanggal yang sudah lewat."), "plan")
    with transaction.atomic():
        # The lock order of every write of arrangement days: the unit, then the employees.
        OrgUnit.objects.select_for_update().filter(pk=unit.pk).values_list("pk").first()
        list(
            Employee.objects.select_for_update()
            .filter(unit__path__startswith=unit.path, is_active=True)
            .order_by("pk")
            .values_list("pk")
        )
        check = schedule_check(unit=unit, start=first, end=end, rows=plan)
        errors = _findings_details(check.result)
        if errors:
            raise ApplicationError(
                ErrorCode.POLICY_VIOLATION,
                _("Jadwal tidak dapat diterbitkan: %(n)d temuan melanggar ketentuan.")
                % {"n": len(errors)},
                {"findings": errors},
            )
        for row in plan:
            day = check.existing.get((row.nip, row.date))
            if day is not None and day.request_id is not None and not _same(day, row):
                raise ApplicationError(
                    ErrorCode.VALIDATION,
                    _(
                        "%(name)s sudah punya hari yang disetujui lewat pengajuan pada %(d)s; "
                        "cabut pengajuan itu dahulu."
                    )
                    % {"name": check.names[row.nip], "d": row.date.isoformat()},
                    {"fields": {"plan": row.nip}},
                )
        now = clock.now()
        needs_confirmation = bool(unit.agency.schedule_needs_confirmation)
        schedule = PublishedSchedule.objects.create(
            agency_id=unit.agency_id,
            unit=unit,
            start=first,
            end=end,
            rows=[_row_dict(r) for r in sorted(plan, key=lambda r: (r.nip, r.date))],
            published_by=actor,
            published_at=now,
            needs_confirmation=needs_confirmation,
        )
        # Pending parts and open change requests of earlier schedules for these dates give
        # way to this one (docs/decisions/200).
        from .responses import supersede_pending

        supersede_pending(
            schedule=schedule, employee_ids=[e.pk for e in check.employees.values()], actor=actor, now=now
        )
        by_nip: dict[str, list[DayPlan]] = defaultdict(list)
        for row in plan:
            day = check.existing.get((row.nip, row.date))
            if day is None or (day.request_id is None and not _same(day, row)):
                by_nip[row.nip].append(row)
        planned = {(r.nip, r.date) for r in plan}
        stale = [
            d.pk
            for key, d in check.existing.items()
            if d.schedule_id is not None and key not in planned and d.date >= today
        ]
        written = ended = 0
        if needs_confirmation:
            # Each employee's part waits for the employee: nothing is in force yet.
            _pending_parts(schedule, check, by_nip, stale, now)
        else:
            keys: list[rollup.Key] = []  # the rollup, once for the whole schedule
            ended = arrangement_days_end(ArrangementDay.objects.filter(pk__in=stale), now=now, touched=keys)
            for nip, items in by_nip.items():
                arrangement_days_write(
                    employee=check.employees[nip],
                    days=[_day_of(r) for r in items],
                    now=now,
                    schedule_id=schedule.pk,
                    touched=keys,
                )
                written += len(items)
            rollup.refresh(keys)
        schedule.days_written, schedule.days_ended = written, ended
        schedule.save(update_fields=["days_written", "days_ended"])
        audit_record(
            actor=actor,
            action="schedule.publish",
            object_type="published_schedule",
            object_id=schedule.pk,
            agency_id=unit.agency_id,
            data={
                "unit": unit.code,
                "start": first.isoformat(),
                "end": end.isoformat(),
                "days_written": written,
                "days_ended": ended,
                "needs_confirmation": needs_confirmation,
            },
        )
        touched = set(by_nip) | {
            d.employee.nip for d in check.existing.values() if d.pk in set(stale)
        }
        period = f"{first:%d-%m-%Y} - {end:%d-%m-%Y}"
        unit_name = unit.name
        notify(
            recipients=[
                Recipient(user=e.user, email=((e.user.email or e.email or "").strip()))
                for nip, e in sorted(check.employees.items())
                if nip in touched and e.user is not None
            ],
            kind=NOTIFY_KIND,
            texts=lambda: (
                _("Jadwal hybrid unit diterbitkan"),
                (
                    _("Jadwal hybrid %(unit)s untuk %(period)s telah diterbitkan; mohon periksa dan konfirmasi bagian Anda.")
                    if needs_confirmation
                    else _("Jadwal hybrid %(unit)s untuk %(period)s telah diterbitkan; lihat kalender Anda.")
                )
                % {"unit": unit_name, "period": period},
            ),
            url=reverse("schedules:my_schedule", args=[schedule.pk]),
            key=f"schedule:{schedule.pk}",
            subject=f"schedule:{schedule.pk}",
        )
    return schedule


def _pending_parts(
    schedule: PublishedSchedule,
    check: ScheduleCheck,
    by_nip: Mapping[str, list[DayPlan]],
    stale: list[int],
    now: dt.datetime,
) -> None:
    """With the agency's confirmation setting: one pending ScheduleConfirmation per employee
    whose days would change (the rows to write, the dates whose earlier published day would
    end); written when the employee confirms (responses.schedule_confirm)."""
    stale_ids = set(stale)
    ends: dict[str, list[str]] = defaultdict(list)
    for (nip, date), day in check.existing.items():
        if day.pk in stale_ids:
            ends[nip].append(date.isoformat())
    ScheduleConfirmation.objects.bulk_create(
        ScheduleConfirmation(
            agency_id=schedule.agency_id,
            schedule=schedule,
            employee=check.employees[nip],
            rows=[_row_dict(r) for r in sorted(by_nip.get(nip, []), key=lambda r: r.date)],
            ends=sorted(ends.get(nip, [])),
            created_at=now,
        )
        for nip in sorted(set(by_nip) | set(ends))
    )


def published_schedule_get(*, actor: Any, schedule_id: int) -> PublishedSchedule:
    """A stored schedule, for whoever may plan its unit (head, Plt/Plh, HR admin/PPK)."""
    from .plans import _plannable_unit

    schedule = PublishedSchedule.objects.select_related("unit", "published_by").filter(
        pk=schedule_id
    ).first()
    if schedule is None:
        raise ApplicationError(ErrorCode.NOT_FOUND, _("Jadwal tidak ditemukan."))
    try:
        _plannable_unit(actor, schedule.unit_id)
    except ApplicationError:
        raise ApplicationError(ErrorCode.NOT_FOUND, _("Jadwal tidak ditemukan.")) from None
    return schedule
