"""The rollups of the daily records read by the monitoring dashboards (docs/decisions/196).

``DayRollup`` counts the records of a unit and day per planned location, status, place of the
first check-in and dashboard flag; ``WeekRollup`` holds one employee's week day by day. Both
are derived data, always equal to a GROUP BY of ``DailyRecord``: every writer of records calls
``refresh`` (or ``refresh_days``/``refresh_weeks``) in its own transaction, after its writes,
and the rows of the touched unit-days and employee-weeks are recomputed from the records in
SQL (DELETE, then INSERT ... SELECT ... GROUP BY). ``rebuild`` recomputes a whole agency
(``fleksi attendance rollup --rebuild``), a week per transaction, safe to run twice.

Concurrency (PostgreSQL; SQLite has one writer at a time): a unit-day is recomputed under
the transaction-level advisory lock (unit, day), taken with a shared lock on (-agency, day);
a whole agency's day takes that agency-day lock exclusively, so the check-ins of different
units never wait for one another and a bulk refresh waits for them (and they for it). An
employee's week is recomputed under the employee's row lock (which the check-in and the
correction already hold; the bulk paths take it first, before any advisory lock).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from django.db import connection, transaction
from django.db.models import Max, Min, Q

from .models import DailyRecord, DayRollup, WeekRollup

FEW = 4  # rows of at most this many records keep their employees (few_ids)
DAY_FLAGS = ("deviation", "outside_office", "synced_late", "no_check_in")
RECORDS = DailyRecord._meta.db_table


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _dates(start: dt.date, end: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(days=k) for k in range((end - start).days + 1)]


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def _placeholders(values: list[int]) -> str:
    return ", ".join(["%s"] * len(values))


def _flag_sql(name: str) -> str:
    if _postgres():
        return f"(flags @> '[\"{name}\"]'::jsonb)"
    return f"(instr(flags, '\"{name}\"') > 0)"


def _isodow_sql() -> str:
    if _postgres():
        return "CAST(EXTRACT(ISODOW FROM work_date) AS integer)"
    return "((CAST(strftime('%%w', work_date) AS integer) + 6) %% 7 + 1)"


def _monday_sql() -> str:
    if _postgres():
        return f"(work_date - ({_isodow_sql()} - 1))"
    return f"date(work_date, '-' || ({_isodow_sql()} - 1) || ' days')"


def _lock_days(agency_id: int, dates: Iterable[dt.date], unit_ids: list[int] | None) -> None:
    """Advisory locks (PostgreSQL) for recomputing unit-days: (unit, day) with (-agency, day)
    shared, or (-agency, day) alone, exclusive, for every unit of the agency."""
    if not _postgres():
        return
    days = sorted({d.toordinal() for d in dates})
    with connection.cursor() as cursor:
        if unit_ids is None:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(-%s, d) FROM (SELECT unnest(%s::int[]) AS d ORDER BY 1) AS days",
                [agency_id, days],
            )
            return
        units = sorted(set(unit_ids))
        cursor.execute(
            "SELECT pg_advisory_xact_lock_shared(-%s, d) FROM (SELECT unnest(%s::int[]) AS d ORDER BY 1) AS days",
            [agency_id, days],
        )
        cursor.execute(
            "SELECT pg_advisory_xact_lock(u, d) FROM (SELECT u, d FROM unnest(%s::int[]) AS u "
            "CROSS JOIN unnest(%s::int[]) AS d ORDER BY 1, 2) AS keys",
            [units, days],
        )


def lock_employees(employee_ids: Iterable[int]) -> None:
    """Take the row locks of employees before their weeks are recomputed (bulk writers)."""
    from fleksi.organisation.models import Employee

    ids = sorted(set(employee_ids))
    if ids and _postgres():
        list(Employee.objects.filter(pk__in=ids).order_by("pk").select_for_update().values_list("pk", flat=True))


def _day_insert(where: str) -> str:
    """INSERT ... SELECT of the day rollup rows of the records matching ``where``."""
    flags = [_flag_sql(name) for name in DAY_FLAGS]
    few = (
        "STRING_AGG(CAST(employee_id AS text), ',' ORDER BY employee_id)" if _postgres()
        else "GROUP_CONCAT(employee_id, ',')"
    )
    keys = "agency_id, unit_id, work_date, planned_location, status, first_in_location"
    # Only table and column names and fixed SQL are formatted in; every value is a parameter.
    return (
        f"INSERT INTO {DayRollup._meta.db_table} ({keys}, {', '.join(DAY_FLAGS)}, records, worked_minutes, few_ids) "  # noqa: S608
        f"SELECT {keys}, {', '.join(flags)}, COUNT(*), COALESCE(SUM(worked_minutes), 0), "
        f"CASE WHEN COUNT(*) <= {FEW} THEN {few} ELSE '' END "
        f"FROM {RECORDS} WHERE {where} GROUP BY {keys}, {', '.join(flags)}"
    )


WEEK_COLUMNS = (
    [f"unit_{k}" for k in range(1, 8)] + [f"location_{k}" for k in range(1, 8)] + [f"minutes_{k}" for k in range(1, 8)]
)


def _week_insert(where: str, *, upsert: bool = False) -> str:
    """INSERT ... SELECT of the employee-week rows of the records matching ``where`` (with
    ``upsert``: replacing the rows already there)."""
    dow = _isodow_sql()
    days = range(1, 8)
    values = (
        [f"MAX(CASE WHEN {dow} = {k} THEN unit_id END)" for k in days]
        + [f"COALESCE(MAX(CASE WHEN {dow} = {k} THEN planned_location END), '')" for k in days]
        + [f"COALESCE(SUM(CASE WHEN {dow} = {k} THEN worked_minutes END), 0)" for k in days]
    )
    conflict = ""
    if upsert:
        updates = ", ".join(f"{column} = excluded.{column}" for column in ["agency_id", *WEEK_COLUMNS])
        conflict = f" ON CONFLICT (employee_id, monday) DO UPDATE SET {updates}"
    # Names and fixed SQL only are formatted in; every value is a parameter.
    return (
        f"INSERT INTO {WeekRollup._meta.db_table} (agency_id, employee_id, monday, {', '.join(WEEK_COLUMNS)}) "  # noqa: S608
        f"SELECT MAX(agency_id), employee_id, {_monday_sql()}, {', '.join(values)} "
        f"FROM {RECORDS} WHERE {where} GROUP BY employee_id, {_monday_sql()}{conflict}"
    )


def refresh_days(*, agency_id: int, start: dt.date, end: dt.date, unit_ids: list[int] | None = None) -> None:
    """Recompute the agency's unit-days from ``start`` to ``end`` (``unit_ids``: only those
    units; None: every unit of the agency)."""
    if unit_ids is not None and not unit_ids:
        return
    _lock_days(agency_id, _dates(start, end), unit_ids)
    rows = DayRollup.objects.filter(agency_id=agency_id, work_date__gte=start, work_date__lte=end)
    if unit_ids is not None:
        rows = rows.filter(unit_id__in=unit_ids)
    rows.delete()  # one DELETE: nothing refers to rollup rows
    where = "agency_id = %s AND work_date >= %s AND work_date <= %s"
    params: list[Any] = [agency_id, start.isoformat(), end.isoformat()]
    if unit_ids is not None:
        where += f" AND unit_id IN ({_placeholders(unit_ids)})"
        params += list(unit_ids)
    with connection.cursor() as cursor:
        cursor.execute(_day_insert(where), params)


def refresh_weeks(
    *, start: dt.date, end: dt.date, agency_id: int | None = None, employee_ids: list[int] | None = None,
    locked: bool = False,
) -> None:
    """Recompute the employee-weeks of the weeks holding ``start``..``end``: of ``employee_ids``
    (``locked``: the caller holds their row locks), else of every employee of ``agency_id``."""
    first, last = _monday(start), _monday(end)
    until = last + dt.timedelta(days=6)
    rows = WeekRollup.objects.filter(monday__gte=first, monday__lte=last)
    where = "work_date >= %s AND work_date <= %s"
    params: list[Any] = [first.isoformat(), until.isoformat()]
    if employee_ids is not None:
        ids = sorted(set(employee_ids))
        if not ids:
            return
        if not locked:
            lock_employees(ids)
        rows = rows.filter(employee_id__in=ids)
        where += f" AND employee_id IN ({_placeholders(ids)})"
        params += ids
    else:
        assert agency_id is not None
        if not locked:
            lock_employees(
                DailyRecord.objects.filter(agency_id=agency_id, work_date__gte=first, work_date__lte=until)
                .values_list("employee_id", flat=True).distinct()
            )
        rows = rows.filter(agency_id=agency_id)
        where += " AND agency_id = %s"
        params.append(agency_id)
    rows.delete()
    with connection.cursor() as cursor:
        cursor.execute(_week_insert(where), params)


def refresh(
    *, agency_id: int, start: dt.date, end: dt.date, employee_ids: list[int], unit_ids: list[int] | None = None,
    locked: bool = False,
) -> None:
    """After records of ``employee_ids`` between ``start`` and ``end`` were written: their
    weeks, and the unit-days of their units (``unit_ids``, else read from the records).
    Called last in the writer's transaction (the locks are held until it commits)."""
    if not employee_ids:
        return
    refresh_weeks(start=start, end=end, employee_ids=employee_ids, locked=locked)
    if unit_ids is None:
        unit_ids = sorted(set(
            DailyRecord.objects.filter(
                agency_id=agency_id, employee_id__in=employee_ids, work_date__gte=start, work_date__lte=end
            ).values_list("unit_id", flat=True)
        ))
    refresh_days(agency_id=agency_id, start=start, end=end, unit_ids=unit_ids)


def record_saved(record: DailyRecord) -> None:
    """One record was written (a check-in, a correction): its unit-day and its employee's
    week, in two statements on PostgreSQL (the locks, then one statement with the DELETE and
    the week's upsert as CTEs), three on SQLite. The caller holds the employee's row lock,
    which guards the week; a record is never deleted, so the week row is only replaced."""
    day, monday = record.work_date, _monday(record.work_date)
    day_where = "agency_id = %s AND unit_id = %s AND work_date = %s"
    day_params: list[Any] = [record.agency_id, record.unit_id, day.isoformat()]
    week_where = "employee_id = %s AND work_date >= %s AND work_date <= %s"
    week_params: list[Any] = [record.employee_id, monday.isoformat(), (monday + dt.timedelta(days=6)).isoformat()]
    table = DayRollup._meta.db_table
    with connection.cursor() as cursor:
        if _postgres():
            cursor.execute(
                "SELECT pg_advisory_xact_lock_shared(-%s, %s), pg_advisory_xact_lock(%s, %s)",
                [record.agency_id, day.toordinal(), record.unit_id, day.toordinal()],
            )
            cursor.execute(
                f"WITH gone AS (DELETE FROM {table} WHERE {day_where}), "  # noqa: S608 (names only)
                f"week AS ({_week_insert(week_where, upsert=True)}) {_day_insert(day_where)}",
                [*day_params, *week_params, *day_params],
            )
            return
        cursor.execute(f"DELETE FROM {table} WHERE {day_where}", day_params)  # noqa: S608 (names only)
        cursor.execute(_day_insert(day_where), day_params)
        cursor.execute(_week_insert(week_where, upsert=True), week_params)


def records_changed(keys: Iterable[tuple[int, int, int, dt.date]]) -> None:
    """Records (agency, unit, employee, day) were edited or deleted outside the services
    (the admin): their unit-days and weeks, before and after, are recomputed."""
    for agency_id, unit_id, employee_id, day in sorted(set(keys)):
        refresh_weeks(start=day, end=day, employee_ids=[employee_id])
        refresh_days(agency_id=agency_id, start=day, end=day, unit_ids=[unit_id])


def on_employees_deleting(sender: Any, *, employee_ids: list[int], **_: Any) -> Callable[[], None]:
    """Receiver of ``organisation.signals.employees_deleting``: the unit-days of the
    employees' records are recomputed after the delete (their weeks go with them)."""
    spans = list(
        DailyRecord.objects.filter(employee_id__in=employee_ids).values("agency_id")
        .annotate(start=Min("work_date"), end=Max("work_date")).order_by("agency_id")
    )
    units: dict[int, list[int]] = defaultdict(list)
    for agency_id, unit_id in (
        DailyRecord.objects.filter(employee_id__in=employee_ids).values_list("agency_id", "unit_id").distinct().order_by()
    ):
        units[agency_id].append(unit_id)

    def recompute() -> None:
        for span in spans:
            refresh_days(agency_id=span["agency_id"], start=span["start"], end=span["end"],
                         unit_ids=sorted(units[span["agency_id"]]))

    return recompute


def rebuild(*, agency_id: int, progress: Callable[[dt.date, dt.date], None] | None = None) -> int:
    """Recompute both rollups of the agency from its records, one week per transaction.
    Returns the weeks done."""
    records = DailyRecord.objects.filter(agency_id=agency_id).order_by("work_date").values_list("work_date", flat=True)
    first, last = records.first(), records.last()
    with transaction.atomic():  # rows of weeks without any record any more
        days, weeks_rows = DayRollup.objects.filter(agency_id=agency_id), WeekRollup.objects.filter(agency_id=agency_id)
        if first is not None and last is not None:
            days = days.filter(Q(work_date__lt=_monday(first)) | Q(work_date__gt=_monday(last) + dt.timedelta(days=6)))
            weeks_rows = weeks_rows.filter(Q(monday__lt=_monday(first)) | Q(monday__gt=_monday(last)))
        days.delete()
        weeks_rows.delete()
    if first is None or last is None:
        return 0
    monday, weeks = _monday(first), 0
    while monday <= last:
        sunday = monday + dt.timedelta(days=6)
        with transaction.atomic():
            refresh_weeks(start=monday, end=sunday, agency_id=agency_id)
            refresh_days(agency_id=agency_id, start=monday, end=sunday)
        weeks += 1
        if progress is not None:
            progress(monday, sunday)
        monday += dt.timedelta(weeks=1)
    return weeks
