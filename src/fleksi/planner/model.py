"""The planner's inputs and outputs: frozen dataclasses, no Django.

A ``PlanningInput`` describes one or more units over whole ISO weeks; ``propose`` (in
``solver``) returns a ``Proposal``. Employees are the policy core's ``EmployeeFacts`` (their
eligibility and weekly cap come from the policy core), fixed days are facts the planner
never changes (approved requests, leave, keadaan khusus days), the rest are the head's
constraints (coverage, anchor days, must-be-in days) and the employees' wishes
(preferred days, soft).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from fleksi.policy.enums import LocationKind
from fleksi.policy.model import DayPlan, EmployeeFacts, UnitFacts
from fleksi.policy.settings import Policy

WEEKDAY_KEYS = ("senin", "selasa", "rabu", "kamis", "jumat", "sabtu", "minggu")
ALL_DAYS: frozenset[int] = frozenset(range(7))


@dataclass(frozen=True, slots=True)
class PlanEmployee:
    """One employee of a unit. ``roles`` are the service roles the head marks (e.g.
    ``"loket"`` for front-desk staff), used by role coverage minimums."""

    facts: EmployeeFacts
    name: str = ""
    roles: frozenset[str] = frozenset()

    @property
    def nip(self) -> str:
        return self.facts.nip

    @property
    def unit(self) -> str:
        return self.facts.unit


@dataclass(frozen=True, slots=True)
class Preference:
    """A preferred weekday away from the office (soft): ``preferences.csv``."""

    nip: str
    weekday: int  # 0 Monday .. 6 Sunday
    location: LocationKind = LocationKind.HOME
    weight: int = 1  # 1..3


@dataclass(frozen=True, slots=True)
class FixedDay:
    """A day the planner keeps as it is: an approved request or keadaan khusus day
    (``row``, kept verbatim), or leave (``leave=True``: not working, not at the office).
    ``reason`` names it in explanations ("cuti", "keadaan khusus", ...)."""

    nip: str
    date: dt.date
    row: DayPlan | None = None
    leave: bool = False
    reason: str = ""

    @property
    def away(self) -> bool:
        """Not at the office that day (away on an approved day, or on leave)."""
        return self.leave or (self.row is not None and self.row.location.away)


@dataclass(frozen=True, slots=True)
class CoverageMinimum:
    """The head's minimum at the office, on top of the agency's policy: a share of the
    unit's own employees and/or a head-count; with ``role``, only among employees with that
    service role (e.g. at least 2 front-desk staff). ``weekdays``: the days it applies."""

    share: float = 0.0
    headcount: int = 0
    role: str | None = None
    weekdays: frozenset[int] = ALL_DAYS


@dataclass(frozen=True, slots=True)
class Weights:
    """The weighted objective (docs/decisions/130-planner-objective.md).

    maximise  preference * sum(bobot of each met preferred day)
            + fairness * E * (the worst-off employee's share of met preferred days, 0..1)
            - change * (days that differ from the current schedule)
            + balance * sum over employees of min(met, half of theirs) / theirs

    where E is the number of employees with a preferred day the law allows: the worst-off
    share weighs as if every one of them had it, so that it matters as much in a unit of
    500 as in one of 5 (and is not lost within the solver's gap).
    """

    preference: int = 100
    fairness: int = 50
    change: int = 1
    balance: int = 100


@dataclass(frozen=True, slots=True)
class SolverSettings:
    """``time_limit`` (seconds) bounds each unit's solve; the best schedule found by then is
    returned with its gap. ``relative_gap`` stops earlier once the proven gap is below it
    (default 0.1%; 0 asks for a proof of optimality)."""

    time_limit: float = 10.0
    workers: int = 2
    relative_gap: float = 0.001
    weights: Weights = Weights()
    seed: int = 0


@dataclass(frozen=True, slots=True)
class SolveProgress:
    """What the solver reports while it searches (``propose(progress=...)``): the unit being
    solved (``unit_index`` of ``units``, 0-based), CP-SAT's solutions found so far in it, the
    best objective and bound and their gap (``None`` before the first solution), the seconds
    spent on the unit against its ``time_limit``; ``done`` once the unit is finished.
    Called from CP-SAT's thread: a receiver should only store it."""

    unit: str
    unit_index: int
    units: int
    solutions: int
    objective: float | None
    bound: float | None
    gap: float | None
    elapsed: float
    time_limit: float
    done: bool = False


@dataclass(frozen=True)
class PlanningInput:
    """Everything the planner needs for the units of ``employees`` over ``weeks`` ISO weeks
    starting on the Monday of ``start``.

    ``current``: the current schedule's rows (``None``: there is none; stability then plays
    no part and no change is counted). ``coverage``: per unit code (``"*"`` for every unit)
    the head's minimums. ``anchors``: weekdays everyone is in the office (fixed days
    excepted), per unit code or ``"*"``. ``must_be_in``: (nip, date) pairs.
    """

    employees: tuple[PlanEmployee, ...]
    start: dt.date
    weeks: int = 1
    policy: Policy = field(default_factory=Policy)
    units: Mapping[str, UnitFacts] = field(default_factory=lambda: MappingProxyType({}))
    current: tuple[DayPlan, ...] | None = None
    fixed: tuple[FixedDay, ...] = ()
    preferences: tuple[Preference, ...] = ()
    anchors: Mapping[str, frozenset[int]] = field(default_factory=lambda: MappingProxyType({}))
    must_be_in: frozenset[tuple[str, dt.date]] = frozenset()
    coverage: Mapping[str, tuple[CoverageMinimum, ...]] = field(
        default_factory=lambda: MappingProxyType({})
    )

    @property
    def monday(self) -> dt.date:
        return self.start - dt.timedelta(days=self.start.weekday())

    @property
    def dates(self) -> tuple[dt.date, ...]:
        monday = self.monday
        return tuple(monday + dt.timedelta(days=i) for i in range(7 * self.weeks))

    def anchors_of(self, unit: str) -> frozenset[int]:
        return self.anchors.get(unit, frozenset()) | self.anchors.get("*", frozenset())

    def coverage_of(self, unit: str) -> tuple[CoverageMinimum, ...]:
        return tuple(self.coverage.get(unit, ())) + tuple(self.coverage.get("*", ()))


@dataclass(frozen=True, slots=True)
class Conflict:
    """One reason no lawful schedule exists, with the numbers it is made of."""

    kind: str  # coverage, role_coverage, weekly_cap, must_be_in, current_plan
    unit: str
    nip: str | None
    date: dt.date | None
    week: str | None
    message_id: str
    message_en: str
    numbers: Mapping[str, int | str] = field(default_factory=dict)

    def message(self, lang: str = "id") -> str:
        return self.message_en if lang == "en" else self.message_id


@dataclass(frozen=True, slots=True)
class UnitResult:
    unit: str
    status: str  # optimal, feasible, infeasible, unknown
    objective: float
    bound: float
    gap: float
    preferences_met: int
    preferences: int
    worst_employee_met_share: float
    changes: int
    seconds: float
    employees: int


@dataclass(frozen=True)
class Proposal:
    """The proposed schedule: ``rows`` is a plan.csv's content (every away day, and the
    days with non-standard hours kept from the current schedule or fixed), or the
    ``conflicts`` that make it impossible (``status == "infeasible"``)."""

    status: str
    rows: tuple[DayPlan, ...]
    units: tuple[UnitResult, ...]
    conflicts: tuple[Conflict, ...] = ()

    @property
    def ok(self) -> bool:
        return self.status in ("optimal", "feasible")

    @property
    def gap(self) -> float:
        return max((u.gap for u in self.units), default=0.0)

    @property
    def objective(self) -> float:
        return sum(u.objective for u in self.units)

    @property
    def preferences_met(self) -> int:
        return sum(u.preferences_met for u in self.units)

    @property
    def preferences(self) -> int:
        return sum(u.preferences for u in self.units)

    @property
    def worst_employee_met_share(self) -> float:
        shares = [u.worst_employee_met_share for u in self.units if u.preferences]
        return min(shares, default=1.0)

    @property
    def changes(self) -> int:
        return sum(u.changes for u in self.units)

    @property
    def seconds(self) -> float:
        return sum(u.seconds for u in self.units)

    def summary(self) -> dict[str, object]:
        """The ``summary`` object of ``fleksi plan propose --format json``."""
        return {
            "status": self.status,
            "gap": round(self.gap, 6),
            "preferences_met": self.preferences_met,
            "preferences": self.preferences,
            "worst_employee_met_share": round(self.worst_employee_met_share, 4),
            "changes": self.changes,
            "seconds": round(self.seconds, 3),
        }
