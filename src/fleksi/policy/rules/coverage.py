"""Service coverage: a minimum share of each unit in the office on each working day."""

from __future__ import annotations

import math
from fractions import Fraction

from fleksi.policy.calendar import DayInfo
from fleksi.policy.model import Finding, RuleCode
from fleksi.policy.rules.base import Env


def required_in_office(share: float, employees: int) -> int:
    """The head-count ``share`` of ``employees`` asks for, without float rounding errors."""
    return math.ceil(Fraction(str(share)) * employees)


def coverage_below_minimum(
    unit: str, day: DayInfo, employees: int, office: int, env: Env
) -> Finding | None:
    """The share of the unit's own employees (not sub-units') at the office on a working day."""
    share = env.policy.office_share(unit)
    if share <= 0 or employees == 0 or not day.working:
        return None
    required = required_in_office(share, employees)
    if office >= required:
        return None
    return env.finding(
        RuleCode.COVERAGE_BELOW_MINIMUM,
        nip=None,
        unit=unit,
        date=day.date,
        week=day.week,
        office=office,
        employees=employees,
        required=required,
        min_share=share,
    )
