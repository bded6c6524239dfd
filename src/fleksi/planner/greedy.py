"""Greedy schedules: the baseline the bench compares with, and the solver's hint.

``greedy_unit`` grants preferred days in order of weight, day by day, while every coverage
minimum and weekly cap still has room; then keeps current away days where there is still
room. ``fair=True`` instead always serves next the employee with the lowest share of their
preferred days met so far (the solver's hint: a fair start within a short time limit).
Both are lawful by construction, neither is optimal.
"""

from __future__ import annotations

import heapq

from fleksi.planner.build import UnitProblem


def greedy_unit(problem: UnitProblem, *, fair: bool = False) -> list[bool]:
    """One Boolean per cell: away or not."""
    room = [d.limit for d in problem.demands]
    member: list[list[int]] = [[] for _ in problem.cells]
    for k, demand in enumerate(problem.demands):
        for c in demand.cells:
            member[c].append(k)
    away = [False] * len(problem.cells)
    cells = problem.cells

    def grant(i: int) -> bool:
        if all(room[k] > 0 for k in member[i]):
            away[i] = True
            for k in member[i]:
                room[k] -= 1
            return True
        return False

    wanted = [i for i, c in enumerate(cells) if c.pref_weight]
    if fair:
        lawful = problem.lawful_prefs
        met: dict[int, int] = {}
        heap = [(0.0, -cells[i].pref_weight, cells[i].date.toordinal(), i) for i in wanted]
        heapq.heapify(heap)
        while heap:
            share, weight, day, i = heapq.heappop(heap)
            index = cells[i].index
            current = met.get(index, 0) / max(1, lawful.get(index, 1))
            if current > share:
                heapq.heappush(heap, (current, weight, day, i))
                continue
            if grant(i):
                met[index] = met.get(index, 0) + 1
    else:
        wanted.sort(key=lambda i: (-cells[i].pref_weight, cells[i].date, i))
        for i in wanted:
            grant(i)
    for i, cell in enumerate(cells):
        if not cell.pref_weight and cell.current_away is cell.location:
            grant(i)
    return away
