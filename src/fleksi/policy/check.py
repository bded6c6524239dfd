"""Run the rules over a plan: deterministic findings and a summary.

``check_plan`` is the whole-agency check behind ``fleksi plan check`` and the web upload;
``check_employee`` checks the days of one employee (e.g. a request in the web workflow);
``check_request`` checks a request's completeness.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from fleksi.policy.calendar import AgencyCalendar, DayInfo
from fleksi.policy.enums import Severity
from fleksi.policy.model import DayPlan, EmployeeFacts, Finding, RequestFacts, UnitFacts
from fleksi.policy.rules import DAY_RULES, REQUEST_RULES, UNIT_RULES, WEEK_RULES, Env
from fleksi.policy.rules.hours import effective_plan
from fleksi.policy.settings import Policy


@dataclass(frozen=True, slots=True)
class CheckSummary:
    employees: int  # employees checked (every employee given, with or without plan rows)
    days: int  # calendar days checked: the working days of the plan's weeks + planned days
    errors: int
    warnings: int
    infos: int

    def to_dict(self) -> dict[str, int]:
        """The ``summary`` object of FORMATS.md."""
        return {
            "employees": self.employees,
            "days": self.days,
            "errors": self.errors,
            "warnings": self.warnings,
        }


@dataclass(frozen=True, slots=True)
class CheckResult:
    findings: tuple[Finding, ...]
    summary: CheckSummary

    @property
    def has_errors(self) -> bool:
        return self.summary.errors > 0

    def to_dict(self, lang: str = "id") -> dict[str, object]:
        """The JSON object of ``fleksi plan check --format json``."""
        return {
            "findings": [f.to_dict(lang) for f in self.findings],
            "summary": self.summary.to_dict(),
        }


def _check_rows(
    employee: EmployeeFacts, rows: Sequence[DayPlan], env: Env, out: list[Finding]
) -> None:
    """Day and week rules over one employee's rows (any number of weeks)."""
    calendar_day = env.calendar.day
    weeks: dict[str, list[tuple[DayPlan, DayInfo]]] = {}
    for row in rows:
        day = calendar_day(row.date)
        plan = effective_plan(row, day)
        for day_rule in DAY_RULES:
            found = day_rule(employee, plan, day, env)
            if found is not None:
                out.append(found)
        week_rows = weeks.get(day.week)
        if week_rows is None:
            weeks[day.week] = [(plan, day)]
        else:
            week_rows.append((plan, day))
    for week, week_rows in weeks.items():
        for week_rule in WEEK_RULES:
            found = week_rule(employee, week, week_rows, env)
            if found is not None:
                out.append(found)


def check_employee(
    employee: EmployeeFacts,
    plans: Iterable[DayPlan],
    policy: Policy | None = None,
    *,
    units: Mapping[str, UnitFacts] | None = None,
    calendar: AgencyCalendar | None = None,
    env: Env | None = None,
) -> list[Finding]:
    """Day and week findings for one employee's planned days, sorted.

    Days without a row are office days with standard hours. Pass ``env`` (or ``calendar``)
    to reuse its cached calendar across calls.
    """
    env = env or Env(policy or Policy(), calendar, units)
    rows = [p for p in plans if p.nip == employee.nip]
    out: list[Finding] = []
    _check_rows(employee, rows, env, out)
    out.sort(key=Finding.sort_key)
    return out


def check_request(
    request: RequestFacts,
    policy: Policy | None = None,
    *,
    nip: str | None = None,
    unit: str | None = None,
) -> list[Finding]:
    """Completeness findings of a flexible-work request (reason, work plan, outputs)."""
    env = Env(policy or Policy())
    found = (rule(request, env, nip=nip, unit=unit) for rule in REQUEST_RULES)
    return [f for f in found if f is not None]


def check_plan(
    employees: Iterable[EmployeeFacts],
    plans: Iterable[DayPlan],
    policy: Policy | None = None,
    *,
    units: Mapping[str, UnitFacts] | None = None,
    calendar: AgencyCalendar | None = None,
) -> CheckResult:
    """Check a plan of many employees against the regulation and the agency's policy.

    ``employees`` are every employee of the units checked (those without plan rows work at
    the office with standard hours and count for coverage). ``plans`` hold at most one row
    per employee and date, each for a known employee (else ``ValueError``). The weeks
    checked are the ISO weeks of the plan's dates. Findings are sorted by week, date,
    unit, nip and code.
    """
    return _check_plan(employees, plans, policy or Policy(), units, calendar)


def _check_plan(
    employees: Iterable[EmployeeFacts],
    plans: Iterable[DayPlan],
    policy: Policy,
    units: Mapping[str, UnitFacts] | None,
    calendar: AgencyCalendar | None,
) -> CheckResult:
    env = Env(policy, calendar, units)
    by_nip: dict[str, EmployeeFacts] = {}
    for employee in employees:
        if employee.nip in by_nip:
            raise ValueError(f"employee {employee.nip} given twice")
        by_nip[employee.nip] = employee

    rows_by_nip: defaultdict[str, list[DayPlan]] = defaultdict(list)
    seen: set[tuple[str, dt.date]] = set()
    dates: set[dt.date] = set()
    for plan in plans:
        key = (plan.nip, plan.date)
        if key in seen:
            raise ValueError(f"two plan rows for {plan.nip} on {plan.date.isoformat()}")
        seen.add(key)
        if plan.nip not in by_nip:
            raise ValueError(f"plan row for unknown employee {plan.nip}")
        rows_by_nip[plan.nip].append(plan)
        dates.add(plan.date)

    findings: list[Finding] = []
    away: Counter[tuple[str, dt.date]] = Counter()
    for nip, rows in rows_by_nip.items():
        employee = by_nip[nip]
        _check_rows(employee, rows, env, findings)
        unit = employee.unit
        for plan in rows:
            if plan.location.away:
                away[(unit, plan.date)] += 1

    calendar_day = env.calendar.day
    weeks = sorted({calendar_day(d).week for d in dates})
    working = [day for week in weeks for day in env.calendar.working_days(week)]
    unit_sizes = Counter(e.unit for e in by_nip.values())
    for unit in sorted(unit_sizes):
        if not policy.checks_coverage(unit):
            continue
        size = unit_sizes[unit]
        for day in working:
            office = size - away.get((unit, day.date), 0)
            for unit_rule in UNIT_RULES:
                found = unit_rule(unit, day, size, office, env)
                if found is not None:
                    findings.append(found)

    findings.sort(key=Finding.sort_key)
    counts = Counter(f.severity for f in findings)
    checked_days = {d.date for d in working} | dates
    summary = CheckSummary(
        employees=len(by_nip),
        days=len(checked_days),
        errors=counts[Severity.ERROR],
        warnings=counts[Severity.WARNING],
        infos=counts[Severity.INFO],
    )
    return CheckResult(tuple(findings), summary)
