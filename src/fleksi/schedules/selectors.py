"""Reads of the approved days: the unit's week calendar with coverage, an employee's days,
the calendar feed's owner. Scoped through ``organisation.scoping``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, F, IntegerField, QuerySet, Value, When
from django.utils.translation import get_language

from fleksi.core.errors import ApplicationError, ErrorCode, not_found
from fleksi.organisation.models import (
    Employee,
    OrgUnit,
)
from fleksi.organisation.scoping import Scope, scope_for
from fleksi.policy import required_in_office
from fleksi.policy.calendar import week_label
from fleksi.scheme.facts import agency_calendar, agency_policy

from .models import (
    ArrangementDay,
    CalendarFeed,
    LocationKind,
    PlanDayRollup,
    PlanMonthRollup,
    TimeKind,
)


@dataclass(frozen=True)
class CalendarDay:
    date: dt.date
    is_working_day: bool
    holiday: str  # why it is not a working day ("" if it is one), in the active language
    national_flex: str  # the circular declaring a national flexible-work day, or ""
    ramadan: bool


@dataclass(frozen=True)
class CalendarCell:
    date: dt.date
    location_kind: str
    location_label: str
    time_kind: str
    start: dt.time | None
    end: dt.time | None
    is_special: bool
    request_id: int | None  # None: no arrangement, the default (office, standard hours)

    @property
    def is_default(self) -> bool:
        return self.request_id is None

    @property
    def away(self) -> bool:
        return self.location_kind != LocationKind.OFFICE


@dataclass(frozen=True)
class CalendarRow:
    employee_id: int
    name: str
    nip: str
    cells: list[CalendarCell]


@dataclass(frozen=True)
class DayCoverage:
    date: dt.date
    is_working_day: bool
    office: int
    total: int
    share: float | None  # office / total
    minimum: float  # the unit's minimum share from the agency policy (0 = none)
    required: int  # head-count the minimum asks for
    below_minimum: bool


@dataclass(frozen=True)
class CalendarWeek:
    unit: OrgUnit
    week: str  # "2026-W48"
    week_start: dt.date
    days: list[CalendarDay]
    rows: list[CalendarRow]
    coverage: list[DayCoverage]
    previous_week: str
    next_week: str


WEEK_YEARS = (1900, 2999)


def parse_week(value: str) -> dt.date:
    """The Monday of ``2026-W48`` (or of the week of a date ``2026-11-26``)."""
    from django.utils.translation import gettext as _

    text = (value or "").strip()
    try:
        if "-W" in text.upper():
            year, week = text.upper().split("-W")
            monday = dt.date.fromisocalendar(int(year), int(week), 1)
        else:
            day = dt.date.fromisoformat(text)
            monday = day - dt.timedelta(days=day.weekday())
        if not WEEK_YEARS[0] <= monday.year <= WEEK_YEARS[1]:
            raise ValueError(text)  # 9999-W52: the week's Sunday or its holidays overflow date
        return monday
    except (ValueError, OverflowError):
        raise ApplicationError(
            ErrorCode.VALIDATION,
            _("Minggu tidak sah: gunakan bentuk 2026-W48."),
            {"fields": {"week": _("Gunakan bentuk TTTT-Www, misalnya 2026-W48.")}},
        ) from None


def _can_see_unit_calendar(scope: Scope, unit: OrgUnit) -> bool:
    if scope.everything or unit.agency_id in scope.admin_agency_ids:
        return True
    if any(unit.path.startswith(p) for p in scope.head_unit_paths):
        return True
    if scope.employee_id is not None and scope.employee_agency_id == unit.agency_id:
        return Employee.objects.filter(pk=scope.employee_id, unit_id=unit.pk).exists()
    return False


def unit_week_calendar(*, actor: Any, unit_id: int, week_start: dt.date) -> CalendarWeek:
    """Who works where in a unit during one ISO week, with the day's office coverage.

    Visible to the unit's own employees, the heads of the unit and its ancestors (and their
    Plt/Plh), the agency's HR admins and PPK, and system admins; else NOT_FOUND.
    Rows are the unit's own active employees (not sub-units'), as coverage counts them.
    """
    scope = scope_for(actor)
    unit = OrgUnit.objects.select_related("agency").filter(pk=unit_id).first()
    if unit is None or not _can_see_unit_calendar(scope, unit):
        raise not_found("Unit organisasi")
    monday = week_start - dt.timedelta(days=week_start.weekday())
    dates = [monday + dt.timedelta(days=i) for i in range(7)]
    policy = agency_policy(unit.agency)
    calendar = agency_calendar(unit.agency, policy)
    english = (get_language() or "id").startswith("en")
    days = []
    for d in dates:
        info = calendar.day(d)
        days.append(
            CalendarDay(
                date=d,
                is_working_day=info.working,
                holiday=(info.closed_en if english else info.closed_id) if not info.working else "",
                national_flex=info.national_flex or "",
                ramadan=info.ramadan,
            )
        )

    employees = list(
        Employee.objects.filter(unit_id=unit.pk, is_active=True)
        .order_by("name", "nip")
        .values_list("pk", "name", "nip")
    )
    arranged: dict[tuple[int, dt.date], tuple[Any, ...]] = {}
    for row in ArrangementDay.objects.filter(
        employee__unit_id=unit.pk, active=True, date__gte=dates[0], date__lte=dates[-1]
    ).values_list(
        "employee_id",
        "date",
        "location_kind",
        "time_kind",
        "start_time",
        "end_time",
        "is_special",
        "request_id",
        "request__office__name",
        "request__place__name",
    ):
        arranged[(row[0], row[1])] = row

    # A keadaan khusus may be about health or family: colleagues see "flexible", only those
    # who decide or administer (the unit's heads and their Plt/Plh, HR, PPK) and the
    # employee themself see why.
    sees_reasons = scope.is_system_admin or scope.can_manage_agency(unit.agency_id) or any(
        unit.path.startswith(path) for path in scope.head_unit_paths
    )
    labels = {value: str(label) for value, label in LocationKind.choices}
    office_label = labels[LocationKind.OFFICE]
    rows: list[CalendarRow] = []
    away_count = dict.fromkeys(dates, 0)
    for pk, name, nip in employees:
        cells = []
        for d in dates:
            found = arranged.get((pk, d))
            if found is None:
                cells.append(
                    CalendarCell(
                        d,
                        LocationKind.OFFICE,
                        office_label,
                        TimeKind.REGULAR,
                        None,
                        None,
                        False,
                        None,
                    )
                )
                continue
            row = found
            kind = row[2]
            label = labels.get(kind, kind)
            detail = (
                row[8]
                if kind == LocationKind.OTHER_OFFICE
                else row[9]
                if kind == LocationKind.OTHER_LOCATION
                else None
            )
            if detail:
                label = f"{label}: {detail}"
            if kind != LocationKind.OFFICE:
                away_count[d] += 1
            special = bool(row[6]) and (sees_reasons or pk == scope.employee_id)
            cells.append(CalendarCell(d, kind, label, row[3], row[4], row[5], special, row[7]))
        rows.append(CalendarRow(employee_id=pk, name=name, nip=nip, cells=cells))

    total = len(employees)
    headcount = policy.office_headcount(unit.code)
    coverage = []
    for day in days:
        office = total - away_count[day.date]
        # On a national flexible day the share the agency head set for that day applies.
        minimum = policy.coverage_share(unit.code, day.date, bool(day.national_flex))
        required = required_in_office(minimum, total, headcount) if (minimum > 0 or headcount) else 0
        coverage.append(
            DayCoverage(
                date=day.date,
                is_working_day=day.is_working_day,
                office=office,
                total=total,
                share=(office / total) if total else None,
                minimum=minimum,
                required=required,
                below_minimum=day.is_working_day and required > 0 and office < required,
            )
        )
    return CalendarWeek(
        unit=unit,
        week=week_label(monday),
        week_start=monday,
        days=days,
        rows=rows,
        coverage=coverage,
        previous_week=week_label(monday - dt.timedelta(days=7)),
        next_week=week_label(monday + dt.timedelta(days=7)),
    )


def employee_days(*, employee_id: int, start: dt.date, end: dt.date) -> list[ArrangementDay]:
    """The active arrangement days of one employee (for the iCalendar feed; the caller has
    already resolved the employee from a feed token or the actor)."""
    return list(
        ArrangementDay.objects.filter(
            employee_id=employee_id, active=True, date__gte=start, date__lte=end
        )
        .select_related("request__office", "request__place")
        .order_by("date")
    )


def calendar_feed_get(*, token: str) -> Employee | None:
    """The employee of an active feed token, or None (revoked, unknown, inactive)."""
    token = (token or "").strip()
    if not token or len(token) > 64:
        return None
    feed = (
        CalendarFeed.objects.select_related("employee__unit", "employee__agency")
        .filter(token=token, revoked_at__isnull=True, employee__is_active=True)
        .first()
    )
    return feed.employee if feed else None


def calendar_feed_mine(*, actor: Any) -> CalendarFeed | None:
    scope = scope_for(actor)
    if scope.employee_id is None:
        return None
    return CalendarFeed.objects.filter(
        employee_id=scope.employee_id, revoked_at__isnull=True
    ).first()


def arrangement_days_on(*, employee_ids: list[int], day: dt.date) -> dict[int, ArrangementDay]:
    """The active arrangement day of each of these employees on one date (one query; for
    attendance, which closes a day for many people at once)."""
    return {
        a.employee_id: a
        for a in ArrangementDay.objects.filter(employee_id__in=employee_ids, date=day, active=True)
    }


def employees_days(
    *, employee_ids: list[int], start: dt.date, end: dt.date
) -> dict[tuple[int, dt.date], ArrangementDay]:
    """The active arrangement days of several employees in a date range, by (employee, date)."""
    return {
        (a.employee_id, a.date): a
        for a in ArrangementDay.objects.filter(
            employee_id__in=employee_ids, date__gte=start, date__lte=end, active=True
        )
    }


# ---- population reads for the monitoring app (the caller has already checked the scope) ----


def population_days(
    *, agency_ids: list[int] | None, unit_path: str | None, start: dt.date, end: dt.date
) -> QuerySet[ArrangementDay]:
    """Active approved days of a population between two dates inclusive, for aggregation
    (``unit`` is the unit at approval; the index ``arrday_unit_date`` serves the unit reads)."""
    qs = ArrangementDay.objects.filter(active=True, date__gte=start, date__lte=end)
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=agency_ids)
    if unit_path:
        qs = qs.filter(unit__path__startswith=unit_path)
    return qs


def population_plan_rollup(
    *, agency_ids: list[int] | None, unit_path: str | None, start: dt.date, end: dt.date
) -> QuerySet[PlanDayRollup]:
    """The rollup rows of the population's active approved days between two dates inclusive
    (counted per unit, date, location and time kind, ``days`` and ``few_ids``;
    docs/decisions/201): the same days as ``population_days``."""
    qs = PlanDayRollup.objects.filter(date__gte=start, date__lte=end)
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=agency_ids)
    if unit_path:
        qs = qs.filter(unit__path__startswith=unit_path)
    return qs


def _days_mask(month: dt.date, start: dt.date, end: dt.date) -> int:
    """The bits of the days of ``month`` between ``start`` and ``end`` (bit d-1: day d)."""
    last = ((month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)).day
    first_day = start.day if (start.year, start.month) == (month.year, month.month) else 1
    last_day = end.day if (end.year, end.month) == (month.year, month.month) else last
    return ((1 << last_day) - 1) & ~((1 << (first_day - 1)) - 1)


def population_flexible_months(
    *, agency_ids: list[int] | None, unit_path: str | None, start: dt.date, end: dt.date,
    location: str | None = None,
) -> QuerySet[PlanMonthRollup]:
    """The employee-month rows of the population with a flexible approved day (``location``:
    of that location kind) between two dates inclusive: the months of the range, their masks
    cut to the range in SQL (docs/decisions/201). Distinct ``employee_id`` of these rows are
    the employees with a flexible day in the range, as over ``population_days``."""
    first, last = start.replace(day=1), end.replace(day=1)
    qs = PlanMonthRollup.objects.filter(month__gte=first, month__lte=last)
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=agency_ids)
    if unit_path:
        qs = qs.filter(unit__path__startswith=unit_path)
    if location:
        qs = qs.filter(location_kind=location)
    edges = sorted({first, last})
    cut = Case(
        *[When(month=month, then=Value(_days_mask(month, start, end))) for month in edges],
        default=Value(-1), output_field=IntegerField(),
    )
    return qs.annotate(in_range=F("mask").bitand(cut)).exclude(in_range=0)  # type: ignore[arg-type]


def first_arrangement_date(*, agency_ids: list[int] | None) -> dt.date | None:
    """The first date of any approved day of the agencies (the default "start" of flexible work)."""
    qs = ArrangementDay.objects.all()
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=agency_ids)
    first = qs.order_by("date").values_list("date", flat=True).first()
    return first


def employees_dates(*, employee_ids: list[int], start: dt.date, end: dt.date) -> list[tuple[int, dt.date]]:
    """(employee, date) of the active arrangement days of several employees in a date range,
    as plain tuples (for performance's unit view, which only needs the dates)."""
    return list(
        ArrangementDay.objects.filter(
            employee_id__in=employee_ids, date__gte=start, date__lte=end, active=True
        ).values_list("employee_id", "date")
    )


def planner_units(*, actor: Any) -> list[OrgUnit]:
    """Units the actor heads (with their sub-units), or leads as Plt/Plh today, in tree
    order: the units of the head's planner page (one query after the scope)."""
    from django.db.models import Q

    scope = scope_for(actor)
    if not scope.head_unit_paths:
        return []
    cond = Q()
    for path in scope.head_unit_paths:
        cond |= Q(path__startswith=path)
    return list(OrgUnit.objects.select_related("agency").filter(cond).order_by("path"))


def planner_current_days(*, unit: OrgUnit, start: dt.date, end: dt.date) -> dict[tuple[str, dt.date], str]:
    """The active arrangement days of the unit's (and sub-units') employees in the period:
    (nip, date) -> location kind. One query."""
    rows = ArrangementDay.objects.filter(
        employee__unit__path__startswith=unit.path, active=True, date__range=(start, end)
    ).values_list("employee__nip", "date", "location_kind")
    return {(nip, day): kind for nip, day, kind in rows}
