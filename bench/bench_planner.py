"""Benchmark of the hybrid-schedule planner (fleksi.planner, OR-Tools CP-SAT).

1. One unit of 500 employees over 4 ISO weeks: solved to optimality, or with a proven gap
   under 1%, in under 10 s (build + solve).
2. An agency of 20,000 employees in units of 40-300, decomposed by unit, 4 weeks: under
   2 minutes in all.
3. Quality against the greedy baseline (fleksi.planner.greedy_unit) on the same problems:
   preferred days met, the worst-off employee's share, changes against the current schedule.

Every proposal is checked by the policy core (zero errors). Prints the figures and appends a
section to docs/benchmarks.md (``--no-record`` to skip). ``--quick`` runs a smaller agency.

    PYTHONPATH=src python bench/bench_planner.py
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import platform
import random
import sys
import time
from pathlib import Path

from fleksi.planner import (
    CoverageMinimum,
    FixedDay,
    PlanEmployee,
    PlanningInput,
    Preference,
    SolverSettings,
    build_units,
    evaluate,
    greedy_unit,
    solution_rows,
    solve_unit,
)
from fleksi.policy import (
    AgencyCalendar,
    DayPlan,
    EmployeeFacts,
    LocationKind,
    Policy,
    TimeFlexibility,
    check_plan,
)

MONDAY = dt.date(2027, 2, 1)  # 2027-W05..W08: 4 weeks, with cuti bersama Imlek on 5 Feb
WEEKS = 4
AGENCY_BUDGET = 85.0  # seconds of solving shared by the units, by head-count
ROOT = Path(__file__).resolve().parent.parent


def make_unit(code: str, size: int, rng: random.Random, dates: list[dt.date]) -> tuple[
    list[PlanEmployee], list[Preference], list[DayPlan], list[FixedDay]
]:
    people: list[PlanEmployee] = []
    prefs: list[Preference] = []
    current: list[DayPlan] = []
    fixed: list[FixedDay] = []
    calendar = AgencyCalendar()
    working = [d for d in dates if calendar.is_working_day(d)]
    for i in range(size):
        nip = f"{code}-{i:04d}"
        special: tuple[tuple[dt.date, dt.date], ...] = ()
        if rng.random() < 0.03:
            start = rng.choice(working)
            special = ((start, start + dt.timedelta(days=rng.randint(2, 10))),)
        facts = EmployeeFacts(
            nip=nip,
            unit=code,
            tasks_eligible=rng.random() < 0.85,
            domicile_registered=rng.random() < 0.95,
            field_work=rng.random() < 0.03,
            disciplinary=rng.random() < 0.01,
            time_flexibility=TimeFlexibility.DYNAMIC if rng.random() < 0.1 else TimeFlexibility.NONE,
            special_periods=special,
        )
        roles = frozenset({"loket"}) if rng.random() < 0.08 else frozenset()
        people.append(PlanEmployee(facts, f"Pegawai {code} {i}", roles))
        # Monday and Friday are popular.
        days = rng.sample([0, 0, 0, 1, 2, 3, 4, 4, 4], rng.choice([1, 2, 2, 3]))
        for weekday in sorted(set(days)):
            location = LocationKind.HOME if rng.random() < 0.9 else LocationKind.OTHER_OFFICE
            prefs.append(Preference(nip, weekday, location, rng.randint(1, 3)))
        # The current schedule: a fixed pattern of 1-2 days a week for half the staff.
        if facts.tasks_eligible and rng.random() < 0.5:
            pattern = rng.sample(range(5), rng.choice([1, 2]))
            for day in working:
                if day.weekday() in pattern:
                    current.append(DayPlan(nip=nip, date=day, location=LocationKind.HOME))
        for start, end in special:
            day = start
            while day <= end:
                if day in working and facts.tasks_eligible and facts.domicile_registered and not facts.disciplinary:
                    fixed.append(FixedDay(nip, day, DayPlan(nip=nip, date=day, location=LocationKind.HOME), reason="keadaan khusus"))
                day += dt.timedelta(days=1)
        if rng.random() < 0.05:
            fixed.append(FixedDay(nip, rng.choice(working), leave=True, reason="cuti"))
    return people, prefs, current, fixed


def make_input(sizes: list[int], seed: int) -> PlanningInput:
    rng = random.Random(seed)
    dates = [MONDAY + dt.timedelta(days=i) for i in range(7 * WEEKS)]
    people: list[PlanEmployee] = []
    prefs: list[Preference] = []
    current: list[DayPlan] = []
    fixed: dict[tuple[str, dt.date], FixedDay] = {}
    for index, size in enumerate(sizes):
        unit = f"U{index:03d}"
        p, q, c, f = make_unit(unit, size, rng, dates)
        people += p
        prefs += q
        current += [r for r in c]
        for day in f:
            fixed.setdefault((day.nip, day.date), day)
    fixed_keys = set(fixed)
    return PlanningInput(
        employees=tuple(people),
        start=MONDAY,
        weeks=WEEKS,
        policy=Policy(min_office_share={"*": 0.6}),
        current=tuple(r for r in current if (r.nip, r.date) not in fixed_keys),
        fixed=tuple(fixed.values()),
        preferences=tuple(prefs),
        anchors={"*": frozenset({2})},  # Wednesday: everyone in
        coverage={"*": (CoverageMinimum(headcount=2, role="loket"),)},
    )


def run(
    data: PlanningInput, settings: SolverSettings, budget: float | None = None
) -> dict[str, object]:
    """Solve every unit; with ``budget`` (seconds) each unit's time limit is its share of
    it by head-count (the agency run), else ``settings.time_limit``."""
    started = time.perf_counter()
    problems = build_units(data)
    built = time.perf_counter() - started
    rows: list[DayPlan] = []
    status = "optimal"
    worst_gap = 0.0
    weighted_gap = 0.0
    solver = {"met": 0, "changes": 0, "worst": 1.0}
    greedy = {"met": 0, "changes": 0, "worst": 1.0}
    lawful = 0
    remaining = budget or 0.0
    left = len(data.employees)
    statuses: dict[str, int] = {}
    for problem in problems:
        unit_settings = settings
        if budget is not None:
            # The unit's head-count share of what is left: time a unit did not need goes
            # to the next ones.
            share = remaining * len(problem.employees) / max(1, left)
            unit_settings = dataclasses.replace(settings, time_limit=max(1.0, share))
            left -= len(problem.employees)
        solution = solve_unit(problem, unit_settings)
        if solution is None:
            raise SystemExit(f"unit {problem.unit}: no lawful schedule")
        result = solution.result
        if budget is not None:
            remaining = max(0.0, remaining - result.seconds)
        statuses[result.status] = statuses.get(result.status, 0) + 1
        if result.status != "optimal":
            status = "feasible"
        worst_gap = max(worst_gap, result.gap)
        weighted_gap += result.gap * len(problem.employees)
        rows += solution_rows(problem, solution.away)
        met, n, worst, changes = evaluate(problem, solution.away)
        solver["met"] += met
        solver["changes"] += changes
        solver["worst"] = min(solver["worst"], worst)
        lawful += n
        g_met, _, g_worst, g_changes = evaluate(problem, greedy_unit(problem))
        greedy["met"] += g_met
        greedy["changes"] += g_changes
        greedy["worst"] = min(greedy["worst"], g_worst)
    seconds = time.perf_counter() - started
    check = check_plan([e.facts for e in data.employees], rows, data.policy)
    return {
        "employees": len(data.employees),
        "units": len(problems),
        "cells": sum(len(p.cells) for p in problems),
        "status": status,
        "gap": worst_gap,
        "mean_gap": weighted_gap / max(1, len(data.employees)),
        "seconds": seconds,
        "build": built,
        "errors": check.summary.errors,
        "lawful": lawful,
        "preferences": sum(sum(p.all_prefs.values()) for p in problems),
        "solver": solver,
        "greedy": greedy,
        "statuses": statuses,
    }


def line(name: str, r: dict[str, object]) -> str:
    s, g = r["solver"], r["greedy"]
    assert isinstance(s, dict) and isinstance(g, dict)
    return (
        f"| {name} | {r['employees']:,} | {r['units']} | {r['cells']:,} | {r['status']} | "
        f"{float(r['gap']) * 100:.2f}% (mean {float(r['mean_gap']) * 100:.2f}%) | {float(r['seconds']):.1f} (build {float(r['build']):.1f}) | "
        f"{r['errors']} | {s['met']:,} / {g['met']:,} of {r['lawful']:,} lawful "
        f"({r['preferences']:,} wished) | {s['worst']:.2f} / {g['worst']:.2f} | "
        f"{s['changes']:,} / {g['changes']:,} | {r['statuses']} |"
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--no-record", action="store_true")
    parser.add_argument("--quick", action="store_true", help="a 2,000-employee agency")
    args = parser.parse_args(argv)
    load_before = os.getloadavg()[0]
    unit = run(make_input([500], seed=1), SolverSettings(time_limit=10.0, relative_gap=0.001))
    rng = random.Random(7)
    target = 2_000 if args.quick else 20_000
    sizes: list[int] = []
    while sum(sizes) < target:
        sizes.append(min(rng.randint(40, 300), target - sum(sizes)))
    agency = run(
        make_input(sizes, seed=2), SolverSettings(relative_gap=0.005), budget=AGENCY_BUDGET
    )
    load_after = os.getloadavg()[0]
    header = (
        "| run | employees | units | cells | status | worst gap (mean by head-count) | seconds | policy errors | "
        "preferred days met (CP-SAT / greedy) | worst-off share (CP-SAT / greedy) | "
        "changes (CP-SAT / greedy) | units by status |\n|---|---|---|---|---|---|---|---|---|---|---|---|"
    )
    unit_ok = float(unit["seconds"]) < 10 and (unit["status"] == "optimal" or float(unit["gap"]) < 0.01)
    agency_ok = float(agency["seconds"]) < 120
    cpu = platform.processor() or platform.machine()
    text = "\n".join(
        [
            "",
            f"## Planner (CP-SAT), {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
            "",
            f"Command: `PYTHONPATH=src python bench/bench_planner.py{' --quick' if args.quick else ''}`",
            "",
            f"- Machine: {platform.system()} {platform.release()} {cpu}; nproc {os.cpu_count()}; "
            f"load average {load_before:.1f} before, {load_after:.1f} after (other engineers "
            f"share the machine); Python {platform.python_version()}; CP-SAT 2 workers per unit",
            f"- Horizon: {WEEKS} ISO weeks from {MONDAY.isoformat()}; office share 60%, "
            "Wednesday anchor, at least 2 front-desk (loket) staff per unit, 3% keadaan khusus, "
            "5% one leave day, half of the staff with a current 1-2 day pattern; Monday and "
            "Friday popular",
            "- Unit: time limit 10 s, relative gap limit 0.1%; agency: relative gap limit 0.5%, "
            f"time limit per unit its head-count share of what is left of {AGENCY_BUDGET:g} s "
            "(at least 1 s)",
            "",
            header,
            line("unit of 500", unit),
            line(f"agency of {agency['employees']:,}", agency),
            "",
            f"Targets: unit optimal or gap < 1% in < 10 s: {'met' if unit_ok else 'NOT met'}; "
            f"agency in < 2 min: {'met' if agency_ok else 'NOT met'}; policy errors 0: "
            f"{'met' if unit['errors'] == agency['errors'] == 0 else 'NOT met'}.",
            "",
        ]
    )
    print(text)
    if not args.no_record:
        with (ROOT / "docs" / "benchmarks.md").open("a", encoding="utf-8") as out:
            out.write(text)
    return 0 if unit_ok and agency_ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
