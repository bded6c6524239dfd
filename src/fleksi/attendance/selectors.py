"""Every read of presensi, scoped through ``organisation.scoping``: the phone page's today,
daily records, weekly hours against the requirement, the head's board.

Who sees what: an employee their own days; a unit head (and an acting Plt/Plh) the unit's
subtree; HR and PPK their agency; a system admin everything. Anyone else's employee is
NOT_FOUND, never a hint that it exists. Coordinates are never returned by a selector.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Aggregate, QuerySet, TextField
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from fleksi.core import clock
from fleksi.core.errors import ApplicationError, ErrorCode, not_found, permission_denied
from fleksi.organisation.models import Employee, OrgUnit
from fleksi.organisation.scoping import Scope, scope_for
from fleksi.policy import Env, RuleCode
from fleksi.policy.calendar import week_label
from fleksi.schedules.selectors import employee_days, employees_days, parse_week
from fleksi.scheme.facts import agency_calendar, agency_policy

from .models import (
    CheckIn,
    CheckInKind,
    DailyRecord,
    DayRollup,
    DayStatus,
    Flag,
    LocationKind,
    WeekRollup,
)
from .rollup import FEW
from .services import Plan, plan_of

MAX_RANGE_DAYS = 93


# ---------------------------------------------------------------------------------------
# Whose records


def _employee_in_scope(scope: Scope, employee_id: int | None) -> Employee:
    """The actor's own employee (``employee_id`` None) or one they may see; else 404."""
    if employee_id is None:
        if scope.employee_id is None:
            raise permission_denied(_("Akun ini tidak terhubung dengan data pegawai."))
        employee_id = scope.employee_id
    employee = (
        scope.employees(Employee.objects.select_related("unit", "agency"))
        .filter(pk=employee_id)
        .first()
    )
    if employee is None:
        raise not_found(_("Pegawai"))
    return employee


def _today_of(employee: Employee) -> dt.date:
    return clock.today(employee.unit.time_zone or employee.agency.time_zone)


# ---------------------------------------------------------------------------------------
# Today (the phone page)


@dataclass(frozen=True)
class TodayView:
    employee_id: int
    name: str
    date: dt.date  # today in the unit's zone
    is_working_day: bool
    holiday: str  # why it is not a working day, or ""
    planned_location: str  # "" when nothing is planned (a non-working day)
    planned_location_label: str
    planned_start: dt.time | None
    planned_end: dt.time | None
    from_arrangement: bool  # False: the standard office day
    check_ins: list[CheckIn]
    record: DailyRecord | None
    next_kind: str  # "in" or "out": what the big button does
    week: str
    week_minutes: int  # worked so far this ISO week (daily records)
    week_required: int


def attendance_today(*, actor: Any) -> TodayView:
    """Today of the actor's own employee: the plan, today's check-ins, the week so far."""
    scope = scope_for(actor)
    employee = _employee_in_scope(scope, None)
    today = _today_of(employee)
    calendar = agency_calendar(employee.agency)
    info = calendar.day(today)
    arranged = {a.date: a for a in employee_days(employee_id=employee.pk, start=today, end=today)}
    plan = plan_of(arranged.get(today), info)
    week = week_label(today)
    monday = today - dt.timedelta(days=today.weekday())
    records = {
        r.work_date: r
        for r in DailyRecord.objects.filter(
            employee_id=employee.pk, work_date__gte=monday - dt.timedelta(days=1), work_date__lte=today
        )
    }
    record = records.get(today)
    yesterday = records.get(today - dt.timedelta(days=1))
    open_record = record if record is not None and record.is_open else None
    if open_record is None and yesterday is not None and yesterday.is_open and (record is None):
        open_record = yesterday  # an overnight shift still open
    check_ins = list(
        CheckIn.objects.filter(employee_id=employee.pk, work_date=today).order_by("client_time", "id")
    )
    labels = dict(LocationKind.choices)
    english = (get_language() or "id").startswith("en")
    return TodayView(
        employee_id=employee.pk,
        name=employee.name,
        date=today,
        is_working_day=info.working,
        holiday=(info.closed_en if english else info.closed_id) if not info.working else "",
        planned_location=plan.location,
        planned_location_label=str(labels.get(plan.location, "")) if plan.location else "",
        planned_start=plan.start,
        planned_end=plan.end,
        from_arrangement=today in arranged,
        check_ins=check_ins,
        record=record,
        next_kind=CheckInKind.OUT if open_record is not None else CheckInKind.IN,
        week=week,
        week_minutes=sum(r.worked_minutes for d, r in records.items() if d >= monday),
        week_required=calendar.required_minutes(week),
    )


# ---------------------------------------------------------------------------------------
# Daily records and weeks


def _bounded(start: dt.date, end: dt.date) -> None:
    if end < start:
        raise ApplicationError(
            ErrorCode.VALIDATION,
            _("Tanggal akhir tidak boleh sebelum tanggal awal."),
            {"fields": {"to": _("Sebelum tanggal awal.")}},
        )
    if (end - start).days >= MAX_RANGE_DAYS:
        raise ApplicationError(
            ErrorCode.VALIDATION,
            _("Rentang paling panjang %(n)s hari.") % {"n": MAX_RANGE_DAYS},
            {"fields": {"to": _("Rentang terlalu panjang.")}},
        )


def daily_records(
    *, actor: Any, start: dt.date, end: dt.date, employee_id: int | None = None
) -> list[DailyRecord]:
    """The daily records of one employee (the actor's own by default) from ``start`` to
    ``end`` inclusive (at most 93 days), by date. Days without a record are not listed."""
    _bounded(start, end)
    employee = _employee_in_scope(scope_for(actor), employee_id)
    return list(
        DailyRecord.objects.filter(
            agency_id=employee.agency_id,
            employee_id=employee.pk,
            work_date__gte=start,
            work_date__lte=end,
        ).order_by("work_date")
    )


@dataclass(frozen=True)
class WeekFinding:
    code: str
    severity: str
    basis: str
    message: str
    message_en: str


@dataclass(frozen=True)
class WeekDay:
    date: dt.date
    is_working_day: bool
    ramadan: bool
    required_minutes: int
    worked_minutes: int
    status: str  # the daily record's status, or "" without one


@dataclass(frozen=True)
class WeekView:
    employee_id: int
    week: str
    start: dt.date
    end: dt.date
    worked_minutes: int
    required_minutes: int
    working_days: int
    days: list[WeekDay]
    findings: list[WeekFinding] = field(default_factory=list)


def attendance_week(*, actor: Any, week: str, employee_id: int | None = None) -> WeekView:
    """Worked (daily records) against required minutes of an ISO week: 7 h 30 min per
    working day, 6 h 30 min in Ramadan (Perpres 21/2023 Pasal 4), with the policy core's
    WEEKLY_HOURS_SHORT when short. Leave days count as worked at the day's standard."""
    monday = parse_week(week)
    employee = _employee_in_scope(scope_for(actor), employee_id)
    policy = agency_policy(employee.agency)
    calendar = agency_calendar(employee.agency, None)
    label = week_label(monday)
    sunday = monday + dt.timedelta(days=6)
    records = {
        r.work_date: r
        for r in DailyRecord.objects.filter(
            agency_id=employee.agency_id, employee_id=employee.pk, work_date__gte=monday, work_date__lte=sunday
        )
    }
    days: list[WeekDay] = []
    worked = 0
    for info in calendar.week(label):
        record = records.get(info.date)
        minutes = record.worked_minutes if record is not None else 0
        if record is not None and record.status == DayStatus.LEAVE:
            minutes = info.standard_minutes if info.working else 0
        worked += minutes
        days.append(
            WeekDay(
                date=info.date,
                is_working_day=info.working,
                ramadan=info.ramadan,
                required_minutes=info.standard_minutes if info.working else 0,
                worked_minutes=minutes,
                status=record.status if record is not None else "",
            )
        )
    required = calendar.required_minutes(label)
    working_days = len(calendar.working_days(label))
    findings: list[WeekFinding] = []
    if worked < required:
        finding = Env(policy, calendar).finding(
            RuleCode.WEEKLY_HOURS_SHORT,
            nip=employee.nip,
            unit=employee.unit.code,
            date=None,
            week=label,
            minutes=worked,
            required=required,
            working_days=working_days,
        )
        findings.append(
            WeekFinding(
                code=finding.code.value,
                severity=finding.severity.value,
                basis=finding.basis,
                message=finding.message_id,
                message_en=finding.message_en,
            )
        )
    return WeekView(
        employee_id=employee.pk,
        week=label,
        start=monday,
        end=sunday,
        worked_minutes=worked,
        required_minutes=required,
        working_days=working_days,
        days=days,
        findings=findings,
    )


# ---------------------------------------------------------------------------------------
# The head's board


@dataclass(frozen=True)
class BoardRow:
    employee_id: int
    name: str
    nip: str
    unit_id: int
    planned_location: str
    status: str  # the daily record's status, or "missing" (no check-in yet / at all)
    first_in: dt.datetime | None
    first_in_location: str
    last_out: dt.datetime | None
    worked_minutes: int
    flags: list[str]

    @property
    def missing(self) -> bool:
        return self.status == BOARD_MISSING


BOARD_MISSING = "missing"


@dataclass(frozen=True)
class UnitBoard:
    unit: OrgUnit
    day: dt.date
    rows: list[BoardRow]
    checked_in: list[BoardRow]
    missing: list[BoardRow]
    deviations: list[BoardRow]
    synced_late: list[BoardRow]
    outside_office: list[BoardRow]


def unit_board(*, actor: Any, unit_id: int, day: dt.date) -> UnitBoard:
    """The unit subtree's day for its head (and Plt/Plh), HR/PPK and system admins: who
    checked in where, who is missing (a working day planned in the office, no record; a
    flexible day is not "missing" for want of an office check-in), deviations, late syncs,
    outside-office flags. Coordinates are not shown: only the results. Else NOT_FOUND."""
    scope = scope_for(actor)
    unit = OrgUnit.objects.select_related("agency").filter(pk=unit_id).first()
    if unit is None or not (
        scope.is_system_admin
        or scope.can_manage_agency(unit.agency_id)
        or any(unit.path.startswith(p) for p in scope.head_unit_paths)
    ):
        raise not_found(_("Unit organisasi"))
    employees = list(
        Employee.objects.filter(
            agency_id=unit.agency_id, unit__path__startswith=unit.path, is_active=True
        )
        .order_by("name", "nip")
        .values_list("pk", "name", "nip", "unit_id")
    )
    ids = [e[0] for e in employees]
    records = {
        r.employee_id: r
        for r in DailyRecord.objects.filter(agency_id=unit.agency_id, work_date=day, employee_id__in=ids)
    }
    arranged = employees_days(employee_ids=ids, start=day, end=day)
    info = agency_calendar(unit.agency).day(day)
    rows: list[BoardRow] = []
    for pk, name, nip, employee_unit in employees:
        record = records.get(pk)
        plan: Plan = plan_of(arranged.get((pk, day)), info)
        if record is None:
            status = BOARD_MISSING if plan.location == LocationKind.OFFICE else ""
            rows.append(
                BoardRow(pk, name, nip, employee_unit, plan.location, status, None, "", None, 0, [])
            )
            continue
        status = record.status
        if status == DayStatus.ABSENT:
            status = BOARD_MISSING
        rows.append(
            BoardRow(
                pk, name, nip, employee_unit, record.planned_location or plan.location, status,
                record.first_in, record.first_in_location, record.last_out,
                record.worked_minutes, list(record.flags),
            )
        )
    return UnitBoard(
        unit=unit,
        day=day,
        rows=rows,
        checked_in=[r for r in rows if r.first_in is not None],
        missing=[r for r in rows if r.missing],
        deviations=[r for r in rows if Flag.DEVIATION in r.flags],
        synced_late=[r for r in rows if Flag.SYNCED_LATE in r.flags],
        outside_office=[r for r in rows if Flag.OUTSIDE_OFFICE in r.flags],
    )


# ---- population reads for the monitoring app (the caller has already checked the scope) ----


def population_records(
    *, agency_ids: list[int] | None, unit_path: str | None, start: dt.date, end: dt.date
) -> QuerySet[DailyRecord]:
    """Daily records of a population between two dates inclusive, for aggregation (the index
    ``daily_agency_unit_date`` serves it; ``unit`` is the unit of the day)."""
    qs = DailyRecord.objects.filter(work_date__gte=start, work_date__lte=end)
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=agency_ids)
    if unit_path:
        qs = qs.filter(unit__path__startswith=unit_path)
    return qs


def population_day_rollup(
    *, agency_ids: list[int] | None, unit_path: str | None, start: dt.date, end: dt.date
) -> QuerySet[DayRollup]:
    """The unit-day rollup rows of a population between two dates inclusive (the records
    counted per planned location, status, first place and flag; docs/decisions/196): the
    same population as ``population_records``, summed with ``Sum("records")``."""
    qs = DayRollup.objects.filter(work_date__gte=start, work_date__lte=end)
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=agency_ids)
    if unit_path:
        qs = qs.filter(unit__path__startswith=unit_path)
    return qs


def population_week_rollup(*, agency_ids: list[int] | None, start: dt.date, end: dt.date) -> QuerySet[WeekRollup]:
    """The employee-week rows whose week meets ``start``..``end`` (the caller picks the days
    of a cut week, a unit subtree or a location from the ``unit_N``/``location_N`` columns)."""
    qs = WeekRollup.objects.filter(monday__gte=start - dt.timedelta(days=start.weekday()), monday__lte=end)
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=agency_ids)
    return qs


class FewIds(Aggregate):
    """The ``few_ids`` of the grouped rollup rows joined by commas (STRING_AGG/GROUP_CONCAT):
    the employees of a group of at most ``FEW_RECORDS`` records per day."""

    function = "STRING_AGG"
    template = "%(function)s(%(expressions)s, ',')"
    output_field = TextField()

    def __init__(self, field: str = "few_ids", **extra: Any) -> None:
        super().__init__(field, **extra)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return super().as_sql(compiler, connection, function="GROUP_CONCAT", **extra)


FEW_RECORDS = FEW
