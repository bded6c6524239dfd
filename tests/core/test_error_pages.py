"""Error pages in the app's layout, Indonesian first (English when chosen), with a way home;
under /api/ the one error shape {"code", "message", "details"} (docs/decisions/083)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from tests.factories import EmployeeFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.core.urls_errors")]

HOME_LINK = '<a class="button" href="/">'


def assert_page(response: Any, status: int, title: str) -> str:
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    text = response.content.decode()
    assert '<a class="brand" href="/">Fleksi</a>' in text  # base.html
    assert title in text
    assert HOME_LINK in text
    return text


def assert_api(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"code", "message", "details"}
    assert body["code"] == code
    assert body["message"]
    return body


@pytest.fixture
def user_client() -> Client:
    client = Client()
    client.force_login(EmployeeFactory().user)
    return client


def english(client: Client) -> Client:
    assert client.post("/akun/bahasa/", {"language": "en", "next": "/"}).status_code == 302
    return client


# ---- 404 ---------------------------------------------------------------------------------


def test_404_page(user_client: Client) -> None:
    text = assert_page(user_client.get("/tidak-ada/"), 404, "Halaman tidak ditemukan")
    assert "Keluar" in text  # the menu of the logged-in user
    assert "Not Found" not in text


def test_404_page_anonymous_and_in_english() -> None:
    client = english(Client())
    text = assert_page(client.get("/tidak-ada/"), 404, "Page not found")
    assert '<html lang="en">' in text
    assert "Back to the home page" in text


def test_404_of_a_view(user_client: Client) -> None:
    assert_page(user_client.get("/organisasi/pegawai/999999/"), 404, "Halaman tidak ditemukan")


@pytest.mark.parametrize("url", ["/api/v1/tidak-ada", "/api/v1/employees/1/lebih", "/api/v2/"])
def test_404_of_the_api_stays_json(user_client: Client, url: str) -> None:
    assert_api(user_client.get(url), 404, "not_found")


def test_404_of_an_api_object_stays_json(user_client: Client) -> None:
    assert_api(user_client.get("/api/v1/employees/999999"), 404, "not_found")


# ---- 403 ---------------------------------------------------------------------------------


def test_403_page(user_client: Client) -> None:
    text = assert_page(user_client.get("/uji/terlarang/"), 403, "Akses ditolak")
    assert "403 Forbidden" not in text


def test_403_page_in_english(user_client: Client) -> None:
    assert_page(english(user_client).get("/uji/terlarang/"), 403, "Access denied")


def test_403_of_the_api(user_client: Client) -> None:
    assert_api(user_client.get("/api/v1/uji/terlarang"), 403, "permission_denied")


# ---- CSRF failure --------------------------------------------------------------------------


def test_csrf_failure_page() -> None:
    client = Client(enforce_csrf_checks=True)
    text = assert_page(client.post("/akun/masuk/", {"username": "x", "password": "y"}), 403, "Formulir kedaluwarsa")
    assert "CSRF verification failed" not in text


def test_csrf_failure_page_in_english() -> None:
    client = english(Client())
    client.handler.enforce_csrf_checks = True
    assert_page(client.post("/akun/masuk/", {"username": "x", "password": "y"}), 403, "Form expired")


def test_csrf_failure_of_the_api_with_a_session() -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(EmployeeFactory().user)
    response = client.post("/api/v1/notifications/read", json.dumps({"id": None}), content_type="application/json")
    assert response.status_code in (401, 403)
    assert set(response.json()) == {"code", "message", "details"}


# ---- 405 ---------------------------------------------------------------------------------


def test_405_page_of_require_http_methods(user_client: Client) -> None:
    response = user_client.get("/uji/kirim/")
    text = assert_page(response, 405, "Metode tidak diizinkan")
    assert response["Allow"] == "POST"
    assert "GET" in text and "POST" in text


def test_405_page_of_an_app_view(user_client: Client) -> None:
    response = user_client.get("/akun/keluar/")  # logging out is a POST
    assert_page(response, 405, "Metode tidak diizinkan")
    assert "POST" in response["Allow"]


def test_405_page_in_english(user_client: Client) -> None:
    assert_page(english(user_client).get("/uji/kirim/"), 405, "Method not allowed")


@pytest.mark.parametrize("url", ["/api/v1/requests", "/api/v1/uji/kirim"])
def test_405_of_the_api(user_client: Client, url: str) -> None:
    response = user_client.get(url)
    body = assert_api(response, 405, "method_not_allowed")
    assert "POST" in body["details"]["allowed"]
    assert "POST" in response["Allow"]


# ---- 400 ---------------------------------------------------------------------------------


def test_400_page(user_client: Client) -> None:
    text = assert_page(user_client.get("/uji/rusak/"), 400, "Permintaan tidak valid")
    assert "Bad Request" not in text


def test_400_page_of_a_disallowed_host() -> None:
    assert_page(Client().get("/akun/masuk/", HTTP_HOST="penyerang.example"), 400, "Permintaan tidak valid")


def test_400_of_the_api(user_client: Client) -> None:
    assert_api(user_client.get("/api/v1/uji/rusak"), 400, "invalid_input")
    assert_api(Client().get("/api/v1/me", HTTP_HOST="penyerang.example"), 400, "invalid_input")


# ---- 500 ---------------------------------------------------------------------------------


def test_500_page(user_client: Client) -> None:
    user_client.raise_request_exception = False
    text = assert_page(user_client.get("/uji/galat/"), 500, "Terjadi kesalahan")
    assert "Server Error" not in text
    assert "boom" not in text


def test_500_of_the_api(user_client: Client) -> None:
    user_client.raise_request_exception = False
    body = assert_api(user_client.get("/api/v1/uji/galat"), 500, "server_error")
    assert "boom" not in json.dumps(body)
