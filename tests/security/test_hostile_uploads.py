"""Hostile spreadsheets sent through the web (plan check, employee import) are refused early
with a clear message, within the settings' bounds, and change nothing."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fleksi.organisation.models import Employee
from tests.factories import EmployeeFactory, UnitFactory, make_agency_role

pytestmark = pytest.mark.django_db


def _xlsx(rows: list[list[str]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _with_far_cell(data: bytes) -> bytes:
    """The same workbook with one cell at column ZZZZZ (past Excel's XFD)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = body.replace(b"</row>", b'<c r="ZZZZZ1" t="inlineStr"><is><t>x</t></is></c></row>', 1)
            dst.writestr(item, body)
    return out.getvalue()


@pytest.fixture
def hr_and_unit(client):
    unit = UnitFactory(code="UNIT-X")
    employee = EmployeeFactory(unit=unit)
    hr = make_agency_role(unit.agency)
    client.force_login(hr)
    return unit, employee


def _plan_check(client, unit, data):
    return client.post(reverse("schedules:plan_check"), {"unit": unit.pk, "plan": SimpleUploadedFile("rencana.xlsx", data)})


def test_a_plan_with_a_cell_past_xfd_is_refused_with_a_message(client, hr_and_unit):
    unit, employee = hr_and_unit
    data = _with_far_cell(_xlsx([["nip", "tanggal", "lokasi"], [employee.nip, "2026-11-04", "rumah"]]))
    response = _plan_check(client, unit, data)
    assert response.status_code in (200, 422)
    assert "kolom" in response.content.decode().lower()
    assert "outcome" not in response.context or response.context["outcome"] is None


def test_a_plan_over_the_row_setting_is_refused(client, settings, hr_and_unit):
    settings.FLEKSI_UPLOAD_MAX_ROWS = 5
    unit, employee = hr_and_unit
    rows = [["nip", "tanggal", "lokasi"]] + [[employee.nip, "2026-11-04", "rumah"]] * 10
    response = _plan_check(client, unit, _xlsx(rows))
    assert response.status_code in (200, 422)
    assert response.context.get("outcome") is None
    assert "baris" in response.content.decode().lower()


def test_an_import_with_a_cell_past_xfd_changes_nothing(client, hr_and_unit):
    unit, employee = hr_and_unit
    before = Employee.objects.count()
    header = ["nip", "nama", "unit_kode", "unit_nama", "jabatan"]
    data = _with_far_cell(_xlsx([header, [employee.nip, "Nama Baru", unit.code, unit.name, "Analis"]]))
    response = client.post(reverse("organisation:import"), {"file": SimpleUploadedFile("pegawai.xlsx", data)})
    assert response.status_code in (200, 400, 422)
    assert "kolom" in response.content.decode().lower()
    assert Employee.objects.count() == before
    employee.refresh_from_db()
    assert employee.name != "Nama Baru"
