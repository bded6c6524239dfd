"""A NUL character anywhere the app reads text is refused with 400 before any view runs
(docs/decisions/082): a page in the app's layout, or the API's error shape under /api/.
These were 500s on PostgreSQL (it cannot store or compare text holding NUL); the same tests
run there with DATABASE_URL=postgres://..., and the ones marked postgres only there."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from fleksi.core import clock
from tests.factories import EmployeeFactory, UnitFactory, make_agency_role, make_head

pytestmark = pytest.mark.django_db

W48 = [dt.date(2026, 11, 23) + dt.timedelta(days=i) for i in range(5)]
BODY = {
    "start_date": W48[0].isoformat(),
    "end_date": W48[0].isoformat(),
    "location_kind": "rumah",
    "schedule_mode": "dates",
    "dates": [W48[0].isoformat()],
    "reason": "Menyusun laporan.",
    "work_plan": "Bab 1-3.",
    "outputs": [{"description": "Draf laporan", "target_quantity": "1", "unit": "dokumen"}],
}


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    moment = dt.datetime(2026, 11, 18, 3, 0, tzinfo=dt.UTC)
    monkeypatch.setattr(clock, "now", lambda: moment)


@pytest.fixture
def people() -> dict[str, Any]:
    unit = UnitFactory()
    head = make_head(unit)
    employee = EmployeeFactory(unit=unit, supervisor=head, domicile="Jl. Merdeka 1, Jakarta")
    return {"unit": unit, "head": head, "employee": employee, "hr": make_agency_role(unit.agency)}


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def assert_page_400(response: Any) -> None:
    assert response.status_code == 400
    text = response.content.decode()
    assert response["Content-Type"].startswith("text/html")
    assert '<a class="brand" href="/">Fleksi</a>' in text  # the app's layout
    assert "karakter NUL" in text
    assert 'href="/"' in text


def assert_json_400(response: Any, where: str) -> None:
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid_input"
    assert "NUL" in body["message"]
    assert body["details"]["where"] == where


# ---- pages -----------------------------------------------------------------------------------


def test_ical_feed_without_login() -> None:
    assert_page_400(Client().get("/kerja-fleksibel/ical/abc%00def.ics"))


@pytest.mark.parametrize(
    ("url", "query"),
    [
        ("/organisasi/pegawai/", {"q": "Pegawai\x00"}),
        ("/kerja-fleksibel/", {"status": "\x00"}),
        ("/kerja-fleksibel/persetujuan/", {"status": "submitted\x00", "q": "x"}),
        ("/kerja-fleksibel/kalender/", {"minggu": "2026-W48\x00"}),
        ("/organisasi/unit/", {"instansi\x00": "1"}),
    ],
)
def test_query_string_of_pages(people: dict[str, Any], url: str, query: dict[str, str]) -> None:
    assert_page_400(login(people["hr"]).get(url, query))


def test_path(people: dict[str, Any]) -> None:
    assert_page_400(login(people["employee"].user).get("/organisasi/pegawai%00/"))


def test_form_field_of_a_page(people: dict[str, Any]) -> None:
    client = login(people["employee"].user)
    response = client.post("/kerja-fleksibel/pengajuan/baru/", {"reason": "Fokus\x00menulis", "work_plan": "x"})
    assert_page_400(response)
    assert client.get("/api/v1/requests/mine").json()["count"] == 0


def test_login_form() -> None:
    assert_page_400(Client().post("/akun/masuk/", {"username": "19900101\x00", "password": "x"}))


def test_session_cookie() -> None:
    client = Client()
    client.cookies["sessionid"] = "abcdefgh\x00ijkl"
    assert_page_400(client.get("/"))


def test_header() -> None:
    assert_page_400(Client().get("/akun/masuk/", HTTP_HX_CURRENT_URL="http://x/\x00"))


def test_page_in_the_users_language(people: dict[str, Any]) -> None:
    client = login(people["employee"].user)
    client.post("/akun/bahasa/", {"language": "en", "next": "/"})
    response = client.get("/organisasi/pegawai/", {"q": "\x00"})
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()
    assert '<html lang="en">' in response.content.decode()


# ---- the API ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "query"),
    [
        ("/api/v1/employees", {"q": "a\x00"}),
        ("/api/v1/requests/mine", {"state": "\x00"}),
        ("/api/v1/inbox", {"state": "submitted", "q": "\x00"}),
        ("/api/v1/units/1/calendar", {"week": "\x00"}),
    ],
)
def test_api_query(people: dict[str, Any], url: str, query: dict[str, str]) -> None:
    assert_json_400(login(people["head"].user).get(url, query), "query")


@pytest.mark.parametrize(
    "body",
    [
        {**BODY, "reason": "Menyusun\u0000laporan"},
        {**BODY, "outputs": [{"description": "Draf\u0000", "target_quantity": "1", "unit": "dokumen"}]},
        {**BODY, "hours": {"0\u0000": ["08:00", "16:00"]}},  # in a key
    ],
)
@pytest.mark.parametrize("url", ["/api/v1/requests", "/api/v1/requests/check"])
def test_api_json_string(people: dict[str, Any], url: str, body: dict[str, Any]) -> None:
    client = login(people["employee"].user)
    raw = json.dumps(body)
    assert "\\u0000" in raw  # the JSON text holds the escape, not the byte
    assert_json_400(client.post(url, raw, content_type="application/json"), "json")
    assert client.get("/api/v1/requests/mine").json()["count"] == 0


def test_api_json_put(people: dict[str, Any]) -> None:
    client = login(people["employee"].user)
    created = client.post("/api/v1/requests", json.dumps(BODY), content_type="application/json")
    assert created.status_code == 201, created.content
    response = client.put(
        f"/api/v1/requests/{created.json()['id']}",
        json.dumps({**BODY, "work_plan": "\u0000"}),
        content_type="application/json",
    )
    assert_json_400(response, "json")


def test_api_raw_nul_byte_in_body(people: dict[str, Any]) -> None:
    response = login(people["employee"].user).post(
        "/api/v1/requests/check", b'{"reason": "a\x00"}', content_type="application/json"
    )
    assert_json_400(response, "json")


def test_api_bearer_token_header() -> None:
    assert_json_400(Client().get("/api/v1/me", HTTP_AUTHORIZATION="Bearer abc\x00def"), "header")


def test_api_path() -> None:
    assert_json_400(Client().get("/api/v1/employees/1%00"), "path")


def test_api_multipart_field(people: dict[str, Any]) -> None:
    response = login(people["head"].user).post(
        "/api/v1/plans/check",
        {"unit_id": str(people["unit"].pk), "lang": "id\x00", "plan": SimpleUploadedFile("plan.csv", b"nip\n")},
    )
    assert_json_400(response, "form")


# ---- what stays allowed ----------------------------------------------------------------------


def test_an_escaped_backslash_is_not_a_nul(people: dict[str, Any]) -> None:
    client = login(people["employee"].user)
    body = {**BODY, "reason": "Folder C:\\u0000 bukan NUL"}
    response = client.post("/api/v1/requests", json.dumps(body), content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["reason"] == "Folder C:\\u0000 bukan NUL"


def test_binary_file_contents_may_hold_nul_bytes(people: dict[str, Any]) -> None:
    """Uploaded files are not text: a PDF is full of NUL bytes."""
    client = login(people["employee"].user)
    body = {**BODY, "is_special": True, "special_description": "Merawat orang tua."}
    created = client.post("/api/v1/requests", json.dumps(body), content_type="application/json")
    assert created.status_code == 201, created.content
    pdf = b"%PDF-1.4\n\x00\x00\x01binary\x00\n%%EOF\n"
    response = client.post(
        f"/api/v1/requests/{created.json()['id']}/evidence",
        {"file": SimpleUploadedFile("bukti.pdf", pdf, content_type="application/pdf")},
    )
    assert response.status_code == 200, response.content
    assert len(response.json()["evidence"]) == 1


def test_ordinary_requests_pass(people: dict[str, Any]) -> None:
    client = login(people["hr"])
    assert client.get("/organisasi/pegawai/", {"q": "Pegawai"}).status_code == 200
    assert client.get("/api/v1/employees", {"q": "Pegawai"}).status_code == 200


# ---- PostgreSQL: where the NUL used to reach a query ------------------------------------------


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("method", "url", "data"),
    [
        ("get", "/kerja-fleksibel/ical/abc%00def.ics", None),
        ("get", "/organisasi/pegawai/?q=a%00", None),
        ("get", "/kerja-fleksibel/persetujuan/?q=a%00", None),
        ("get", "/api/v1/employees?q=a%00", None),
        ("get", "/api/v1/requests/mine?state=%00", None),
        ("get", "/api/v1/inbox?q=%00", None),
        ("json", "/api/v1/requests", {**BODY, "reason": "a\u0000"}),
        ("json", "/api/v1/requests/check", {**BODY, "work_plan": "a\u0000"}),
    ],
)
def test_postgres_never_sees_a_nul(people: dict[str, Any], method: str, url: str, data: Any) -> None:
    client = login(people["head"].user)
    if method == "json":
        response = client.post(url, json.dumps(data), content_type="application/json")
    else:
        response = client.get(url)
    assert response.status_code == 400, response.content
