"""Deleting employees in the admin (one, or a selection) takes their days out of every
dashboard rollup in the same transaction (docs/decisions/203): attendance's unit-days and
weeks, the approved days and employee-months, the logged days, and the predikat counts;
each compared with a fresh count of what is left. SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.contrib import admin
from django.test import RequestFactory

from fleksi.attendance import rollup as attendance_rollup
from fleksi.attendance.models import DailyRecord, DayRollup
from fleksi.organisation.admin import EmployeeAdmin
from fleksi.organisation.models import Employee
from fleksi.performance import log_rollup
from fleksi.performance import rollup as assessment_rollup
from fleksi.performance.models import Assessment, AssessmentRollup, LogDayRollup, LogEntry
from fleksi.schedules.models import PlanDayRollup, PlanMonthRollup
from tests.attendance.test_rollup import assert_rollups_true
from tests.factories import EmployeeFactory
from tests.rollups import log_rollup_mismatch, month_rollup_mismatch, plan_rollup_mismatch

from .conftest import arrange
from .test_assessment_rollup import assert_rollup_is_right

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 12, 8)


def busy_employee(world: Any, name: str) -> Employee:
    """An employee of the child unit with a record, an approved day with a daily log, and a
    final assessment: a row in each rollup."""
    e = EmployeeFactory(unit=world.child, name=name)
    record = DailyRecord.objects.create(
        agency=e.agency, unit=e.unit, employee=e, work_date=DAY, planned_location="rumah",
        status="present_flexible", flags=["deviation"], worked_minutes=450,
    )
    attendance_rollup.record_saved(record)
    arrange(e, DAY, world.request)
    LogEntry.objects.create(agency=e.agency, employee=e, date=DAY, description="Menyusun telaah", minutes=120,
                            quantity=Decimal(1))
    log_rollup.log_changed(employee_id=e.pk, dates=[DAY])
    final = Assessment.objects.create(agency=e.agency, employee=e, period=dt.date(2026, 12, 1), state="final",
                                      predikat="baik")
    assessment_rollup.assessments_changed([final])
    return e


def all_rollups_true() -> None:
    assert_rollups_true()
    assert plan_rollup_mismatch() == "" and month_rollup_mismatch() == "" and log_rollup_mismatch() == ""
    assert_rollup_is_right()


def counts(unit_id: int) -> tuple[int, int, int, int, int]:
    return (
        sum(DayRollup.objects.filter(unit_id=unit_id, work_date=DAY).values_list("records", flat=True)),
        sum(PlanDayRollup.objects.filter(unit_id=unit_id, date=DAY).values_list("days", flat=True)),
        sum(LogDayRollup.objects.filter(unit_id=unit_id, date=DAY).values_list("logged", flat=True)),
        sum(AssessmentRollup.objects.filter(unit_id=unit_id).values_list("n", flat=True)),
        PlanMonthRollup.objects.filter(unit_id=unit_id).count(),
    )


def test_deleting_employees_in_the_admin_takes_them_out_of_every_rollup(world: Any, admin_user: Any) -> None:
    gone, also_gone, stays = (busy_employee(world, n) for n in ("Citra Dewi", "Dedi Kurnia", "Eka Putri"))
    all_rollups_true()
    before = counts(world.child.pk)
    assert before[0] >= 3 and before[1] >= 3 and before[2] >= 3 and before[3] >= 3
    model_admin = EmployeeAdmin(Employee, admin.site)
    request = RequestFactory().post("/admin/")
    request.user = admin_user
    model_admin.delete_model(request, gone)
    all_rollups_true()
    after_one = counts(world.child.pk)
    assert after_one[:4] == tuple(n - 1 for n in before[:4])
    model_admin.delete_queryset(request, Employee.objects.filter(pk__in=[also_gone.pk]))
    all_rollups_true()
    assert counts(world.child.pk)[:4] == tuple(n - 2 for n in before[:4])
    assert Employee.objects.filter(pk=stays.pk).exists()


def test_deleting_an_employee_without_any_day_changes_nothing_else(world: Any, admin_user: Any) -> None:
    idle = EmployeeFactory(unit=world.child)
    before = counts(world.child.pk)
    model_admin = EmployeeAdmin(Employee, admin.site)
    request = RequestFactory().post("/admin/")
    request.user = admin_user
    model_admin.delete_model(request, idle)
    assert counts(world.child.pk) == before
    all_rollups_true()
