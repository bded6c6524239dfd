"""The number of queries of an import does not grow with the number of rows (no per-row
queries). Bulk statements are split in batches (SQLite: at most 999 parameters a statement,
i.e. ~45 employees), so a few more statements are allowed for the larger file, far fewer
than one per row."""

from __future__ import annotations

import math

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fleksi.organisation.importing import employees_import
from tests.factories import AgencyFactory

from .test_import_support import csv_bytes, many_rows

pytestmark = pytest.mark.django_db


def count_queries(rows: list[dict], *, dry_run: bool = False, agency=None) -> tuple[int, int]:
    """(reads, writes) of one import."""
    agency = agency or AgencyFactory()
    with CaptureQueriesContext(connection) as captured:
        employees_import(
            actor=None, agency=agency, data=csv_bytes(rows), filename="p.csv", dry_run=dry_run
        )
    sql = [q["sql"].lstrip().upper() for q in captured.captured_queries]
    reads = sum(1 for s in sql if s.startswith("SELECT"))
    writes = sum(1 for s in sql if s.startswith(("INSERT", "UPDATE", "DELETE")))
    return reads, writes


def batches(rows: int) -> int:
    """Upper bound of extra bulk statements for ``rows`` more rows (employees + users)."""
    per_statement = 40 if connection.vendor == "sqlite" else 1000
    return 2 * math.ceil(rows / per_statement)


def test_first_import_query_count_does_not_grow_with_rows() -> None:
    small_reads, small_writes = count_queries(many_rows(20, start=100))
    large_reads, large_writes = count_queries(many_rows(200, start=1000))
    assert large_reads == small_reads
    assert large_writes <= small_writes + batches(200)
    assert large_reads + large_writes < 40  # not one per row


def test_dry_run_reads_the_same_few_queries_for_any_size(django_assert_max_num_queries) -> None:
    small_reads, small_writes = count_queries(many_rows(20, start=100), dry_run=True)
    large_reads, large_writes = count_queries(many_rows(200, start=1000), dry_run=True)
    assert small_writes == large_writes == 0
    assert large_reads == small_reads
    agency = AgencyFactory()
    with django_assert_max_num_queries(small_reads):
        employees_import(
            actor=None,
            agency=agency,
            data=csv_bytes(many_rows(200, start=2000)),
            filename="p.csv",
            dry_run=True,
        )


def test_reimport_and_update_query_count_does_not_grow_with_rows() -> None:
    results = {}
    for count, start in ((20, 100), (200, 1000)):
        agency = AgencyFactory()
        rows = many_rows(count, start=start)
        employees_import(actor=None, agency=agency, data=csv_bytes(rows), filename="p.csv")
        same = count_queries(rows, agency=agency)
        for r in rows:
            r["nama"] += " (ubah)"
        changed = count_queries(rows, agency=agency)
        results[count] = (same, changed)
    (small_same, small_changed), (large_same, large_changed) = results[20], results[200]
    assert large_same == small_same and large_same[1] <= 2  # re-import: lock + audit row only
    assert large_changed[0] == small_changed[0]
    # UPDATE ... FROM (VALUES ...): at most 999 parameters a statement on SQLite.
    assert large_changed[1] <= small_changed[1] + math.ceil(200 / 30)
