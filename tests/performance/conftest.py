"""A small agency for performance: a root unit with a child unit, their heads, employees,
HR, another agency; the clock pinned to Tuesday 15 December 2026, 10:00 WIB. e1 has an
approved request (1-31 Dec) with two planned outputs and a flexible (home) day today."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from fleksi.accounts.services import api_token_create
from fleksi.core import clock
from fleksi.organisation.models import Employee, OrgUnit
from fleksi.requests.models import FlexRequest
from fleksi.requests.models import PlannedOutput as RequestOutput
from fleksi.schedules import rollup as plan_rollup
from fleksi.schedules.models import ArrangementDay
from tests.factories import EmployeeFactory, UnitFactory, UserFactory, make_agency_role, make_head

WIB = dt.timezone(dt.timedelta(hours=7))
NOW = dt.datetime(2026, 12, 15, 10, 0, tzinfo=WIB)
TODAY = NOW.date()
PERIOD = "2026-12"


@pytest.fixture
def now(monkeypatch: pytest.MonkeyPatch) -> dict[str, dt.datetime]:
    state = {"at": NOW}
    monkeypatch.setattr(clock, "now", lambda: state["at"].astimezone(dt.UTC))
    return state


@dataclass
class World:
    root: OrgUnit
    child: OrgUnit
    head_root: Employee
    head_child: Employee
    e1: Employee
    e2: Employee
    hr: Any
    other: Employee
    request: FlexRequest


def arrange(employee: Employee, day: dt.date, request: FlexRequest, location: str = "rumah") -> ArrangementDay:
    saved = ArrangementDay.objects.create(
        agency=employee.agency, unit=employee.unit, employee=employee, request=request, date=day,
        location_kind=location,
    )
    plan_rollup.refresh([(saved.unit_id, day, saved.employee_id)])  # as every writer of days does (docs/decisions/201)
    return saved


@pytest.fixture
def world(db: None, now: dict[str, dt.datetime], settings: Any, tmp_path: Any) -> World:
    settings.MEDIA_ROOT = tmp_path / "private"
    root = UnitFactory()
    child = UnitFactory(agency=root.agency, parent=root)
    head_root, head_child = make_head(root), make_head(child)
    e1 = EmployeeFactory(unit=child, name="Ani Lestari")
    e2 = EmployeeFactory(unit=root, name="Budi Santoso")
    hr = make_agency_role(root.agency)
    other = EmployeeFactory()
    request = FlexRequest.objects.create(
        agency=e1.agency, employee=e1, created_by=e1.user, location_kind="rumah",
        start_date=dt.date(2026, 12, 1), end_date=dt.date(2026, 12, 31), state="approved",
    )
    RequestOutput.objects.create(request=request, description="Naskah kajian kebijakan", target_quantity=Decimal(1), unit="dokumen", due_date=dt.date(2026, 12, 11))
    RequestOutput.objects.create(request=request, description="Telaah staf", target_quantity=Decimal(4), unit="telaah", due_date=dt.date(2026, 12, 31))
    for day in (dt.date(2026, 12, 8), dt.date(2026, 12, 10), TODAY):
        arrange(e1, day, request)
    return World(root, child, head_root, head_child, e1, e2, hr, other, request)


def fresh(user: Any) -> Any:
    return UserFactory._meta.model.objects.get(pk=user.pk)


def bearer(user: Any) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(actor=user, user=user, name='uji').plaintext}"}


def log_body(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "date": TODAY.isoformat(), "planned_output_id": None, "description": "Menyusun bab 2 kajian",
        "quantity": 1, "minutes": 120, "evidence_url": "https://drive.example.go.id/bab2",
    }
    data.update(overrides)
    return data
