"""Loading past check-ins in bulk (the demo's four weeks; later an import from another
system): the same fold into daily records as a live check-in (``services._apply``), the same
flags for the place (deviation from the day's plan), but one bulk insert per table instead
of a transaction per check-in (docs/decisions/118). Days are not closed here: run
``attendance_close_day`` for each past day afterwards.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction

from fleksi.audit.services import audit_record
from fleksi.core.errors import permission_denied
from fleksi.organisation.models import Employee
from fleksi.organisation.scoping import scope_for
from fleksi.schedules.selectors import employees_days
from fleksi.scheme.facts import agency_calendar

from . import rollup
from .geo import haversine_m, round_coordinate
from .models import CheckIn, CheckInKind, DailyRecord, DayStatus, Flag, LocationKind
from .services import LATE_AFTER, _apply, _flags, plan_of


@dataclass(frozen=True)
class PastCheckIn:
    employee_id: int
    kind: str  # "in" | "out"
    location: str
    client_time: dt.datetime  # aware
    server_time: dt.datetime  # aware; later than client_time + 5 min: "synced late"
    latitude: Decimal | None = None  # rounded as a live check-in's (4 decimals)
    longitude: Decimal | None = None
    accuracy_m: int | None = None


def _outside(employee: Employee, row: PastCheckIn) -> bool:
    office = employee.office
    if office is None or office.latitude is None or office.longitude is None or office.radius_m is None:
        return False
    distance = haversine_m(
        float(row.latitude or 0), float(row.longitude or 0), float(office.latitude), float(office.longitude)
    )
    return distance > office.radius_m + (row.accuracy_m or 0)


def checkin_history_load(*, actor: Any, agency_id: int, rows: Iterable[PastCheckIn]) -> int:
    """Insert past check-ins of the agency's employees and build their daily records (days
    that already have a record are skipped whole). The actor is the agency's HR or None
    (the system: the demo). Returns the check-ins stored."""
    if actor is not None and not scope_for(actor).can_manage_agency(agency_id):
        raise permission_denied("Hanya admin SDM instansi yang dapat memuat riwayat presensi.")
    rows = sorted(rows, key=lambda r: (r.employee_id, r.client_time))
    if not rows:
        return 0
    employees = {
        e.pk: e
        for e in Employee.objects.filter(agency_id=agency_id, pk__in={r.employee_id for r in rows})
        .select_related("unit", "agency", "office")
    }
    start = min(r.client_time for r in rows).date() - dt.timedelta(days=1)
    end = max(r.client_time for r in rows).date() + dt.timedelta(days=1)
    arranged = employees_days(employee_ids=list(employees), start=start, end=end)
    have = set(
        DailyRecord.objects.filter(
            agency_id=agency_id, employee_id__in=list(employees), work_date__gte=start, work_date__lte=end
        ).values_list("employee_id", "work_date")
    )
    check_ins: list[CheckIn] = []
    records: dict[tuple[int, dt.date], DailyRecord] = {}
    for row in rows:
        employee = employees.get(row.employee_id)
        if employee is None:
            continue
        zone = ZoneInfo(employee.unit.time_zone or employee.agency.time_zone or "Asia/Jakarta")
        work_date = row.client_time.astimezone(zone).date()
        key = (employee.pk, work_date)
        if row.kind == CheckInKind.OUT and key not in records:
            previous = records.get((employee.pk, work_date - dt.timedelta(days=1)))
            if previous is not None and previous.is_open:
                key, work_date = (employee.pk, previous.work_date), previous.work_date
        if key in have:
            continue
        day = agency_calendar(employee.agency).day(work_date)
        plan = plan_of(arranged.get(key), day)
        flags: list[str] = []
        if row.latitude is None or row.longitude is None:
            flags.append(Flag.NO_LOCATION)
        elif row.location == LocationKind.OFFICE and _outside(employee, row):
            flags.append(Flag.OUTSIDE_OFFICE)
        if row.server_time - row.client_time > LATE_AFTER:
            flags.append(Flag.SYNCED_LATE)
        if plan.location and row.location != plan.location:
            flags.append(Flag.DEVIATION)
        check_in = CheckIn(
            agency_id=agency_id, employee_id=employee.pk, kind=row.kind, location=row.location,
            client_time=row.client_time.astimezone(dt.UTC), server_time=row.server_time.astimezone(dt.UTC),
            work_date=work_date, idempotency_key=uuid.uuid4(), body_hash="history", flags=_flags(flags),
            latitude=round_coordinate(float(row.latitude)) if row.latitude is not None else None,
            longitude=round_coordinate(float(row.longitude)) if row.longitude is not None else None,
            accuracy_m=row.accuracy_m,
        )
        check_ins.append(check_in)
        record = records.get(key)
        if record is None:
            record = records[key] = DailyRecord(
                agency_id=agency_id, unit_id=employee.unit_id, employee_id=employee.pk,
                work_date=work_date, planned_location=plan.location, planned_start=plan.start,
                planned_end=plan.end, status=DayStatus.PRESENT_FLEXIBLE,
            )
        _apply(record, check_in, day)
    with transaction.atomic():
        CheckIn.objects.bulk_create(check_ins, batch_size=1000)
        DailyRecord.objects.bulk_create(list(records.values()), batch_size=1000)
        if records:  # the rollups of the loaded days (docs/decisions/196)
            dates = [key[1] for key in records]
            rollup.refresh(
                agency_id=agency_id, start=min(dates), end=max(dates),
                employee_ids=sorted({key[0] for key in records}),
            )
        audit_record(
            actor=actor, action="attendance.history_load", object_type="agency", object_id=agency_id,
            agency_id=agency_id, data={"check_ins": len(check_ins), "days": len(records)},
        )
    return len(check_ins)
