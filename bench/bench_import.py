"""Benchmark: import 50,000 employees (employees.csv), then re-import the same file.

    .venv/bin/python bench/bench_import.py [--rows 50000] [--no-append]
    DATABASE_URL=postgres://USER@HOST:5432/DB .venv/bin/python bench/bench_import.py

Runs on a fresh SQLite database in a temporary folder; with DATABASE_URL (PostgreSQL) it
creates a dedicated database ``fleksi_bench`` on that server and drops it afterwards. Prints
the figures and appends a section to docs/benchmarks.md. Target: each import under a minute.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import os
import platform
import shlex
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
BENCH_DB = "fleksi_bench"
LIMIT_SECONDS = 60.0

from fleksi.policy.formats.employees import EMPLOYEE_COLUMNS  # noqa: E402

COLUMNS = [c for c in EMPLOYEE_COLUMNS if not c.startswith("keadaan_khusus")]
TITLES = [
    ("Analis Kebijakan", "ya", "tidak", "dinamis"),
    ("Pranata Komputer", "ya", "tidak", "sif"),
    ("Pengadministrasi Umum", "tidak", "tidak", "tidak"),
    ("Pengawas Lapangan", "tidak", "ya", "tidak"),
    ("Perencana", "ya", "tidak", "tidak"),
    ("Arsiparis", "tidak", "tidak", "tidak"),
    ("Auditor", "ya", "ya", "dinamis"),
    ("Pranata Humas", "ya", "tidak", "tidak"),
]


def make_nip(i: int) -> str:
    """A valid, unique NIP for each i < 9000 * 999."""
    birth = dt.date(1966, 1, 1) + dt.timedelta(days=i % 9000)
    serial = 1 + i // 9000
    year, month = birth.year + 22 + i % 5, 1 + i % 12
    return f"{birth:%Y%m%d}{year:04d}{month:02d}{1 + i % 2}{serial:03d}"


def units_tree(n_units: int = 201) -> list[tuple[str, str, str]]:
    """(code, name, parent code) for a root, 10 directorates and their sub-units."""
    units = [("ROOT", "Sekretariat Jenderal", "")]
    directorates = [f"D{d:02d}" for d in range(10)]
    units += [(code, f"Direktorat {code}", "ROOT") for code in directorates]
    i = 0
    while len(units) < n_units:
        parent = directorates[i % len(directorates)]
        units.append((f"{parent}-S{i:03d}", f"Subdirektorat {i}", parent))
        i += 1
    return units


def employees_csv(rows: int, *, variant: int = 0) -> bytes:
    """``rows`` valid employees over ~200 units; each unit has a head, coordinators and staff.

    ``variant`` > 0 changes four fields (name, email, domicile, position start) of every
    ``variant``-th employee: a changed file.
    """
    units = units_tree()
    per_unit = max(1, rows // len(units))
    head_of: dict[str, str] = {}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    i = 0
    for u, (code, name, parent) in enumerate(units):
        count = per_unit if u < len(units) - 1 else rows - per_unit * (len(units) - 1)
        coordinator = ""
        for k in range(count):
            nip = make_nip(i)
            title, eligible, field_work, time_flex = TITLES[i % len(TITLES)]
            if k % 97 == 5:
                eligible = "tidak" if eligible == "ya" else "ya"  # an employee-level override
            if k == 0:
                head_of[code] = nip
                supervisor, is_head = head_of.get(parent, ""), "ya"
            elif k % 20 == 1:
                coordinator, supervisor, is_head = nip, head_of[code], "tidak"
            else:
                supervisor, is_head = coordinator or head_of[code], "tidak"
            changed = bool(variant) and i % variant == 0
            display = f"Pegawai {i:05d}" + (" (ubah)" if changed else "")
            start = f"20{10 + i % 14:02d}-0{1 + i % 9}-{16 if changed else 15}"
            email = f"pegawai{i}@{'baru.' if changed else ''}bench.go.id"
            home = f"Jl. Contoh No. {i}" + (" Blok B" if changed else "")
            writer.writerow(
                [
                    nip,
                    display,
                    "PNS",
                    code,
                    name if k == 0 else "",
                    parent if k == 0 else "",
                    title,
                    is_head,
                    supervisor,
                    start,
                    email,
                    home,
                    eligible,
                    field_work,
                    time_flex,
                    "ya" if i % 500 == 7 else "tidak",
                    "tidak",
                ]
            )
            i += 1
    return out.getvalue().encode("utf-8")


def only_columns(data: bytes, names: tuple[str, ...]) -> bytes:
    """The same file with only ``names`` kept (the other columns absent, not empty)."""
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
    keep = [rows[0].index(name) for name in names]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([[r[i] for i in keep] for r in rows])
    return out.getvalue().encode("utf-8")


def machine() -> str:
    cpu = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    uname = " ".join(platform.uname())
    return f"`{uname}`; CPU {cpu}; {os.cpu_count()} cores"


def postgres_setup(url: str) -> tuple[str, str]:
    """Create the dedicated bench database; return (bench url, admin url)."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(BENCH_DB)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(BENCH_DB)))
    base, _, _db = url.rpartition("/")
    return f"{base}/{BENCH_DB}", url


def postgres_drop(admin_url: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(BENCH_DB)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--no-append", action="store_true", help="do not write docs/benchmarks.md")
    args = parser.parse_args()

    tmp = tempfile.TemporaryDirectory(prefix="fleksi-bench-")
    os.environ["FLEKSI_VAR"] = tmp.name
    os.environ["DJANGO_SETTINGS_MODULE"] = "fleksi.config.settings"
    admin_url = os.environ.get("DATABASE_URL", "")
    if admin_url.startswith("postgres"):
        bench_url, admin_url = postgres_setup(admin_url)
        os.environ["DATABASE_URL"] = bench_url
    else:
        admin_url = ""
        os.environ.pop("DATABASE_URL", None)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from fleksi.organisation.importing import employees_import
    from fleksi.organisation.models import Agency, Employee, OrgUnit

    try:
        call_command("migrate", interactive=False, verbosity=0)
        vendor = connection.vendor
        version = (
            connection.cursor().connection.info.server_version if vendor == "postgresql" else None
        )
        db = (
            f"PostgreSQL {version // 10000}.{version % 10000}"
            if version
            else "SQLite " + __import__("sqlite3").sqlite_version
        )
        print(f"Database: {db}; rows: {args.rows}", flush=True)

        started = time.perf_counter()
        data = employees_csv(args.rows)
        changed = employees_csv(args.rows, variant=20)
        all_changed = employees_csv(args.rows, variant=1)
        required_only = only_columns(data, ("nip", "nama", "unit_kode", "jabatan"))
        generate = time.perf_counter() - started
        print(f"generated 3 files of {len(data) / 1e6:.1f} MB in {generate:.1f} s", flush=True)
        agency = Agency.objects.create(code="bench", name="Instansi Bench")

        def run(label: str, payload: bytes, *, dry_run: bool = False) -> tuple[float, object]:
            t0 = time.perf_counter()
            report = employees_import(
                actor=None, agency=agency, data=payload, filename="pegawai.csv", dry_run=dry_run
            )
            seconds = time.perf_counter() - t0
            print(
                f"{label:<38} {seconds:6.1f} s  employees +{report.employees_created} "
                f"~{report.employees_updated} ={report.employees_unchanged}  units "
                f"+{report.units_created} ~{report.units_updated}",
                flush=True,
            )
            return seconds, report

        results = [
            ("dry run (empty database)", *run("dry run (empty database)", data, dry_run=True)),
            ("first import", *run("first import", data)),
            ("re-import, same file", *run("re-import, same file", data)),
            (
                "re-import, required columns only",
                *run("re-import, required columns only", required_only),
            ),
            (
                "changed file (5% of rows, 4 fields)",
                *run("changed file (5% of rows, 4 fields)", changed),
            ),
            (
                "changed file (all rows, 4 fields)",
                *run("changed file (all rows, 4 fields)", all_changed),
            ),
        ]
        assert Employee.objects.count() == args.rows
        assert OrgUnit.objects.filter(path="").count() == 0
        same, required = results[2][2], results[3][2]
        assert same.writes == 0, "re-import must write nothing"  # type: ignore[attr-defined]
        # Absent columns leave stored values alone (issue 7): nothing to write either.
        assert required.writes == 0, "absent columns must change nothing"  # type: ignore[attr-defined]
    finally:
        from django.db import connections

        connections.close_all()
        if admin_url:
            postgres_drop(admin_url)
        tmp.cleanup()

    slow = [label for label, seconds, _ in results if seconds >= LIMIT_SECONDS]
    command = ".venv/bin/python bench/bench_import.py" + (
        f" --rows {args.rows}" if args.rows != 50_000 else ""
    )
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        command = "DATABASE_URL=postgres://… " + command
    lines = [
        "",
        f"## Employee import, {args.rows:,} rows ({db}), {dt.datetime.now():%Y-%m-%d %H:%M}",
        "",
        f"- Machine: {machine()}",
        f"- Database: {db}",
        f"- Command: `{command}`",
        f"- Python {platform.python_version()}; file {len(data) / 1e6:.1f} MB CSV, 201 units, "
        f"{len(TITLES)} positions",
        "",
        "| step | seconds | created | updated | unchanged |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for label, seconds, report in results:
        lines.append(
            f"| {label} | {seconds:.1f} | {report.employees_created} | "  # type: ignore[attr-defined]
            f"{report.employees_updated} | {report.employees_unchanged} |"  # type: ignore[attr-defined]
        )
    lines.append("")
    lines.append(
        f"Target: every step under {LIMIT_SECONDS:.0f} s: "
        + ("met." if not slow else f"NOT met ({', '.join(slow)}).")
    )
    text = "\n".join(lines) + "\n"
    print(text)
    if not args.no_append:
        path = ROOT / "docs" / "benchmarks.md"
        if not path.exists():
            path.write_text("# Benchmarks\n\nEach section is appended by a script in bench/.\n")
        with path.open("a") as handle:
            handle.write(text)
        try:
            rel = path.relative_to(Path.cwd())
        except ValueError:
            rel = path
        print(f"appended to {shlex.quote(str(rel))}")
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
