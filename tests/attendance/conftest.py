"""A small agency for presensi: a root unit with a child unit, their heads, employees, HR,
an office with a geofence, and the clock pinned to Tuesday 1 December 2026, 07:35 WIB."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from fleksi.accounts.services import api_token_create
from fleksi.core import clock
from fleksi.organisation.models import AgencyOffice, Employee, OrgUnit
from fleksi.requests.models import FlexRequest
from fleksi.schedules.models import ArrangementDay
from tests.factories import EmployeeFactory, UnitFactory, UserFactory, make_agency_role, make_head

WIB = dt.timezone(dt.timedelta(hours=7))
NOW = dt.datetime(2026, 12, 1, 7, 35, tzinfo=WIB)  # Tuesday, a working day
OFFICE = (Decimal("-6.200000"), Decimal("106.816666"))


@pytest.fixture
def now(monkeypatch: pytest.MonkeyPatch) -> dict[str, dt.datetime]:
    """The pinned clock; set ``now["at"]`` to move it."""
    state = {"at": NOW}
    monkeypatch.setattr(clock, "now", lambda: state["at"].astimezone(dt.UTC))
    return state


@dataclass
class World:
    root: OrgUnit
    child: OrgUnit
    head_root: Employee
    head_child: Employee
    e1: Employee  # in the child unit, placed at the office
    e2: Employee  # in the root unit
    hr: Any
    other: Employee  # another agency
    office: AgencyOffice


@pytest.fixture
def world(db: None, now: dict[str, dt.datetime]) -> World:
    root = UnitFactory()
    child = UnitFactory(agency=root.agency, parent=root)
    office = AgencyOffice.objects.create(
        agency=root.agency, name="Kantor Pusat", latitude=OFFICE[0], longitude=OFFICE[1], radius_m=150
    )
    head_root, head_child = make_head(root), make_head(child)
    e1 = EmployeeFactory(unit=child, office=office)
    e2 = EmployeeFactory(unit=root, office=office)
    hr = make_agency_role(root.agency)
    other = EmployeeFactory()
    return World(root, child, head_root, head_child, e1, e2, hr, other, office)


def body(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "kind": "in",
        "location": "kantor",
        "client_time": "2026-12-01T07:31:00+07:00",
        "idempotency_key": str(uuid.uuid4()),
        "latitude": -6.20001,
        "longitude": 106.81667,
        "accuracy_m": 25,
        "note": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not ...}


def bearer(user: Any) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(actor=user, user=user, name='uji').plaintext}"}


def arrange(employee: Employee, day: dt.date, location: str, *, time_kind: str = "reguler",
            start: dt.time | None = None, end: dt.time | None = None) -> ArrangementDay:
    request = FlexRequest.objects.create(
        agency=employee.agency, employee=employee, created_by=employee.user,
        location_kind=location, start_date=day, end_date=day, state="approved",
    )
    return ArrangementDay.objects.create(
        agency=employee.agency, unit=employee.unit, employee=employee, request=request, date=day,
        location_kind=location, time_kind=time_kind, start_time=start, end_time=end,
    )


def fresh(user: Any) -> Any:
    """The user again, without the scope cached on the object."""
    return UserFactory._meta.model.objects.get(pk=user.pk)
