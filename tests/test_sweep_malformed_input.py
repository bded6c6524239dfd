"""Malformed input found by the URL sweep: each was a 500; now a 4xx (or a safe fallback)."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import EmployeeFactory, UnitFactory, make_agency_role, make_head

pytestmark = pytest.mark.django_db

HUGE = str(2**63)


@pytest.fixture
def employee_client() -> Client:
    unit = UnitFactory()
    make_head(unit)
    employee = EmployeeFactory(unit=unit)
    client = Client()
    client.force_login(employee.user)
    return client


@pytest.mark.parametrize("value", ["²", "٣"])
@pytest.mark.parametrize("url", ["/organisasi/pegawai/", "/kerja-fleksibel/kalender/", "/rencana/templat/"])
def test_unicode_digit_in_query_id_is_not_a_500(employee_client: Client, url: str, value: str) -> None:
    assert employee_client.get(url, {"unit": value}).status_code in (200, 404)


def test_unicode_digit_notification_id_is_404(employee_client: Client) -> None:
    assert employee_client.post("/kerja-fleksibel/notifikasi/baca/", {"id": "²"}).status_code == 404


def test_unicode_digit_bulk_approve_is_422(employee_client: Client) -> None:
    assert employee_client.post("/kerja-fleksibel/persetujuan/setujui-terpilih/", {"pilih": "²"}).status_code == 422


@pytest.mark.parametrize("week", ["9999-W52", "9999-12-31", "0001-W01"])
def test_calendar_week_out_of_range(employee_client: Client, week: str) -> None:
    assert employee_client.get("/kerja-fleksibel/kalender/", {"minggu": week}).status_code == 200


@pytest.mark.parametrize("week", ["9999-W52", "9999-12-31"])
def test_api_calendar_week_out_of_range_is_422(week: str) -> None:
    unit = UnitFactory()
    employee = EmployeeFactory(unit=unit)
    client = Client()
    client.force_login(employee.user)
    response = client.get(f"/api/v1/units/{unit.pk}/calendar", {"week": week})
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"


@pytest.mark.parametrize("next_url", ["abc", "²", "home", HUGE])
def test_set_language_with_a_non_path_next_redirects_home(next_url: str) -> None:
    response = Client().post("/akun/bahasa/", {"language": "en", "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_set_language_keeps_a_local_path() -> None:
    response = Client().post("/akun/bahasa/", {"language": "en", "next": "/kerja-fleksibel/"})
    assert response["Location"] == "/kerja-fleksibel/"


def test_plan_check_with_a_non_numeric_unit_is_not_a_500() -> None:
    unit = UnitFactory()
    head = make_head(unit)
    client = Client()
    client.force_login(head.user)
    assert client.post("/rencana/", {"unit": "abc"}).status_code in (200, 404)


def test_import_with_a_unicode_digit_agency_is_not_a_500() -> None:
    unit = UnitFactory()
    client = Client()
    client.force_login(make_agency_role(unit.agency))
    assert client.post("/organisasi/impor/", {"agency": "²"}).status_code == 400


@pytest.mark.parametrize("param", ["limit", "offset"])
@pytest.mark.parametrize("url", ["/api/v1/units", "/api/v1/employees", "/api/v1/requests/mine", "/api/v1/inbox"])
def test_api_huge_pagination_is_422(employee_client: Client, url: str, param: str) -> None:
    response = employee_client.get(url, {param: HUGE})
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"


def test_api_pagination_still_works(employee_client: Client) -> None:
    response = employee_client.get("/api/v1/units", {"limit": 5, "offset": 0})
    assert response.status_code == 200
    assert "items" in response.json()
