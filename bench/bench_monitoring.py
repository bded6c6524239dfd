"""Benchmark of the monitoring dashboards and the evaluation reports on PostgreSQL.

Run: ``.venv/bin/python bench/bench_monitoring.py [--employees 5000] [--weeks 13] [--no-append]``
(issue 10's target size is ``--employees 50000 --weeks 13``, about 3 million daily records).

Creates its own database ``fleksi_bench_mon`` on ``BENCH_POSTGRES_URL`` (default
postgres://root@127.0.0.1:5432/test; dropped at the end), bulk-inserts one agency of
``--employees`` employees in 50 units with ``--weeks`` weeks of daily records (every working
day) and approved days (40% of the staff away two days a week), then times the agency
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


def seed(employees: int, weeks: int) -> dict[str, object]:
    from django.utils import timezone

    from fleksi.accounts.models import User
    from fleksi.attendance.models import DailyRecord
    from fleksi.organisation.models import Agency, AgencyRole, Employee, OrgUnit, Position
    from fleksi.performance.models import Assessment, LogEntry, PlannedOutput
    from fleksi.requests.models import FlexRequest
    from fleksi.schedules.models import ArrangementDay

    agency = Agency.objects.create(code="bench-mon", name="Instansi Bench Pemantauan")
    position = Position.objects.create(agency=agency, title="Analis", can_work_outside_office=True)
    root = OrgUnit.objects.create(agency=agency, code="ROOT", name="Sekretariat")
    root.path = f"/{root.pk}/"
    root.save(update_fields=["path"])
    units = []
    for i in range(49):
        unit = OrgUnit.objects.create(agency=agency, code=f"U{i:02d}", name=f"Unit {i:02d}", parent=root, depth=1)
        unit.path = f"{root.path}{unit.pk}/"
        unit.save(update_fields=["path"])
        units.append(unit)
    all_units = [root, *units]
    people = [
        Employee(agency=agency, unit=all_units[n % len(all_units)], position=position, name=f"Pegawai {n:05d}",
                 nip=f"19800101{n:010d}")
        for n in range(employees)
    ]
    Employee.objects.bulk_create(people, batch_size=5000)
    people = list(Employee.objects.filter(agency=agency).order_by("pk").only("pk", "unit_id"))
    hr = User.objects.create(username="sdm-bench-mon")
    AgencyRole.objects.create(user=hr, agency=agency, role="hr_admin")
    monitor = User.objects.create(username="monitor-bench-mon", is_national_monitor=True)
    end = FIRST_MONDAY + dt.timedelta(weeks=weeks) - dt.timedelta(days=1)
    away = [p for i, p in enumerate(people) if i % 5 < 2]
    submitted = timezone.make_aware(dt.datetime(2026, 7, 20, 8))
    requests = FlexRequest.objects.bulk_create(
        [FlexRequest(agency=agency, employee_id=p.pk, state="approved", location_kind="rumah",
                     start_date=FIRST_MONDAY, end_date=end, submitted_at=submitted,
                     decided_at=submitted + dt.timedelta(hours=1 + i % 48)) for i, p in enumerate(away)],
        batch_size=5000,
    )
    request_of = {r.employee_id: r.pk for r in requests}
    # Performance (the outputs section): one output per away employee, due mid-period, a
    # daily log on most flexible days, a final assessment per employee and month.
    outputs = PlannedOutput.objects.bulk_create(
        [PlannedOutput(agency=agency, employee_id=p.pk, source="employee", state="agreed", description="Keluaran",
                       target_quantity=10 + i % 20, start_date=FIRST_MONDAY, end_date=end,
                       due_date=FIRST_MONDAY + dt.timedelta(weeks=weeks // 2)) for i, p in enumerate(away)],
        batch_size=5000,
    )
    output_of = {o.employee_id: o.pk for o in outputs}
    months = sorted({dt.date(d.year, d.month, 1) for d in (FIRST_MONDAY + dt.timedelta(days=k)
                     for k in range(weeks * 7)) if dt.date(d.year, d.month, 1) >= FIRST_MONDAY})
    predikats = ["sangat_baik", "baik", "baik", "baik", "butuh_perbaikan"]
    Assessment.objects.bulk_create(
        [Assessment(agency=agency, employee_id=p.pk, period=month, state="final", predikat=predikats[i % 5])
         for month in months for i, p in enumerate(people)],
        batch_size=10_000,
    )
    logs: list = []
    days, records, n_days, n_records = [], [], 0, 0
    for week in range(weeks):
        monday = FIRST_MONDAY + dt.timedelta(weeks=week)
        for offset in range(5):
            date = monday + dt.timedelta(days=offset)
            for i, p in enumerate(people):
                is_away = p.pk in request_of and offset in (i % 5, (i + 2) % 5)
                if is_away:
                    days.append(ArrangementDay(agency=agency, unit_id=p.unit_id, employee_id=p.pk,
                                               request_id=request_of[p.pk], date=date, location_kind="rumah"))
                    if (i + week) % 4:  # three flexible days in four have a daily log
                        logs.append(LogEntry(agency=agency, employee_id=p.pk, date=date, minutes=420,
                                             planned_output_id=output_of[p.pk], description="Kegiatan",
                                             quantity=1))
                status = "absent" if (i + offset + week) % 50 == 0 else ("present_flexible" if is_away else "present_office")
                flags = ["deviation"] if (i + offset) % 40 == 0 else []
                records.append(DailyRecord(
                    agency=agency, unit_id=p.unit_id, employee_id=p.pk, work_date=date,
                    planned_location="rumah" if is_away else "kantor",
                    first_in_location="" if status == "absent" else ("rumah" if is_away else "kantor"),
                    status=status, flags=flags, worked_minutes=0 if status == "absent" else 450,
                ))
            if len(records) >= 50_000:
                DailyRecord.objects.bulk_create(records, batch_size=10_000)
                ArrangementDay.objects.bulk_create(days, batch_size=10_000)
                LogEntry.objects.bulk_create(logs, batch_size=10_000)
                n_records += len(records)
                n_days += len(days)
                records, days, logs = [], [], []
    DailyRecord.objects.bulk_create(records, batch_size=10_000)
    ArrangementDay.objects.bulk_create(days, batch_size=10_000)
    LogEntry.objects.bulk_create(logs, batch_size=10_000)
    n_records += len(records)
    n_days += len(days)
    # The dashboards read the rollups (docs/decisions/196): built by the same function as
    # ``fleksi attendance rollup --rebuild`` (the records above were bulk-inserted).
    from fleksi.attendance import rollup

    started = time.perf_counter()
    rollup.rebuild(agency_id=agency.pk, progress=lambda monday, _s: print(f"rollup {monday} done", flush=True))
    rollup_s = time.perf_counter() - started
    return {"agency": agency, "rollup_s": rollup_s, "root": root, "unit": units[0], "hr": hr, "monitor": monitor, "end": end, "records": n_records, "days": n_days}


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
    args = parser.parse_args()
    load_start = os.getloadavg()
    url = os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES)
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
        world = seed(args.employees, args.weeks)
        seeded = time.perf_counter() - start
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        from fleksi.monitoring.models import EvaluationReport
        from fleksi.monitoring.population import population_for
        from fleksi.monitoring.reports import render_pdf, render_xlsx
        from fleksi.monitoring.selectors import summary

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
        from fleksi.monitoring import selectors as msel

        groups = msel.Groups(pop)
        parts = {}
        for name, build in [
            ("adoption", msel.adoption_section), ("location", msel.location_section),
            ("discipline", msel.discipline_section), ("outputs", msel.outputs_section),
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
        f"(bulk_create; of which the rollup rebuild {world['rollup_s']:.0f} s)",
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
