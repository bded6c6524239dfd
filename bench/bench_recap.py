"""Benchmark of the monthly attendance recap (rekap presensi) XLSX of a whole agency, PostgreSQL.

Run: ``.venv/bin/python bench/bench_recap.py [--sizes 5000,50000] [--no-append]``.

For each size, a child process creates its own database on ``BENCH_POSTGRES_URL`` (default
postgres://root@127.0.0.1:5432/test; dropped afterwards), loads the synthetic agency of
``fleksi demo --employees N`` (docs/decisions/182) with the whole of November 2026, and
downloads the agency's recap of that month through the page's view (Django's test client,
HR's session): the time until the file is complete, its size and rows, and the memory: the
peak of Python's allocations while the recap is written (tracemalloc, a second download: tracing
slows Python down) and the process's peak RSS over the timed one. Memory must not grow with the row count (issue 10: the recap streams in under 30 s with
memory that does not grow): the sizes are compared in the same run. Appends a section to
docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_POSTGRES = "postgres://root@127.0.0.1:5432/test"
START = dt.date(2026, 10, 26)  # a Monday; six weeks cover the whole of November
WEEKS = 6
MONTH = "2026-11"
TARGET_S = 30.0


def _database(url: str, name: str, create: bool) -> None:
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        if create:
            conn.execute(f'CREATE DATABASE "{name}"')


def child(employees: int) -> dict[str, object]:
    url = os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES)
    name = f"fleksi_bench_recap_{employees}"
    _database(url, name, create=True)
    os.environ["DATABASE_URL"] = url.rsplit("/", 1)[0] + "/" + name
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fleksi.config.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, connections
    from django.test import Client

    from fleksi.demo.scale import load_scale

    settings.ALLOWED_HOSTS = ["*"]
    settings.FLEKSI_REQUIRE_2FA = False  # force_login has no OTP device
    try:
        call_command("migrate", interactive=False, verbosity=0)
        t0 = time.perf_counter()
        built = load_scale(employees, WEEKS, start=START, units=max(2, min(500, employees // 100)))
        seeded = time.perf_counter() - t0
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
            cursor.execute(
                "SELECT count(*) FROM attendance_dailyrecord WHERE agency_id = %s AND work_date BETWEEN %s AND %s",
                [built.agency.pk, "2026-11-01", "2026-11-30"],
            )
            (month_rows,) = cursor.fetchone()
        from fleksi.organisation.models import OrgUnit

        root = OrgUnit.objects.get(agency=built.agency, parent__isnull=True)
        client = Client()
        client.force_login(built.hr)
        url_params = {"unit": root.pk, "bulan": MONTH}

        def download() -> int:
            response = client.get("/presensi/rekap/unduh/", url_params)
            assert response.status_code == 200, response.status_code
            return sum(len(chunk) for chunk in response.streaming_content)

        # Timed without tracing (tracemalloc slows Python down several times), then again
        # with tracemalloc for the peak of Python's allocations.
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        t0 = time.perf_counter()
        size = download()
        elapsed = time.perf_counter() - t0
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        tracemalloc.start()
        download()
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    finally:
        connections.close_all()
        _database(url, name, create=False)
    return {"employees": employees, "records": built.records, "month_rows": month_rows, "seeded_s": seeded,
            "seconds": elapsed, "bytes": size, "traced_peak_mb": peak / 2**20,
            "rss_before_mb": rss_before, "rss_after_mb": rss_after}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="5000,50000", help="employee counts, comma-separated")
    parser.add_argument("--no-append", action="store_true")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print("RESULT " + json.dumps(child(args.child)), flush=True)
        return 0
    results = []
    for size in [int(s) for s in args.sizes.split(",") if s.strip()]:
        out = subprocess.run([sys.executable, __file__, "--child", str(size)], capture_output=True, text=True,
                             check=False)
        line = next((x for x in out.stdout.splitlines() if x.startswith("RESULT ")), None)
        if line is None:
            print(out.stdout[-3000:], out.stderr[-3000:])
            return 1
        results.append(json.loads(line.removeprefix("RESULT ")))
        print(results[-1], flush=True)
    rows = [
        f"| {r['employees']:,} | {r['month_rows']:,} | {r['seconds']:.1f} | {r['bytes'] / 2**20:.1f} | "
        f"{r['traced_peak_mb']:.1f} | {r['rss_before_mb']:.0f} -> {r['rss_after_mb']:.0f} | {r['seeded_s']:.0f} |"
        for r in results
    ]
    worst = max(r["seconds"] for r in results)
    growth = results[-1]["traced_peak_mb"] / results[0]["traced_peak_mb"] if len(results) > 1 else float("nan")
    lines = [
        f"## Monthly attendance recap (XLSX) of a whole agency, PostgreSQL, {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"Command: `.venv/bin/python bench/bench_recap.py --sizes {args.sizes}`",
        "",
        f"- Machine: {platform.system()} {platform.release()} {platform.machine()}; nproc {os.cpu_count()}; "
        f"load average {os.getloadavg()[0]:.1f} at the end (shared machine); Python {platform.python_version()}",
        f"- Data: `fleksi demo --employees N` agencies (docs/decisions/182), {WEEKS} weeks from {START}; the recap "
        f"of {MONTH} for the root unit (the whole agency), downloaded through the page's view by HR",
        "",
        "| employees | daily records of the month | seconds to the whole file | MB | peak Python allocations MB "
        "(tracemalloc) | peak RSS MB (before -> after) | seeded in s |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        *rows,
        "",
        f"- Target (issue 10): under {TARGET_S:.0f} s: {'met' if worst < TARGET_S else 'NOT met'} "
        f"(slowest {worst:.1f} s); memory that does not grow with the rows: peak allocations x{growth:.2f} "
        f"for x{results[-1]['month_rows'] / results[0]['month_rows']:.0f} rows"
        if len(results) > 1 else f"- Target: under {TARGET_S:.0f} s: {'met' if worst < TARGET_S else 'NOT met'}",
        "",
    ]
    print("\n".join(lines))
    if not args.no_append:
        with open(ROOT / "docs" / "benchmarks.md", "a", encoding="utf-8") as handle:
            handle.write("\n" + "\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
