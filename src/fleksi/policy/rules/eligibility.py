"""Scope and eligibility (PermenPANRB 4/2025 Pasal 25, 38; the task criteria).

Each rule looks at one planned day that uses flexible work (``DayPlan.flexible``: a place
other than the office, or dynamic or shift hours) and says whether the employee may.
"""

from __future__ import annotations

from fleksi.policy.calendar import DayInfo, add_months
from fleksi.policy.model import DayPlan, EmployeeFacts, Finding, RuleCode
from fleksi.policy.rules.base import Env


def agency_not_enabled(
    employee: EmployeeFacts, plan: DayPlan, day: DayInfo, env: Env
) -> Finding | None:
    if not plan.flexible:
        return None
    if env.policy.agency_enabled:
        disabled = env.disabled_by(employee.unit)
        if disabled is None:
            return None
    else:
        disabled = ""
    return env.finding(
        RuleCode.AGENCY_NOT_ENABLED,
        nip=employee.nip,
        unit=employee.unit,
        date=plan.date,
        week=day.week,
        disabled_unit=disabled,
    )


def employee_excluded(
    employee: EmployeeFacts, plan: DayPlan, day: DayInfo, env: Env
) -> Finding | None:
    if not (employee.excluded and plan.flexible):
        return None
    return env.finding(
        RuleCode.EMPLOYEE_EXCLUDED,
        nip=employee.nip,
        unit=employee.unit,
        date=plan.date,
        week=day.week,
    )


def employee_discipline(
    employee: EmployeeFacts, plan: DayPlan, day: DayInfo, env: Env
) -> Finding | None:
    if not (employee.disciplinary and plan.flexible):
        return None
    return env.finding(
        RuleCode.EMPLOYEE_DISCIPLINE,
        nip=employee.nip,
        unit=employee.unit,
        date=plan.date,
        week=day.week,
    )


def employee_new_in_position(
    employee: EmployeeFacts, plan: DayPlan, day: DayInfo, env: Env
) -> Finding | None:
    start = employee.position_start
    if start is None or not plan.flexible:
        return None
    months = env.policy.new_in_position_months
    until = add_months(start, months)
    if plan.date >= until:
        return None
    return env.finding(
        RuleCode.EMPLOYEE_NEW_IN_POSITION,
        nip=employee.nip,
        unit=employee.unit,
        date=plan.date,
        week=day.week,
        position_start=start.isoformat(),
        until=until.isoformat(),
        months=months,
    )


def task_not_eligible(
    employee: EmployeeFacts, plan: DayPlan, day: DayInfo, env: Env
) -> Finding | None:
    # Field work (tasks that must be done outside the office) is location flexibility by
    # nature: see docs/decisions/013-policy-rule-semantics.md.
    if not plan.location.away or employee.tasks_eligible or employee.field_work:
        return None
    return env.finding(
        RuleCode.TASK_NOT_ELIGIBLE,
        nip=employee.nip,
        unit=employee.unit,
        date=plan.date,
        week=day.week,
        location=plan.location.value,
    )
