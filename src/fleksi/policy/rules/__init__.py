"""The rules, one module per family; each rule is declared once, beside its function, with
``@declare`` (``fleksi.policy.codes``). The lists the checker runs are derived from it:

- day rules ``(employee, plan, day, env) -> Finding | None``: one finding per nip and date;
- week rules ``(employee, week, rows, env) -> Finding | None``: one per nip and ISO week;
- unit rules ``(unit, day, employees, office, env) -> Finding | None``: one per unit and date;
- request rules ``(request, env, *, nip, unit) -> Finding | None``: one per request.

Each list is in the order of ``RuleCode`` (a function reporting two codes runs once).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

# Importing the rule modules registers their rules.
from fleksi.policy.codes import RULES, RuleCode, rule_functions
from fleksi.policy.enums import Granularity
from fleksi.policy.rules import coverage, eligibility, hours, location, request
from fleksi.policy.rules.base import DayRule, Env, RequestRule, UnitRule, WeekRule

_MODULES = (coverage, eligibility, hours, location, request)
_missing = [code.value for code in RuleCode if code not in RULES]
if _missing:  # pragma: no cover - a rule code without a declared rule
    raise RuntimeError(f"rule codes without a declared rule: {', '.join(_missing)}")

DAY_RULES: tuple[DayRule, ...] = rule_functions(Granularity.DAY)
WEEK_RULES: tuple[WeekRule, ...] = rule_functions(Granularity.WEEK)
UNIT_RULES: tuple[UnitRule, ...] = rule_functions(Granularity.UNIT)
REQUEST_RULES: tuple[RequestRule, ...] = rule_functions(Granularity.REQUEST)

RULE_FUNCTIONS: Mapping[RuleCode, Callable[..., object]] = {
    code: spec.function for code, spec in RULES.items()
}

__all__ = [
    "DAY_RULES",
    "REQUEST_RULES",
    "RULE_FUNCTIONS",
    "UNIT_RULES",
    "WEEK_RULES",
    "DayRule",
    "Env",
    "RequestRule",
    "UnitRule",
    "WeekRule",
]
