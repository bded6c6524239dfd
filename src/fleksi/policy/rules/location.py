"""Location flexibility (PermenPANRB 4/2025 Pasal 12, 13; national flexible-work days)."""

from __future__ import annotations

from collections.abc import Sequence

from fleksi.policy.calendar import DayInfo
from fleksi.policy.model import AWAY_KINDS, DayPlan, EmployeeFacts, Finding, LocationKind, RuleCode
from fleksi.policy.rules.base import Env

_KIND_ORDER = (LocationKind.OTHER_OFFICE, LocationKind.HOME, LocationKind.OTHER_LOCATION)


def location_kind_invalid(
    employee: EmployeeFacts, plan: DayPlan, day: DayInfo, env: Env
) -> Finding | None:
    """The place must be a kind the agency allows; a lokasi_lain must be on its list."""
    location = plan.location
    if not location.away:
        return None
    allowed = env.policy.allowed_location_kinds
    if location in allowed:
        if location is not LocationKind.OTHER_LOCATION or plan.location_listed is not False:
            return None
        reason = "unlisted"
    else:
        reason = "kind"
    return env.finding(
        RuleCode.LOCATION_KIND_INVALID,
        nip=employee.nip,
        unit=employee.unit,
        date=plan.date,
        week=day.week,
        location=location.value,
        reason=reason,
        allowed=",".join(k.value for k in _KIND_ORDER if k in allowed and k in AWAY_KINDS),
    )


def national_flex_day(
    employee: EmployeeFacts, plan: DayPlan, day: DayInfo, env: Env
) -> Finding | None:
    """Information: an away day on a day declared by circular (counted or not in the cap)."""
    if day.national_flex is None or not plan.location.away:
        return None
    return env.finding(
        RuleCode.NATIONAL_FLEX_DAY,
        nip=employee.nip,
        unit=employee.unit,
        date=plan.date,
        week=day.week,
        circular=day.national_flex,
        counted=int(env.policy.national_flex_days_count_toward_cap),
    )


def away_days_counted(
    employee: EmployeeFacts, rows: Sequence[tuple[DayPlan, DayInfo]], env: Env
) -> int:
    """Working days away from the office that count toward the weekly cap.

    Not counted: non-working days; national flexible-work days (unless the agency counts
    them); days inside an approved keadaan khusus period.
    """
    count_flex = env.policy.national_flex_days_count_toward_cap
    special = employee.special_periods
    count = 0
    for plan, day in rows:
        if not plan.location.away or not day.working:
            continue
        if day.national_flex is not None and not count_flex:
            continue
        if special and employee.in_special_period(plan.date):
            continue
        count += 1
    return count


def location_max_days_per_week(
    employee: EmployeeFacts, week: str, rows: Sequence[tuple[DayPlan, DayInfo]], env: Env
) -> Finding | None:
    """At most 2 (or the agency's fewer) working days a week away from the office.

    Exceptions (Pasal 13): field work has no cap; a keadaan khusus lifts it for its period.
    """
    if employee.field_work:
        return None
    days = away_days_counted(employee, rows, env)
    limit = env.policy.max_location_days_per_week
    if days <= limit:
        return None
    return env.finding(
        RuleCode.LOCATION_MAX_DAYS_PER_WEEK,
        nip=employee.nip,
        unit=employee.unit,
        date=None,
        week=week,
        days=days,
        max=limit,
    )
