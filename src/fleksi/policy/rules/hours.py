"""Working days and hours (Perpres 21/2023) and time flexibility (PermenPANRB 4/2025 Pasal 17)."""

from __future__ import annotations

from collections.abc import Sequence

from fleksi.policy.calendar import DayInfo, net_minutes
from fleksi.policy.model import (
    DayPlan,
    EmployeeFacts,
    Finding,
    RuleCode,
    TimeFlexibility,
    TimeKind,
)
from fleksi.policy.rules.base import Env, hhmm


def worked_minutes(plan: DayPlan, day: DayInfo) -> int:
    """Net minutes of a planned day: its hours less the day's break, or the standard."""
    if plan.start is None or plan.end is None:
        return day.standard_minutes
    return net_minutes(
        plan.start, plan.end, day.break_minutes, overnight=plan.time_kind is TimeKind.SHIFT
    )


def week_minutes(rows: Sequence[tuple[DayPlan, DayInfo]], required: int) -> int:
    """Net minutes of a week: days without a row are standard working days."""
    total = required
    for plan, day in rows:
        worked = worked_minutes(plan, day)
        total += worked - day.standard_minutes if day.working else worked
    return total


def weekly_hours_short(
    employee: EmployeeFacts, week: str, rows: Sequence[tuple[DayPlan, DayInfo]], env: Env
) -> Finding | None:
    """37 h 30 min a week (32 h 30 min in Ramadan), pro-rated by the week's working days."""
    required = env.calendar.required_minutes(week)
    minutes = week_minutes(rows, required)
    if minutes >= required:
        return None
    return env.finding(
        RuleCode.WEEKLY_HOURS_SHORT,
        nip=employee.nip,
        unit=employee.unit,
        date=None,
        week=week,
        minutes=minutes,
        required=required,
        working_days=len(env.calendar.working_days(week)),
    )


def start_before_standard(
    employee: EmployeeFacts, plan: DayPlan, day: DayInfo, env: Env
) -> Finding | None:
    """Information: a regular day starting before 07:30 (08:00 in Ramadan)."""
    if plan.time_kind is not TimeKind.REGULAR or plan.start is None or plan.start >= day.start:
        return None
    return env.finding(
        RuleCode.START_BEFORE_STANDARD,
        nip=employee.nip,
        unit=employee.unit,
        date=plan.date,
        week=day.week,
        start=hhmm(plan.start),
        standard=hhmm(day.start),
    )


def dynamic_not_eligible(
    employee: EmployeeFacts, plan: DayPlan, day: DayInfo, env: Env
) -> Finding | None:
    """Dynamic hours only for employees whose tasks allow them; within the agency's window."""
    if plan.time_kind is not TimeKind.DYNAMIC:
        return None
    if employee.time_flexibility is not TimeFlexibility.DYNAMIC:
        return env.finding(
            RuleCode.DYNAMIC_NOT_ELIGIBLE,
            nip=employee.nip,
            unit=employee.unit,
            date=plan.date,
            week=day.week,
            reason="not_allowed",
        )
    window = env.policy.dynamic_start_window
    if window is None:
        return None
    start = plan.start or day.start
    earliest, latest = window
    if earliest <= start <= latest:
        return None
    return env.finding(
        RuleCode.DYNAMIC_NOT_ELIGIBLE,
        nip=employee.nip,
        unit=employee.unit,
        date=plan.date,
        week=day.week,
        reason="window",
        start=hhmm(start),
        earliest=hhmm(earliest),
        latest=hhmm(latest),
    )


def shift_not_eligible(
    employee: EmployeeFacts, plan: DayPlan, day: DayInfo, env: Env
) -> Finding | None:
    """Shifts only for employees (units, tasks) set for shift work."""
    if plan.time_kind is not TimeKind.SHIFT or employee.time_flexibility is TimeFlexibility.SHIFT:
        return None
    return env.finding(
        RuleCode.SHIFT_NOT_ELIGIBLE,
        nip=employee.nip,
        unit=employee.unit,
        date=plan.date,
        week=day.week,
    )


def non_working_day(
    employee: EmployeeFacts, plan: DayPlan, day: DayInfo, env: Env
) -> Finding | None:
    """No work planned on weekends, holidays, cuti bersama or agency days off.

    Allowed for shift workers on a shift; a service unit (Perpres Pasal 7) gets an
    information finding ``SERVICE_UNIT_EXCEPTED`` instead.
    """
    if day.working:
        return None
    if plan.time_kind is TimeKind.SHIFT and employee.time_flexibility is TimeFlexibility.SHIFT:
        return None
    code = (
        RuleCode.SERVICE_UNIT_EXCEPTED
        if env.is_service_unit(employee.unit)
        else RuleCode.NON_WORKING_DAY
    )
    return env.finding(
        code,
        nip=employee.nip,
        unit=employee.unit,
        date=plan.date,
        week=day.week,
        closed_id=day.closed_id,
        closed_en=day.closed_en,
    )
