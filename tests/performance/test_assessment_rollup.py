"""The assessment rollup (docs/decisions/198) equals a GROUP BY of ``population_assessments``
after each writer: finalising, a correction (a new version), a unit move (the HR import's and
the admin's signal), the admin's add and delete, the demo reset; the rebuild is idempotent
and repairs a drifted rollup; the migration fills the rollup of existing assessments."""

from __future__ import annotations

import datetime as dt
import importlib
from collections import defaultdict
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.management import call_command

from fleksi.organisation.admin import EmployeeAdmin
from fleksi.organisation.models import Employee
from fleksi.organisation.signals import employees_moved
from fleksi.performance import rollup, services
from fleksi.performance.admin import AssessmentAdmin
from fleksi.performance.models import Assessment, AssessmentRollup, PlannedOutput
from fleksi.performance.selectors import (
    period_outputs,
    population_assessment_rollup,
    population_assessments,
)
from fleksi.policy import rating
from tests.factories import EmployeeFactory

from .conftest import PERIOD, fresh

DEC = dt.date(2026, 12, 1)
EVER = {"start": dt.date(2000, 1, 1), "end": dt.date(2100, 1, 1)}


def expected() -> dict[tuple[Any, ...], tuple[int, set[int]]]:
    """The rollup computed from the raw selector: n and the employees of each key."""
    ids: dict[tuple[Any, ...], list[int]] = defaultdict(list)
    rows = population_assessments(agency_ids=None, unit_path=None, **EVER).values_list(
        "agency_id", "unit_id", "period", "cadence", "predikat", "employee_id"
    )
    for *key, employee_id in rows:
        ids[tuple(key)].append(employee_id)
    return {key: (len(v), set(v) if len(v) <= rollup.FEW else set()) for key, v in ids.items()}


def stored() -> dict[tuple[Any, ...], tuple[int, set[int]]]:
    rows = population_assessment_rollup(agency_ids=None, unit_path=None, **EVER).values_list(
        "agency_id", "unit_id", "period", "cadence", "predikat", "n", "few_ids"
    )
    out = {}
    for *key, n, few in rows:
        assert tuple(key) not in out, "one row per key"
        out[tuple(key)] = (n, {int(x) for x in few.split(",") if x})
    return out


def assert_rollup_is_right() -> None:
    assert stored() == expected()


def finalise(world: Any, employee: Employee, level: str = "meets", *, period: str = PERIOD) -> Assessment:
    """The head of the employee's unit rates every agreed output and value at ``level`` and
    finalises (an output is added for an employee without one)."""
    head = world.head_child if employee.unit_id == world.child.pk else world.head_root
    if not PlannedOutput.objects.filter(employee=employee).exists() and employee.pk != world.e1.pk:
        PlannedOutput.objects.create(
            agency=employee.agency, employee=employee, source="employee", state="agreed", description="Laporan",
            target_quantity=Decimal(1), start_date=DEC, end_date=dt.date(2026, 12, 31), due_date=dt.date(2026, 12, 20),
        )
    outputs = period_outputs(agency_id=employee.agency_id, employee_ids=[employee.pk], start=DEC, end=dt.date(2026, 12, 31))
    data = services.AssessmentInput(
        output_ratings={str(o.pk): level for o in outputs if o.state == "agreed"},
        behaviour_ratings={v.value: level for v in rating.BehaviourValue},
    )
    services.assessment_save(actor=fresh(head.user), employee_id=employee.pk, period=period, data=data)
    return services.assessment_finalise(actor=fresh(head.user), employee_id=employee.pk, period=period)


@pytest.mark.django_db
def test_finalising_and_a_correction_keep_the_rollup(world):
    finalise(world, world.e1, "meets")
    finalise(world, world.e2, "above")
    assert_rollup_is_right()
    assert stored()[(world.e1.agency_id, world.child.pk, DEC, "monthly", "baik")] == (1, {world.e1.pk})
    # a correction: the new draft changes nothing, the new final version replaces the old one
    services.assessment_save(
        actor=fresh(world.head_child.user), employee_id=world.e1.pk, period=PERIOD,
        data=services.AssessmentInput(output_ratings={}, behaviour_ratings={}),
    )
    assert_rollup_is_right()
    second = finalise(world, world.e1, "above")
    assert second.version == 2 and second.predikat == "sangat_baik"
    assert_rollup_is_right()
    keys = stored()
    assert (world.e1.agency_id, world.child.pk, DEC, "monthly", "baik") not in keys
    assert keys[(world.e1.agency_id, world.child.pk, DEC, "monthly", "sangat_baik")] == (1, {world.e1.pk})


@pytest.mark.django_db
def test_a_row_of_more_than_four_keeps_no_ids(world):
    people = [EmployeeFactory(unit=world.root) for _ in range(5)]
    for person in people[:4]:
        finalise(world, person)
    assert stored()[(world.e1.agency_id, world.root.pk, DEC, "monthly", "baik")] == (4, {p.pk for p in people[:4]})
    finalise(world, people[4])
    assert stored()[(world.e1.agency_id, world.root.pk, DEC, "monthly", "baik")] == (5, set())
    assert_rollup_is_right()


@pytest.mark.django_db
def test_a_unit_move_refreshes_both_units(world):
    """The HR import and the admin send ``employees_moved``: the rows of the unit before and
    the unit after are recomputed (the dashboard groups by the employee's unit now)."""
    finalise(world, world.e1)
    finalise(world, world.e2)
    Employee.objects.filter(pk=world.e1.pk).update(unit=world.root)
    employees_moved.send(sender=Employee, agency_id=world.e1.agency_id, moves=[(world.e1.pk, world.child.pk, world.root.pk)])
    assert_rollup_is_right()
    assert stored()[(world.e1.agency_id, world.root.pk, DEC, "monthly", "baik")] == (2, {world.e1.pk, world.e2.pk})
    # the admin's edit of the employee
    e1 = Employee.objects.get(pk=world.e1.pk)
    e1.unit = world.child
    form = SimpleNamespace(fields={"unit": None}, changed_data=["unit"])  # not a reauth-gated field
    EmployeeAdmin(Employee, admin.site).save_model(None, e1, form, True)
    assert_rollup_is_right()
    assert stored()[(world.e1.agency_id, world.child.pk, DEC, "monthly", "baik")] == (1, {world.e1.pk})


@pytest.mark.django_db
def test_the_admin_add_and_delete_keep_the_rollup(world):
    model_admin = AssessmentAdmin(Assessment, admin.site)
    a = Assessment(agency=world.e2.agency, employee=world.e2, period=DEC, state="final", predikat="kurang")
    model_admin.save_model(None, a, None, False)
    assert_rollup_is_right()
    assert stored()[(world.e2.agency_id, world.root.pk, DEC, "monthly", "kurang")] == (1, {world.e2.pk})
    model_admin.delete_model(None, a)
    assert_rollup_is_right()
    assert stored() == {}
    finalise(world, world.e1)
    finalise(world, world.e2)
    model_admin.delete_queryset(None, Assessment.objects.filter(employee=world.e1))
    assert_rollup_is_right()
    assert len(stored()) == 1


@pytest.mark.django_db
def test_rebuild_is_idempotent_and_repairs_a_drifted_rollup(world):
    finalise(world, world.e1)
    finalise(world, world.e2, "above")
    before = stored()
    assert rollup.rebuild(agency_id=world.e1.agency_id) == 1
    assert rollup.rebuild(agency_id=world.e1.agency_id) == 1
    assert stored() == before
    AssessmentRollup.objects.filter(predikat="baik").update(n=99)
    AssessmentRollup.objects.create(agency=world.e1.agency, unit=world.root, period=dt.date(2025, 1, 1), predikat="baik", n=3)
    call_command("performance_rollup", "--rebuild", "--agency", world.e1.agency.code)
    assert stored() == before
    assert_rollup_is_right()


@pytest.mark.django_db
def test_the_cli_rebuilds_and_reports_each_period_and_refuses_an_unknown_agency(world, capsys):
    from fleksi.cli import main

    finalise(world, world.e1)
    before = stored()
    AssessmentRollup.objects.all().delete()
    assert main(["performance", "rollup", "--rebuild", "--agency", world.e1.agency.code]) == 0
    out = capsys.readouterr().out
    assert f"{world.e1.agency.name}: periode " in out and "1 periode dihitung ulang" in out
    assert stored() == before
    assert main(["performance", "rollup", "--rebuild", "--agency", "TIDAK-ADA"]) == 1
    assert "Instansi tidak dikenal: TIDAK-ADA" in capsys.readouterr().err
    assert main(["performance", "rollup"]) == 1
    assert "Gunakan --rebuild" in capsys.readouterr().err


@pytest.mark.django_db
def test_the_migration_fills_the_rollup_of_existing_assessments(world):
    finalise(world, world.e1)
    Assessment.objects.create(agency=world.other.agency, employee=world.other, period=DEC, state="final", predikat="baik")
    AssessmentRollup.objects.all().delete()
    migration = importlib.import_module("fleksi.performance.migrations.0004_assessment_rollup")
    migration.build_rollup(apps, None)
    assert_rollup_is_right()
    assert len(stored()) == 2


@pytest.mark.django_db
def test_the_demo_reset_removes_the_rollup_rows(world):
    from fleksi import demo

    finalise(world, world.e1)
    agency_id = world.e1.agency_id
    demo.remove_agency(world.e1.agency)
    assert_rollup_is_right()
    assert not AssessmentRollup.objects.filter(agency_id=agency_id).exists()


@pytest.mark.django_db
def test_the_hr_import_moving_an_employee_refreshes_both_units():
    from fleksi.organisation.importing import employees_import
    from tests.factories import AgencyFactory
    from tests.organisation.test_import_support import csv_bytes, nip, small_org

    agency = AgencyFactory()
    employees_import(actor=None, agency=agency, data=csv_bytes(small_org()), filename="pegawai.csv")
    moved, stays = Employee.objects.get(nip=nip(3)), Employee.objects.get(nip=nip(2))
    rollup.assessments_changed([
        Assessment.objects.create(agency=agency, employee=person, period=DEC, state="final", predikat="baik")
        for person in (moved, stays)
    ])
    assert stored()[(agency.pk, moved.unit_id, DEC, "monthly", "baik")] == (2, {moved.pk, stays.pk})
    rows = small_org()
    rows[3].update(unit_kode="DIT-B", unit_nama="Direktorat B", atasan_nip=nip(4))
    employees_import(actor=None, agency=agency, data=csv_bytes(rows), filename="pegawai.csv")
    new_unit = Employee.objects.get(pk=moved.pk).unit_id
    assert new_unit != moved.unit_id
    assert_rollup_is_right()
    assert stored()[(agency.pk, moved.unit_id, DEC, "monthly", "baik")] == (1, {stays.pk})
    assert stored()[(agency.pk, new_unit, DEC, "monthly", "baik")] == (1, {moved.pk})
