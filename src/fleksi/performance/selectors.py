"""Every read of performance, scoped through ``organisation.scoping``: the log, a period's
outputs against what the logs realised, the assessment, the head's view of a unit, and the
check-out rule's question ("is a log required and missing today?").

Who sees what: an employee their own; a unit head (and an acting Plt/Plh) the unit's subtree;
HR and PPK their agency; a system admin everything. Anyone else's data is NOT_FOUND.
Requests, schedules and attendance are read through their selectors only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from fleksi.core import clock
from fleksi.core.errors import ApplicationError, ErrorCode, not_found, permission_denied
from fleksi.core.humanize import day_text
from fleksi.organisation.models import Agency, Employee, OrgUnit
from fleksi.organisation.scoping import Scope, scope_for
from fleksi.organisation.selectors import agency_for_manager
from fleksi.schedules.selectors import employees_dates
from fleksi.scheme.facts import agency_calendar

from .models import (
    Assessment,
    AssessmentRollup,
    AssessmentState,
    LogComment,
    LogDayRollup,
    LogEntry,
    LogEvidence,
    OutputState,
    PerformanceSettings,
    PlannedOutput,
)
from .periods import (
    Cadence,
    Period,
    Schedule,
    month_period,
    next_quarter_start,
    parse_key,
    quarter_start,
)
from .sync import mirror_request_outputs

MAX_RANGE_DAYS = 93


# ---------------------------------------------------------------------------------------
# Whose data


def employee_in_scope(scope: Scope, employee_id: int | None) -> Employee:
    """The actor's own employee (``employee_id`` None) or one they may see; else 404."""
    if employee_id is None:
        if scope.employee_id is None:
            raise permission_denied(_("Akun ini tidak terhubung dengan data pegawai."))
        employee_id = scope.employee_id
    employee = (
        scope.employees(Employee.objects.select_related("unit", "agency__performance_settings", "user"))
        .filter(pk=employee_id)
        .first()
    )
    if employee is None:
        raise not_found(_("Pegawai"))
    return employee


def can_assess(scope: Scope, employee: Employee) -> bool:
    """The head of a unit above the employee (or the acting Plt/Plh), never oneself."""
    if scope.employee_id == employee.pk:
        return False
    if scope.is_system_admin:
        return True
    return any(employee.unit.path.startswith(p) for p in scope.head_unit_paths)


def today_of(employee: Employee) -> dt.date:
    return clock.today(employee.unit.time_zone or employee.agency.time_zone)


def performance_settings(agency: Any) -> PerformanceSettings:
    try:
        return agency.performance_settings  # type: ignore[no-any-return]
    except PerformanceSettings.DoesNotExist:
        return PerformanceSettings(log_required_before_check_out=True, cadence_history=[])


def schedule_of(agency: Any) -> Schedule:
    """The agency's assessment cadence over time (no query when the settings row was
    selected with the agency, as ``employee_in_scope`` and ``unit_get`` do)."""
    return performance_settings(agency).schedule


def period_for(agency: Any, value: str | None, *, today: dt.date, field: str = "period") -> Period:
    """The period a key names, valid under the agency's cadence (VALIDATION otherwise), or
    the period holding ``today`` when no key is given."""
    schedule = schedule_of(agency)
    if value is None:
        return schedule.period_of(today)
    return schedule.check(parse_key(value, field), field)


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


# ---------------------------------------------------------------------------------------
# The log


def _entries() -> QuerySet[LogEntry]:
    return LogEntry.objects.select_related("planned_output").prefetch_related(
        Prefetch("evidence", queryset=LogEvidence.objects.order_by("id")),
        Prefetch("comments", queryset=LogComment.objects.order_by("created_at", "id")),
    )


def log_list(
    *, actor: Any, start: dt.date, end: dt.date, employee_id: int | None = None
) -> list[LogEntry]:
    """One employee's log entries (the actor's own by default), ``start``-``end`` inclusive
    (at most 93 days), by date, with evidence and comments (3 queries)."""
    _bounded(start, end)
    employee = employee_in_scope(scope_for(actor), employee_id)
    return list(
        _entries().filter(employee_id=employee.pk, date__gte=start, date__lte=end).order_by("date", "id")
    )


def log_get(*, actor: Any, entry_id: int) -> LogEntry:
    entry = _entries().select_related("employee__unit", "employee__agency__performance_settings", "employee__user").filter(pk=entry_id).first()
    if entry is None:
        raise not_found(_("Laporan harian"))
    scope = scope_for(actor)
    if not scope.employees(Employee.objects.filter(pk=entry.employee_id)).exists():
        raise not_found(_("Laporan harian"))
    return entry


def period_locked(*, employee_id: int, day: dt.date) -> bool:
    """True once the head has finalised an assessment of the period holding ``day`` (its
    month or its quarter, whichever cadence the assessment has)."""
    return Assessment.objects.filter(
        Q(cadence=Cadence.MONTHLY, period=month_period(day).start)
        | Q(cadence=Cadence.QUARTERLY, period=quarter_start(day)),
        employee_id=employee_id, state=AssessmentState.FINAL,
    ).exists()


# ---------------------------------------------------------------------------------------
# A period: outputs against the logs


@dataclass
class OutputProgress:
    output: PlannedOutput
    realised: Decimal = Decimal(0)
    minutes: int = 0
    entries: int = 0
    last_date: dt.date | None = None
    realised_by_due: Decimal = Decimal(0)

    @property
    def target(self) -> Decimal:
        return self.output.target_quantity

    @property
    def done(self) -> bool:
        return self.realised >= self.output.target_quantity

    @property
    def on_time(self) -> bool | None:
        """True: the target was reached by the due date; False: not (late or short); None:
        not due yet and not reached."""
        due = self.output.due_date
        if due is None:
            return self.done or None
        if self.realised_by_due >= self.output.target_quantity:
            return True
        return False if due < clock.today() or self.done else None


@dataclass
class PeriodView:
    employee: Employee
    period: str
    start: dt.date
    end: dt.date
    cadence: str
    previous_period: str
    next_period: str
    outputs: list[OutputProgress]
    proposed: list[PlannedOutput]
    entries: list[LogEntry]
    unlinked_minutes: int
    flexible_days: list[dt.date]
    missing_days: list[dt.date]
    assessment: Assessment | None
    versions: list[Assessment] = field(default_factory=list)
    can_assess: bool = False
    is_own: bool = False

    @property
    def final(self) -> Assessment | None:
        return next((a for a in self.versions if a.state == AssessmentState.FINAL), None)


def _flexible_and_missing(
    employee_ids: list[int], start: dt.date, end: dt.date, logged: set[tuple[int, dt.date]], today: dt.date, calendar: Any
) -> tuple[dict[int, list[dt.date]], dict[int, list[dt.date]]]:
    """The flexible working days (approved arrangement days) of each employee, and those up
    to today without a log entry."""
    flexible: dict[int, list[dt.date]] = {}
    missing: dict[int, list[dt.date]] = {}
    working: dict[dt.date, bool] = {}
    for employee_id, day in sorted(employees_dates(employee_ids=employee_ids, start=start, end=end)):
        if day not in working:
            working[day] = calendar.day(day).working
        if not working[day]:
            continue
        flexible.setdefault(employee_id, []).append(day)
        if day <= today and (employee_id, day) not in logged:
            missing.setdefault(employee_id, []).append(day)
    return flexible, missing


def period_outputs(*, agency_id: int, employee_ids: list[int], start: dt.date, end: dt.date) -> list[PlannedOutput]:
    """The period's planned outputs of these employees (not the declined ones), after
    mirroring any new output of an approved request (2 queries when nothing is new)."""

    def read() -> list[PlannedOutput]:
        return list(
            PlannedOutput.objects.filter(employee_id__in=employee_ids, start_date__lte=end, end_date__gte=start)
            .order_by("employee_id", "due_date", "id")
        )

    outputs = read()
    known = {o.request_output_id for o in outputs if o.request_output_id is not None}
    if mirror_request_outputs(agency_id=agency_id, employee_ids=employee_ids, start=start, end=end, known=known):
        outputs = read()
    return [o for o in outputs if o.state != OutputState.DECLINED]


def employee_period(*, actor: Any, employee_id: int | None, period: str | None) -> PeriodView:
    """An employee's period (``None``: the one holding the employee's today): planned
    outputs with what the logs realised (quantity against target, on time or not), the log
    entries, flexible days without a log, the assessment."""
    if period is not None:
        parse_key(period)  # a key that names no period is refused before the scope is read
    scope = scope_for(actor)
    employee = employee_in_scope(scope, employee_id)
    today = today_of(employee)
    schedule = schedule_of(employee.agency)
    p = period_for(employee.agency, period, today=today)
    start, end = p.start, p.end
    outputs = period_outputs(agency_id=employee.agency_id, employee_ids=[employee.pk], start=start, end=end)
    entries = list(
        _entries().filter(employee_id=employee.pk, date__gte=start, date__lte=end).order_by("date", "id")
    )
    progress = {o.pk: OutputProgress(o) for o in outputs if o.state == OutputState.AGREED}
    unlinked = 0
    for entry in entries:
        row = progress.get(entry.planned_output_id or 0)
        if row is None:
            unlinked += entry.minutes
            continue
        row.realised += entry.quantity
        row.minutes += entry.minutes
        row.entries += 1
        row.last_date = entry.date
        if row.output.due_date is None or entry.date <= row.output.due_date:
            row.realised_by_due += entry.quantity
    flexible, missing = _flexible_and_missing(
        [employee.pk], start, end, {(employee.pk, e.date) for e in entries}, today, agency_calendar(employee.agency)
    )
    versions = list(
        Assessment.objects.filter(employee_id=employee.pk, period=start, cadence=p.cadence).order_by("-version")
    )
    return PeriodView(
        employee=employee,
        period=p.key,
        start=start,
        end=end,
        cadence=p.cadence,
        previous_period=schedule.previous(p).key,
        next_period=schedule.following(p).key,
        outputs=list(progress.values()),
        proposed=[o for o in outputs if o.state == OutputState.PROPOSED],
        entries=entries,
        unlinked_minutes=unlinked,
        flexible_days=flexible.get(employee.pk, []),
        missing_days=missing.get(employee.pk, []),
        assessment=versions[0] if versions else None,
        versions=versions,
        can_assess=can_assess(scope, employee),
        is_own=scope.employee_id == employee.pk,
    )


def assessment_get(*, actor: Any, employee_id: int, period: str) -> tuple[Employee, Assessment | None, list[Assessment]]:
    """The latest version of an employee's assessment of the period (None before any), and
    all versions, newest first."""
    parse_key(period)
    employee = employee_in_scope(scope_for(actor), employee_id)
    p = period_for(employee.agency, period, today=today_of(employee))
    versions = list(
        Assessment.objects.filter(employee_id=employee.pk, period=p.start, cadence=p.cadence).order_by("-version")
    )
    return employee, (versions[0] if versions else None), versions


# ---------------------------------------------------------------------------------------
# The head's view of a unit


@dataclass(frozen=True, slots=True)
class _OutputRow:
    pk: int
    employee_id: int
    state: str
    target_quantity: Decimal


def _output_rows(*, agency_id: int, employee_ids: list[int], start: dt.date, end: dt.date) -> list[_OutputRow]:
    """``period_outputs`` as plain rows (a unit of 500 has a thousand outputs or more)."""

    def read() -> list[tuple[int, int, str, Decimal, int | None]]:
        return list(
            PlannedOutput.objects.filter(employee_id__in=employee_ids, start_date__lte=end, end_date__gte=start)
            .values_list("pk", "employee_id", "state", "target_quantity", "request_output_id")
        )

    rows = read()
    known = {r[4] for r in rows if r[4] is not None}
    if mirror_request_outputs(agency_id=agency_id, employee_ids=employee_ids, start=start, end=end, known=known):
        rows = read()
    return [_OutputRow(r[0], r[1], r[2], r[3]) for r in rows if r[2] != OutputState.DECLINED]


@dataclass(frozen=True)
class UnitRow:
    employee_id: int
    name: str
    nip: str
    unit_name: str
    outputs: int
    target: Decimal
    realised: Decimal
    outputs_done: int
    entries: int
    minutes: int
    flexible_days: int
    missing_days: list[dt.date]
    proposed: int
    assessment_state: str  # "", "draft", "final"
    predikat: str


@dataclass(frozen=True)
class UnitPeriod:
    unit: OrgUnit
    period: str
    start: dt.date
    end: dt.date
    rows: list[UnitRow]
    can_assess: bool
    cadence: str = Cadence.MONTHLY
    previous_period: str = ""
    next_period: str = ""


def unit_get(scope: Scope, unit_id: int) -> OrgUnit:
    unit = OrgUnit.objects.select_related("agency__performance_settings").filter(pk=unit_id).first()
    if unit is None or not (
        scope.is_system_admin
        or scope.can_manage_agency(unit.agency_id)
        or any(unit.path.startswith(p) for p in scope.head_unit_paths)
    ):
        raise not_found(_("Unit organisasi"))
    return unit


def unit_period(*, actor: Any, unit_id: int, period: str) -> UnitPeriod:
    """The unit subtree's period for its head (Plt/Plh), HR/PPK: each employee's planned vs
    realised, logs missing on flexible days, the assessment state. A fixed number of
    queries, whatever the number of employees or logs."""
    parse_key(period)
    scope = scope_for(actor)
    unit = unit_get(scope, unit_id)
    today = clock.today(unit.time_zone or unit.agency.time_zone)
    schedule = schedule_of(unit.agency)
    p = period_for(unit.agency, period, today=today)
    start, end = p.start, p.end
    employees = list(
        Employee.objects.filter(agency_id=unit.agency_id, unit__path__startswith=unit.path, is_active=True)
        .order_by("name", "nip")
        .values_list("pk", "name", "nip", "unit__name")
    )
    ids = [e[0] for e in employees]
    outputs = _output_rows(agency_id=unit.agency_id, employee_ids=ids, start=start, end=end)
    by_output = {o.pk: o for o in outputs}
    realised: dict[int, Decimal] = {}
    stats: dict[int, list[int]] = {}  # employee -> [entries, minutes]
    logs = LogEntry.objects.filter(employee_id__in=ids, date__gte=start, date__lte=end)
    for employee_id, output_id, quantity, count, minutes in (
        logs.order_by().values("employee_id", "planned_output_id")
        .annotate(q=Sum("quantity"), n=Count("id"), m=Sum("minutes"))
        .values_list("employee_id", "planned_output_id", "q", "n", "m")
    ):
        s = stats.setdefault(employee_id, [0, 0])
        s[0] += count
        s[1] += minutes or 0
        if output_id in by_output:
            realised[output_id] = realised.get(output_id, Decimal(0)) + (quantity or Decimal(0))
    logged = set(logs.order_by().values_list("employee_id", "date").distinct())
    assessments: dict[int, Assessment] = {}
    for a in Assessment.objects.filter(employee_id__in=ids, period=start, cadence=p.cadence).order_by("employee_id", "-version"):
        assessments.setdefault(a.employee_id, a)
    flexible, missing = _flexible_and_missing(ids, start, end, logged, today, agency_calendar(unit.agency))
    per_employee: dict[int, list[_OutputRow]] = {}
    for o in outputs:
        per_employee.setdefault(o.employee_id, []).append(o)
    rows = []
    for pk, name, nip, unit_name in employees:
        mine = per_employee.get(pk, [])
        agreed = [o for o in mine if o.state == OutputState.AGREED]
        latest = assessments.get(pk)
        s = stats.get(pk, [0, 0])
        rows.append(
            UnitRow(
                employee_id=pk, name=name, nip=nip, unit_name=unit_name,
                outputs=len(agreed),
                target=sum((o.target_quantity for o in agreed), Decimal(0)),
                realised=sum((realised.get(o.pk, Decimal(0)) for o in agreed), Decimal(0)),
                outputs_done=sum(1 for o in agreed if realised.get(o.pk, Decimal(0)) >= o.target_quantity),
                entries=s[0], minutes=s[1],
                flexible_days=len(flexible.get(pk, [])),
                missing_days=missing.get(pk, []),
                proposed=len(mine) - len(agreed),
                assessment_state=latest.state if latest else "",
                predikat=latest.predikat if latest else "",
            )
        )
    return UnitPeriod(
        unit=unit, period=p.key, start=start, end=end, rows=rows,
        can_assess=scope.is_system_admin or any(unit.path.startswith(path) for path in scope.head_unit_paths),
        cadence=p.cadence, previous_period=schedule.previous(p).key, next_period=schedule.following(p).key,
    )


def unit_current_period(*, actor: Any, unit_id: int, wanted: str | None) -> str:
    """The key of ``wanted`` when it is valid for the unit's agency, else of today's period."""
    unit = unit_get(scope_for(actor), unit_id)
    today = clock.today(unit.time_zone or unit.agency.time_zone)
    if wanted:
        try:
            return period_for(unit.agency, wanted, today=today).key
        except ApplicationError:
            pass
    return period_for(unit.agency, None, today=today).key


def next_employee(*, actor: Any, unit_id: int, period: str, employee_id: int) -> tuple[int | None, int | None]:
    """The previous and next employee of the unit subtree (by name) for bulk assessing."""
    unit = unit_get(scope_for(actor), unit_id)
    ids = list(
        Employee.objects.filter(agency_id=unit.agency_id, unit__path__startswith=unit.path, is_active=True)
        .order_by("name", "nip")
        .values_list("pk", flat=True)
    )
    if employee_id not in ids:
        return None, None
    i = ids.index(employee_id)
    return (ids[i - 1] if i > 0 else None), (ids[i + 1] if i + 1 < len(ids) else None)


# ---------------------------------------------------------------------------------------
# The agency's settings (HR, /kinerja/sdm/; docs/decisions/190)


def cadence_effective_from(*, agency_id: int, today: dt.date) -> dt.date:
    """From when a change of the assessment cadence applies: the first day of this quarter
    when the agency has no assessment (draft or final) of a period starting on or after it,
    else the first day of the next quarter; refused when even that one is taken."""
    current, following = quarter_start(today), next_quarter_start(today)
    latest = Assessment.objects.filter(agency_id=agency_id).aggregate(m=Max("period"))["m"]
    if latest is None or latest < current:
        return current
    if latest < following:
        return following
    message = _("Periode penilaian tidak dapat diubah: sudah ada penilaian untuk periode mulai %(d)s.") % {"d": day_text(latest)}
    raise ApplicationError(ErrorCode.INVALID_STATE, message, {"fields": {"cadence": message}})


@dataclass(frozen=True)
class CadenceSpan:
    start: dt.date | None  # None: since the beginning
    end: dt.date | None  # None: from then on
    cadence: str


@dataclass(frozen=True)
class SettingsView:
    agency: Agency
    settings: PerformanceSettings
    today: dt.date
    cadence_today: str
    chosen: str
    pending_from: dt.date | None  # a chosen cadence that starts after today
    current_period: Period
    spans: list[CadenceSpan]
    change_from: dt.date | None  # when a change made today would apply (None: not now)


def settings_get(*, actor: Any, agency_id: int) -> SettingsView:
    """The agency's performance settings for its HR admin (PPK, system admin): 404 outside
    the actor's agencies, PERMISSION_DENIED for a member who does not manage it."""
    agency = agency_for_manager(actor=actor, agency_id=agency_id)
    row = PerformanceSettings.objects.filter(agency_id=agency.pk).first() or PerformanceSettings(
        agency=agency, log_required_before_check_out=True, cadence_history=[]
    )
    schedule = row.schedule
    today = clock.today(agency.time_zone)
    starts: list[dt.date | None] = [None, *[c[0] for c in schedule.changes]]
    cadences = [Cadence.MONTHLY.value, *[c[1] for c in schedule.changes]]
    spans = []
    for i, first in enumerate(starts):
        following = starts[i + 1] if i + 1 < len(starts) else None
        spans.append(CadenceSpan(first, following - dt.timedelta(days=1) if following else None, cadences[i]))
    pending = schedule.changes[-1][0] if schedule.changes and schedule.changes[-1][0] > today else None
    try:
        change_from: dt.date | None = cadence_effective_from(agency_id=agency.pk, today=today)
    except ApplicationError:
        change_from = None
    return SettingsView(
        agency=agency, settings=row, today=today, cadence_today=schedule.cadence_on(today),
        chosen=schedule.latest, pending_from=pending, current_period=schedule.period_of(today),
        spans=spans, change_from=change_from,
    )


# ---------------------------------------------------------------------------------------
# The check-out rule (attendance asks through its hook; docs/decisions/143)


def log_missing_before_check_out(*, employee: Employee, work_date: dt.date, flexible: bool) -> bool:
    """True when the agency requires a log before check-out on a flexible day, this is one,
    and the employee has logged nothing that day (at most 2 queries; none on other days)."""
    if not flexible:
        return False
    if not performance_settings(employee.agency).log_required_before_check_out:
        return False
    return not LogEntry.objects.filter(employee_id=employee.pk, date=work_date).exists()



# ---------------------------------------------------------------------------------------
# Populations, for monitoring's aggregates (docs/decisions/170, 177): plain filters (agency
# ids or all, a unit path prefix, dates), no actor; only monitoring calls them, after its
# access check. The outputs and assessments carry ``unit_id`` (the employee's unit) beside
# ``agency_id`` so that they group by either.


def _population(
    qs: QuerySet[Any], agency_ids: list[int] | None, unit_path: str | None, *, with_unit: bool = True
) -> QuerySet[Any]:
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=agency_ids)
    if unit_path:
        qs = qs.filter(employee__unit__path__startswith=unit_path)
    return qs.annotate(unit_id=F("employee__unit_id")) if with_unit else qs


def population_logged_days(
    *, agency_ids: list[int] | None, unit_path: str | None, start: dt.date, end: dt.date
) -> QuerySet[LogDayRollup]:
    """The rollup rows of the population's approved days with a daily log, between two dates
    inclusive (per unit, date, location and time kind: ``logged``; docs/decisions/201)."""
    qs = LogDayRollup.objects.filter(date__gte=start, date__lte=end)
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=agency_ids)
    if unit_path:
        qs = qs.filter(unit__path__startswith=unit_path)
    return qs


def population_outputs(
    *, agency_ids: list[int] | None, unit_path: str | None, start: dt.date, end: dt.date
) -> QuerySet[PlannedOutput]:
    """Agreed planned outputs active in the period (their realised quantities:
    ``population_output_sums``)."""
    qs = PlannedOutput.objects.filter(state=OutputState.AGREED, start_date__lte=end, end_date__gte=start)
    return _population(qs, agency_ids, unit_path)


def population_outputs_realised(outputs: QuerySet[PlannedOutput], *, end: dt.date) -> QuerySet[PlannedOutput]:
    """``outputs`` annotated, in SQL, with ``realised`` (the quantity logged against each up
    to ``end``) and ``realised_by_due`` (up to ``min(end, its due date)``, 0 without a due
    date), so that a caller aggregates them in the database (docs/decisions/199, 201): the
    sums stored on the output less its logs dated after ``end``, a correlated sum that reads
    the (planned_output, date) index and finds nothing when ``end`` is today or later (no log
    is dated in the future)."""
    later = (
        LogEntry.objects.filter(planned_output_id=OuterRef("pk"), date__gt=end)
        .order_by()
        .values("planned_output_id")
        .annotate(total=Sum("quantity"))
        .values("total")
    )
    amount: DecimalField[Decimal, Decimal] = DecimalField(max_digits=12, decimal_places=2)
    realised = ExpressionWrapper(
        F("logged_quantity") - Coalesce(Subquery(later, output_field=amount), Value(Decimal(0)), output_field=amount),
        output_field=amount,
    )
    # Up to min(end, due): the stored sum when the due date is not after ``end``; when it is,
    # min(end, due) is ``end``, so the realised sum.
    by_due = Case(
        When(due_date__isnull=True, then=Value(Decimal(0))),
        When(due_date__lte=end, then=F("logged_by_due")),
        default=F("realised"),
        output_field=amount,
    )
    return outputs.order_by().annotate(realised=realised).annotate(realised_by_due=by_due)


def population_output_sums(outputs: QuerySet[PlannedOutput], *, end: dt.date) -> dict[int, tuple[Decimal, Decimal]]:
    """Per output of ``outputs``: (realised, realised_by_due) as ``population_outputs_realised``
    computes them; every output of ``outputs`` is in the result (zeros when nothing is logged)."""
    rows = population_outputs_realised(outputs, end=end).values("pk", "realised", "realised_by_due")  # type: ignore[misc]
    return {row["pk"]: (row["realised"], row["realised_by_due"]) for row in rows}


def population_assessments(
    *, agency_ids: list[int] | None, unit_path: str | None, start: dt.date, end: dt.date
) -> QuerySet[Assessment]:
    """The finalised assessments of the periods (months or quarters, as each agency assesses)
    that begin in the range, the latest final version of each employee and period only (a
    correction is a newer version)."""
    newer = Assessment.objects.filter(
        employee_id=OuterRef("employee_id"), period=OuterRef("period"), cadence=OuterRef("cadence"),
        state=AssessmentState.FINAL, version__gt=OuterRef("version"),
    )
    qs = Assessment.objects.filter(state=AssessmentState.FINAL, period__gte=start, period__lte=end).exclude(
        predikat=""
    )
    return _population(qs, agency_ids, unit_path).filter(~Exists(newer))


def population_assessment_rollup(
    *, agency_ids: list[int] | None, unit_path: str | None, start: dt.date, end: dt.date
) -> QuerySet[AssessmentRollup]:
    """The rollup rows of the same assessments as ``population_assessments`` (docs/decisions/198):
    per unit (the employee's unit now), period, cadence and predikat, ``n`` latest final
    versions, one per employee and period; ``few_ids`` the employees of a row of at most
    four. Summed with ``Sum("n")``."""
    qs = AssessmentRollup.objects.filter(period__gte=start, period__lte=end)
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=agency_ids)
    if unit_path:
        qs = qs.filter(unit__path__startswith=unit_path)
    return qs
