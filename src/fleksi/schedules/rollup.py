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

from .models import ArrangementDay, PlanDayRollup, PlanMonthRollup

FEW = 4  # rows of at most this many days keep their employees (few_ids)
DAYS = ArrangementDay._meta.db_table
KEYS = "agency_id, unit_id, date, location_kind, time_kind"

Key = tuple[int, dt.date, int]  # (unit id, date, employee id) of a day written or ended
MONTHS = PlanMonthRollup._meta.db_table

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


def _month_insert(where: str) -> str:
    """INSERT ... SELECT of the employee-month masks of the flexible days matching ``where``
    (an employee has one active day per date, so the SUM of distinct bits is their OR)."""
    if _postgres():
        month, day, active = "CAST(date_trunc('month', date) AS date)", "CAST(EXTRACT(DAY FROM date) AS integer)", "active"
    else:
        month, day, active = "date(date, 'start of month')", "CAST(strftime('%%d', date) AS integer)", "active = 1"
    keys = "agency_id, unit_id, employee_id"
    # Names and fixed SQL only are formatted in; every value is a parameter.
    return (
        f"INSERT INTO {MONTHS} ({keys}, month, location_kind, mask) "  # noqa: S608
        f"SELECT {keys}, {month}, location_kind, SUM(1 << ({day} - 1)) FROM {DAYS} "
        f"WHERE {active} AND (location_kind <> 'kantor' OR time_kind <> 'reguler') AND {where} "
        f"GROUP BY {keys}, {month}, location_kind"
    )


def _first_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _last_of(day: dt.date) -> dt.date:
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)


def keys_of(days: Any) -> list[Key]:
    """The (unit, date, employee) keys of a queryset of days, read before it is changed."""
    return list(days.values_list("unit_id", "date", "employee_id").distinct().order_by())


def lock_employees(cursor: Any, employee_ids: Iterable[int]) -> None:
    """The employees' row locks (PostgreSQL), ascending, before any advisory lock: they guard
    the employee-month masks (the writers of days already hold them; a no-op then)."""
    from fleksi.organisation.models import Employee

    ids = sorted(set(employee_ids))
    if ids and _postgres():
        list(Employee.objects.filter(pk__in=ids).order_by("pk").select_for_update().values_list("pk", flat=True))


def lock(cursor: Any, keys: Iterable[tuple[Any, ...]]) -> None:
    """The advisory locks (PostgreSQL) of the unit-days of ``keys`` (unit, date, ...), in
    (unit, date) order."""
    ordered = sorted({(key[0], key[1]) for key in keys})
    if _postgres() and ordered:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(u, -d) FROM unnest(%s::int[], %s::int[]) AS keys (u, d) ORDER BY u, d",
            [[unit_id for unit_id, _day in ordered], [day.toordinal() for _unit, day in ordered]],
        )


def refresh(keys: Iterable[Key]) -> None:
    """Recompute the unit-days ``keys`` from the active approved days; in the writer's
    transaction, after its writes. Two statements per unit touched, after the locks."""
    keys = list(keys)
    by_unit: dict[int, set[dt.date]] = defaultdict(set)
    for unit_id, day, _employee in keys:
        by_unit[unit_id].add(day)
    if not by_unit:
        return
    ordered = sorted((unit_id, sorted(days)) for unit_id, days in by_unit.items())
    flat = [(unit_id, day) for unit_id, days in ordered for day in days]
    employees = sorted({employee_id for _unit, _day, employee_id in keys})
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        lock_employees(cursor, employees)
        lock(cursor, flat)
        first = _first_of(min(day for _unit, day, _employee in keys))
        last = _last_of(max(day for _unit, day, _employee in keys))
        marks = ", ".join(["%s"] * len(employees))
        where = f"employee_id IN ({marks}) AND {{column}} >= %s AND {{column}} <= %s"
        cursor.execute(
            f"DELETE FROM {MONTHS} WHERE {where.format(column='month')}",  # noqa: S608 (names only)
            [*employees, first.isoformat(), _first_of(last).isoformat()],
        )
        cursor.execute(_month_insert(where.format(column="date")), [*employees, first.isoformat(), last.isoformat()])
        for unit_id, days in ordered:
            marks = ", ".join(["%s"] * len(days))
            params: list[Any] = [unit_id, *[day.isoformat() for day in days]]
            where = f"unit_id = %s AND date IN ({marks})"
            cursor.execute(f"DELETE FROM {PlanDayRollup._meta.db_table} WHERE {where}", params)  # noqa: S608
            cursor.execute(_insert(where), params)
        plan_days_changed.send(sender=PlanDayRollup, keys=flat)


def on_employees_deleting(sender: Any, *, employee_ids: list[int], **_: Any) -> Callable[[], None]:
    """Receiver of ``organisation.signals.employees_deleting``: the unit-days of the
    employees' approved days are recomputed after the delete (and, through
    ``plan_days_changed``, the logged days)."""
    keys = keys_of(ArrangementDay.objects.filter(employee_id__in=employee_ids))
    return lambda: refresh(keys)


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
        stale_months = PlanMonthRollup.objects.filter(agency_id=agency_id)
        if first is not None and last is not None:
            stale = stale.exclude(date__gte=first, date__lte=last)
            stale_months = stale_months.exclude(month__gte=_first_of(first), month__lte=last)
        stale.delete()
        stale_months.delete()
    if first is None or last is None:
        return 0
    start, months = first.replace(day=1), 0
    while start <= last:
        end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        with transaction.atomic(), connection.cursor() as cursor:
            keys = keys_of(ArrangementDay.objects.filter(agency_id=agency_id, date__gte=start, date__lte=end))
            lock_employees(cursor, [employee_id for _unit, _day, employee_id in keys])
            lock(cursor, keys)
            PlanDayRollup.objects.filter(agency_id=agency_id, date__gte=start, date__lte=end).delete()
            PlanMonthRollup.objects.filter(agency_id=agency_id, month=start).delete()
            params: list[Any] = [agency_id, start.isoformat(), end.isoformat()]
            cursor.execute(_insert("agency_id = %s AND date >= %s AND date <= %s"), params)
            cursor.execute(_month_insert("agency_id = %s AND date >= %s AND date <= %s"), params)
            if keys and notify:  # the listeners recompute the whole range too
                plan_days_changed.send(
                    sender=PlanDayRollup, keys=sorted({(u, d) for u, d, _e in keys}), agency_range=(agency_id, start, end)
                )
        months += 1
        if progress is not None:
            progress(start, end)
        start = end + dt.timedelta(days=1)
    return months
