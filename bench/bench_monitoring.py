"""Benchmark of the monitoring dashboards and the evaluation reports on PostgreSQL.

Run: ``.venv/bin/python bench/bench_monitoring.py [--employees 5000] [--weeks 13] [--no-append]``
(issue 10's target size is ``--employees 50000 --weeks 13``, about 3 million daily records).

Creates its own database ``fleksi_bench_mon`` on ``BENCH_POSTGRES_URL`` (default
postgres://root@127.0.0.1:5432/test; dropped at the end), bulk-inserts one agency of
``--employees`` employees in 50 units (the synthetic agency of ``fleksi demo --employees N``,
docs/decisions/182) with ``--weeks`` weeks of daily records (every working
day) and approved days (40% of the staff, in positions that allow it, away two days a week), then times the agency
summary (the selectors), the dashboard page through Django's test client, the national API,
and the PDF and XLSX reports of the whole agency, with the peak RSS of the process. Appends a
section to docs/benchmarks.md. Targets (issue 10): each dashboard under 1 s, the PDF under 60 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
DEFAULT_POSTGRES = "postgres://root@127.0.0.1:5432/test"
DB_NAME = os.environ.get("BENCH_DB_NAME", "fleksi_bench_mon")
FIRST_MONDAY = dt.date(2026, 8, 3)


def _database(url: str, create: bool) -> None:
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}"')
        if create:
            conn.execute(f'CREATE DATABASE "{DB_NAME}"')


def _seeded(url: str, employees: int, weeks: int) -> bool:
    """Whether the bench database exists and holds the seed of this size (``--keep``)."""
    import psycopg

    base = url.replace("postgres://", "postgresql://", 1).rsplit("/", 1)[0]
    try:
        with psycopg.connect(f"{base}/{DB_NAME}", autocommit=True) as conn:
            row = conn.execute(
                "SELECT value FROM bench_seed WHERE key = %s", [f"{employees}x{weeks}"]
            ).fetchone()
    except psycopg.Error:
        return False
    return row is not None


def _mark_seeded(employees: int, weeks: int, world: dict[str, object]) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_seed (key text PRIMARY KEY, value text)")
        cursor.execute("INSERT INTO bench_seed VALUES (%s, %s)", [f"{employees}x{weeks}", str(world["agency"].pk)])


def _reload(employees: int, weeks: int) -> dict[str, object]:
    """The seeded world of an earlier ``--keep`` run."""
    from django.contrib.auth import get_user_model

    from fleksi.attendance.models import DailyRecord
    from fleksi.organisation.models import Agency, OrgUnit
    from fleksi.schedules.models import ArrangementDay

    agency = Agency.objects.get(code="bench-mon")
    root = OrgUnit.objects.get(agency=agency, parent__isnull=True)
    unit = OrgUnit.objects.filter(agency=agency, parent=root).order_by("code").first()
    from fleksi.demo.scale import hr_username

    users = get_user_model().objects
    return {
        "agency": agency, "rollup_s": 0.0, "root": root, "unit": unit,
        "hr": users.get(username=hr_username(employees)), "monitor": users.get(username="pemantau-bench-mon"),
        "end": FIRST_MONDAY + dt.timedelta(weeks=weeks) - dt.timedelta(days=1),
        "records": DailyRecord.objects.filter(agency=agency).count(),
        "days": ArrangementDay.objects.filter(agency=agency).count(),
    }


def seed(employees: int, weeks: int) -> dict[str, object]:
    """The agency of ``fleksi demo --employees N --weeks W`` (docs/decisions/182) in 50 units,
    from FIRST_MONDAY, with its rollups built (docs/decisions/196)."""
    from fleksi.demo.scale import load_scale
    from fleksi.organisation.models import OrgUnit

    built = load_scale(employees, weeks, start=FIRST_MONDAY, units=50, code="bench-mon",
                       name="Instansi Bench Pemantauan", progress=lambda msg: print(msg, flush=True))
    root = OrgUnit.objects.get(agency=built.agency, parent__isnull=True)
    unit = OrgUnit.objects.filter(agency=built.agency, parent=root).order_by("code").first()
    return {"agency": built.agency, "rollup_s": built.rollup_s, "root": root, "unit": unit, "hr": built.hr,
            "monitor": built.monitor, "end": built.end, "records": built.records, "days": built.days}


def timed(fn, runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), max(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=5000)
    parser.add_argument("--weeks", type=int, default=13)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-append", action="store_true")
    parser.add_argument("--keep", action="store_true",
                        help="keep the database at the end and reuse it when it already holds the seed "
                             "(for profiling; the figures then carry 'reused')")
    args = parser.parse_args()
    load_start = os.getloadavg()
    url = os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES)
    reused = args.keep and _seeded(url, args.employees, args.weeks)
    if not reused:
        _database(url, create=True)
    os.environ["DATABASE_URL"] = url.rsplit("/", 1)[0] + "/" + DB_NAME
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fleksi.config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    settings.ALLOWED_HOSTS = ["*"]
    settings.FLEKSI_REQUIRE_2FA = False  # force_login has no OTP device: the gate would answer 302/403

    def ok(response):  # a redirect or a 403 must not pass for a fast dashboard
        assert response.status_code == 200, response.status_code
        return response
    try:
        call_command("migrate", interactive=False, verbosity=0)
        start = time.perf_counter()
        world = _reload(args.employees, args.weeks) if reused else seed(args.employees, args.weeks)
        seeded = time.perf_counter() - start
        if args.keep and not reused:
            _mark_seeded(args.employees, args.weeks, world)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        from fleksi.monitoring.models import EvaluationReport
        from fleksi.monitoring.population import population_for
        from fleksi.monitoring.reports import render_pdf, render_xlsx
        from fleksi.monitoring.selectors import summary

        def bare_scan() -> None:  # the machine's speed in this run: one full read of the records
            with connection.cursor() as cursor:
                cursor.execute("SELECT COUNT(*), SUM(worked_minutes) FROM attendance_dailyrecord")
                cursor.fetchone()

        reference_s = timed(bare_scan, args.runs)
        end = world["end"]
        first = FIRST_MONDAY
        pop = population_for(actor=world["hr"], kind="agency", start=first, end=end, today=end)
        selectors_s = timed(lambda: summary(pop), args.runs)
        client = Client()
        client.force_login(world["hr"])
        params = {"scope": "agency", "from": first.isoformat(), "to": end.isoformat()}
        page_s = timed(lambda: ok(client.get("/pemantauan/", params)), args.runs)
        unit_params = {**params, "scope": "unit", "id": world["unit"].pk}
        unit_s = timed(lambda: ok(client.get("/pemantauan/", unit_params)), args.runs)
        # Where the agency summary's time goes: each section once.
        from fleksi.monitoring import evaluation as mev
        from fleksi.monitoring import outputs as mout
        from fleksi.monitoring import selectors as msel

        groups = msel.Groups(pop)
        parts = {}
        for name, build in [
            ("adoption", msel.adoption_section), ("location", msel.location_section),
            ("discipline", msel.discipline_section), ("outputs", mout.outputs_section),
            ("service", mev.service_section), ("readiness", mev.readiness_section),
            ("before_after", mev.before_after_section), ("trends", msel.trends_section),
        ]:
            t0 = time.perf_counter()
            build(pop, groups, None)
            parts[name] = time.perf_counter() - t0
        monitor = Client()
        monitor.force_login(world["monitor"])
        national_s = timed(lambda: ok(monitor.get("/api/v1/monitoring/summary", {**params, "scope": "national"})),
                           args.runs)
        report = EvaluationReport.objects.create(agency=world["agency"], start=first, end=end, format="pdf",
                                                 created_by=world["hr"])
        report = EvaluationReport.objects.select_related("agency", "unit", "created_by").get(pk=report.pk)
        t0 = time.perf_counter()
        pdf = render_pdf(report, lambda _p: None)
        pdf_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        xlsx = render_xlsx(report, lambda _p: None)
        xlsx_s = time.perf_counter() - t0
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        # The attendance monthly recap (XLSX) of the whole agency for the first full month.
        from fleksi.attendance.recap import recap_month, recap_xlsx

        month = (first.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
        t0 = time.perf_counter()
        recap = recap_month(actor=world["hr"], unit_id=world["root"].pk, month=month)
        recap_file = recap_xlsx(recap)
        recap_s = time.perf_counter() - t0
        recap_kb = len(recap_file.read()) // 1024
        recap_file.close()
        del recap
        recap_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        load_end = os.getloadavg()
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            _database(url, create=False)
    lines = [
        f"## Monitoring dashboards and reports, {args.employees} employees x {args.weeks} weeks, PostgreSQL, "
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"Command: `BENCH_POSTGRES_URL=... BENCH_DB_NAME={DB_NAME} .venv/bin/python bench/bench_monitoring.py "
        f"--employees {args.employees} --weeks {args.weeks}`",
        "",
        f"- Machine: {platform.system()} {platform.release()} {platform.machine()}; nproc {os.cpu_count()}; "
        f"load average {os.getloadavg()[0]:.1f} at the end; Python {platform.python_version()}",
        f"- Data: {world['records']:,} daily records, {world['days']:,} approved days, 50 units; seeded in {seeded:.0f} s "
        f"(bulk_create; of which the rollup rebuild {world['rollup_s']:.0f} s)" + (" (reused: --keep)" if reused else ""),
        f"- Reference in the same run: a bare full read of the {world['records']:,} daily records "
        f"(COUNT and SUM, no index): median {reference_s[0] * 1000:.0f} ms; agency page / reference = "
        f"{page_s[0] / reference_s[0]:.1f}",
        f"- Agency summary (selectors only): median {selectors_s[0] * 1000:.0f} ms, max {selectors_s[1] * 1000:.0f} ms (runs {args.runs})",
        f"- Agency dashboard page (test client): median {page_s[0] * 1000:.0f} ms, max {page_s[1] * 1000:.0f} ms",
        f"- Unit dashboard page (one of 50 units): median {unit_s[0] * 1000:.0f} ms, max {unit_s[1] * 1000:.0f} ms",
        f"- National API summary: median {national_s[0] * 1000:.0f} ms, max {national_s[1] * 1000:.0f} ms",
        "- Agency summary by section (one run each): "
        + ", ".join(f"{name} {seconds * 1000:.0f} ms" for name, seconds in parts.items()),
        f"- PDF of the whole agency: {pdf_s:.1f} s ({len(pdf) // 1024} KB); XLSX evaluation report: {xlsx_s:.1f} s "
        f"({len(xlsx) // 1024} KB)",
        f"- Peak RSS of the process after the dashboards and reports: {rss_mb:.0f} MB",
        f"- Attendance monthly recap XLSX of the whole agency ({month:%Y-%m}): {recap_s:.1f} s ({recap_kb} KB); "
        f"peak RSS after it {recap_rss_mb:.0f} MB (+{recap_rss_mb - rss_mb:.0f} MB)",
        f"- Load average (1, 5, 15 min) at the start: {load_start[0]:.1f}, {load_start[1]:.1f}, {load_start[2]:.1f}; "
        f"at the end: {load_end[0]:.1f}, {load_end[1]:.1f}, {load_end[2]:.1f} (a shared 2-core machine)",
        f"- Targets: dashboards under 1 s: agency page {'met' if page_s[0] < 1 else 'NOT met'}, unit page "
        f"{'met' if unit_s[0] < 1 else 'NOT met'}, national API {'met' if national_s[0] < 1 else 'NOT met'}; "
        f"PDF under 60 s: {'met' if pdf_s < 60 else 'NOT met'}; recap XLSX under 30 s: "
        f"{'met' if recap_s < 30 else 'NOT met'}",
        "",
    ]
    print("\n".join(lines))
    if not args.no_append:
        with open(ROOT / "docs" / "benchmarks.md", "a", encoding="utf-8") as handle:
            handle.write("\n" + "\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
