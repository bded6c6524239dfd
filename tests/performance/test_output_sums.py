"""The outputs' logged sums (docs/decisions/199): after every writer of logs or of a due date
the stored sums equal a fresh SUM of the logs, and ``population_output_sums`` equals the
GROUP BY it replaced (kept below as the reference) whatever the end and the due dates."""

from __future__ import annotations

import datetime as dt
import importlib
import threading
from decimal import Decimal

import pytest
from django.contrib.admin.sites import site
from django.db import connection, transaction
from django.db.models import F, Q, Sum
from django.test import RequestFactory

from fleksi.performance import log_rollup, selectors, services
from fleksi.performance.models import LogEntry, PlannedOutput
from fleksi.performance.output_sums import logged_sums_drift, refresh_output_sums

from .conftest import TODAY, fresh

pytestmark = pytest.mark.django_db

DEC = dt.date(2026, 12, 1)


def reference_sums(outputs, *, end):
    """The GROUP BY over every log that ``population_output_sums`` was (decision 197)."""
    rows = (
        LogEntry.objects.filter(planned_output_id__in=outputs.values("pk"), date__lte=end)
        .values_list("planned_output_id")
        .annotate(
            realised=Sum("quantity"),
            by_due=Sum("quantity", filter=Q(date__lte=F("planned_output__due_date")), default=Decimal(0)),
        )
        .order_by()
    )
    return {pk: (realised, by_due) for pk, realised, by_due in rows}


def output(employee, *, due, target=4, start=DEC, end=dt.date(2026, 12, 31)):
    return PlannedOutput.objects.create(
        agency=employee.agency, employee=employee, source="employee", state="agreed", description="Laporan",
        target_quantity=Decimal(target), start_date=start, end_date=end, due_date=due,
    )


def write_log(employee, on, planned, quantity):
    return services.log_create(actor=fresh(employee.user), data=services.LogInput(
        date=on, description="Kegiatan", quantity=quantity, minutes=60,
        planned_output_id=planned.pk if planned else None,
    ))


def stored(o):
    o.refresh_from_db()
    return o.logged_quantity, o.logged_by_due


def test_each_service_writer_keeps_the_sums(world):
    e1 = world.e1
    a, b = output(e1, due=dt.date(2026, 12, 10)), output(e1, due=None)
    first = write_log(e1, dt.date(2026, 12, 8), a, "2")
    second = write_log(e1, dt.date(2026, 12, 14), a, "3.5")
    write_log(e1, dt.date(2026, 12, 9), None, "7")  # no output: nothing to refresh
    assert stored(a) == (Decimal("5.5"), Decimal(2)) and stored(b) == (0, 0)
    assert not logged_sums_drift()

    edit = services.LogInput(date=dt.date(2026, 12, 9), description="Kegiatan", quantity="4", minutes=60,
                             planned_output_id=a.pk)
    services.log_update(actor=fresh(e1.user), entry_id=first.pk, data=edit)  # quantity and date
    assert stored(a) == (Decimal("7.5"), Decimal(4))
    moved = services.LogInput(date=dt.date(2026, 12, 14), description="Kegiatan", quantity="3.5", minutes=60,
                              planned_output_id=b.pk)
    services.log_update(actor=fresh(e1.user), entry_id=second.pk, data=moved)  # to another output
    assert stored(a) == (Decimal(4), Decimal(4))
    assert stored(b) == (Decimal("3.5"), 0)  # no due date: nothing "by the due date", as before
    assert not logged_sums_drift()

    services.log_delete(actor=fresh(e1.user), entry_id=second.pk)
    assert stored(b) == (0, 0) and not logged_sums_drift()


def test_the_admin_keeps_the_sums(world, admin_user):
    e1 = world.e1
    a, b = output(e1, due=dt.date(2026, 12, 10)), output(e1, due=dt.date(2026, 12, 31))
    entries = [write_log(e1, dt.date(2026, 12, d), a, "1") for d in (8, 11, 14)]
    request = RequestFactory().post("/")
    request.user = admin_user
    logs, outputs = site._registry[LogEntry], site._registry[PlannedOutput]

    entry = LogEntry.objects.get(pk=entries[0].pk)
    entry.planned_output, entry.quantity = b, Decimal(5)
    logs.save_model(request, entry, None, True)  # moved and changed
    assert stored(a) == (2, 0) and stored(b) == (5, 5)

    o = PlannedOutput.objects.get(pk=a.pk)
    o.due_date = dt.date(2026, 12, 12)
    outputs.save_model(request, o, None, True)
    assert stored(a) == (2, 1)

    logs.delete_model(request, LogEntry.objects.get(pk=entries[1].pk))
    assert stored(a) == (1, 0)
    logs.delete_queryset(request, LogEntry.objects.filter(pk__in=[entries[0].pk, entries[2].pk]))
    assert stored(a) == (0, 0) and stored(b) == (0, 0) and not logged_sums_drift()


def test_saving_an_output_read_before_a_log_keeps_the_fresh_sums(world):
    e1 = world.e1
    stale = output(e1, due=dt.date(2026, 12, 10))
    write_log(e1, dt.date(2026, 12, 8), stale, "2")
    stale.description = "Laporan bulanan"
    stale.save()  # its copy of the sums (0) is not written back
    assert stored(stale) == (2, 2) and not logged_sums_drift()


@pytest.mark.parametrize("end", [dt.date(2026, 12, 9), dt.date(2026, 12, 12), TODAY, dt.date(2027, 1, 31)])
def test_population_sums_equal_the_group_by(world, end):
    e1, e2 = world.e1, world.e2
    due_before, due_after, no_due = (
        output(e1, due=dt.date(2026, 12, 10)), output(e1, due=dt.date(2026, 12, 20)), output(e2, due=None),
    )
    empty = output(e2, due=dt.date(2026, 12, 5))
    for who, o in ((e1, due_before), (e1, due_after), (e2, no_due)):
        for day, quantity in ((1, "1"), (8, "2.25"), (10, "3"), (11, "0.5"), (14, "4")):
            write_log(who, dt.date(2026, 12, day), o, quantity)
    write_log(e1, dt.date(2026, 12, 11), None, "9")
    outputs = selectors.population_outputs(agency_ids=[e1.agency_id], unit_path=None, start=DEC, end=end)
    assert outputs.count() == 4
    got = selectors.population_output_sums(outputs, end=end)
    want = reference_sums(outputs, end=end)
    zero = (Decimal(0), Decimal(0))
    assert {pk: got.get(pk, zero) for pk in (due_before.pk, due_after.pk, no_due.pk, empty.pk)} == {
        pk: want.get(pk, zero) for pk in (due_before.pk, due_after.pk, no_due.pk, empty.pk)
    }
    assert set(got) == {due_before.pk, due_after.pk, no_due.pk, empty.pk}  # every output, zeros too
    if end == dt.date(2026, 12, 12):
        assert got[due_before.pk] == (Decimal("6.75"), Decimal("6.25"))
        assert got[due_after.pk] == (Decimal("6.75"), Decimal("6.75"))  # due after the end
        assert got[no_due.pk] == (Decimal("6.75"), 0)


def test_the_migration_fills_the_sums(world):
    e1 = world.e1
    a, b = output(e1, due=dt.date(2026, 12, 10)), output(e1, due=None)
    for o in (a, b):
        write_log(e1, dt.date(2026, 12, 8), o, "2")
        write_log(e1, dt.date(2026, 12, 14), o, "3")
    PlannedOutput.objects.update(logged_quantity=99, logged_by_due=99)  # as before the migration
    assert set(logged_sums_drift()) == {a.pk, b.pk}
    fill = importlib.import_module("fleksi.performance.migrations.0003_output_logged_sums").FILL
    with connection.cursor() as cursor:
        cursor.execute(fill)
    assert stored(a) == (5, 2) and stored(b) == (5, 0) and not logged_sums_drift()


def test_the_scale_seed_refreshes_after_its_bulk_insert():
    from fleksi.demo import scale

    built = scale.load_scale(40, 2, start=dt.date(2026, 11, 2), units=2)
    assert built.logs and PlannedOutput.objects.filter(logged_quantity__gt=0).exists()
    assert not logged_sums_drift()


def test_refresh_skips_logs_without_an_output_and_unknown_ids(world):
    refresh_output_sums([None, 2**31 - 1])
    assert not logged_sums_drift()


def raw_log(employee, on, planned, quantity):
    """A writer without the services' audit (whose chain head would serialise the two
    transactions before their refresh, decision 180): the log, then the refresh."""
    entry = LogEntry.objects.create(
        agency=employee.agency, employee=employee, date=on, planned_output=planned,
        description="Kegiatan", quantity=Decimal(quantity), minutes=60,
    )
    refresh_output_sums([planned.pk])
    log_rollup.log_changed(employee_id=employee.pk, dates=[on])  # as the log services do (decision 201)
    return entry


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres  # row locks
def test_concurrent_logs_of_one_output_both_count(world):
    """T1 logs and refreshes, then waits before committing; T2 logs and refreshes meanwhile.
    T2's refresh waits for T1's row lock and must then see T1's committed log: a single
    UPDATE that waited would keep its older snapshot and miss it."""
    e1 = world.e1
    o = output(e1, due=dt.date(2026, 12, 10))
    refreshed, errors = threading.Event(), []

    def first() -> None:
        try:
            with transaction.atomic():
                raw_log(e1, dt.date(2026, 12, 8), o, "2")
                refreshed.set()
                threading.Event().wait(0.5)  # T2 is now waiting for the row lock
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
            refreshed.set()
        finally:
            connection.close()

    thread = threading.Thread(target=first)
    thread.start()
    refreshed.wait(10)
    with transaction.atomic():
        raw_log(e1, dt.date(2026, 12, 9), o, "3")
    thread.join(10)
    assert not errors
    assert stored(o) == (5, 5) and not logged_sums_drift()
