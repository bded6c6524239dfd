"""Rule codes and the rule registry: each rule is declared once, next to its function.

A rule module declares its rule with ``@declare(RuleCode.X, granularity=..., basis=...,
message=...)``; the lists the checker runs (day, week, unit and request rules), the messages
and docs/rules.md are all derived from the registry. ``rule(code)`` gives a rule's
``RuleSpec``; ``RULES`` maps every code to its spec, in the order of ``RuleCode``.

The registry is complete once ``fleksi.policy.rules`` is imported, which importing
``fleksi.policy`` (the package, run before any of its modules) always does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

from fleksi.policy.enums import Confidence, Granularity, Severity

Number = int | float | str
Numbers = Mapping[str, Number]
Texts = tuple[str, str]  # (Indonesian, English)


class RuleCode(StrEnum):
    """Every rule code of REGULATION.md; ``code.info`` is its ``RuleSpec``."""

    AGENCY_NOT_ENABLED = "AGENCY_NOT_ENABLED"
    EMPLOYEE_EXCLUDED = "EMPLOYEE_EXCLUDED"
    EMPLOYEE_DISCIPLINE = "EMPLOYEE_DISCIPLINE"
    EMPLOYEE_NEW_IN_POSITION = "EMPLOYEE_NEW_IN_POSITION"
    TASK_NOT_ELIGIBLE = "TASK_NOT_ELIGIBLE"
    LOCATION_KIND_INVALID = "LOCATION_KIND_INVALID"
    DOMICILE_NOT_REGISTERED = "DOMICILE_NOT_REGISTERED"
    LOCATION_MAX_DAYS_PER_WEEK = "LOCATION_MAX_DAYS_PER_WEEK"
    NATIONAL_FLEX_DAY = "NATIONAL_FLEX_DAY"
    WEEKLY_HOURS_SHORT = "WEEKLY_HOURS_SHORT"
    START_BEFORE_STANDARD = "START_BEFORE_STANDARD"
    DYNAMIC_NOT_ELIGIBLE = "DYNAMIC_NOT_ELIGIBLE"
    SHIFT_NOT_ELIGIBLE = "SHIFT_NOT_ELIGIBLE"
    NON_WORKING_DAY = "NON_WORKING_DAY"
    SERVICE_UNIT_EXCEPTED = "SERVICE_UNIT_EXCEPTED"
    REQUEST_REASON_MISSING = "REQUEST_REASON_MISSING"
    REQUEST_WORKPLAN_MISSING = "REQUEST_WORKPLAN_MISSING"
    COVERAGE_BELOW_MINIMUM = "COVERAGE_BELOW_MINIMUM"

    @property
    def info(self) -> RuleSpec:
        return rule(self)

    @property
    def basis(self) -> str:
        return rule(self).basis

    @property
    def severity(self) -> Severity:
        """The default severity (an agency policy may change some, see ``Policy``)."""
        return rule(self).severity

    @property
    def confidence(self) -> Confidence:
        return rule(self).confidence

    @property
    def granularity(self) -> Granularity:
        return rule(self).granularity


@dataclass(frozen=True, slots=True)
class RuleSpec:
    """Everything about one rule, declared once with ``@declare`` beside its function.

    ``basis`` is the legal basis shown to users, in Indonesian, as REGULATION.md writes it;
    ``confidence_note`` (e.g. "H (aturan) / L (lama)") appears in docs/rules.md only.
    ``message`` turns a finding's numbers into its (Indonesian, English) texts.
    ``setting``/``default``: the agency setting (policy.json key or Policy field) that
    changes the rule, and its default as shown in docs/rules.md.
    """

    code: RuleCode
    granularity: Granularity
    severity: Severity
    confidence: Confidence
    confidence_note: str
    basis: str
    title_id: str
    title_en: str
    message: Callable[[Numbers], Texts]
    function: Callable[..., Any]
    setting: str = ""
    default: str = ""

    def render(self, numbers: Numbers) -> Texts:
        return self.message(numbers)


RuleInfo = RuleSpec  # the former name

_REGISTRY: dict[RuleCode, RuleSpec] = {}
F = TypeVar("F", bound=Callable[..., Any])


def declare(
    code: RuleCode,
    *,
    granularity: Granularity,
    basis: str,
    confidence: Confidence,
    title_id: str,
    title_en: str,
    message: Callable[[Numbers], Texts],
    severity: Severity = Severity.ERROR,
    confidence_note: str = "",
    setting: str = "",
    default: str = "",
) -> Callable[[F], F]:
    """Declare the rule ``code`` implemented by the decorated function (stacked decorators
    declare several codes one function reports, e.g. NON_WORKING_DAY and
    SERVICE_UNIT_EXCEPTED)."""

    def register(function: F) -> F:
        if code in _REGISTRY:
            raise ValueError(f"rule {code} declared twice")
        _REGISTRY[code] = RuleSpec(
            code=code,
            granularity=granularity,
            severity=severity,
            confidence=confidence,
            confidence_note=confidence_note or confidence.value,
            basis=basis,
            title_id=title_id,
            title_en=title_en,
            message=message,
            function=function,
            setting=setting,
            default=default,
        )
        return function

    return register


def rule(code: RuleCode | str) -> RuleSpec:
    """The spec of a rule code (``KeyError`` for an unknown code)."""
    try:
        return _REGISTRY[RuleCode(code)]
    except ValueError as exc:
        raise KeyError(code) from exc
    except KeyError:
        raise LookupError(
            f"rule {code} is not registered: import fleksi.policy (the package) first"
        ) from None


class _Rules(Mapping[RuleCode, RuleSpec]):
    """Read-only view of the registry in the order of ``RuleCode``."""

    def __getitem__(self, code: RuleCode) -> RuleSpec:
        return rule(code)

    def __iter__(self) -> Iterator[RuleCode]:
        return (code for code in RuleCode if code in _REGISTRY)

    def __len__(self) -> int:
        return len(_REGISTRY)


RULES: Mapping[RuleCode, RuleSpec] = _Rules()


def rule_functions(granularity: Granularity) -> tuple[Callable[..., Any], ...]:
    """The distinct functions of one granularity, in the order of ``RuleCode``."""
    out: list[Callable[..., Any]] = []
    for spec in RULES.values():
        if spec.granularity is granularity and spec.function not in out:
            out.append(spec.function)
    return tuple(out)
