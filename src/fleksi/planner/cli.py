"""``fleksi plan propose``: a lawful hybrid schedule from files, without a database.

    fleksi plan propose --employees employees.csv --from YYYY-MM-DD --weeks N
                        [--preferences preferences.csv] [--plan current.csv] [--policy policy.json]
                        [--anchor senin,rabu] [--time-limit SECONDS] [--format csv|json] [--lang id|en]

Exit 0: a schedule was found (stdout: plan.csv, or JSON with a summary); 1: no lawful
schedule exists (the conflicts on stderr, nothing on stdout); 2: the input is invalid.
The same solver as the head's planner page (``fleksi.planner.propose``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from fleksi.planner.formats import plan_csv, proposal_json, read_preferences
from fleksi.planner.model import WEEKDAY_KEYS, FixedDay, PlanEmployee, PlanningInput, SolverSettings
from fleksi.planner.solver import propose
from fleksi.policy.check import check_employee, check_plan
from fleksi.policy.cli import _parse_argv, _Parser, _policy_and_employees, _print_problems, _read
from fleksi.policy.enums import Severity
from fleksi.policy.formats import employee_facts, read_plan, unit_facts
from fleksi.policy.model import DayPlan, EmployeeFacts
from fleksi.policy.problems import Problem
from fleksi.policy.settings import Policy

EXIT_OK, EXIT_INFEASIBLE, EXIT_INVALID = 0, 1, 2
MAX_WEEKS = 53
DEFAULT_TIME_LIMIT = 10.0


def _parser() -> _Parser:
    parser = _Parser(
        prog="fleksi plan propose",
        description="Usulkan jadwal hybrid yang sah (tanpa basis data). "
        "Propose a lawful hybrid schedule (no database).",
    )
    parser.add_argument("--employees", required=True, help="employees.csv / .xlsx")
    parser.add_argument("--from", dest="start", required=True, help="YYYY-MM-DD")
    parser.add_argument("--weeks", required=True, help="number of ISO weeks")
    parser.add_argument("--preferences", help="preferences.csv / .xlsx")
    parser.add_argument("--plan", help="the current schedule: plan.csv / .xlsx")
    parser.add_argument("--policy", help="policy.json")
    parser.add_argument("--anchor", default="", help="weekdays everyone is in, e.g. senin,rabu")
    parser.add_argument("--time-limit", default=str(DEFAULT_TIME_LIMIT), help="seconds per unit")
    parser.add_argument("--format", choices=("csv", "json"), default="csv")
    parser.add_argument("--lang", choices=("id", "en"), default="id")
    return parser


def _arg_problem(column: str, message_id: str, message_en: str) -> Problem:
    return Problem("argumen", 0, column, message_id, message_en)


def _parse_args(args: argparse.Namespace, problems: list[Problem]) -> tuple[dt.date | None, int, frozenset[int], float]:
    start: dt.date | None = None
    try:
        start = dt.date.fromisoformat(args.start)
    except ValueError:
        problems.append(
            _arg_problem("--from", f"tanggal '{args.start}' tidak sah (TTTT-BB-HH)", f"invalid date '{args.start}' (YYYY-MM-DD)")
        )
    weeks = 0
    if args.weeks.isdigit() and 1 <= int(args.weeks) <= MAX_WEEKS:
        weeks = int(args.weeks)
    else:
        problems.append(
            _arg_problem(
                "--weeks",
                f"jumlah minggu '{args.weeks}' tidak sah: 1 sampai {MAX_WEEKS}",
                f"invalid number of weeks '{args.weeks}': 1 to {MAX_WEEKS}",
            )
        )
    anchors: set[int] = set()
    for name in filter(None, (p.strip().lower() for p in args.anchor.split(","))):
        if name in WEEKDAY_KEYS[:5]:
            anchors.add(WEEKDAY_KEYS.index(name))
        else:
            problems.append(
                _arg_problem(
                    "--anchor",
                    f"hari '{name}' tidak dikenal; pilih dari: {', '.join(WEEKDAY_KEYS[:5])}",
                    f"unknown day '{name}'; use: {', '.join(WEEKDAY_KEYS[:5])}",
                )
            )
    limit = 0.0
    try:
        limit = float(args.time_limit)
        if not 0 < limit <= 3600:
            raise ValueError
    except ValueError:
        problems.append(
            _arg_problem(
                "--time-limit",
                f"batas waktu '{args.time_limit}' tidak sah: detik, lebih dari 0 (paling lama 3600)",
                f"invalid time limit '{args.time_limit}': seconds, more than 0 (at most 3600)",
            )
        )
    return start, weeks, frozenset(anchors), limit


def _split_plan(
    rows: list[DayPlan], facts: dict[str, EmployeeFacts], policy: Policy
) -> tuple[tuple[FixedDay, ...], tuple[DayPlan, ...]]:
    """Rows on an approved keadaan khusus day that break no rule stay as they are (fixed);
    the others are the current schedule the planner may change."""
    fixed: list[FixedDay] = []
    current: list[DayPlan] = []
    for row in rows:
        employee = facts[row.nip]
        if employee.in_special_period(row.date):
            errors = [
                f for f in check_employee(employee, [row], policy) if f.severity is Severity.ERROR
            ]
            if not errors:
                fixed.append(FixedDay(row.nip, row.date, row=row, reason="keadaan khusus"))
                continue
        current.append(row)
    return tuple(fixed), tuple(current)


def plan_propose_main(argv: list[str], *, today: dt.date | None = None) -> int:
    """``fleksi plan propose``: returns the exit code (0, 1 or 2)."""
    today = today or dt.date.today()  # noqa: DTZ011 - the CLI's edge
    args = _parse_argv(_parser(), argv)
    if isinstance(args, int):
        return args
    lang: str = args.lang
    problems: list[Problem] = []
    warnings: list[Problem] = []
    start, weeks, anchors, limit = _parse_args(args, problems)

    employees_data = _read(args.employees, lang, problems)
    prefs_data = _read(args.preferences, lang, problems) if args.preferences else None
    plan_data = _read(args.plan, lang, problems) if args.plan else None
    policy_data = _read(args.policy, lang, problems) if args.policy else None

    policy, employees = _policy_and_employees(
        policy_data, args.policy, employees_data, args.employees, today=today, problems=problems, warnings=warnings
    )
    known = employees.ok if employees is not None else False
    facts = {r.nip: employee_facts(r) for r in employees.rows} if employees and known else {}
    preferences = None
    if prefs_data is not None:
        preferences = read_preferences(
            prefs_data, args.preferences, {n: f.time_flexibility for n, f in facts.items()}
        ) if known else None
        if preferences is not None:
            problems.extend(preferences.problems)
            warnings.extend(preferences.warnings)
    plan = None
    if plan_data is not None:
        plan = read_plan(plan_data, args.plan, set(facts) if known else None, today=today)
        problems.extend(plan.problems)
        warnings.extend(plan.warnings)

    _print_problems(warnings, lang, sys.stderr)
    if problems or employees is None or policy is None or start is None:
        _print_problems(problems, lang, sys.stderr)
        return EXIT_INVALID

    names = {r.nip: r.name for r in employees.rows}
    fixed, current = _split_plan(plan.rows if plan else [], facts, policy)
    data = PlanningInput(
        employees=tuple(PlanEmployee(f, names.get(n, "")) for n, f in facts.items()),
        start=start,
        weeks=weeks,
        policy=policy,
        units=unit_facts(employees),
        current=current if plan is not None else None,
        fixed=fixed,
        preferences=tuple(preferences.rows) if preferences else (),
        anchors={"*": anchors} if anchors else {},
    )
    proposal = propose(data, SolverSettings(time_limit=limit))
    if not proposal.ok:
        print(
            "Tidak ada jadwal yang sah; batasan berikut saling bertentangan:"
            if lang != "en"
            else "No lawful schedule exists; these constraints conflict:",
            file=sys.stderr,
        )
        for conflict in proposal.conflicts:
            print(f"- {conflict.message(lang)}", file=sys.stderr)
        return EXIT_INFEASIBLE
    # The safety net: the policy core checks what the planner proposes.
    check = check_plan(list(facts.values()), proposal.rows, policy, units=data.units)
    if check.has_errors:  # pragma: no cover - the property test says this does not happen
        for finding in check.findings:
            if finding.severity is Severity.ERROR:
                print(f"- {finding.message(lang)}", file=sys.stderr)
        return EXIT_INFEASIBLE
    if args.format == "json":
        sys.stdout.write(proposal_json(proposal))
    else:
        sys.stdout.write(plan_csv(proposal.rows))
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(plan_propose_main(sys.argv[1:]))
