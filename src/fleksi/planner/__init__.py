"""The unit's hybrid-schedule planner: pure Python and OR-Tools CP-SAT, no Django.

Dataclasses in (``PlanningInput``), dataclasses out (``Proposal``). What is lawful comes
from the policy core (``fleksi.policy``): eligibility per day, the weekly cap, coverage.
Units are solved one by one (decomposition: no constraint spans two units). See
docs/architecture.md ("planner") and docs/decisions/130-134.
"""

from fleksi.planner.build import UnitProblem, build_units
from fleksi.planner.explain import explain
from fleksi.planner.greedy import greedy_unit
from fleksi.planner.model import (
    WEEKDAY_KEYS,
    Conflict,
    CoverageMinimum,
    FixedDay,
    PlanEmployee,
    PlanningInput,
    Preference,
    Proposal,
    SolveProgress,
    SolverSettings,
    UnitResult,
    Weights,
)
from fleksi.planner.solver import evaluate, propose, solution_rows, solve_unit

__all__ = [
    "WEEKDAY_KEYS",
    "Conflict",
    "CoverageMinimum",
    "FixedDay",
    "PlanEmployee",
    "PlanningInput",
    "Preference",
    "Proposal",
    "SolveProgress",
    "SolverSettings",
    "UnitProblem",
    "UnitResult",
    "Weights",
    "build_units",
    "evaluate",
    "explain",
    "greedy_unit",
    "propose",
    "solution_rows",
    "solve_unit",
]
