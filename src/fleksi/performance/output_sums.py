"""The outputs' logged sums (docs/decisions/199): ``PlannedOutput.logged_quantity`` (all its
log entries) and ``logged_by_due`` (those dated up to its due date; 0 without one), read by
``selectors.population_output_sums`` instead of a GROUP BY over every log.

Recomputed, never adjusted by deltas: one UPDATE with a correlated SUM per column. Every
writer of log entries or of an output's due date calls ``refresh_output_sums`` last in its
transaction, with the outputs it touched (a log moved to another output: both).

Concurrency (PostgreSQL, READ COMMITTED): the outputs are row-locked (FOR NO KEY UPDATE, by
id) in a statement of their own *before* the UPDATE, so the UPDATE's snapshot, taken after
the lock was granted, sees every log committed by the transactions that refreshed the same
output before. Inside one UPDATE that waited for the row lock, PostgreSQL would re-check the
row but keep the statement's old snapshot for the subqueries over the logs, missing the log
the other transaction had just committed. NO KEY UPDATE does not conflict with the KEY SHARE
lock that inserting a log takes on its output (a foreign-key check), so two writers of one
output wait for each other instead of deadlocking. SQLite has one writer at a time.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.db.models import DecimalField, F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from .models import LogEntry, PlannedOutput

CHUNK = 500  # ids per statement (SQLite's bound parameters)


def _sum(condition: Q) -> Coalesce:
    logs = (
        LogEntry.objects.filter(condition, planned_output_id=OuterRef("pk"))
        .order_by()
        .values("planned_output_id")
        .annotate(total=Sum("quantity"))
        .values("total")
    )
    field: DecimalField[Decimal, Decimal] = DecimalField(max_digits=12, decimal_places=2)
    return Coalesce(Subquery(logs, output_field=field), Value(Decimal(0)), output_field=field)


def _recompute(outputs: QuerySet[PlannedOutput]) -> int:
    return outputs.update(
        logged_quantity=_sum(Q()),
        logged_by_due=_sum(Q(date__lte=OuterRef("due_date"))),
    )


def refresh_output_sums(output_ids: Iterable[int | None]) -> None:
    """Recompute the sums of these outputs (None, a log without an output, is skipped): the
    row locks, then one UPDATE, per chunk of ids in ascending order (every writer locks in
    this order, so two of them cannot deadlock on outputs)."""
    ids = sorted({pk for pk in output_ids if pk is not None})
    if not ids:
        return
    with transaction.atomic(savepoint=False):
        for n in range(0, len(ids), CHUNK):
            chunk = ids[n:n + CHUNK]
            locked = PlannedOutput.objects.select_for_update(no_key=True).filter(pk__in=chunk).order_by("pk")
            list(locked.values_list("pk", flat=True))
            _recompute(PlannedOutput.objects.filter(pk__in=chunk))


def refresh_agency_output_sums(agency_id: int) -> int:
    """Every output of an agency in one UPDATE, without row locks: for bulk loads (the scale
    seed, the bench) that hold the agency's data in their own transaction."""
    return _recompute(PlannedOutput.objects.filter(agency_id=agency_id))


def logged_sums_drift() -> list[int]:
    """The outputs whose stored sums differ from their logs (empty when every writer
    refreshed): for the tests and an operator's check."""
    fresh = PlannedOutput.objects.annotate(q=_sum(Q()), d=_sum(Q(date__lte=OuterRef("due_date"))))
    return list(
        fresh.exclude(logged_quantity=F("q"), logged_by_due=F("d")).order_by("pk").values_list("pk", flat=True)
    )
