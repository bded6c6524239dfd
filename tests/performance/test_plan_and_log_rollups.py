"""The rollups of the approved days and of the logged days (docs/decisions/201) equal a
fresh count of their sources after each writer: days written and replaced (also when the
employee moved unit in between), days ended, a log created, moved to another day and
deleted, the admin's edits, and a rebuild (twice: the same rows). The autouse check in
tests/conftest.py compares them after every test of these apps too. SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from fleksi.cli import main
from fleksi.core import clock
from fleksi.performance import log_rollup, services
from fleksi.performance.models import LogDayRollup, LogEntry
from fleksi.schedules import rollup as plan_rollup
from fleksi.schedules.models import ArrangementDay, PlanDayRollup, PlanMonthRollup
from fleksi.schedules.services import arrangement_days_end, arrangement_days_write
from tests.rollups import log_rollup_mismatch, month_rollup_mismatch, plan_rollup_mismatch

from .conftest import TODAY, fresh

pytestmark = pytest.mark.django_db


class _Day:
    def __init__(self, date: dt.date, location: str = "rumah", time_kind: str = "reguler") -> None:
        self.date, self.location_kind, self.time_kind, self.start, self.end = date, location, time_kind, None, None


def both_match() -> None:
    assert plan_rollup_mismatch() == ""
    assert month_rollup_mismatch() == ""
    assert log_rollup_mismatch() == ""


def logged(unit_id: int, day: dt.date) -> int:
    return sum(LogDayRollup.objects.filter(unit_id=unit_id, date=day).values_list("logged", flat=True))


def test_days_written_replaced_after_a_move_and_ended(world: Any) -> None:
    e1, mon = world.e1, dt.date(2026, 12, 14)
    arrangement_days_write(employee=e1, days=[_Day(mon), _Day(TODAY)], now=clock.now(), request_id=world.request.pk)
    both_match()
    assert PlanDayRollup.objects.get(unit=world.child, date=mon).days == 1
    e1.unit = world.root  # moved: the replaced day was the old unit's
    e1.save()
    arrangement_days_write(employee=e1, days=[_Day(mon, "lain")], now=clock.now(), request_id=world.request.pk)
    both_match()
    assert not PlanDayRollup.objects.filter(unit=world.child, date=mon).exists()
    assert PlanDayRollup.objects.get(unit=world.root, date=mon).location_kind == "lain"
    ended = arrangement_days_end(ArrangementDay.objects.filter(employee=e1, date=mon), now=clock.now())
    assert ended == 1
    both_match()
    assert not PlanDayRollup.objects.filter(date=mon).exists()


def test_a_period_cuts_the_month_masks(world: Any) -> None:
    """Distinct employees with a flexible day over a period from the month masks equal those
    over the days themselves, for periods that cut a month at either end or both."""
    from fleksi.schedules.selectors import population_days, population_flexible_months

    for day in (dt.date(2026, 11, 30), dt.date(2026, 12, 1), dt.date(2026, 12, 31), dt.date(2027, 1, 1)):
        arrangement_days_write(employee=world.e2, days=[_Day(day, "lain")], now=clock.now(), request_id=world.request.pk)
    both_match()
    periods = [
        (dt.date(2026, 11, 1), dt.date(2026, 11, 29)), (dt.date(2026, 11, 30), dt.date(2026, 11, 30)),
        (dt.date(2026, 12, 2), dt.date(2026, 12, 7)), (dt.date(2026, 12, 2), dt.date(2026, 12, 30)),
        (dt.date(2026, 12, 9), dt.date(2026, 12, 9)), (dt.date(2026, 12, 31), dt.date(2027, 1, 1)),
        (dt.date(2026, 11, 1), dt.date(2027, 1, 31)), (dt.date(2027, 1, 2), dt.date(2027, 1, 31)),
    ]
    for start, end in periods:
        for location in (None, "rumah", "lain"):
            days = population_days(agency_ids=[world.root.agency_id], unit_path=None, start=start, end=end)
            days = days.exclude(location_kind="kantor", time_kind="reguler")
            if location:
                days = days.filter(location_kind=location)
            months = population_flexible_months(
                agency_ids=[world.root.agency_id], unit_path=None, start=start, end=end, location=location
            )
            assert set(months.values_list("unit_id", "employee_id")) == set(days.values_list("unit_id", "employee_id")), (start, end, location)


def test_logs_created_moved_deleted_and_the_day_ended(world: Any) -> None:
    actor = fresh(world.e1.user)
    entry = services.log_create(actor=actor, data=services.LogInput(date=TODAY, description="Kajian", quantity=1, minutes=60))
    both_match()
    assert logged(world.child.pk, TODAY) == 1
    services.log_create(actor=actor, data=services.LogInput(date=TODAY, description="Rapat", quantity=1, minutes=60))
    assert logged(world.child.pk, TODAY) == 1  # a day with two logs is one logged day
    earlier = dt.date(2026, 12, 10)
    services.log_update(actor=actor, entry_id=entry.pk, data=services.LogInput(date=earlier, description="Kajian", quantity=1, minutes=60))
    both_match()
    assert logged(world.child.pk, earlier) == 1 and logged(world.child.pk, TODAY) == 1
    for other in LogEntry.objects.filter(date=TODAY):
        services.log_delete(actor=actor, entry_id=other.pk)
    both_match()
    assert logged(world.child.pk, TODAY) == 0
    arrangement_days_end(ArrangementDay.objects.filter(employee=world.e1, date=earlier), now=clock.now())
    both_match()  # the day ended: its log no longer counts
    assert logged(world.child.pk, earlier) == 0
    services.log_create(actor=actor, data=services.LogInput(date=dt.date(2026, 12, 9), description="Tanpa rencana", quantity=1, minutes=60))
    both_match()  # a log on a day without an approved day counts nowhere
    assert not LogDayRollup.objects.filter(date=dt.date(2026, 12, 9)).exists()


def test_the_admin_edits_follow(world: Any, client: Any) -> None:
    from django.contrib import admin
    from django.test import RequestFactory

    from fleksi.performance.admin import LogEntryAdmin

    actor = fresh(world.e1.user)
    entry = services.log_create(actor=actor, data=services.LogInput(date=TODAY, description="Kajian", quantity=1, minutes=60))
    model_admin = LogEntryAdmin(LogEntry, admin.site)
    request = RequestFactory().post("/")
    entry.date = dt.date(2026, 12, 8)
    model_admin.save_model(request, entry, None, True)
    both_match()
    assert logged(world.child.pk, TODAY) == 0 and logged(world.child.pk, dt.date(2026, 12, 8)) == 1
    model_admin.delete_queryset(request, LogEntry.objects.filter(pk=entry.pk))
    both_match()
    assert not LogDayRollup.objects.exists()


def test_rebuild_is_exact_and_safe_twice(world: Any, capsys: Any) -> None:
    actor = fresh(world.e1.user)
    services.log_create(actor=actor, data=services.LogInput(date=TODAY, description="Kajian", quantity=1, minutes=60))
    good_plan = sorted(PlanDayRollup.objects.values_list("unit_id", "date", "location_kind", "days", "few_ids"))
    good_logs = sorted(LogDayRollup.objects.values_list("unit_id", "date", "logged"))
    good_months = sorted(PlanMonthRollup.objects.values_list("employee_id", "month", "location_kind", "mask"))
    PlanDayRollup.objects.all().delete()
    PlanMonthRollup.objects.update(mask=1)
    LogDayRollup.objects.update(logged=99)
    PlanDayRollup.objects.create(agency=world.root.agency, unit=world.root, date=dt.date(2025, 1, 6),
                                 location_kind="rumah", time_kind="reguler", days=3)  # drifted, out of range
    assert main(["schedules", "rollup", "--rebuild", "--agency", world.root.agency.code]) == 0
    assert "dihitung ulang" in capsys.readouterr().out
    assert main(["schedules", "rollup", "--rebuild"]) == 0
    both_match()
    assert sorted(PlanDayRollup.objects.values_list("unit_id", "date", "location_kind", "days", "few_ids")) == good_plan
    assert sorted(LogDayRollup.objects.values_list("unit_id", "date", "logged")) == good_logs
    assert sorted(PlanMonthRollup.objects.values_list("employee_id", "month", "location_kind", "mask")) == good_months
    assert log_rollup.rebuild(agency_id=world.root.agency_id) >= 1
    both_match()


def test_rebuild_refuses_an_unknown_agency(capsys: Any) -> None:
    assert main(["schedules", "rollup", "--rebuild", "--agency", "TIDAK-ADA"]) != 0
    assert "Instansi tidak dikenal" in capsys.readouterr().err


def test_refresh_of_nothing_is_no_query(django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(0):
        plan_rollup.refresh([])
        log_rollup.refresh([])
