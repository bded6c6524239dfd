"""Journey: an HR admin logs in, imports employees (preview, then confirm), finds one in the
directory and opens the profile."""

from __future__ import annotations

import re
from typing import Any

import pytest

from fleksi.organisation.models import Employee, OrgUnit
from tests.factories import PASSWORD, AgencyFactory, make_agency_role
from tests.organisation.test_import_support import csv_bytes, nip, small_org

pytestmark = pytest.mark.e2e


def test_hr_admin_imports_employees_and_finds_one(page: Any) -> None:
    from playwright.sync_api import expect

    agency = AgencyFactory(name="Kementerian Uji Coba")
    hr = make_agency_role(agency)

    # Log in through the form, with the email address.
    page.goto("/akun/masuk/")
    page.fill("#id_username", hr.email)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("link", name="Impor pegawai")).to_be_visible()

    # Upload: 3 units, 8 employees.
    page.get_by_role("link", name="Impor pegawai").click()
    expect(page.get_by_role("heading", name="Impor data pegawai")).to_be_visible()
    page.set_input_files(
        "input[type=file]",
        files=[{"name": "pegawai.csv", "mimeType": "text/csv", "buffer": csv_bytes(small_org())}],
    )
    page.get_by_role("button", name="Periksa dan tampilkan pratinjau").click()

    # Preview: counts and the change list; nothing saved yet.
    expect(page.get_by_role("heading", name="Pratinjau impor")).to_be_visible()
    counts = page.locator("#import-counts")
    expect(counts.locator("tr", has_text="Pegawai")).to_contain_text("8")
    expect(counts.locator("tr", has_text="Unit organisasi")).to_contain_text("3")
    expect(page.locator("#import-changes")).to_contain_text("Citra Lestari")
    assert Employee.objects.filter(agency=agency).count() == 0

    page.get_by_role("button", name="Terapkan impor").click()
    expect(page.locator(".msg.success")).to_contain_text("8 pegawai baru")
    assert Employee.objects.filter(agency=agency).count() == 8
    assert OrgUnit.objects.filter(agency=agency).count() == 3

    # The directory: search, then open the profile.
    page.get_by_role("link", name="Pegawai", exact=True).click()
    page.get_by_label("Cari nama, NIP atau email").fill("Citra")
    page.get_by_role("button", name="Cari").click()
    expect(page).to_have_url(re.compile(r"q=Citra"))
    rows = page.locator("#rows tbody tr")
    expect(rows).to_have_count(1)
    rows.get_by_role("link", name="Citra Lestari").click()

    expect(page.get_by_role("heading", name="Citra Lestari")).to_be_visible()
    profile = page.locator("main")
    expect(profile).to_contain_text(nip(2))
    expect(profile).to_contain_text("Direktorat A")
    expect(profile).to_contain_text("Budi Santoso")  # the supervisor
    expect(profile).to_contain_text("Analis Kebijakan")
