"""From a ``PlanningInput`` to the planner's cells: one per employee and day it may plan.

This is where the policy core decides what is lawful: a day may be planned away only if
the policy core's day rules find no error for that day at that place (eligibility, task
criteria, domicile, allowed kinds, working day, new in position, ...), and the weekly cap
and which days count toward it are the policy core's. The solver and the greedy baseline
both work on the ``UnitProblem`` built here.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field, replace

from fleksi.planner.model import FixedDay, PlanEmployee, PlanningInput
from fleksi.policy.calendar import AgencyCalendar, DayInfo
from fleksi.policy.check import check_employee
from fleksi.policy.codes import RuleCode
from fleksi.policy.enums import LocationKind, Severity, TimeFlexibility, TimeKind
from fleksi.policy.model import DayPlan, EmployeeFacts, Finding
from fleksi.policy.rules import DAY_RULES, Env
from fleksi.policy.rules.coverage import required_in_office
from fleksi.policy.rules.hours import effective_plan
from fleksi.policy.rules.location import away_days_counted


@dataclass(slots=True)
class Cell:
    """A day of an employee the planner decides: away (at ``location``) or at the office."""

    index: int  # employee index in the unit
    date: dt.date
    week: str
    location: LocationKind  # the place if away
    counts: bool  # counts toward the weekly cap
    pref_weight: int  # 0: no preferred day here; else the bobot
    current_away: LocationKind | None  # the current schedule's place that day (None: office)
    template: DayPlan | None  # the current row (its hours are kept), if any
    office_row: DayPlan | None = None  # the row if at the office (current non-standard hours)


@dataclass(slots=True)
class Demand:
    """At most ``limit`` of ``cells`` may be away (coverage or cap); ``limit < 0`` is a
    conflict with the fixed days alone."""

    kind: str  # coverage, role_coverage, weekly_cap
    cells: list[int]
    limit: int
    numbers: dict[str, int | str]
    unit: str
    nip: str | None = None
    date: dt.date | None = None
    week: str | None = None


@dataclass(slots=True)
class Pin:
    """A must-be-in day the fixed days make impossible (a conflict of its own)."""

    nip: str
    date: dt.date
    reason: str
    leave: bool


@dataclass(slots=True)
class UnitProblem:
    unit: str
    employees: list[PlanEmployee]
    cells: list[Cell] = field(default_factory=list)
    demands: list[Demand] = field(default_factory=list)
    pins: list[Pin] = field(default_factory=list)
    # Fixed rows the law does not allow (they cannot be kept): (row, the policy findings).
    invalid_fixed: list[tuple[DayPlan, list[Finding]]] = field(default_factory=list)
    fixed_rows: list[DayPlan] = field(default_factory=list)  # kept verbatim
    kept_rows: list[DayPlan] = field(default_factory=list)  # office days with other hours
    # Preferred days per employee index: (lawful instances, every instance).
    lawful_prefs: dict[int, int] = field(default_factory=dict)
    all_prefs: dict[int, int] = field(default_factory=dict)
    # Changes no decision can avoid (a current away day that may no longer be planned).
    forced_changes: int = 0
    has_current: bool = False


class _Eligibility:
    """Whether an employee may be away on a date at a place: the policy core's day rules,
    cached by the employee's facts without the NIP (many employees share them)."""

    def __init__(self, env: Env) -> None:
        self.env = env
        self.cache: dict[tuple[object, ...], bool] = {}

    def allowed(self, facts: EmployeeFacts, plan: DayPlan, day: DayInfo) -> bool:
        key = (replace(facts, nip=""), plan.date, plan.location, plan.start, plan.end, plan.time_kind)
        found = self.cache.get(key)
        if found is None:
            effective = effective_plan(plan, day)
            found = True
            for rule in DAY_RULES:
                finding = rule(facts, effective, day, self.env)
                if finding is not None and finding.severity is Severity.ERROR:
                    found = False
                    break
            self.cache[key] = found
        return found


def weekly_cap(facts: EmployeeFacts, env: Env) -> int | None:
    """The policy core's weekly cap of an employee: none for field work (Pasal 13 ayat (2))."""
    return None if facts.field_work else env.policy.max_location_days_per_week


def counts_toward_cap(facts: EmployeeFacts, plan: DayPlan, day: DayInfo, env: Env) -> bool:
    return away_days_counted(facts, [(plan, day)], env) > 0


def _shift_day(facts: EmployeeFacts, row: DayPlan | None) -> bool:
    return (
        row is not None
        and row.time_kind is TimeKind.SHIFT
        and facts.time_flexibility is TimeFlexibility.SHIFT
    )


def build_units(data: PlanningInput, env: Env | None = None) -> list[UnitProblem]:
    """One ``UnitProblem`` per unit of ``data.employees`` (sorted by unit code)."""
    env = env or Env(data.policy, AgencyCalendar(data.policy), data.units)
    eligibility = _Eligibility(env)
    by_unit: dict[str, list[PlanEmployee]] = defaultdict(list)
    for employee in data.employees:
        by_unit[employee.unit].append(employee)
    dates = data.dates
    first, last = dates[0], dates[-1]
    current: dict[tuple[str, dt.date], DayPlan] = {}
    for row in data.current or ():
        if first <= row.date <= last:
            current[(row.nip, row.date)] = row
    fixed: dict[tuple[str, dt.date], FixedDay] = {}
    for day in data.fixed:
        if first <= day.date <= last:
            fixed[(day.nip, day.date)] = day
    prefs: dict[tuple[str, int], tuple[LocationKind, int]] = {}
    for pref in data.preferences:
        key = (pref.nip, pref.weekday)
        if key not in prefs or prefs[key][1] < pref.weight:
            prefs[key] = (pref.location, pref.weight)
    return [
        _build_unit(unit, sorted(by_unit[unit], key=lambda e: e.nip), data, env, eligibility,
                    current, fixed, prefs)
        for unit in sorted(by_unit)
    ]


def _build_unit(
    unit: str,
    employees: list[PlanEmployee],
    data: PlanningInput,
    env: Env,
    eligibility: _Eligibility,
    current: dict[tuple[str, dt.date], DayPlan],
    fixed: dict[tuple[str, dt.date], FixedDay],
    prefs: dict[tuple[str, int], tuple[LocationKind, int]],
) -> UnitProblem:
    problem = UnitProblem(unit=unit, employees=employees, has_current=data.current is not None)
    calendar = env.calendar
    anchors = data.anchors_of(unit)
    dates = data.dates
    days = [calendar.day(d) for d in dates]
    # Per date: cells of the unit, and the employees not at the office on fixed days.
    cells_by_date: dict[dt.date, list[int]] = defaultdict(list)
    fixed_away: dict[dt.date, list[int]] = defaultdict(list)
    for index, employee in enumerate(employees):
        facts = employee.facts
        cap = weekly_cap(facts, env)
        week_cells: dict[str, list[int]] = defaultdict(list)
        week_fixed: dict[str, int] = defaultdict(int)
        templates = _templates(facts, days, current, fixed, eligibility, env)
        for day in days:
            key = (facts.nip, day.date)
            fixed_day = fixed.get(key)
            row = current.get(key)
            if fixed_day is not None:
                if fixed_day.row is not None:
                    if not eligibility.allowed(facts, fixed_day.row, day):
                        found = check_employee(facts, [fixed_day.row], env=env)
                        errors = [f for f in found if f.severity is Severity.ERROR]
                        problem.invalid_fixed.append((fixed_day.row, errors))
                    problem.fixed_rows.append(fixed_day.row)
                    if fixed_day.row.location.away and counts_toward_cap(
                        facts, fixed_day.row, day, env
                    ):
                        week_fixed[day.week] += 1
                if fixed_day.away:
                    fixed_away[day.date].append(index)
                if key in data.must_be_in and fixed_day.away:
                    problem.pins.append(
                        Pin(facts.nip, day.date, fixed_day.reason, fixed_day.leave)
                    )
                continue
            template = templates.get(day.date)
            working = day.working or _shift_day(facts, template)
            if not working:
                if row is not None and row.location.away and problem.has_current:
                    problem.forced_changes += 1
                continue
            pref = prefs.get((facts.nip, day.weekday))
            current_away = row.location if row is not None and row.location.away else None
            if pref is not None:
                problem.all_prefs[index] = problem.all_prefs.get(index, 0) + 1
            blocked = day.weekday in anchors or key in data.must_be_in
            location: LocationKind | None = None
            weight = 0
            if not blocked and pref is not None and _allowed(
                eligibility, facts, pref[0], day, template
            ):
                location, weight = pref[0], pref[1]
                problem.lawful_prefs[index] = problem.lawful_prefs.get(index, 0) + 1
            elif (
                not blocked
                and current_away is not None
                and _allowed(eligibility, facts, current_away, day, template)
            ):
                location = current_away
            office_row = None
            if template is not None and _keeps_hours(template, day):
                kept = replace(template, location=LocationKind.OFFICE, location_listed=None)
                if eligibility.allowed(facts, kept, day):
                    office_row = kept
            if location is None:
                if current_away is not None and problem.has_current:
                    problem.forced_changes += 1
                if office_row is not None:
                    problem.kept_rows.append(office_row)
                continue
            plan = _as_plan(facts.nip, location, day, template)
            cell = Cell(
                index=index,
                date=day.date,
                week=day.week,
                location=location,
                counts=cap is not None and counts_toward_cap(facts, plan, day, env),
                pref_weight=weight,
                current_away=current_away,
                template=template,
                office_row=office_row,
            )
            problem.cells.append(cell)
            cell_id = len(problem.cells) - 1
            cells_by_date[day.date].append(cell_id)
            if cell.counts:
                week_cells[day.week].append(cell_id)
        if cap is not None:
            for week in sorted(set(week_cells) | set(week_fixed)):
                limit = cap - week_fixed[week]
                if week_cells[week] and limit >= len(week_cells[week]):
                    continue
                if not week_cells[week] and limit >= 0:
                    continue
                problem.demands.append(
                    Demand(
                        kind="weekly_cap",
                        cells=week_cells[week],
                        limit=limit,
                        numbers={"fixed": week_fixed[week], "cap": cap},
                        unit=unit,
                        nip=facts.nip,
                        week=week,
                    )
                )
    _coverage(problem, data, env, days, cells_by_date, fixed_away)
    _drop_blocked(problem)
    return problem


def _drop_blocked(problem: UnitProblem) -> None:
    """Cells a demand with no room at all keeps in the office (e.g. the only front-desk
    staff) are not decisions: drop them, and their preferred days from the lawful count."""
    if any(d.limit < 0 for d in problem.demands):
        return  # a conflict: explained as it is
    blocked = {c for d in problem.demands if d.limit == 0 for c in d.cells}
    if not blocked:
        return
    new_index: dict[int, int] = {}
    cells: list[Cell] = []
    for old, cell in enumerate(problem.cells):
        if old in blocked:
            if cell.pref_weight:
                problem.lawful_prefs[cell.index] -= 1
                if not problem.lawful_prefs[cell.index]:
                    del problem.lawful_prefs[cell.index]
            if problem.has_current and cell.current_away is not None:
                problem.forced_changes += 1
            if cell.office_row is not None:
                problem.kept_rows.append(cell.office_row)
            continue
        new_index[old] = len(cells)
        cells.append(cell)
    problem.cells = cells
    demands = []
    for demand in problem.demands:
        demand.cells = [new_index[c] for c in demand.cells if c in new_index]
        if demand.cells:
            demands.append(demand)
    problem.demands = demands


def _templates(
    facts: EmployeeFacts,
    days: list[DayInfo],
    current: dict[tuple[str, dt.date], DayPlan],
    fixed: dict[tuple[str, dt.date], FixedDay],
    eligibility: _Eligibility,
    env: Env,
) -> dict[dt.date, DayPlan]:
    """The current rows whose hours the planner keeps: those the law allows. A row whose
    hours fail a day rule even at the office, and every row of a week whose hours would
    fall short, go back to standard hours (the planner plans places, not hours)."""
    out: dict[dt.date, DayPlan] = {}
    by_week: dict[str, list[dt.date]] = defaultdict(list)
    for day in days:
        row = current.get((facts.nip, day.date))
        if row is None or (facts.nip, day.date) in fixed:
            continue
        if not day.working and not _shift_day(facts, row):
            continue  # not a working day of this employee: the row goes
        if _keeps_hours(row, day):
            office = replace(row, location=LocationKind.OFFICE, location_listed=None)
            if not eligibility.allowed(facts, office, day):
                continue
        out[day.date] = row
        by_week[day.week].append(day.date)
    if not out:
        return out
    rows = [replace(r, location=LocationKind.OFFICE, location_listed=None) for r in out.values()]
    for day in days:
        fixed_day = fixed.get((facts.nip, day.date))
        if fixed_day is not None and fixed_day.row is not None:
            rows.append(fixed_day.row)
    for finding in check_employee(facts, rows, env=env):
        if finding.code is RuleCode.WEEKLY_HOURS_SHORT and finding.week in by_week:
            for date in by_week[finding.week]:
                out.pop(date, None)
    return out


def _keeps_hours(row: DayPlan, day: DayInfo) -> bool:
    """A current row whose hours differ from the standard: it stays (at the office)."""
    return row.start is not None or row.time_kind is not TimeKind.REGULAR


def _as_plan(nip: str, location: LocationKind, day: DayInfo, template: DayPlan | None) -> DayPlan:
    if template is None:
        return DayPlan(nip=nip, date=day.date, location=location)
    return replace(template, location=location, location_listed=None)


def _allowed(
    eligibility: _Eligibility,
    facts: EmployeeFacts,
    location: LocationKind,
    day: DayInfo,
    template: DayPlan | None,
) -> bool:
    return eligibility.allowed(facts, _as_plan(facts.nip, location, day, template), day)


def _coverage(
    problem: UnitProblem,
    data: PlanningInput,
    env: Env,
    days: list[DayInfo],
    cells_by_date: dict[dt.date, list[int]],
    fixed_away: dict[dt.date, list[int]],
) -> None:
    """The unit's minimum at the office each working day (the policy's and the head's)."""
    unit = problem.unit
    policy = env.policy
    size = len(problem.employees)
    minimums = data.coverage_of(unit)
    roles = sorted({m.role for m in minimums if m.role is not None})
    role_members = {
        role: {i for i, e in enumerate(problem.employees) if role in e.roles} for role in roles
    }
    for day in days:
        if not day.working:
            continue
        share = policy.coverage_share(unit, day.date, day.national_flex is not None)
        required = required_in_office(share, size, policy.office_headcount(unit))
        for minimum in minimums:
            if minimum.role is None and day.weekday in minimum.weekdays:
                required = max(
                    required, required_in_office(minimum.share, size, minimum.headcount)
                )
        cells = cells_by_date.get(day.date, [])
        unavailable = len(fixed_away.get(day.date, []))
        limit = size - unavailable - required
        if required > 0 and limit < len(cells):
            problem.demands.append(
                Demand(
                    kind="coverage",
                    cells=list(cells),
                    limit=limit,
                    numbers={"required": required, "employees": size, "unavailable": unavailable},
                    unit=unit,
                    date=day.date,
                    week=day.week,
                )
            )
        for role in roles:
            members = role_members[role]
            count = len(members)
            role_required = 0
            for minimum in minimums:
                if minimum.role == role and day.weekday in minimum.weekdays:
                    role_required = max(
                        role_required, required_in_office(minimum.share, count, minimum.headcount)
                    )
                    if minimum.headcount > count:
                        role_required = minimum.headcount  # more than there are: a conflict
            role_cells = [c for c in cells if problem.cells[c].index in members]
            role_unavailable = sum(1 for i in fixed_away.get(day.date, []) if i in members)
            role_limit = count - role_unavailable - role_required
            if role_required > 0 and role_limit < len(role_cells):
                problem.demands.append(
                    Demand(
                        kind="role_coverage",
                        cells=role_cells,
                        limit=role_limit,
                        numbers={
                            "required": role_required,
                            "employees": count,
                            "unavailable": role_unavailable,
                            "role": role,
                        },
                        unit=unit,
                        date=day.date,
                        week=day.week,
                    )
                )
