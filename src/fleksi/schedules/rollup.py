"""The rollup of the approved days read by the monitoring dashboards (docs/decisions/201).

``PlanDayRollup`` counts the active ``ArrangementDay`` rows of a unit and date per location
and time kind. It is derived data, always equal to a GROUP BY of the active days: every
writer of approved days calls ``refresh`` with the (unit, date) keys it touched, before and
after, last in its own transaction, and those unit-days are recomputed from the days in SQL
(DELETE, then INSERT ... SELECT ... GROUP BY; never deltas, so a row cannot drift).
``rebuild`` recomputes a whole agency (``fleksi schedules rollup --rebuild``), safe to run
twice. After each refresh the signal ``plan_days_changed`` names the keys, so that a rollup
of an app above (the performance app's logs on flexible days) follows the plan without
schedules importing it.

Concurrency (PostgreSQL; SQLite has one writer at a time): a unit-day is recomputed under
the transaction advisory lock (unit, -day), keys sorted, so two transactions writing days of
one unit-day recompute it one after the other and the second sees the first's days (READ
COMMITTED takes a snapshot per statement, after the lock). The key space cannot meet the
attendance rollup's (unit, day) and (-agency, day) locks: its second number is negative.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

import django.dispatch
from django.db import connection, transaction

from .models import ArrangementDay, PlanDayRollup

FEW = 4  # rows of at most this many days keep their employees (few_ids)
DAYS = ArrangementDay._meta.db_table
KEYS = "agency_id, unit_id, date, location_kind, time_kind"

Key = tuple[int, dt.date]  # (unit id, date)

# Sent after a refresh, in the writer's transaction, under the keys' locks: keys = the (unit
# id, date) recomputed; from ``rebuild`` also agency_range = (agency id, first, last date).
plan_days_changed = django.dispatch.Signal()


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def _insert(where: str) -> str:
    few = (
        "STRING_AGG(CAST(employee_id AS text), ',' ORDER BY employee_id)" if _postgres()
        else "GROUP_CONCAT(employee_id, ',')"
    )
    active = "active" if _postgres() else "active = 1"
    # Only table and column names and fixed SQL are formatted in; every value is a parameter.
    return (
        f"INSERT INTO {PlanDayRollup._meta.db_table} ({KEYS}, days, few_ids) "  # noqa: S608
        f"SELECT {KEYS}, COUNT(*), CASE WHEN COUNT(*) <= {FEW} THEN {few} ELSE '' END "
        f"FROM {DAYS} WHERE {active} AND {where} GROUP BY {KEYS}"
    )


def keys_of(days: Any) -> list[Key]:
    """The (unit, date) keys of a queryset of days, read before it is changed."""
    return list(days.values_list("unit_id", "date").distinct().order_by())


def lock(cursor: Any, keys: list[Key]) -> None:
    """The advisory locks (PostgreSQL) of the unit-days, in (unit, date) order."""
    if _postgres() and keys:
        ordered = sorted(set(keys))
        cursor.execute(
            "SELECT pg_advisory_xact_lock(u, -d) FROM unnest(%s::int[], %s::int[]) AS keys (u, d) ORDER BY u, d",
            [[unit_id for unit_id, _day in ordered], [day.toordinal() for _unit, day in ordered]],
        )


def refresh(keys: Iterable[Key]) -> None:
    """Recompute the unit-days ``keys`` from the active approved days; in the writer's
    transaction, after its writes. Two statements per unit touched, after the locks."""
    by_unit: dict[int, set[dt.date]] = defaultdict(set)
    for unit_id, day in keys:
        by_unit[unit_id].add(day)
    if not by_unit:
        return
    ordered = sorted((unit_id, sorted(days)) for unit_id, days in by_unit.items())
    flat = [(unit_id, day) for unit_id, days in ordered for day in days]
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        lock(cursor, flat)
        for unit_id, days in ordered:
            marks = ", ".join(["%s"] * len(days))
            params: list[Any] = [unit_id, *[day.isoformat() for day in days]]
            where = f"unit_id = %s AND date IN ({marks})"
            cursor.execute(f"DELETE FROM {PlanDayRollup._meta.db_table} WHERE {where}", params)  # noqa: S608
            cursor.execute(_insert(where), params)
        plan_days_changed.send(sender=PlanDayRollup, keys=flat)


def rebuild(
    *, agency_id: int, progress: Callable[[dt.date, dt.date], None] | None = None, notify: bool = True
) -> int:
    """Recompute the agency's rollup from its approved days, a month per transaction, and
    (``notify``) the listeners' rollups of the same months. Returns the months done. The
    migration that creates the table passes ``notify=False``: the listeners' tables may not
    exist yet, and their own migrations build them."""
    dates = ArrangementDay.objects.filter(agency_id=agency_id).order_by("date").values_list("date", flat=True)
    first, last = dates.first(), dates.last()
    with transaction.atomic():  # rows outside the days' range
        stale = PlanDayRollup.objects.filter(agency_id=agency_id)
        if first is not None and last is not None:
            stale = stale.exclude(date__gte=first, date__lte=last)
        stale.delete()
    if first is None or last is None:
        return 0
    start, months = first.replace(day=1), 0
    while start <= last:
        end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        with transaction.atomic(), connection.cursor() as cursor:
            keys = keys_of(ArrangementDay.objects.filter(agency_id=agency_id, date__gte=start, date__lte=end))
            lock(cursor, keys)
            PlanDayRollup.objects.filter(agency_id=agency_id, date__gte=start, date__lte=end).delete()
            cursor.execute(
                _insert("agency_id = %s AND date >= %s AND date <= %s"),
                [agency_id, start.isoformat(), end.isoformat()],
            )
            if keys and notify:  # the listeners recompute the whole range too
                plan_days_changed.send(sender=PlanDayRollup, keys=sorted(keys), agency_range=(agency_id, start, end))
        months += 1
        if progress is not None:
            progress(start, end)
        start = end + dt.timedelta(days=1)
    return months
