"""The import page: affected counts and the explicit confirmation (issue 7), the template."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fleksi.organisation.importing import employees_import
from fleksi.organisation.importing.read import read_file
from fleksi.organisation.importing.template import (
    FORMULA_STARTS,
    csv_safe,
    template_csv,
    template_xlsx,
)
from fleksi.organisation.models import Employee, OrgUnit, Position
from fleksi.organisation.views_import import SESSION_KEY
from fleksi.policy.formats import EMPLOYEE_COLUMNS
from tests.factories import PASSWORD, AgencyFactory, EmployeeFactory, make_agency_role

from .test_import_support import COLUMNS, csv_bytes, nip, small_org

pytestmark = pytest.mark.django_db
URL = reverse("organisation:import")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private"
    return settings.MEDIA_ROOT


@pytest.fixture
def agency():
    return AgencyFactory(name="Kementerian Uji")


@pytest.fixture
def hr_client(client, agency):
    user = make_agency_role(agency)
    assert client.login(username=user.username, password=PASSWORD)
    return client


def upload(client, data: bytes, agency, name: str = "pegawai.csv"):
    file = SimpleUploadedFile(name, data)
    return client.post(URL, {"action": "preview", "file": file, "agency": agency.pk})


def loaded_with_outsider(agency):
    employees_import(actor=None, agency=agency, data=csv_bytes(small_org()), filename="p.csv")
    analyst = Position.objects.get(agency=agency, title="Analis Kebijakan")
    return EmployeeFactory(
        agency=agency, unit=OrgUnit.objects.get(agency=agency, code="DIT-A"), position=analyst
    )


def citra_not_eligible() -> bytes:
    rows = [r for r in small_org() if r["nip"] == nip(2)]
    rows[0]["tugas_memenuhi_kriteria"] = "tidak"
    return csv_bytes(rows)


def test_preview_shows_affected_counts_and_asks_for_the_tick(hr_client, agency) -> None:
    outsider = loaded_with_outsider(agency)
    body = upload(hr_client, citra_not_eligible(), agency).content.decode()
    assert 'id="import-position-changes"' in body
    assert "Jabatan Analis Kebijakan" in body
    assert "memengaruhi 3 pegawai" in body and "2 di antaranya tidak ada di berkas" in body
    assert 'name="acknowledge"' in body and "required" in body
    token = hr_client.session[SESSION_KEY]["token"]

    # Confirm without the tick: nothing saved, the preview again with the reason.
    response = hr_client.post(URL, {"action": "confirm", "token": token})
    assert response.status_code == 400
    assert 'id="import-confirmation-missing"' in response.content.decode()
    assert Employee.objects.get(pk=outsider.pk).tasks_eligible
    assert hr_client.session[SESSION_KEY]["token"] == token  # still confirmable

    response = hr_client.post(URL, {"action": "confirm", "token": token, "acknowledge": "1"})
    assert response.status_code == 302
    assert not Employee.objects.get(pk=outsider.pk).tasks_eligible


def test_no_tick_needed_when_only_employees_of_the_file_change(hr_client, agency) -> None:
    loaded_with_outsider(agency)
    rows = small_org()
    rows[2]["nama"] = "Citra Lestari Dewi"
    body = upload(hr_client, csv_bytes(rows), agency).content.decode()
    assert 'name="acknowledge"' not in body
    token = hr_client.session[SESSION_KEY]["token"]
    assert hr_client.post(URL, {"action": "confirm", "token": token}).status_code == 302
    assert Employee.objects.get(nip=nip(2)).name == "Citra Lestari Dewi"


def test_preview_names_the_absent_columns(hr_client, agency) -> None:
    loaded_with_outsider(agency)
    columns = [c for c in COLUMNS if c not in ("tugas_memenuhi_kriteria", "waktu")]
    body = upload(hr_client, csv_bytes(small_org(), columns), agency).content.decode()
    assert 'id="import-absent-columns"' in body
    assert "<code>tugas_memenuhi_kriteria</code>" in body and "<code>waktu</code>" in body
    assert "Tidak ada perubahan" in body  # the demo defect: nothing changes any more


# ---- the template ----


def test_import_page_links_the_templates(hr_client) -> None:
    body = hr_client.get(URL).content.decode()
    assert reverse("organisation:import_template", args=["xlsx"]) in body
    assert reverse("organisation:import_template", args=["csv"]) in body


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_template_download_is_an_attachment_that_reads_back(hr_client, fmt) -> None:
    response = hr_client.get(reverse("organisation:import_template", args=[fmt]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="templat-pegawai.{fmt}"'
    data = response.content
    result = read_file(data, f"templat-pegawai.{fmt}", today=dt.date(2026, 12, 1))
    assert result.problems == [] and len(result.rows) == 1  # the example row is valid
    assert result.columns == frozenset(EMPLOYEE_COLUMNS)


def test_template_xlsx_explains_every_column_on_a_second_sheet() -> None:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(template_xlsx("id")))
    data, help_sheet = workbook.worksheets
    assert [c.value for c in data[1]] == list(EMPLOYEE_COLUMNS)
    assert data["A2"].value == "199001012015031001" and data["A2"].data_type == "s"
    explained = [r[0] for r in help_sheet.iter_rows(min_row=2, values_only=True) if r[0]]
    assert all(c in explained for c in EMPLOYEE_COLUMNS)
    rows = {r[0]: r for r in help_sheet.iter_rows(min_row=2, values_only=True) if r[0]}
    assert "dinamis" in rows["waktu"][3] and "PPPK" in rows["jenis"][3]
    english = load_workbook(io.BytesIO(template_xlsx("en"))).worksheets[1]
    assert english["A1"].value == "column"


def test_template_never_writes_a_formula() -> None:
    from openpyxl import load_workbook

    evil = ['=HYPERLINK("http://x")', "+1", "-1+2", "@SUM(A1)", "\tx", "\rx"]
    rows = [evil + [""] * (len(EMPLOYEE_COLUMNS) - len(evil))]
    sheet = load_workbook(io.BytesIO(template_xlsx("id", rows))).worksheets[0]
    for cell, value in zip(sheet[2], evil, strict=False):
        assert cell.data_type == "s"  # a string cell: never a formula
        assert cell.value == value.replace("\r", "\n")  # XML reads a lone CR back as LF
    assert all(csv_safe(v).startswith("'") for v in evil)
    assert csv_safe("Budi") == "Budi"
    text = template_csv(rows).decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'+1" in text and "'@SUM" in text
    assert set(FORMULA_STARTS) == {"=", "+", "-", "@", "\t", "\r"}


def test_template_is_for_import_admins_only(client, agency) -> None:
    employee = EmployeeFactory(agency=agency)
    client.force_login(employee.user)
    assert client.get(reverse("organisation:import_template", args=["csv"])).status_code == 404


def test_unknown_template_format_is_404(hr_client) -> None:
    assert hr_client.get(reverse("organisation:import_template", args=["exe"])).status_code == 404
