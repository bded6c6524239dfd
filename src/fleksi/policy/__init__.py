"""The regulation as code: pure Python, no Django, no other ``fleksi`` package.

This package is the public surface of the policy core: the Django side imports policy names
from here only (and from ``fleksi.policy.formats``, ``fleksi.policy.cli`` and
``fleksi.policy.docs``). Inside the core, modules import each other directly.

See ``docs/rules.md`` for every rule, its legal basis and the agency setting that changes it.
"""

from fleksi.policy.calendar import (
    NATIONAL_FLEX_DAYS,
    AgencyCalendar,
    DayInfo,
    add_months,
    net_minutes,
    week_label,
    week_monday,
)
from fleksi.policy.check import CheckResult, CheckSummary, check_employee, check_plan, check_request
from fleksi.policy.messages import render
from fleksi.policy.model import (
    AWAY_KINDS,
    POLICY_KEYS,
    RULES,
    Confidence,
    DayPlan,
    EmployeeFacts,
    EmployeeKind,
    Finding,
    Granularity,
    LocationKind,
    Policy,
    RequestFacts,
    RuleCode,
    RuleInfo,
    Severity,
    TimeFlexibility,
    TimeKind,
    UnitFacts,
)
from fleksi.policy.nip import NipError, NipInfo, Sex, parse_nip
from fleksi.policy.policy_json import policy_from_json, policy_kwargs
from fleksi.policy.problems import PolicyError, Problem
from fleksi.policy.rules.base import Env, hhmm
from fleksi.policy.rules.coverage import required_in_office
from fleksi.policy.rules.request import request_reason_missing, request_workplan_missing


def rule(code: RuleCode | str) -> RuleInfo:
    """Everything declared about one rule (basis, severity, confidence, titles, ...)."""
    return RULES[RuleCode(code)]


__all__ = [
    "AWAY_KINDS",
    "NATIONAL_FLEX_DAYS",
    "POLICY_KEYS",
    "RULES",
    "AgencyCalendar",
    "CheckResult",
    "CheckSummary",
    "Confidence",
    "DayInfo",
    "DayPlan",
    "EmployeeFacts",
    "EmployeeKind",
    "Env",
    "Finding",
    "Granularity",
    "LocationKind",
    "NipError",
    "NipInfo",
    "Policy",
    "PolicyError",
    "Problem",
    "RequestFacts",
    "RuleCode",
    "RuleInfo",
    "Severity",
    "Sex",
    "TimeFlexibility",
    "TimeKind",
    "UnitFacts",
    "add_months",
    "check_employee",
    "check_plan",
    "check_request",
    "hhmm",
    "net_minutes",
    "parse_nip",
    "policy_from_json",
    "policy_kwargs",
    "render",
    "required_in_office",
    "request_reason_missing",
    "request_workplan_missing",
    "rule",
    "week_label",
    "week_monday",
]
