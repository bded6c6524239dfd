"""The rollup of the approved days that have a daily log (docs/decisions/201).

``LogDayRollup`` counts, per unit and date, location and time kind, the active approved
days whose employee filed at least one log entry that date. It depends on two sources, so it
is recomputed (DELETE, then INSERT ... SELECT ... GROUP BY with an EXISTS; never deltas) for
the unit-days touched by either:

- a log entry written, moved or deleted: ``log_changed(employee_id, dates)``, in the log
  writer's transaction;
- approved days written or ended: the schedules rollup sends ``plan_days_changed`` with the
  unit-days it recomputed, in the days writer's transaction (schedules does not import
  performance; performance listens, ``apps.ready``).

Both take the schedules rollup's advisory lock of the unit-day (PostgreSQL), so a log and a
plan change of one unit-day are recomputed one after the other and the second sees the first.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction

from fleksi.schedules import rollup as plan_rollup
from fleksi.schedules.models import ArrangementDay

from .models import LogDayRollup, LogEntry

DAYS = ArrangementDay._meta.db_table
LOGS = LogEntry._meta.db_table
ROLLUP = LogDayRollup._meta.db_table
KEYS = "d.agency_id, d.unit_id, d.date, d.location_kind, d.time_kind"


def _insert(where: str) -> str:
    active = "d.active" if connection.vendor == "postgresql" else "d.active = 1"
    # Only table and column names and fixed SQL are formatted in; every value is a parameter.
    return (
        f"INSERT INTO {ROLLUP} (agency_id, unit_id, date, location_kind, time_kind, logged) "  # noqa: S608
        f"SELECT {KEYS}, COUNT(*) FROM {DAYS} d WHERE {active} AND {where} "
        f"AND EXISTS (SELECT 1 FROM {LOGS} l WHERE l.employee_id = d.employee_id AND l.date = d.date) "
        f"GROUP BY {KEYS}"
    )


def refresh(keys: Iterable[tuple[Any, ...]], *, locked: bool = False) -> None:
    """Recompute the unit-days ``keys`` (``locked``: the caller holds their advisory locks,
    as the schedules rollup does when it signals; a key is (unit, date, ...)). Two statements
    per unit touched."""
    by_unit: dict[int, set[dt.date]] = defaultdict(set)
    for unit_id, day, *_employee in keys:
        by_unit[unit_id].add(day)
    if not by_unit:
        return
    ordered = sorted((unit_id, sorted(days)) for unit_id, days in by_unit.items())
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        if not locked:
            plan_rollup.lock(cursor, [(unit_id, day) for unit_id, days in ordered for day in days])
        for unit_id, days in ordered:
            marks = ", ".join(["%s"] * len(days))
            values = [day.isoformat() for day in days]
            cursor.execute(f"DELETE FROM {ROLLUP} WHERE unit_id = %s AND date IN ({marks})", [unit_id, *values])  # noqa: S608
            cursor.execute(_insert(f"d.unit_id = %s AND d.date IN ({marks})"), [unit_id, *values])


def log_changed(*, employee_id: int, dates: Iterable[dt.date]) -> None:
    """Log entries of the employee on ``dates`` were written, moved or deleted: the unit-days
    of the employee's active approved days on those dates (none: nothing to count)."""
    keys = plan_rollup.keys_of(
        ArrangementDay.objects.filter(employee_id=employee_id, active=True, date__in=sorted(set(dates)))
    )
    refresh(keys)


def rebuild(*, agency_id: int) -> int:
    """Recompute the agency's rows from its days and logs, a month per transaction (under
    the unit-days' locks). Returns the months done."""
    dates = ArrangementDay.objects.filter(agency_id=agency_id).order_by("date").values_list("date", flat=True)
    first, last = dates.first(), dates.last()
    with transaction.atomic():
        stale = LogDayRollup.objects.filter(agency_id=agency_id)
        if first is not None and last is not None:
            stale = stale.exclude(date__gte=first, date__lte=last)
        stale.delete()
    if first is None or last is None:
        return 0
    start, months = first.replace(day=1), 0
    while start <= last:
        end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        with transaction.atomic(), connection.cursor() as cursor:
            keys = plan_rollup.keys_of(
                ArrangementDay.objects.filter(agency_id=agency_id, date__gte=start, date__lte=end)
            )
            plan_rollup.lock(cursor, keys)
            rebuild_range(cursor, agency_id=agency_id, start=start, end=end)
        months += 1
        start = end + dt.timedelta(days=1)
    return months


def rebuild_range(cursor: Any, *, agency_id: int, start: dt.date, end: dt.date) -> None:
    """The agency's rows from ``start`` to ``end``, recomputed in two statements (the caller
    holds the locks: the schedules rollup's rebuild, or ``rebuild``)."""
    params = [agency_id, start.isoformat(), end.isoformat()]
    cursor.execute(f"DELETE FROM {ROLLUP} WHERE agency_id = %s AND date >= %s AND date <= %s", params)  # noqa: S608
    cursor.execute(_insert("d.agency_id = %s AND d.date >= %s AND d.date <= %s"), params)


def plan_days_changed(sender: Any, keys: list[tuple[int, dt.date]], agency_range: Any = None, **kwargs: Any) -> None:
    """The receiver of ``schedules.rollup.plan_days_changed`` (connected in ``apps.ready``):
    the schedules rollup recomputed these unit-days under their locks, in its transaction;
    a whole agency's month when ``agency_range`` = (agency id, start, end)."""
    if agency_range is not None:
        agency_id, start, end = agency_range
        with connection.cursor() as cursor:
            rebuild_range(cursor, agency_id=agency_id, start=start, end=end)
        return
    refresh(keys, locked=True)
