"""The presensi pages: the phone page, its service worker and manifest, the head's board.
Scoping: anonymous users go to the login page; another unit's or agency's board is 404."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

from .conftest import arrange, fresh

pytestmark = pytest.mark.django_db
PAGE = "/presensi/"
BOARD = "/presensi/unit/"


def login(client, user) -> None:
    client.logout()
    assert client.login(username=user.username, password=PASSWORD)


def page_data(html: str) -> dict:
    match = re.search(r'<script id="presensi-data" type="application/json">(.*?)</script>', html, re.S)
    assert match, "the page carries its data for the script"
    return json.loads(match[1])


@pytest.mark.parametrize("url", [PAGE, BOARD])
def test_anonymous_is_sent_to_the_login_page(client, world, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_phone_page_shows_the_plan_the_default_place_the_button_and_the_week(client, world):
    arrange(world.e1, dt.date(2026, 12, 1), "rumah")
    login(client, world.e1.user)
    response = client.get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Rencana hari ini" in html and "Rumah / domisili terdaftar" in html
    assert re.search(r'<option value="rumah" selected>', html), "the place defaults to the plan"
    assert 'id="presensi-tombol"' in html and "Presensi masuk" in html
    assert "Jam kerja minggu ini" in html and "dari 37 jam 30 menit" in html
    assert 'rel="manifest"' in html and "no-cache" in response["Cache-Control"]
    data = page_data(html)
    assert data["user_id"] == world.e1.user.pk
    assert data["api_url"] == "/api/v1/attendance/check-ins" and data["next_kind"] == "in"
    assert data["today"] == []


def test_phone_page_without_an_arrangement_is_the_office_day(client, world):
    login(client, world.e2.user)
    html = client.get(PAGE).content.decode()
    assert re.search(r'<option value="kantor" selected>', html)
    assert "hari kerja biasa di kantor" in html


def test_after_a_check_in_the_button_checks_out(client, world):
    login(client, world.e1.user)
    response = client.post(
        "/api/v1/attendance/check-ins",
        json.dumps({
            "kind": "in", "location": "kantor", "client_time": "2026-12-01T07:31:00+07:00",
            "idempotency_key": "6f1c6f52-6c38-4a57-9a53-3b8d0f0c7a11",
        }),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    html = client.get(PAGE).content.decode()
    assert "Presensi pulang" in html
    data = page_data(html)
    assert data["next_kind"] == "out"
    assert [r["key"] for r in data["today"]] == ["6f1c6f52-6c38-4a57-9a53-3b8d0f0c7a11"]


def test_a_user_without_an_employee_record_gets_403_and_hr_goes_to_the_board(client, world):
    login(client, UserFactory())
    assert client.get(PAGE).status_code == 403
    login(client, world.hr)
    response = client.get(PAGE)
    assert response.status_code == 302 and response["Location"] == BOARD


def test_service_worker_is_served_for_the_presensi_scope(client, world):
    response = client.get("/presensi/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == PAGE
    text = response.content.decode()
    assert 'var PAGE = "/presensi/";' in text
    assert "/static/fleksi/attendance/presensi.js" in text and "addEventListener(\"fetch\"" in text


def test_manifest_is_installable(client, world):
    response = client.get("/presensi/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    data = response.json()
    assert data["start_url"] == PAGE and data["scope"] == PAGE and data["display"] == "standalone"
    assert {"192x192", "512x512"} <= {i["sizes"] for i in data["icons"]}
    for icon in data["icons"]:
        assert client.get(icon["src"]).status_code == 200


def test_head_sees_their_unit_today_names_with_nip(client, world, django_assert_max_num_queries):
    login(client, world.e1.user)
    client.post(
        "/api/v1/attendance/check-ins",
        json.dumps({
            "kind": "in", "location": "rumah", "client_time": "2026-12-01T07:31:00+07:00",
            "idempotency_key": "0b0b2c1e-2f7e-4f0a-9d55-8c9f4c6f0e21",
        }),
        content_type="application/json",
    )
    login(client, world.head_child.user)
    with django_assert_max_num_queries(25):
        response = client.get(BOARD)
    assert response.status_code == 200
    html = response.content.decode()
    assert world.child.name in html
    assert world.e1.name in html and world.e1.nip in html
    assert "Masuk 07.31 di Rumah / domisili terdaftar" in html
    assert "tempat berbeda dari rencana" in html  # planned the office, checked in at home
    assert world.head_child.name in html  # missing: planned in the office, no check-in
    assert world.e2.name not in html  # the root unit is not the child's head's


def test_someone_elses_unit_board_is_404(client, world):
    login(client, world.head_child.user)
    assert client.get(BOARD, {"unit": world.root.pk}).status_code == 404
    assert client.get(BOARD, {"unit": world.other.unit_id}).status_code == 404
    login(client, world.e1.user)  # not a head
    assert client.get(BOARD).status_code == 404
    assert client.get(BOARD, {"unit": world.child.pk}).status_code == 404


def test_hr_sees_any_unit_of_the_agency_but_not_another_agency(client, world):
    login(client, fresh(world.hr))
    assert client.get(BOARD, {"unit": world.root.pk}).status_code == 200
    assert client.get(BOARD, {"unit": world.child.pk}).status_code == 200
    assert client.get(BOARD, {"unit": world.other.unit_id}).status_code == 404
