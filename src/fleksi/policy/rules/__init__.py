"""The rules, one module per family; each rule is a small function facts -> finding.

- day rules ``(employee, plan, day, env) -> Finding | None``: one finding per nip and date;
- week rules ``(employee, week, rows, env) -> Finding | None``: one per nip and ISO week;
- unit rules ``(unit, day, employees, office, env) -> Finding | None``: one per unit and date;
- request rules ``(request, env, *, nip, unit) -> Finding | None``: one per request.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from fleksi.policy.model import RuleCode
from fleksi.policy.rules.base import DayRule, Env, UnitRule, WeekRule
from fleksi.policy.rules.coverage import coverage_below_minimum
from fleksi.policy.rules.eligibility import (
    agency_not_enabled,
    employee_discipline,
    employee_excluded,
    employee_new_in_position,
    task_not_eligible,
)
from fleksi.policy.rules.hours import (
    dynamic_not_eligible,
    non_working_day,
    shift_not_eligible,
    start_before_standard,
    weekly_hours_short,
)
from fleksi.policy.rules.location import (
    location_kind_invalid,
    location_max_days_per_week,
    national_flex_day,
)
from fleksi.policy.rules.request import request_reason_missing, request_workplan_missing

DAY_RULES: tuple[DayRule, ...] = (
    agency_not_enabled,
    employee_excluded,
    employee_discipline,
    employee_new_in_position,
    task_not_eligible,
    location_kind_invalid,
    national_flex_day,
    start_before_standard,
    dynamic_not_eligible,
    shift_not_eligible,
    non_working_day,  # also SERVICE_UNIT_EXCEPTED
)
WEEK_RULES: tuple[WeekRule, ...] = (location_max_days_per_week, weekly_hours_short)
UNIT_RULES: tuple[UnitRule, ...] = (coverage_below_minimum,)
REQUEST_RULES = (request_reason_missing, request_workplan_missing)

RULE_FUNCTIONS: Mapping[RuleCode, Callable[..., object]] = {
    RuleCode.AGENCY_NOT_ENABLED: agency_not_enabled,
    RuleCode.EMPLOYEE_EXCLUDED: employee_excluded,
    RuleCode.EMPLOYEE_DISCIPLINE: employee_discipline,
    RuleCode.EMPLOYEE_NEW_IN_POSITION: employee_new_in_position,
    RuleCode.TASK_NOT_ELIGIBLE: task_not_eligible,
    RuleCode.LOCATION_KIND_INVALID: location_kind_invalid,
    RuleCode.LOCATION_MAX_DAYS_PER_WEEK: location_max_days_per_week,
    RuleCode.NATIONAL_FLEX_DAY: national_flex_day,
    RuleCode.WEEKLY_HOURS_SHORT: weekly_hours_short,
    RuleCode.START_BEFORE_STANDARD: start_before_standard,
    RuleCode.DYNAMIC_NOT_ELIGIBLE: dynamic_not_eligible,
    RuleCode.SHIFT_NOT_ELIGIBLE: shift_not_eligible,
    RuleCode.NON_WORKING_DAY: non_working_day,
    RuleCode.SERVICE_UNIT_EXCEPTED: non_working_day,
    RuleCode.REQUEST_REASON_MISSING: request_reason_missing,
    RuleCode.REQUEST_WORKPLAN_MISSING: request_workplan_missing,
    RuleCode.COVERAGE_BELOW_MINIMUM: coverage_below_minimum,
}

__all__ = [
    "DAY_RULES",
    "REQUEST_RULES",
    "RULE_FUNCTIONS",
    "UNIT_RULES",
    "WEEK_RULES",
    "DayRule",
    "Env",
    "UnitRule",
    "WeekRule",
]
