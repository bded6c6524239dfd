"""Journey (issue 9): on a flexible day an employee checks in, logs an output with a file and
checks out (the check-out needs the log); the head comments, the employee replies; the head
assesses the month and the employee sees the predikat; the unit's XLSX downloads and opens
with openpyxl with the expected rows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from fleksi.attendance.models import CheckIn
from fleksi.core import clock
from fleksi.performance.models import Assessment, LogComment, LogEntry, LogEvidence
from fleksi.requests.models import FlexRequest
from fleksi.requests.models import PlannedOutput as RequestOutput
from fleksi.schedules.models import ArrangementDay
from tests.factories import PASSWORD, EmployeeFactory, UnitFactory, make_head

pytestmark = pytest.mark.e2e
PHONE = {"width": 390, "height": 844}


def log_in(page: Any, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/akun/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url("**/")


def test_log_check_out_feedback_assessment_and_export(page: Any, live_server: Any, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    unit = UnitFactory(name="Bidang Data")
    head = make_head(unit)
    employee = EmployeeFactory(unit=unit, name="Sari Pegawai")
    today = clock.today(unit.time_zone or unit.agency.time_zone)
    period = f"{today:%Y-%m}"
    request = FlexRequest.objects.create(
        agency=employee.agency, employee=employee, created_by=employee.user, location_kind="rumah",
        start_date=today.replace(day=1), end_date=today + dt.timedelta(days=20), state="approved",
    )
    RequestOutput.objects.create(request=request, description="Dasbor data kepegawaian", target_quantity=Decimal(1), unit="dasbor", due_date=today)
    ArrangementDay.objects.create(agency=employee.agency, unit=unit, employee=employee, request=request, date=today, location_kind="rumah")

    context = page.context
    context.grant_permissions(["geolocation"], origin=live_server.url)
    context.set_geolocation({"latitude": -6.2001, "longitude": 106.8167, "accuracy": 20})
    page.set_viewport_size(PHONE)
    log_in(page, employee.user.username)

    # Morning: check in from home.
    page.goto("/presensi/")
    button = page.locator("#presensi-tombol")
    expect(button).to_have_text("Presensi masuk")
    page.select_option("#presensi-tempat", "rumah")
    button.click()
    rows = page.locator("#presensi-daftar li")
    expect(rows.filter(has_text="terkirim")).to_have_count(1)

    # The log, with a file.
    page.goto("/kinerja/")
    expect(page.get_by_text("Hari ini hari kerja fleksibel")).to_be_visible()
    page.select_option("#id_planned_output_id", label="Dasbor data kepegawaian (1 dasbor)")
    page.fill("#id_description", "Menyusun dasbor data kepegawaian")
    page.fill("#id_quantity", "1")
    page.fill("#id_minutes", "180")
    evidence = tmp_path / "dasbor.pdf"
    evidence.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n")
    page.set_input_files("#id_file", str(evidence))
    page.get_by_role("button", name="Simpan laporan").click()
    expect(page.get_by_text("Laporan harian tersimpan.")).to_be_visible()
    expect(page.get_by_role("link", name="dasbor.pdf")).to_be_visible()
    assert LogEvidence.objects.get().entry.employee_id == employee.pk

    # Afternoon: check out (the log is there, so the check-out is accepted).
    page.goto("/presensi/")
    expect(button).to_have_text("Presensi pulang")
    button.click()
    expect(rows.filter(has_text="terkirim")).to_have_count(2)
    assert sorted(CheckIn.objects.values_list("kind", flat=True)) == ["in", "out"]

    # The head comments.
    page.set_viewport_size({"width": 1600, "height": 900})
    log_in(page, head.user.username)
    page.goto(f"/kinerja/unit/{unit.pk}/{period}/")
    page.get_by_role("link", name="Sari Pegawai").click()
    entry = LogEntry.objects.get()
    page.fill(f"#c-{entry.pk}", "Bagus, tambahkan grafik tren.")
    page.locator(f"#log-{entry.pk}").get_by_role("button", name="Kirim").click()
    expect(page.get_by_text("Bagus, tambahkan grafik tren.")).to_be_visible()

    # The employee replies.
    log_in(page, employee.user.username)
    page.goto("/kinerja/")
    expect(page.get_by_text("Bagus, tambahkan grafik tren.")).to_be_visible()
    page.fill(f"#c-{entry.pk}", "Siap, besok saya tambahkan.")
    page.locator(f"#log-{entry.pk}").get_by_role("button", name="Kirim").click()
    expect(page.get_by_text("Siap, besok saya tambahkan.")).to_be_visible()
    assert LogComment.objects.filter(by_employee=True).count() == 1

    # The head assesses the month.
    log_in(page, head.user.username)
    page.goto(f"/kinerja/unit/{unit.pk}/{period}/")
    page.get_by_role("link", name="Nilai").first.click()
    for select in page.locator("select[name^=output_], select[name^=behaviour_]").all():
        select.select_option("meets")
    page.fill("#id_feedback", "Target tercapai tepat waktu.")
    page.get_by_role("button", name="Finalkan").click()
    expect(page.get_by_text("Penilaian difinalkan.")).to_be_visible()
    assert Assessment.objects.get().predikat == "baik"

    # The unit's XLSX.
    page.goto(f"/kinerja/unit/{unit.pk}/{period}/")
    with page.expect_download() as info:
        page.get_by_role("link", name="Unduh XLSX unit (e-Kinerja)").click()
    path = tmp_path / "unit.xlsx"
    info.value.save_as(path)
    book = load_workbook(path)
    daily = list(book["Laporan Harian"].iter_rows(values_only=True))
    assert daily[0][2:10] == ("Rencana Aksi", "Tanggal Kegiatan", "Jam Mulai", "Jam Selesai", "Kegiatan Harian", "Realisasi", "Satuan", "Bukti Dukung")
    assert len(daily) == 2 and daily[1][0] == employee.nip and daily[1][6] == "Menyusun dasbor data kepegawaian"
    assert daily[1][2] == "Dasbor data kepegawaian" and daily[1][7] == 1 and daily[1][8] == "dasbor" and "/kinerja/bukti/" in daily[1][9]
    ratings = {r[1]: r for r in book["Penilaian Periode"].iter_rows(min_row=2, values_only=True)}
    assert ratings["Sari Pegawai"][3:6] == ("Sesuai ekspektasi", "Sesuai ekspektasi", "Baik")

    # The employee sees the predikat.
    log_in(page, employee.user.username)
    page.goto(f"/kinerja/pegawai/{employee.pk}/{period}/")
    expect(page.locator(".predikat")).to_have_text("Baik")
