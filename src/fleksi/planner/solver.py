"""The CP-SAT model of one unit, and ``propose`` over all units (decomposed by unit).

One Boolean per cell (an employee's day the planner may plan away). Hard: every demand
(the unit's coverage per day, per service role, the employee's weekly cap) as "at most
``limit`` of these cells away". Objective (weighted, docs/decisions/130): preferred days
met (by bobot), the worst-off employee's share of met preferred days, fewest changes
against the current schedule. A greedy schedule is given as a hint, so a solution exists
from the start and the time limit returns the best found with its gap.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from fleksi.planner.build import Cell, UnitProblem, build_units
from fleksi.planner.explain import explain
from fleksi.planner.greedy import greedy_unit
from fleksi.planner.model import (
    PlanningInput,
    Proposal,
    SolveProgress,
    SolverSettings,
    UnitResult,
)
from fleksi.policy.enums import LocationKind
from fleksi.policy.model import DayPlan

PER_MILLE = 1000

# (solutions found, objective, best bound, seconds since the unit's solve started)
OnSolution = Callable[[int, float, float, float], None]


class _Progress(cp_model.CpSolverSolutionCallback):
    """Passes each improving solution CP-SAT finds to ``report`` (from the solver's thread)."""

    def __init__(self, report: OnSolution, started: float) -> None:
        super().__init__()
        self._report = report
        self._started = started
        self.solutions = 0

    def on_solution_callback(self) -> None:
        self.solutions += 1
        self._report(
            self.solutions,
            self.objective_value,
            self.best_objective_bound,
            time.perf_counter() - self._started,
        )


@dataclass(frozen=True, slots=True)
class UnitSolution:
    result: UnitResult
    away: tuple[bool, ...]  # per cell


def cell_change(cell: Cell, away: bool) -> int:
    """1 if the day differs from the current schedule (its place), else 0."""
    if away:
        return 0 if cell.current_away is cell.location else 1
    return 0 if cell.current_away is None else 1


def evaluate(problem: UnitProblem, away: list[bool] | tuple[bool, ...]) -> tuple[int, int, float, int]:
    """(preferences met, lawful preferred days, worst-off employee's share, changes)."""
    met: dict[int, int] = {}
    changes = problem.forced_changes
    for cell, is_away in zip(problem.cells, away, strict=True):
        if is_away and cell.pref_weight:
            met[cell.index] = met.get(cell.index, 0) + 1
        if problem.has_current:
            changes += cell_change(cell, is_away)
    lawful = problem.lawful_prefs
    shares = [met.get(i, 0) / n for i, n in lawful.items() if n]
    worst = min(shares, default=1.0)
    return sum(met.values()), sum(lawful.values()), worst, changes


def solve_unit(
    problem: UnitProblem, settings: SolverSettings, on_solution: OnSolution | None = None
) -> UnitSolution | None:
    """The best schedule of one unit, or ``None`` when the demands conflict.
    ``on_solution`` hears of every improving solution while CP-SAT searches."""
    started = time.perf_counter()
    if any(d.limit < 0 for d in problem.demands) or problem.pins or problem.invalid_fixed:
        return None
    hint = greedy_unit(problem, fair=True)
    size = len(problem.employees)
    if not problem.cells:
        return UnitSolution(_result(problem, [], "optimal", 0.0, 0.0, started), ())
    model = cp_model.CpModel()
    x = [model.new_bool_var(f"x{i}") for i in range(len(problem.cells))]
    for demand in problem.demands:
        if len(demand.cells) > demand.limit:
            model.add(sum(x[c] for c in demand.cells) <= demand.limit)
    weights = settings.weights
    terms = []
    coeffs = []
    constant = 0
    for i, cell in enumerate(problem.cells):
        coefficient = PER_MILLE * weights.preference * cell.pref_weight
        if problem.has_current:
            # change(away) - change(office) = (location differs) - (currently away)
            delta = cell_change(cell, True) - cell_change(cell, False)
            coefficient -= PER_MILLE * weights.change * delta
            constant -= PER_MILLE * weights.change * cell_change(cell, False)
        if coefficient:
            terms.append(x[i])
            coeffs.append(coefficient)
    objective = cp_model.LinearExpr.weighted_sum(terms, coeffs) + constant
    if weights.balance and problem.lawful_prefs:
        # Diminishing returns: the first half of each employee's preferred days weighs
        # ``balance`` more per employee (as a share of theirs), so popular days go round
        # before anyone gets all of theirs; per employee, so the LP stays tight.
        by_emp: dict[int, list[int]] = {}
        for i, cell in enumerate(problem.cells):
            if cell.pref_weight:
                by_emp.setdefault(cell.index, []).append(i)
        for index, lawful in problem.lawful_prefs.items():
            cells = by_emp.get(index, [])
            half = (lawful + 1) // 2
            if not cells:
                continue
            z = model.new_int_var(0, half, f"z{index}")
            model.add(z <= sum(x[c] for c in cells))
            objective = objective + (weights.balance * PER_MILLE // lawful) * z
    if weights.fairness and problem.lawful_prefs:
        worst = model.new_int_var(0, PER_MILLE, "worst")
        by_employee: dict[int, list[int]] = {}
        for i, cell in enumerate(problem.cells):
            if cell.pref_weight:
                by_employee.setdefault(cell.index, []).append(i)
        for index, lawful in problem.lawful_prefs.items():
            cells = by_employee.get(index, [])
            model.add(lawful * worst <= PER_MILLE * sum(x[c] for c in cells))
        # The worst-off share counts as if every employee with a preferred day had it:
        # ``fairness`` per employee for the whole range 0..100% (the others are per mille).
        objective = objective + weights.fairness * len(problem.lawful_prefs) * worst
        hint_met: dict[int, int] = {}
        for i, cell in enumerate(problem.cells):
            if hint[i] and cell.pref_weight:
                hint_met[cell.index] = hint_met.get(cell.index, 0) + 1
        model.add_hint(
            worst,
            min(PER_MILLE * hint_met.get(i, 0) // n for i, n in problem.lawful_prefs.items()),
        )
    model.maximize(objective)
    for var, hinted in zip(x, hint, strict=True):
        model.add_hint(var, hinted)
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.max_time_in_seconds = max(0.05, settings.time_limit - (time.perf_counter() - started))
    params.num_workers = max(1, settings.workers)
    params.random_seed = settings.seed
    # CP-SAT's presolve spends seconds turning the coverage sums into clauses and then
    # proves less; the model is small and its LP relaxation is nearly integral (each cell
    # is in one cap and one coverage constraint): the search without presolve is faster.
    params.cp_model_presolve = False
    if settings.relative_gap > 0:
        params.relative_gap_limit = settings.relative_gap
    status = solver.solve(model, _Progress(on_solution, started) if on_solution else None)
    if status == cp_model.INFEASIBLE:
        return None
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        # No solution within the limit (not expected: the hint is one): the greedy one.
        result = _result(problem, hint, "feasible", 0.0, 1.0, started, size)
        return UnitSolution(result, tuple(hint))
    away = [bool(solver.boolean_value(v)) for v in x]
    value = solver.objective_value
    bound = solver.best_objective_bound
    # OPTIMAL is also CP-SAT's answer when the relative gap limit is reached: say
    # "optimal" only when it is proven (bound == objective), else "feasible" with the gap.
    name = "optimal" if status == cp_model.OPTIMAL and bound <= value + 1e-9 else "feasible"
    return UnitSolution(_result(problem, away, name, value, bound, started, size), tuple(away))


def _result(
    problem: UnitProblem,
    away: list[bool],
    status: str,
    objective: float,
    bound: float,
    started: float,
    size: int | None = None,
) -> UnitResult:
    met, lawful, worst, changes = evaluate(problem, away)
    gap = abs(bound - objective) / max(1.0, abs(objective))
    total = sum(problem.all_prefs.values())
    return UnitResult(
        unit=problem.unit,
        status=status,
        objective=objective,
        bound=bound,
        gap=gap,
        preferences_met=met,
        preferences=total,
        worst_employee_met_share=worst if lawful else 1.0,
        changes=changes,
        seconds=time.perf_counter() - started,
        employees=len(problem.employees) if size is None else size,
    )


def solution_rows(problem: UnitProblem, away: tuple[bool, ...] | list[bool]) -> list[DayPlan]:
    """The plan rows of a unit's schedule: fixed rows, away days, office days with hours."""
    rows = list(problem.fixed_rows) + list(problem.kept_rows)
    for cell, is_away in zip(problem.cells, away, strict=True):
        nip = problem.employees[cell.index].nip
        if is_away:
            if cell.template is None:
                rows.append(DayPlan(nip=nip, date=cell.date, location=cell.location))
            else:
                rows.append(
                    DayPlan(
                        nip=nip,
                        date=cell.date,
                        location=cell.location,
                        start=cell.template.start,
                        end=cell.template.end,
                        time_kind=cell.template.time_kind,
                    )
                )
        elif cell.office_row is not None:
            rows.append(
                DayPlan(
                    nip=nip,
                    date=cell.date,
                    location=LocationKind.OFFICE,
                    start=cell.office_row.start,
                    end=cell.office_row.end,
                    time_kind=cell.office_row.time_kind,
                )
            )
    return rows


def propose(
    data: PlanningInput,
    settings: SolverSettings | None = None,
    progress: Callable[[SolveProgress], None] | None = None,
) -> Proposal:
    """Propose a lawful schedule for every unit of ``data`` (each unit solved on its own),
    or explain why none exists. Rows are sorted by NIP and date. ``progress`` (optional)
    hears when a unit starts, of each improving solution CP-SAT finds, and when a unit is
    done (``SolveProgress``)."""
    settings = settings or SolverSettings()
    problems = build_units(data)
    results: list[UnitResult] = []
    rows: list[DayPlan] = []
    conflicts = []
    total = len(problems)
    for index, problem in enumerate(problems):
        on_solution: OnSolution | None = None
        found = [0]
        if progress is not None:
            limit = settings.time_limit
            tell = progress
            tell(SolveProgress(problem.unit, index, total, 0, None, None, None, 0.0, limit))

            def _report(
                solutions: int, objective: float, bound: float, elapsed: float,
                unit: str = problem.unit, index: int = index, limit: float = limit,
                found: list[int] = found, tell: Callable[[SolveProgress], None] = tell,
            ) -> None:
                found[0] = solutions
                gap = abs(bound - objective) / max(1.0, abs(objective))
                tell(SolveProgress(unit, index, total, solutions, objective, bound, gap, elapsed, limit))

            on_solution = _report

        solution = solve_unit(problem, settings, on_solution)
        if solution is None:
            conflicts.extend(explain(problem, data))
            if progress is not None:
                progress(SolveProgress(problem.unit, index, total, 0, None, None, None, 0.0, settings.time_limit, True))
            continue
        if progress is not None:
            r = solution.result
            progress(
                SolveProgress(r.unit, index, total, found[0], r.objective, r.bound, r.gap, r.seconds, settings.time_limit, True)
            )
        results.append(solution.result)
        rows.extend(solution_rows(problem, solution.away))
    if conflicts:
        return Proposal(status="infeasible", rows=(), units=tuple(results), conflicts=tuple(conflicts))
    rows.sort(key=lambda r: (r.nip, r.date))
    status = "optimal" if all(r.status == "optimal" for r in results) else "feasible"
    return Proposal(status=status, rows=tuple(rows), units=tuple(results))
