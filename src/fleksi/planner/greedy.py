"""The greedy baseline (and the solver's hint): grant preferred days in order of weight,
day by day, while every coverage minimum and weekly cap still has room; then keep current
away days where there is still room. Lawful by construction, neither fair nor optimal."""

from __future__ import annotations

from fleksi.planner.build import UnitProblem


def greedy_unit(problem: UnitProblem) -> list[bool]:
    """One Boolean per cell: away or not."""
    room = [d.limit for d in problem.demands]
    member: list[list[int]] = [[] for _ in problem.cells]
    for k, demand in enumerate(problem.demands):
        for c in demand.cells:
            member[c].append(k)
    away = [False] * len(problem.cells)
    wanted = [i for i, c in enumerate(problem.cells) if c.pref_weight]
    wanted.sort(key=lambda i: (-problem.cells[i].pref_weight, problem.cells[i].date, i))
    kept = [
        i
        for i, c in enumerate(problem.cells)
        if not c.pref_weight and c.current_away is c.location
    ]
    for i in wanted + kept:
        if all(room[k] > 0 for k in member[i]):
            away[i] = True
            for k in member[i]:
                room[k] -= 1
    return away
