"""Benchmark of the XLSX reader: a 50,000-row employees.xlsx, bytes in to typed rows out.

Run: ``PYTHONPATH=src .venv/bin/python bench/bench_xlsx_read.py [--label TEXT]``.
Prints the figures and appends a section to docs/benchmarks.md (``--no-record`` to skip).

Measured in the same run, medians of ``--runs`` runs:

- reference: a bare read of the same bytes (``zipfile`` decompressing every part), the floor
  any XLSX reader pays;
- ``load_table``: the sheet turned into a header and raw rows (the XLSX reader itself);
- ``read_employees``: the whole employees reader (cells checked and converted).

Also the peak of Python memory (tracemalloc) of one ``load_table`` run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import statistics
import sys
import time
import tracemalloc
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from bench_plan_check import EMPLOYEE_COLUMNS, machine, nip_for  # noqa: E402

from fleksi.policy.formats import read_employees  # noqa: E402
from fleksi.policy.formats.table import load_table  # noqa: E402

ROWS = 50_000


def build_xlsx(rows: int) -> bytes:
    """employees.xlsx as Excel would save it: NIPs as text, dates as real dates."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("pegawai")
    sheet.append(list(EMPLOYEE_COLUMNS))
    for index in range(rows):
        unit = index // 100
        first = index % 100 == 0
        sheet.append(
            [
                nip_for(index),
                f"Pegawai {index}",
                "PNS",
                f"U{unit:04d}",
                f"Unit {unit}" if first else None,
                None if unit == 0 else "U0000",
                "Analis Kebijakan",
                "ya" if first else "tidak",
                None if first else nip_for(unit * 100),
                dt.datetime(2020, 1, 2),
                f"pegawai{index}@instansi.go.id",
                "Jl. Merdeka 1",
                "ya" if index % 5 else "tidak",
                "tidak",
                "tidak" if index % 10 else "dinamis",
                "tidak",
                "tidak",
                None,
                None,
            ]
        )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def bare_read(data: bytes) -> int:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return sum(len(archive.read(name)) for name in archive.namelist())


def timed(function, runs: int) -> list[float]:  # type: ignore[no-untyped-def]
    out = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        out.append(time.perf_counter() - started)
    return out


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=ROWS)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--label", default="", help="what is measured (e.g. the reader's name)")
    parser.add_argument("--no-record", action="store_true", help="do not touch docs/benchmarks.md")
    args = parser.parse_args(argv)

    data = build_xlsx(args.rows)
    name = "employees.xlsx"

    def table() -> None:
        result, problems, _ = load_table(
            data, name, known=EMPLOYEE_COLUMNS, required=("nip", "nama")
        )
        assert result is not None and len(result.rows) == args.rows, problems[:3]

    def employees() -> None:
        result = read_employees(data, name, today=dt.date(2026, 12, 1))
        assert result.ok and len(result.rows) == args.rows, result.problems[:3]

    reference = timed(lambda: bare_read(data), args.runs)
    tables = timed(table, args.runs)
    readers = timed(employees, args.runs)
    tracemalloc.start()
    table()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    info = machine()
    cpus = len(__import__("os").sched_getaffinity(0))
    med = statistics.median
    lines = [
        f"file: {args.rows} rows x {len(EMPLOYEE_COLUMNS)} columns, {len(data) / 1e6:.1f} MB "
        f"xlsx ({bare_read(data) / 1e6:.1f} MB unzipped)",
        f"reference, bare unzip of the same bytes: median {med(reference):.3f} s",
        f"load_table (XLSX reader): median {med(tables):.2f} s; runs "
        + ", ".join(f"{t:.2f}" for t in tables),
        f"read_employees (reader + cell checks): median {med(readers):.2f} s; runs "
        + ", ".join(f"{t:.2f}" for t in readers),
        f"load_table / reference: {med(tables) / med(reference):.0f}x",
        f"tracemalloc peak of one load_table: {peak / 1e6:.0f} MB",
    ]
    print("\n".join(lines))
    if not args.no_record:
        label = f" ({args.label})" if args.label else ""
        record = [
            "",
            f"## XLSX read, {args.rows:,} rows{label}, {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
            "",
            "Command: `PYTHONPATH=src .venv/bin/python bench/bench_xlsx_read.py"
            + (f" --label '{args.label}'" if args.label else "")
            + "`",
            "",
            f"- Machine: {info['uname']}; CPU: {info['cpu']}; nproc {cpus}; Python {info['python']}",
            *[f"- {line}" for line in lines],
            "",
        ]
        with (ROOT / "docs" / "benchmarks.md").open("a", encoding="utf-8") as out:
            out.write("\n".join(record))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
