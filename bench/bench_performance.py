"""Benchmark of the head's performance view: a unit of 500 employees with a month of logs.

Run: ``make bench`` or ``.venv/bin/python bench/bench_performance.py [--runs 30] [--no-append]``.

Times ``performance.selectors.unit_period`` alone and the whole page
(``performance:unit_period`` through Django's test client) on PostgreSQL and on SQLite, and
counts the queries of each (they must not grow with employees or logs). Each database runs
in its own process: PostgreSQL in a dedicated database created on ``BENCH_POSTGRES_URL``
(default postgres://root@127.0.0.1:5432/test) and dropped afterwards, SQLite in a temporary
file. Prints the figures and appends a section to docs/benchmarks.md.
Target (issue 9): the page under 300 ms on PostgreSQL.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
DEFAULT_POSTGRES = "postgres://root@127.0.0.1:5432/test"
EMPLOYEES = 500
TARGET_MS = 300.0
PERIOD = "2026-11"
MONTH_START = dt.date(2026, 11, 1)
MONTH_END = dt.date(2026, 11, 30)


def _postgres_database(url: str, name: str, create: bool) -> None:
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        if create:
            conn.execute(f'CREATE DATABASE "{name}"')


def seed(employees: int) -> dict[str, int]:
    """A unit of ``employees`` (and a neighbour of the same size): each with an approved
    request for November with two planned outputs, two flexible days a week and a log
    entry on most working days (about 19 per employee)."""
    from fleksi.accounts.models import User
    from fleksi.organisation.models import Agency, Employee, OrgUnit, Position
    from fleksi.performance.models import LogEntry
    from fleksi.performance.sync import mirror_request_outputs
    from fleksi.requests.models import FlexRequest, PlannedOutput
    from fleksi.schedules.models import ArrangementDay

    agency = Agency.objects.create(code="bench", name="Instansi Bench")
    position = Position.objects.create(
        agency=agency, title="Analis", can_work_outside_office=True, needs_no_special_equipment=True,
        can_use_ict=True, minimal_face_to_face=True, no_continuous_supervision=True,
    )
    head_user = User.objects.create(username="kepala-bench")
    units = []
    for code in ("BENCH", "TETANGGA"):
        unit = OrgUnit.objects.create(agency=agency, code=code, name=f"Unit {code}")
        unit.path = f"/{unit.pk}/"
        unit.save(update_fields=["path"])
        units.append(unit)
    rows = []
    for u, unit in enumerate(units):
        for i in range(employees):
            n = u * employees + i
            rows.append(Employee(agency=agency, unit=unit, position=position, name=f"Pegawai {n:04d}",
                                 nip=f"19800101{2005 + n % 15:04d}{1 + n % 12:02d}{1 + n % 2}{1 + n % 999:03d}"[:14] + f"{n:04d}"))
    Employee.objects.bulk_create(rows, batch_size=500)
    people = list(Employee.objects.filter(agency=agency).order_by("pk"))
    head = people[0]
    head.user = head_user
    head.save(update_fields=["user"])
    OrgUnit.objects.filter(pk=units[0].pk).update(head=head)
    requests = FlexRequest.objects.bulk_create(
        [FlexRequest(agency=agency, employee=e, state="approved", location_kind="rumah", schedule_mode="pattern",
                     start_date=MONTH_START, end_date=MONTH_END, weekdays=[e.pk % 5, (e.pk + 2) % 5], reason="bench",
                     work_plan="bench") for e in people],
        batch_size=500,
    )
    PlannedOutput.objects.bulk_create(
        [PlannedOutput(request=r, description=f"Keluaran {k}", target_quantity=Decimal(10), unit="dokumen",
                       due_date=MONTH_END) for r in requests for k in (1, 2)],
        batch_size=1000,
    )
    working = [MONTH_START + dt.timedelta(days=i) for i in range(30) if (MONTH_START + dt.timedelta(days=i)).weekday() < 5]
    days = [
        ArrangementDay(agency=agency, unit_id=e.unit_id, employee=e, request=r, date=d, location_kind="rumah")
        for e, r in zip(people, requests, strict=True) for d in working if d.weekday() in r.weekdays
    ]
    ArrangementDay.objects.bulk_create(days, batch_size=1000)
    mirror_request_outputs(agency_id=agency.pk, employee_ids=[e.pk for e in people], start=MONTH_START, end=MONTH_END)
    from fleksi.performance.models import PlannedOutput as Mirrored

    outputs: dict[int, list[int]] = {}
    for pk, employee_id in Mirrored.objects.filter(employee__agency=agency).values_list("pk", "employee_id"):
        outputs.setdefault(employee_id, []).append(pk)
    logs = [
        LogEntry(agency=agency, employee=e, date=d, planned_output_id=outputs[e.pk][n % 2],
                 description="Menyusun dokumen", quantity=Decimal(1), minutes=120)
        for e in people for n, d in enumerate(working) if (e.pk + n) % 11
    ]
    LogEntry.objects.bulk_create(logs, batch_size=2000)
    from fleksi.performance.output_sums import refresh_agency_output_sums

    refresh_agency_output_sums(agency.pk)  # the bulk-inserted logs' sums (docs/decisions/199)
    return {"unit": units[0].pk, "head_user": head_user.pk, "logs": len(logs), "days": len(days), "employees": len(people)}


def timed(fn, runs: int) -> list[float]:
    fn()  # warm-up (caches of the calendar, the connection)
    out = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        out.append((time.perf_counter() - started) * 1000)
    return out


def child(database: str, runs: int, employees: int) -> dict[str, object]:
    """Runs in its own process with DATABASE_URL set: migrate, seed, time."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "fleksi.config.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.urls import reverse

    from fleksi.accounts.models import User
    from fleksi.core import clock
    from fleksi.performance import selectors

    setup_test_environment()
    call_command("migrate", interactive=False, verbosity=0)
    clock.now = lambda: dt.datetime(2026, 12, 1, 3, 0, tzinfo=dt.UTC)  # type: ignore[assignment]
    started = time.perf_counter()
    info = seed(employees)
    seed_s = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    actor = User.objects.get(pk=info["head_user"])

    def selector() -> None:
        view = selectors.unit_period(actor=actor, unit_id=info["unit"], period=PERIOD)
        assert len(view.rows) == employees

    result: dict[str, object] = {
        "database": database, "vendor": connection.vendor, "seed_s": round(seed_s, 2),
        "logs": info["logs"], "days": info["days"], "employees": info["employees"],
        "selector_ms": timed(selector, runs),
    }
    url = reverse("performance:unit_period", args=[info["unit"], PERIOD])
    client = Client()
    client.force_login(actor)

    def page() -> None:
        response = client.get(url)
        assert response.status_code == 200, response.status_code

    result["page_ms"] = timed(page, max(5, runs // 3))
    with CaptureQueriesContext(connection) as captured:
        result["page_bytes"] = len(client.get(url).content)
    result["page_queries"] = len(captured.captured_queries)
    return result


def run_child(database: str, url: str, runs: int, employees: int) -> dict[str, object]:
    env = dict(os.environ, DATABASE_URL=url, FLEKSI_VAR=tempfile.mkdtemp(prefix="fleksi-bench-"),
               PYTHONPATH=str(ROOT / "src"))
    out = subprocess.run(
        [sys.executable, __file__, "--child", database, "--runs", str(runs), "--employees", str(employees)],
        env=env, capture_output=True, text=True, check=False,
    )
    if out.returncode != 0:
        raise SystemExit(f"{database} benchmark failed:\n{out.stderr[-4000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def summary(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"median {statistics.median(values):.1f} ms, p95 {p95:.1f} ms, best {ordered[0]:.1f} ms (n={len(values)})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--employees", type=int, default=EMPLOYEES)
    parser.add_argument("--no-append", action="store_true", help="do not write docs/benchmarks.md")
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.runs, args.employees)))
        return 0

    results = []
    postgres = os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES)
    if not args.skip_postgres:
        name = f"fleksi_bench_performance_{os.getpid()}"
        base = postgres.rsplit("/", 1)[0]
        _postgres_database(postgres, name, create=True)
        try:
            results.append(run_child("PostgreSQL", f"{base}/{name}", args.runs, args.employees))
        finally:
            _postgres_database(postgres, name, create=False)
    with tempfile.TemporaryDirectory(prefix="fleksi-bench-sqlite-") as tmp:
        results.append(run_child("SQLite", f"sqlite:///{tmp}/bench.sqlite3", args.runs, args.employees))

    now = dt.datetime.now(dt.UTC)
    lines = [
        f"## Performance: the head's unit view (unit_period), {now:%Y-%m-%d %H:%M} UTC",
        "",
        "Command: `make bench` (`.venv/bin/python bench/bench_performance.py`)",
        "",
        f"- Machine: {platform.system()} {platform.release()} {platform.machine()}; CPU: {cpu_name()}; "
        f"Python {platform.python_version()}; load average at the end {os.getloadavg()[0]:.1f} "
        f"on {os.cpu_count()} CPUs (shared machine)",
        f"- Data: a unit of {args.employees} employees (and a neighbouring unit of {args.employees}), "
        "each with an approved request for November 2026 (2 planned outputs), 2 flexible days a week "
        "and a log entry on most working days; period 2026-11 timed",
        "- Page = GET of `performance:unit_period` through the test client: view, selector and template",
    ]
    met = True
    for r in results:
        selector_ms, page_ms = r["selector_ms"], r["page_ms"]
        assert isinstance(selector_ms, list) and isinstance(page_ms, list)
        lines.append(
            f"- {r['database']}: {r['logs']} log entries, {r['days']} flexible days seeded in {r['seed_s']} s; "
            f"selector: {summary(selector_ms)}; page: {summary(page_ms)}, {r['page_queries']} queries, "
            f"{int(r['page_bytes']) // 1024} KiB"  # type: ignore[call-overload]
        )
        if r["database"] == "PostgreSQL":
            met = statistics.median(page_ms) < TARGET_MS
    lines.append(f"- Target (page under {TARGET_MS:.0f} ms on PostgreSQL): {'met' if met else 'NOT met'}")
    text = "\n".join(lines) + "\n"
    print(text)
    if not args.no_append:
        path = ROOT / "docs" / "benchmarks.md"
        if not path.exists():
            path.write_text("# Benchmarks\n\nEach section is appended by a script in bench/.\n")
        with path.open("a") as handle:
            handle.write("\n" + text)
        print(f"appended to {shlex.quote(str(path.relative_to(ROOT)))}")
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
