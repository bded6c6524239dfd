"""Plan check in the browser and the API: findings with their code and legal basis, scoped."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fleksi.accounts.services import api_token_create
from fleksi.policy.formats import read_plan
from tests.factories import PASSWORD, EmployeeFactory, UnitFactory, make_agency_role, make_head

pytestmark = pytest.mark.django_db

# 2026-W45: Monday 2 to Friday 6 November 2026, no holiday.
WEEK = ["2026-11-02", "2026-11-03", "2026-11-04", "2026-11-05", "2026-11-06"]


@pytest.fixture
def world():
    unit = UnitFactory(code="UNIT-A")
    sub = UnitFactory(agency=unit.agency, parent=unit, code="UNIT-A1")
    sibling = UnitFactory(agency=unit.agency, code="UNIT-B")
    head = make_head(unit)
    emp = EmployeeFactory(unit=unit)
    emp_sub = EmployeeFactory(unit=sub)
    emp_sibling = EmployeeFactory(unit=sibling)
    foreign_hr = make_agency_role(UnitFactory().agency)
    return {"unit": unit, "sub": sub, "sibling": sibling, "head": head, "emp": emp, "emp_sub": emp_sub,
            "emp_sibling": emp_sibling, "hr": make_agency_role(unit.agency), "foreign_hr": foreign_hr}


def plan_csv(rows):
    lines = ["nip,tanggal,lokasi,jam_mulai,jam_selesai,waktu"] + [",".join(r) for r in rows]
    return ("\n".join(lines) + "\n").encode()


def three_home_days(nip):
    return plan_csv([(nip, d, "rumah", "", "", "") for d in WEEK[:3]])


def upload(client, unit, data, name="rencana.csv"):
    return client.post(reverse("schedules:plan_check"), {"unit": unit.pk, "plan": SimpleUploadedFile(name, data)})


def test_anonymous_redirected(client, world):
    assert client.get(reverse("schedules:plan_check")).status_code == 302
    assert client.get(reverse("schedules:plan_template"), {"unit": world["unit"].pk}).status_code == 302


def test_plain_employee_gets_404(client, world):
    client.force_login(world["emp"].user)
    assert client.get(reverse("schedules:plan_check")).status_code == 404
    assert upload(client, world["unit"], three_home_days(world["emp"].nip)).status_code == 404


def test_head_cannot_check_sibling_unit_nor_other_agency(client, world):
    client.force_login(world["head"].user)
    assert upload(client, world["sibling"], plan_csv([])).status_code == 404
    client.force_login(world["foreign_hr"])
    assert upload(client, world["unit"], plan_csv([])).status_code == 404


def test_head_sees_findings_grouped_with_code_and_basis(client, world):
    assert client.login(username=world["head"].user.username, password=PASSWORD)
    response = upload(client, world["unit"], three_home_days(world["emp"].nip))
    html = response.content.decode()
    assert response.status_code == 200
    assert "LOCATION_MAX_DAYS_PER_WEEK" in html
    assert "PermenPANRB 4/2025 Pasal 13 ayat (1)" in html
    assert world["emp"].name in html
    assert 'id="by-employee"' in html and 'id="by-day"' in html
    assert "2026-W45" in html


def test_sub_unit_employee_is_known_sibling_is_not(client, world):
    client.force_login(world["hr"])
    ok = upload(client, world["unit"], plan_csv([(world["emp_sub"].nip, WEEK[0], "rumah", "", "", "")]))
    assert "Berkas ditolak" not in ok.content.decode()
    bad = upload(client, world["unit"], plan_csv([(world["emp_sibling"].nip, WEEK[0], "rumah", "", "", "")]))
    html = bad.content.decode()
    assert "Berkas ditolak" in html and world["emp_sibling"].nip in html


def test_invalid_file_lists_every_problem(client, world):
    client.force_login(world["hr"])
    data = plan_csv([(world["emp"].nip, "2026-13-01", "rumah", "", "", ""), (world["emp"].nip, WEEK[1], "pantai", "", "", "")])
    html = upload(client, world["unit"], data).content.decode()
    assert "Berkas ditolak" in html
    assert "tanggal" in html and "lokasi" in html
    assert "LOCATION_MAX_DAYS_PER_WEEK" not in html


def test_template_is_a_filled_plan_that_reads_back(client, world):
    client.force_login(world["head"].user)
    response = client.get(reverse("schedules:plan_template"), {"unit": world["unit"].pk, "minggu": "2026-W45"})
    assert response.status_code == 200
    assert "rencana-UNIT-A-2026-W45.xlsx" in response["Content-Disposition"]
    content = b"".join(response.streaming_content)  # a FileResponse (issue 7)
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    nips = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert nips == {world["head"].nip, world["emp"].nip, world["emp_sub"].nip}
    assert world["emp"].name in {row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    read = read_plan(content, "rencana.xlsx", known_nips=nips)
    assert read.problems == []
    assert client.get(reverse("schedules:plan_template"), {"unit": world["sibling"].pk}).status_code == 404


def bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(actor=user, user=user, name='t').plaintext}"}


def test_api_plan_check_matches_cli_shape(client, world):
    response = client.post(
        "/api/v1/plans/check",
        {"unit_id": world["unit"].pk, "plan": SimpleUploadedFile("p.csv", three_home_days(world["emp"].nip))},
        **bearer(world["head"].user),
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["summary"]["errors"] >= 1
    cap = [f for f in body["findings"] if f["code"] == "LOCATION_MAX_DAYS_PER_WEEK"]
    assert cap == [{"code": "LOCATION_MAX_DAYS_PER_WEEK", "severity": "error", "nip": world["emp"].nip,
                    "unit": "UNIT-A", "date": None, "week": "2026-W45",
                    "basis": "PermenPANRB 4/2025 Pasal 13 ayat (1)",
                    "message": "3 hari kerja di luar kantor pada minggu 2026-W45; paling banyak 2."}]


def test_api_scoping_and_errors(client, world):
    data = {"unit_id": world["unit"].pk, "plan": SimpleUploadedFile("p.csv", plan_csv([]))}
    assert client.post("/api/v1/plans/check", data).status_code == 401
    data["plan"] = SimpleUploadedFile("p.csv", plan_csv([]))
    response = client.post("/api/v1/plans/check", data, **bearer(world["foreign_hr"]))
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    bad = {"unit_id": world["unit"].pk, "plan": SimpleUploadedFile("p.csv", plan_csv([("123", WEEK[0], "rumah", "", "", "")]))}
    response = client.post("/api/v1/plans/check", bad, **bearer(world["hr"]))
    assert response.status_code == 422
    assert response.json()["details"]["problems"][0]["line"] == 2
