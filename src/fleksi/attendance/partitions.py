# ruff: noqa: S608 - every name in this SQL is a module constant; values go as parameters
"""Monthly partitions of the check-in table on PostgreSQL (docs/decisions/110); SQLite keeps
the plain table and every function here does the plain-table equivalent.

- ``attendance_checkin`` is ``PARTITION BY RANGE (server_time)``, one partition per calendar
  month in UTC (``attendance_checkin_2026_12`` holds ``[2026-12-01 00:00Z, 2027-01-01
  00:00Z)``), and a DEFAULT partition ``attendance_checkin_default`` as the safety net, so an
  insert never fails for want of a month. Primary key ``(id, server_time)``; the indexes lead
  with ``agency_id`` (the model's, created on the parent, so every partition gets them).
- The idempotency guard is the unpartitioned ledger ``attendance_checkinkey`` (primary key
  ``(employee_id, idempotency_key)``), filled by a ``BEFORE INSERT`` trigger on the check-in
  table: a second insert of a key fails there and rolls its transaction back, in whichever
  month it would land. One statement for the service, whatever inserts (also bulk inserts).
- ``ensure_partitions`` creates the coming months (safe to run twice; rows that reached the
  DEFAULT partition for such a month are moved into it in the same transaction).
- ``drop_months_before`` detaches (and with ``drop``, drops) whole months older than the
  kept period instead of deleting rows, and forgets their keys in the ledger.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction

TABLE = "attendance_checkin"
LEDGER = "attendance_checkinkey"
DEFAULT_PARTITION = f"{TABLE}_default"
LEDGER_TRIGGER = "attendance_checkin_key_guard"
SEQUENCE = f"{TABLE}_id_seq"
ARCHIVE_PREFIX = f"{TABLE}_archive_"


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def partition_name(month: dt.date) -> str:
    return f"{TABLE}_{month:%Y_%m}"


def _bound(month: dt.date) -> str:
    return f"{month:%Y-%m-%d} 00:00:00+00"


def is_partitioned() -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE oid = to_regclass(%s)", [TABLE])
        row = cursor.fetchone()
    return row is not None and row[0] == "p"


def monthly_partitions() -> dict[dt.date, str]:
    """The attached monthly partitions (month -> table name); empty on SQLite."""
    if not is_partitioned():
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = to_regclass(%s)", [TABLE],
        )
        names = [name for (name,) in cursor.fetchall()]
    out: dict[dt.date, str] = {}
    for name in names:
        suffix = name.removeprefix(f"{TABLE}_")
        try:
            year, month = suffix.split("_")
            out[dt.date(int(year), int(month), 1)] = name
        except ValueError:
            continue  # the DEFAULT partition
    return dict(sorted(out.items()))


# --------------------------------------------------------------------------- the migration


LEDGER_FUNCTION_SQL = f"""
CREATE OR REPLACE FUNCTION {LEDGER_TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO {LEDGER} (employee_id, idempotency_key, agency_id, checkin_id, server_time)
    VALUES (NEW.employee_id, NEW.idempotency_key, NEW.agency_id, NEW.id, NEW.server_time);
    RETURN NEW;
END
$$
"""


LEDGER_BACKFILL_SQL = (
    f"INSERT INTO {LEDGER} (employee_id, idempotency_key, agency_id, checkin_id, server_time) "
    f"SELECT employee_id, idempotency_key, agency_id, id, server_time FROM {TABLE}"
)


def sqlite_ledger_trigger_sql() -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {LEDGER_TRIGGER}",
        f"CREATE TRIGGER {LEDGER_TRIGGER} AFTER INSERT ON {TABLE} BEGIN "
        f"INSERT INTO {LEDGER} (employee_id, idempotency_key, agency_id, checkin_id, server_time) "
        "VALUES (NEW.employee_id, NEW.idempotency_key, NEW.agency_id, NEW.id, NEW.server_time); END",
    ]


def partition_checkin_table(schema_editor: Any, model: Any, *, ahead: int = 3) -> None:
    """Rebuild the plain ``attendance_checkin`` as a partitioned table, rows and ids kept
    (PostgreSQL; a no-op when it is partitioned already)."""
    if is_partitioned():
        return
    run = schema_editor.execute
    old = f"{TABLE}_plain"
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = %s", [TABLE])
        indexes = [name for (name,) in cursor.fetchall()]
        cursor.execute(
            "SELECT min(server_time), max(id) FROM " + TABLE
        )
        oldest, max_id = cursor.fetchone()
    run(f"ALTER TABLE {TABLE} RENAME TO {old}")
    for name in indexes:  # their names are the model's: free them for the new table
        run(f'ALTER INDEX "{name}" RENAME TO "{name[:55]}_plain"')
    run(
        f"CREATE TABLE {TABLE} (LIKE {old} INCLUDING DEFAULTS INCLUDING CONSTRAINTS) "
        "PARTITION BY RANGE (server_time)"
    )
    run(f"ALTER TABLE {TABLE} ADD CONSTRAINT {TABLE}_pkey PRIMARY KEY (id, server_time)")
    for column, target in (("agency_id", "organisation_agency"), ("employee_id", "organisation_employee")):
        run(
            f"ALTER TABLE {TABLE} ADD CONSTRAINT {TABLE}_{column}_fk FOREIGN KEY ({column}) "
            f"REFERENCES {target} (id) DEFERRABLE INITIALLY DEFERRED"
        )
    for index in model._meta.indexes:
        schema_editor.add_index(model, index)
    run(f"CREATE TABLE {DEFAULT_PARTITION} PARTITION OF {TABLE} DEFAULT")
    first = month_start((oldest or dt.datetime.now(dt.UTC)).date())
    first = min(first, add_months(month_start(dt.datetime.now(dt.UTC).date()), -1))
    last = add_months(month_start(dt.datetime.now(dt.UTC).date()), ahead)
    month = first
    while month <= last:
        run(
            f"CREATE TABLE {partition_name(month)} PARTITION OF {TABLE} "
            f"FOR VALUES FROM ('{_bound(month)}') TO ('{_bound(add_months(month, 1))}')"
        )
        month = add_months(month, 1)
    run(LEDGER_FUNCTION_SQL)
    run(
        f"CREATE TRIGGER {LEDGER_TRIGGER} BEFORE INSERT ON {TABLE} "
        f"FOR EACH ROW EXECUTE FUNCTION {LEDGER_TRIGGER}()"
    )
    run(f"INSERT INTO {TABLE} SELECT * FROM {old}")  # the trigger fills the ledger
    run("SET CONSTRAINTS ALL IMMEDIATE")  # no pending foreign-key checks before more DDL
    run(f"DROP TABLE {old}")  # and with it the identity sequence of its id
    run(f"CREATE SEQUENCE {SEQUENCE} OWNED BY {TABLE}.id")
    if max_id:
        run(f"SELECT setval('{SEQUENCE}', {int(max_id)})")
    run(f"ALTER TABLE {TABLE} ALTER COLUMN id SET DEFAULT nextval('{SEQUENCE}')")


def unpartition_checkin_table(schema_editor: Any, model: Any) -> None:
    """The reverse: a plain table again (rows kept), for ``migrate attendance 0001``."""
    if not is_partitioned():
        return
    run = schema_editor.execute
    old = f"{TABLE}_parted"
    run(f"DROP TRIGGER IF EXISTS {LEDGER_TRIGGER} ON {TABLE}")
    run(f"ALTER TABLE {TABLE} RENAME TO {old}")
    for name in [f"{TABLE}_pkey", *(index.name for index in model._meta.indexes)]:
        run(f'ALTER INDEX IF EXISTS "{name}" RENAME TO "{name[:54]}_parted"')
    run(f"ALTER SEQUENCE {SEQUENCE} OWNED BY NONE")
    run(f"ALTER SEQUENCE {SEQUENCE} RENAME TO {SEQUENCE}_parted")
    run(f"CREATE TABLE {TABLE} (LIKE {old} INCLUDING CONSTRAINTS)")
    run(f"ALTER TABLE {TABLE} ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY")
    run(f"ALTER TABLE {TABLE} ADD CONSTRAINT {TABLE}_pkey PRIMARY KEY (id)")
    run(f"INSERT INTO {TABLE} SELECT * FROM {old}")
    run("SET CONSTRAINTS ALL IMMEDIATE")
    run(
        f"SELECT setval(pg_get_serial_sequence('{TABLE}', 'id'), "
        f"(SELECT coalesce(max(id), 0) + 1 FROM {TABLE}), false)"
    )
    for column, target in (("agency_id", "organisation_agency"), ("employee_id", "organisation_employee")):
        run(
            f"ALTER TABLE {TABLE} ADD CONSTRAINT {TABLE}_{column}_fk FOREIGN KEY ({column}) "
            f"REFERENCES {target} (id) DEFERRABLE INITIALLY DEFERRED"
        )
    run(
        f"ALTER TABLE {TABLE} ADD CONSTRAINT checkin_one_per_key UNIQUE (employee_id, idempotency_key)"
    )
    for index in model._meta.indexes:
        schema_editor.add_index(model, index)
    run(f"DROP TABLE {old} CASCADE")
    run(f"DROP SEQUENCE IF EXISTS {SEQUENCE}_parted")
    run(f"DROP FUNCTION IF EXISTS {LEDGER_TRIGGER}()")


# --------------------------------------------------------------------------- the command


def ensure_partitions(*, ahead: int = 3, today: dt.date | None = None) -> list[str]:
    """Create the partitions of this month and the ``ahead`` next ones that are missing;
    returns the names created. Rows of such a month that reached the DEFAULT partition are
    moved into the new one in the same transaction. Safe to run twice; nothing on SQLite."""
    if not is_partitioned():
        return []
    current = month_start(today or dt.datetime.now(dt.UTC).date())
    existing = monthly_partitions()
    created: list[str] = []
    for n in range(0, ahead + 1):
        month = add_months(current, n)
        if month in existing:
            continue
        name, low, high = partition_name(month), _bound(month), _bound(add_months(month, 1))
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT 1 FROM {DEFAULT_PARTITION} WHERE server_time >= %s AND server_time < %s LIMIT 1",
                [low, high],
            )
            if cursor.fetchone() is None:
                cursor.execute(
                    f"CREATE TABLE IF NOT EXISTS {name} PARTITION OF {TABLE} "
                    f"FOR VALUES FROM ('{low}') TO ('{high}')"
                )
            else:  # move the month's rows out of DEFAULT, then attach (PostgreSQL checks it)
                cursor.execute(f"LOCK TABLE {DEFAULT_PARTITION} IN ACCESS EXCLUSIVE MODE")
                cursor.execute(f"CREATE TABLE {name} (LIKE {TABLE} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)")
                cursor.execute(
                    f"WITH moved AS (DELETE FROM {DEFAULT_PARTITION} WHERE server_time >= %s "
                    f"AND server_time < %s RETURNING *) INSERT INTO {name} SELECT * FROM moved",
                    [low, high],
                )
                cursor.execute(
                    f"ALTER TABLE {TABLE} ATTACH PARTITION {name} FOR VALUES FROM ('{low}') TO ('{high}')"
                )
        created.append(name)
    return created


@dataclass(frozen=True)
class RetentionResult:
    cutoff: dt.date
    detached: list[str]
    dropped: bool
    rows_deleted: int  # SQLite, and rows older than the cutoff that sat in DEFAULT
    keys_forgotten: int


def drop_months_before(*, cutoff: dt.date, drop: bool = False) -> RetentionResult:
    """Remove the check-ins of every whole month before ``cutoff`` (a month's first day).

    PostgreSQL: each such monthly partition is detached (one catalogue change, no row
    deleted) and renamed ``attendance_checkin_archive_YYYY_MM`` so it can be dumped, or with
    ``drop`` dropped. SQLite (a plain table): the rows are deleted. Either way the ledger
    forgets the keys of those months and the daily records stay.
    """
    from .models import CheckIn, CheckInKey

    cutoff = month_start(cutoff)
    high = dt.datetime(cutoff.year, cutoff.month, 1, tzinfo=dt.UTC)
    detached: list[str] = []
    with transaction.atomic():
        if is_partitioned():
            with connection.cursor() as cursor:
                # Deferred foreign-key checks of rows written earlier in this transaction
                # would block the DROP ("pending trigger events"): run them now.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                for month, name in monthly_partitions().items():
                    if add_months(month, 1) > cutoff:
                        continue
                    cursor.execute(f"ALTER TABLE {TABLE} DETACH PARTITION {name}")
                    if drop:
                        cursor.execute(f"DROP TABLE {name}")
                    else:
                        cursor.execute(f"DROP TABLE IF EXISTS {ARCHIVE_PREFIX}{month:%Y_%m}")
                        cursor.execute(f"ALTER TABLE {name} RENAME TO {ARCHIVE_PREFIX}{month:%Y_%m}")
                    detached.append(name)
        # What is left before the cutoff: the DEFAULT partition's rows, or SQLite's table.
        rows, _ = CheckIn.objects.filter(server_time__lt=high).delete()
        keys, _ = CheckInKey.objects.filter(server_time__lt=high).delete()
    return RetentionResult(cutoff=cutoff, detached=detached, dropped=drop, rows_deleted=rows, keys_forgotten=keys)
