"""The rollup of the final assessments read by the monitoring dashboards' predikat table
(docs/decisions/198, following decision 196's attendance rollups).

``AssessmentRollup`` counts, per (agency, unit, period, cadence, predikat), the latest final
version of each employee's assessment of the period, the unit being the employee's unit now
(exactly the grouping of ``selectors.population_assessments``). It is derived data, always
equal to a GROUP BY of ``Assessment``: every writer of final assessments, and every writer of
an employee's unit, calls ``refresh`` with the (unit, period, cadence) keys it touched, before
and after, last in its own transaction; the keys' rows are recomputed from the assessments in
SQL (DELETE, then INSERT ... SELECT ... GROUP BY; never deltas). ``rebuild`` recomputes a whole
agency (``fleksi performance rollup --rebuild``), a period per transaction, safe to run twice.

Concurrency (PostgreSQL; SQLite has one writer at a time): a key is recomputed under the
transaction-level advisory lock of the one-bigint form (a key space PostgreSQL keeps apart
from the two-integer form that attendance's (unit, day) and (-agency, day) locks use):
``unit * 2**21 + 2 * period.toordinal() + quarterly``, with a *shared* lock on ``-agency``; a
rebuild takes ``-agency`` exclusively. Keys are locked sorted, so two refreshes cannot
deadlock. The lock is taken before the recomputing statement, so its snapshot sees every
committed assessment (READ COMMITTED takes a snapshot per statement).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from django.db import connection, transaction

from fleksi.organisation.models import Employee

from .models import Assessment, AssessmentRollup, AssessmentState
from .periods import Cadence

FEW = 4  # rows of at most this many assessments keep their employees (few_ids)
CHUNK = 200  # units per statement (SQLite's parameter limit)

Key = tuple[int, dt.date, str]  # (unit_id, period, cadence)


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def _lock_key(unit_id: int, period: dt.date, cadence: str) -> int:
    return unit_id * 2**21 + 2 * period.toordinal() + (1 if cadence == Cadence.QUARTERLY else 0)


def _lock(agency_id: int, keys: list[Key] | None) -> None:
    """Advisory locks (PostgreSQL): the keys exclusively under the agency shared, or (None)
    the whole agency exclusively."""
    if not _postgres():
        return
    with connection.cursor() as cursor:
        if keys is None:
            cursor.execute("SELECT pg_advisory_xact_lock(%s::bigint)", [-agency_id])
            return
        cursor.execute("SELECT pg_advisory_xact_lock_shared(%s::bigint)", [-agency_id])
        cursor.execute(
            "SELECT pg_advisory_xact_lock(k) FROM (SELECT unnest(%s::bigint[]) AS k ORDER BY 1) AS keys",
            [sorted({_lock_key(*key) for key in keys})],
        )


def _insert(where: str) -> str:
    """INSERT ... SELECT of the rollup rows of the latest final assessments matching ``where``
    (``a``: the assessment, ``e``: its employee)."""
    few = (
        "STRING_AGG(CAST(a.employee_id AS text), ',' ORDER BY a.employee_id)" if _postgres()
        else "GROUP_CONCAT(a.employee_id, ',')"
    )
    table, employees = Assessment._meta.db_table, Employee._meta.db_table
    keys = "a.agency_id, e.unit_id, a.period, a.cadence, a.predikat"
    # Only table and column names and fixed SQL are formatted in; every value is a parameter.
    return (
        f"INSERT INTO {AssessmentRollup._meta.db_table} (agency_id, unit_id, period, cadence, predikat, n, few_ids) "  # noqa: S608
        f"SELECT {keys}, COUNT(*), CASE WHEN COUNT(*) <= {FEW} THEN {few} ELSE '' END "
        f"FROM {table} a JOIN {employees} e ON e.id = a.employee_id "
        f"WHERE a.state = '{AssessmentState.FINAL.value}' AND a.predikat <> '' AND {where} "
        f"AND NOT EXISTS (SELECT 1 FROM {table} b WHERE b.employee_id = a.employee_id AND b.period = a.period "
        f"AND b.cadence = a.cadence AND b.state = '{AssessmentState.FINAL.value}' AND b.version > a.version) "
        f"GROUP BY {keys}"
    )


def _recompute(agency_id: int, period: dt.date, cadence: str, unit_ids: list[int] | None) -> None:
    rows = AssessmentRollup.objects.filter(agency_id=agency_id, period=period, cadence=cadence)
    where = "a.agency_id = %s AND a.period = %s AND a.cadence = %s"
    params: list[Any] = [agency_id, period.isoformat(), cadence]
    if unit_ids is not None:
        rows = rows.filter(unit_id__in=unit_ids)
        where += f" AND e.unit_id IN ({', '.join(['%s'] * len(unit_ids))})"
        params += unit_ids
    rows.delete()  # one DELETE: nothing refers to rollup rows
    with connection.cursor() as cursor:
        cursor.execute(_insert(where), params)


def refresh(agency_id: int, keys: Iterable[tuple[int | None, dt.date, str]]) -> None:
    """Recompute the agency's rows of the (unit, period, cadence) ``keys``: called last in the
    writer's transaction (the locks are held until it commits), with the keys before and
    after the change."""
    wanted = sorted({(int(u), p, str(c)) for u, p, c in keys if u is not None})
    if not wanted:
        return
    _lock(agency_id, wanted)
    units: dict[tuple[dt.date, str], list[int]] = defaultdict(list)
    for unit_id, period, cadence in wanted:
        units[(period, cadence)].append(unit_id)
    for (period, cadence), ids in sorted(units.items()):
        for start in range(0, len(ids), CHUNK):
            _recompute(agency_id, period, cadence, ids[start : start + CHUNK])


def assessment_keys(employee_ids: Iterable[int], unit_ids: Iterable[int | None]) -> list[Key]:
    """The keys of the final assessments of ``employee_ids`` in each unit of ``unit_ids``
    (an employee's unit before and after a move)."""
    ids = sorted(set(employee_ids))
    if not ids:
        return []
    units = sorted({u for u in unit_ids if u is not None})
    periods: set[tuple[dt.date, str]] = set()
    for start in range(0, len(ids), CHUNK * 2):
        periods.update(
            Assessment.objects.filter(employee_id__in=ids[start : start + CHUNK * 2], state=AssessmentState.FINAL)
            .values_list("period", "cadence").distinct().order_by()
        )
    return [(u, p, c) for u in units for p, c in periods]


def assessment_keys_of(assessments: Iterable[Assessment]) -> list[Key]:
    """The keys of assessments (their employees' units now)."""
    rows = list(assessments)
    units = dict(
        Employee.objects.filter(pk__in={a.employee_id for a in rows}).values_list("pk", "unit_id")
    )
    return [(units[a.employee_id], a.period, a.cadence) for a in rows if units.get(a.employee_id) is not None]


def assessments_changed(assessments: Iterable[Assessment]) -> None:
    """Assessments were written or deleted outside the services (the admin, tests): their
    keys, agency by agency."""
    by_agency: dict[int, list[Assessment]] = defaultdict(list)
    for a in assessments:
        by_agency[a.agency_id].append(a)
    for agency_id, rows in sorted(by_agency.items()):
        refresh(agency_id, assessment_keys_of(rows))


def employees_moved(agency_id: int, moves: Iterable[tuple[int, int | None, int | None]]) -> None:
    """Employees (id, unit before, unit after) changed unit: the periods they have final
    assessments of are recomputed in both units."""
    by_units: dict[tuple[int | None, int | None], list[int]] = defaultdict(list)
    for employee_id, before, after in moves:
        if before != after:
            by_units[(before, after)].append(employee_id)
    keys: list[Key] = []
    for (before, after), ids in by_units.items():
        keys += assessment_keys(ids, [before, after])
    refresh(agency_id, keys)


def on_employees_moved(sender: Any, *, agency_id: int, moves: list[tuple[int, int | None, int | None]], **_: Any) -> None:
    """Receiver of ``organisation.signals.employees_moved`` (the HR import, the admin)."""
    employees_moved(agency_id, moves)


def on_employees_deleting(sender: Any, *, employee_ids: list[int], **_: Any) -> Callable[[], None]:
    """Receiver of ``organisation.signals.employees_deleting``: the periods of the employees'
    final assessments are recomputed in their units after the delete."""
    by_agency: dict[int, list[tuple[int, int | None]]] = defaultdict(list)
    for agency_id, pk, unit_id in Employee.objects.filter(pk__in=employee_ids).values_list("agency_id", "pk", "unit_id"):
        by_agency[agency_id].append((pk, unit_id))
    keys = {
        agency_id: assessment_keys([pk for pk, _u in rows], [u for _pk, u in rows])
        for agency_id, rows in by_agency.items()
    }

    def recompute() -> None:
        for agency_id, agency_keys in sorted(keys.items()):
            refresh(agency_id, agency_keys)

    return recompute


def rebuild(*, agency_id: int, progress: Callable[[dt.date, str], None] | None = None) -> int:
    """Recompute the agency's rollup from its assessments, one period per transaction, and
    remove the rows of periods without a final assessment. Returns the periods done."""
    periods = sorted(set(
        Assessment.objects.filter(agency_id=agency_id, state=AssessmentState.FINAL)
        .values_list("period", "cadence").distinct().order_by()
    ))
    with transaction.atomic():
        _lock(agency_id, None)
        stale = set(
            AssessmentRollup.objects.filter(agency_id=agency_id).values_list("period", "cadence").distinct().order_by()
        ) - set(periods)
        for period, cadence in sorted(stale):
            AssessmentRollup.objects.filter(agency_id=agency_id, period=period, cadence=cadence).delete()
    for period, cadence in periods:
        with transaction.atomic():
            _lock(agency_id, None)
            _recompute(agency_id, period, cadence, None)
        if progress is not None:
            progress(period, cadence)
    return len(periods)
