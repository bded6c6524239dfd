"""``POST /api/v1/plans/propose``: the planner for a head's unit (no write), scoped."""

from __future__ import annotations

import datetime as dt

import pytest

from fleksi.accounts.services import api_token_create
from fleksi.policy import DayPlan, LocationKind, check_plan
from fleksi.schedules.plans import _unit_people
from fleksi.scheme.facts import agency_policy
from tests.factories import EmployeeFactory, UnitFactory, make_agency_role, make_head

pytestmark = pytest.mark.django_db


def bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(actor=user, user=user, name='t').plaintext}"}


@pytest.fixture
def world():
    unit = UnitFactory(code="UNIT-A")
    head = make_head(unit)
    staff = [EmployeeFactory(unit=unit) for _ in range(3)]
    return {"unit": unit, "head": head, "staff": staff, "foreign": make_agency_role(UnitFactory().agency)}


def post(client, user, **body):
    return client.post("/api/v1/plans/propose", body, content_type="application/json", **bearer(user))


def test_head_gets_a_lawful_proposal(client, world):
    staff = world["staff"]
    prefs = [{"nip": e.nip, "hari": h} for e in staff for h in ("senin", "rabu", "jumat")]
    response = post(
        client, world["head"].user, unit_id=world["unit"].pk, start="2026-07-06", weeks=2,
        anchors=["rabu"], preferences=prefs, time_limit=5,
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["unit_id"] == world["unit"].pk
    assert body["summary"]["preferences"] == 18 and body["summary"]["preferences_met"] == 12
    assert {r["tanggal"] for r in body["plan"]} == {"2026-07-06", "2026-07-10", "2026-07-13", "2026-07-17"}
    facts, _, units = _unit_people(world["unit"])
    rows = [
        DayPlan(nip=r["nip"], date=dt.date.fromisoformat(r["tanggal"]), location=LocationKind(r["lokasi"]))
        for r in body["plan"]
    ]
    result = check_plan(facts, rows, agency_policy(world["unit"].agency), units=units)
    assert result.summary.errors == 0


def test_scoping_and_errors(client, world):
    unit = world["unit"]
    assert client.post("/api/v1/plans/propose", {}, content_type="application/json").status_code == 401
    response = post(client, world["foreign"], unit_id=unit.pk, start="2026-07-06")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    response = post(client, world["staff"][0].user, unit_id=unit.pk, start="2026-07-06")
    assert response.status_code == 404
    response = post(client, world["head"].user, unit_id=unit.pk, start="2026-13-01")
    assert response.status_code == 422 and response.json()["code"] == "validation_error"
    response = post(client, world["head"].user, unit_id=unit.pk, start="2026-07-06", anchors=["sabtu"])
    assert response.status_code == 422
    response = post(
        client, world["head"].user, unit_id=unit.pk, start="2026-07-06",
        preferences=[{"nip": "199001012015031999", "hari": "senin"}],
    )
    assert response.status_code == 422 and "Hari pilihan tidak sah" in response.json()["message"]


def test_role_coverage_uses_the_marked_service_roles(client, world):
    from fleksi.schedules.models import ServiceRole

    desk, other, third = world["staff"]
    ServiceRole.objects.create(employee=desk, role="loket")
    prefs = [{"nip": e.nip, "hari": "senin"} for e in world["staff"]]
    body = {"unit_id": world["unit"].pk, "start": "2026-07-06", "preferences": prefs, "time_limit": 5}
    free = post(client, world["head"].user, **body).json()
    assert desk.nip in {r["nip"] for r in free["plan"] if r["lokasi"] == "rumah"}
    kept = post(
        client, world["head"].user, **body, coverage=[{"headcount": 1, "role": "loket", "hari": ["senin"]}]
    ).json()
    away = {r["nip"] for r in kept["plan"] if r["lokasi"] == "rumah"}
    assert desk.nip not in away and {other.nip, third.nip} <= away
    refused = post(client, world["head"].user, **body, coverage=[{"headcount": 2, "role": "loket"}])
    assert refused.status_code == 422 and refused.json()["code"] == "policy_violation"
    assert any("peran loket" in c["message"] for c in refused.json()["details"]["conflicts"])
    bad = post(client, world["head"].user, **body, coverage=[{"headcount": 1, "role": "Loket Depan!"}])
    assert bad.status_code == 422 and bad.json()["code"] == "validation_error"
