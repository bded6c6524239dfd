"""The regulation as code: pure Python, no Django, no other ``fleksi`` package.

This package is the public surface of the policy core: the Django side imports policy names
from here only (and from ``fleksi.policy.formats``, ``fleksi.policy.cli`` and
``fleksi.policy.docs``). Inside the core, modules import each other directly.

See ``docs/rules.md`` for every rule, its legal basis and the agency setting that changes it.
"""

# Low layers first; importing ``rules`` registers every rule in ``codes`` (the registry).
from fleksi.policy.calendar import AgencyCalendar, DayInfo
from fleksi.policy.check import CheckResult, CheckSummary, check_employee, check_plan, check_request
from fleksi.policy.codes import RULES, RuleCode, RuleInfo, RuleSpec, rule
from fleksi.policy.dates import NATIONAL_FLEX_DAYS, add_months, net_minutes, week_label, week_monday
from fleksi.policy.enums import (
    AWAY_KINDS,
    Choice,
    Confidence,
    EmployeeKind,
    Granularity,
    LocationKind,
    Severity,
    TimeFlexibility,
    TimeKind,
)
from fleksi.policy.messages import render
from fleksi.policy.model import DayPlan, EmployeeFacts, Finding, RequestFacts, UnitFacts
from fleksi.policy.nip import NipError, NipInfo, Sex, parse_nip
from fleksi.policy.policy_json import policy_kwargs
from fleksi.policy.problems import PolicyError, Problem
from fleksi.policy.rules import DAY_RULES, REQUEST_RULES, UNIT_RULES, WEEK_RULES
from fleksi.policy.rules.base import Env, hhmm
from fleksi.policy.rules.coverage import required_in_office
from fleksi.policy.rules.request import request_reason_missing, request_workplan_missing
from fleksi.policy.settings import POLICY_KEYS, Policy, policy_from_json

__all__ = [
    "AWAY_KINDS",
    "DAY_RULES",
    "NATIONAL_FLEX_DAYS",
    "POLICY_KEYS",
    "REQUEST_RULES",
    "RULES",
    "UNIT_RULES",
    "WEEK_RULES",
    "AgencyCalendar",
    "CheckResult",
    "CheckSummary",
    "Choice",
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
    "RuleSpec",
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
    "request_reason_missing",
    "request_workplan_missing",
    "required_in_office",
    "rule",
    "week_label",
    "week_monday",
]
