"""The API: token and session auth, one error shape, scoped endpoints."""

from __future__ import annotations

import re

import pytest

from fleksi.accounts.services import api_token_create, api_token_revoke
from tests.factories import EmployeeFactory, UnitFactory, make_agency_role, make_head

pytestmark = pytest.mark.django_db


def bearer(user):
    issued = api_token_create(actor=user, user=user, name="uji")
    return {"HTTP_AUTHORIZATION": f"Bearer {issued.plaintext}"}


@pytest.fixture
def world():
    unit = UnitFactory()
    sibling = UnitFactory(agency=unit.agency)
    head = make_head(unit)
    emp = EmployeeFactory(unit=unit)
    emp_sibling = EmployeeFactory(unit=sibling)
    foreign = EmployeeFactory()
    return {"unit": unit, "sibling": sibling, "head": head, "emp": emp, "emp_sibling": emp_sibling, "foreign": foreign}


@pytest.mark.parametrize("path", ["/api/v1/me", "/api/v1/units", "/api/v1/units/1", "/api/v1/employees", "/api/v1/employees/1"])
def test_anonymous_gets_401_in_error_shape(client, path):
    response = client.get(path)
    assert response.status_code == 401
    body = response.json()
    assert set(body) == {"code", "message", "details"} and body["code"] == "unauthenticated"


def test_token_is_hashed_and_revocable(client, world):
    user = world["emp"].user
    issued = api_token_create(actor=user, user=user, name="uji")
    assert issued.plaintext not in issued.token.secret_hash
    headers = {"HTTP_AUTHORIZATION": f"Bearer {issued.plaintext}"}
    assert client.get("/api/v1/me", **headers).json()["employee_id"] == world["emp"].pk
    api_token_revoke(actor=user, token_id=issued.token.pk)
    assert client.get("/api/v1/me", **headers).status_code == 401


def test_bad_token_is_401(client):
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer fks_nope_nope").status_code == 401


def test_employee_endpoint_scoping(client, world):
    headers = bearer(world["head"].user)
    assert client.get(f"/api/v1/employees/{world['emp'].pk}", **headers).status_code == 200
    for other in ("emp_sibling", "foreign"):
        response = client.get(f"/api/v1/employees/{world[other].pk}", **headers)
        assert response.status_code == 404 and response.json()["code"] == "not_found"
    ids = {e["id"] for e in client.get("/api/v1/employees", **headers).json()["items"]}
    assert ids == {world["head"].pk, world["emp"].pk}


def test_employee_sees_only_self_in_api(client, world):
    headers = bearer(world["emp"].user)
    ids = {e["id"] for e in client.get("/api/v1/employees", **headers).json()["items"]}
    assert ids == {world["emp"].pk}


def test_units_scoped_to_agency(client, world):
    headers = bearer(world["emp"].user)
    ids = {u["id"] for u in client.get("/api/v1/units", **headers).json()["items"]}
    assert world["unit"].pk in ids and world["foreign"].unit_id not in ids
    assert client.get(f"/api/v1/units/{world['foreign'].unit_id}", **headers).status_code == 404


def test_hr_admin_lists_agency_with_fixed_queries(client, world, django_assert_max_num_queries):
    for _ in range(25):
        EmployeeFactory(unit=world["sibling"])
    hr = make_agency_role(world["unit"].agency)
    headers = bearer(hr)
    with django_assert_max_num_queries(8):
        body = client.get("/api/v1/employees?limit=100", **headers).json()
    assert body["count"] == 28


def test_session_auth_works(client, world):
    client.force_login(world["emp"].user)
    assert client.get("/api/v1/me").json()["roles"] == ["employee"]


def test_openapi_and_docs_are_local(client):
    assert client.get("/api/v1/openapi.json").status_code == 200
    docs = client.get("/api/v1/docs").content.decode()
    assert not re.search(r"//[^\"' ]*(cdn|jsdelivr|unpkg)", docs.lower())  # a random token may spell "cdn"
