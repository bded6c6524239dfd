"""Command-line entry points of the policy core (wired into the ``fleksi`` command).

- ``plan_check_main``: ``fleksi plan check --employees F --plan F [--policy F]
  [--format json|text] [--lang id|en]``. Exit 0: no finding of severity ``error``;
  1: at least one; 2: invalid input (messages on stderr as ``file:line: column: message``,
  nothing on stdout), including a file with no data row (only the header).
- ``rules_doc_main``: ``fleksi rules-doc [--check] [--output docs/rules.md]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from fleksi.policy.check import CheckResult, check_plan
from fleksi.policy.enums import Severity
from fleksi.policy.formats import (
    employee_facts,
    findings_to_json,
    read_employees,
    read_plan,
    read_policy,
    unit_facts,
)
from fleksi.policy.formats.employees import EmployeesReadResult
from fleksi.policy.model import Finding
from fleksi.policy.problems import Problem
from fleksi.policy.settings import Policy

EXIT_OK, EXIT_FINDINGS, EXIT_INVALID = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, so that the caller returns the exit code."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        raise _UsageError(message)


class _UsageError(Exception):
    pass


def _plan_check_parser() -> _Parser:
    parser = _Parser(
        prog="fleksi plan check",
        description="Periksa rencana kerja fleksibel terhadap aturan (tanpa basis data). "
        "Check a flexible-work plan against the rules (no database).",
    )
    parser.add_argument("--employees", required=True, help="employees.csv / .xlsx")
    parser.add_argument("--plan", required=True, help="plan.csv / .xlsx")
    parser.add_argument("--policy", help="policy.json (optional)")
    parser.add_argument("--format", choices=("json", "text"), default="json")
    parser.add_argument("--lang", choices=("id", "en"), default="id")
    return parser


def _parse_argv(parser: _Parser, argv: list[str]) -> argparse.Namespace | int:
    """The parsed arguments, or the exit code to return: 2 after a usage error (the usage
    and ``PROG: message`` on stderr), 0 after --help. Shared by the file commands."""
    try:
        return parser.parse_args(argv)
    except _UsageError as exc:
        print(f"{parser.prog}: {exc}", file=sys.stderr)
        return EXIT_INVALID
    except SystemExit as exc:  # --help
        return int(exc.code or 0)


def _read(path: str, lang: str, problems: list[Problem]) -> bytes | None:
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        message_id, message_en = "file tidak ditemukan", "file not found"
    except IsADirectoryError:
        message_id, message_en = "bukan file (folder)", "not a file (a directory)"
    except PermissionError:
        message_id, message_en = "tidak ada izin membaca file", "no permission to read the file"
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        message_id, message_en = (
            f"file tidak dapat dibaca ({reason})",
            f"cannot read the file ({reason})",
        )
    problems.append(Problem(path, 0, "", message_id, message_en))
    return None


def _no_rows(path: str) -> Problem:
    """A file with a header and no data: nothing could be checked, which is never meant."""
    return Problem(
        path,
        0,
        "",
        "file tidak berisi satu baris data pun (hanya judul kolom); tidak ada yang dapat diperiksa",
        "the file has no data row (only the header); there is nothing to check",
    )


def _print_problems(problems: Sequence[Problem], lang: str, stream: TextIO) -> None:
    for problem in problems:
        print(problem.format(lang), file=stream)


def _policy_and_employees(
    policy_data: bytes | None,
    policy_path: str | None,
    employees_data: bytes | None,
    employees_path: str,
    *,
    today: dt.date,
    problems: list[Problem],
    warnings: list[Problem],
) -> tuple[Policy | None, EmployeesReadResult | None]:
    """The policy (the default without a file) and the employees file read as the file
    commands read them; their problems and warnings are added to the lists."""
    policy: Policy | None = Policy()
    if policy_data is not None:
        policy, policy_problems = read_policy(policy_data, policy_path or "")
        problems.extend(policy_problems)
    employees = None
    if employees_data is not None:
        employees = read_employees(employees_data, employees_path, today=today)
        problems.extend(employees.problems)
        warnings.extend(employees.warnings)
        if employees.ok and not employees.rows:
            problems.append(_no_rows(employees_path))
    return policy, employees


def plan_check_main(argv: list[str], *, today: dt.date | None = None) -> int:
    """``fleksi plan check``: returns the exit code (0, 1 or 2).

    ``today`` (default: the machine's local date; the CLI is the edge where the clock is
    read) refuses NIPs dated in the future. The cyclic garbage collector is paused for the
    run (and restored after): the reader builds millions of acyclic objects it would scan
    for nothing. This is the command line only; the web server never pauses it.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _plan_check(argv, today or dt.date.today())  # noqa: DTZ011 - the CLI's edge
    finally:
        if was_enabled:
            gc.enable()


def _plan_check(argv: list[str], today: dt.date) -> int:
    args = _parse_argv(_plan_check_parser(), argv)
    if isinstance(args, int):
        return args
    lang: str = args.lang

    problems: list[Problem] = []
    warnings: list[Problem] = []
    employees_data = _read(args.employees, lang, problems)
    plan_data = _read(args.plan, lang, problems)
    policy_data = _read(args.policy, lang, problems) if args.policy else None

    # A supervisor outside the employees file cannot be checked without the database: fine here.
    policy, employees = _policy_and_employees(
        policy_data, args.policy, employees_data, args.employees, today=today, problems=problems, warnings=warnings
    )

    plan = None
    if plan_data is not None:
        known = {e.nip for e in employees.rows} if employees and employees.ok else None
        plan = read_plan(plan_data, args.plan, known, today=today)
        problems.extend(plan.problems)
        warnings.extend(plan.warnings)
        if plan.ok and not plan.rows:
            problems.append(_no_rows(args.plan))

    _print_problems(warnings, lang, sys.stderr)
    if problems or employees is None or plan is None or policy is None:
        _print_problems(problems, lang, sys.stderr)
        return EXIT_INVALID

    result = check_plan(
        [employee_facts(r) for r in employees.rows],
        plan.rows,
        policy,
        units=unit_facts(employees),
    )
    if args.format == "json":
        sys.stdout.write(findings_to_json(result, lang))
    else:
        sys.stdout.write(format_text(result, lang))
    return EXIT_FINDINGS if result.has_errors else EXIT_OK


_SEVERITY_TEXT = {
    "id": {Severity.ERROR: "GALAT", Severity.WARNING: "PERINGATAN", Severity.INFO: "INFO"},
    "en": {Severity.ERROR: "ERROR", Severity.WARNING: "WARNING", Severity.INFO: "INFO"},
}


def format_text(result: CheckResult, lang: str = "id") -> str:
    """A readable report grouped by employee (then unit findings), in the chosen language."""
    by_employee: dict[tuple[str, str], list[Finding]] = {}
    by_unit: dict[str, list[Finding]] = {}
    for finding in result.findings:
        if finding.nip is None:
            by_unit.setdefault(finding.unit or "", []).append(finding)
        else:
            by_employee.setdefault((finding.unit or "", finding.nip), []).append(finding)
    severity = _SEVERITY_TEXT[lang if lang in _SEVERITY_TEXT else "id"]
    lines: list[str] = []

    def item(finding: Finding) -> str:
        when = finding.date.isoformat() if finding.date else finding.week or ""
        return (
            f"  {when:<10}  {severity[finding.severity]:<10} {finding.code.value}: "
            f"{finding.message(lang)}\n    [{finding.basis}]"
        )

    employee_word = "Employee" if lang == "en" else "Pegawai"
    unit_word = "Unit"
    for (unit, nip), findings in sorted(by_employee.items()):
        lines.append(f"{employee_word} {nip} ({unit_word} {unit})")
        lines.extend(item(f) for f in findings)
        lines.append("")
    for unit, findings in sorted(by_unit.items()):
        lines.append(f"{unit_word} {unit}")
        lines.extend(item(f) for f in findings)
        lines.append("")
    s = result.summary
    if lang == "en":
        if not result.findings:
            lines.append("No findings.")
        lines.append(
            f"Summary: {s.employees} employees, {s.days} days, {s.errors} errors, "
            f"{s.warnings} warnings, {s.infos} info."
        )
    else:
        if not result.findings:
            lines.append("Tidak ada temuan.")
        lines.append(
            f"Ringkasan: {s.employees} pegawai, {s.days} hari, {s.errors} galat, "
            f"{s.warnings} peringatan, {s.infos} info."
        )
    return "\n".join(lines) + "\n"


def rules_doc_main(argv: list[str]) -> int:
    """``fleksi rules-doc [--check] [--output PATH]``: write or check ``docs/rules.md``."""
    from fleksi.policy.docs import rules_markdown

    parser = _Parser(prog="fleksi rules-doc", description="Write or check docs/rules.md.")
    parser.add_argument("--check", action="store_true", help="exit 1 if the file is stale")
    parser.add_argument("--output", default="docs/rules.md")
    args = _parse_argv(parser, argv)
    if isinstance(args, int):
        return args
    path = Path(args.output)
    text = rules_markdown()
    current = path.read_text(encoding="utf-8") if path.exists() else None
    if args.check:
        if current != text:
            print(
                f"{path} is out of date: run `fleksi rules-doc` and commit the result",
                file=sys.stderr,
            )
            return 1
        return 0
    if current != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(plan_check_main(sys.argv[1:]))
