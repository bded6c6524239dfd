"""The pages: the employee's log (write with a file), the period with feedback and the
response, the assessment form, the head's unit view; query counts do not grow with people."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from fleksi.performance import services
from fleksi.performance.models import Assessment, LogEntry, LogEvidence, PlannedOutput
from fleksi.policy.rating import BehaviourValue
from tests.factories import EmployeeFactory

from .conftest import PERIOD, TODAY, fresh

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"


def test_employee_writes_a_log_with_a_file(client, world):
    client.force_login(world.e1.user)
    page = client.get("/kinerja/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "hari kerja fleksibel" in text and "Naskah kajian kebijakan" in text
    output = PlannedOutput.objects.get(description="Telaah staf")
    response = client.post("/kinerja/", {
        "date": TODAY.isoformat(), "planned_output_id": str(output.pk), "description": "Telaah RUU",
        "quantity": "1", "minutes": "90", "evidence_url": "", "file": SimpleUploadedFile("telaah.pdf", PDF),
    })
    assert response.status_code == 302
    entry = LogEntry.objects.get()
    assert entry.planned_output == output and entry.minutes == 90
    assert LogEvidence.objects.get().entry == entry
    page = client.get("/kinerja/").content.decode()
    assert "telaah.pdf" in page and "Telaah RUU" in page


def test_a_future_date_shows_a_clear_error(client, world):
    client.force_login(world.e1.user)
    response = client.post("/kinerja/", {
        "date": (TODAY + dt.timedelta(days=2)).isoformat(), "planned_output_id": "", "description": "x",
        "quantity": "1", "minutes": "30",
    })
    assert response.status_code == 200 and "tanggal yang akan datang" in response.content.decode()
    assert not LogEntry.objects.exists()


def test_feedback_reply_assessment_and_response_in_pages(client, world):
    entry = services.log_create(actor=fresh(world.e1.user), data=services.LogInput(date=TODAY, description="Kajian", quantity=1, minutes=60))
    client.force_login(world.head_child.user)
    period_url = f"/kinerja/pegawai/{world.e1.pk}/{PERIOD}/"
    assert client.post(f"/kinerja/log/{entry.pk}/komentar/", {"body": "Tambahkan data.", "next": period_url}).status_code == 302
    client.force_login(world.e1.user)
    assert client.post(f"/kinerja/log/{entry.pk}/komentar/", {"body": "Baik, Pak.", "next": period_url}).status_code == 302
    client.force_login(world.head_child.user)
    page = client.get(period_url).content.decode()
    assert "Tambahkan data." in page and "Baik, Pak." in page
    outputs = list(PlannedOutput.objects.filter(employee=world.e1))
    form = {f"output_{o.pk}": "meets" for o in outputs} | {f"behaviour_{v.value}": "above" for v in BehaviourValue}
    assert client.get(f"/kinerja/pegawai/{world.e1.pk}/{PERIOD}/nilai/").status_code == 200
    saved = client.post(f"/kinerja/pegawai/{world.e1.pk}/{PERIOD}/nilai/", {**form, "feedback": "Baik.", "finalise": "1"})
    assert saved.status_code == 302, saved.content.decode()[:2000]
    assert Assessment.objects.get().predikat == "baik"
    client.force_login(world.e1.user)
    page = client.get(period_url).content.decode()
    assert "Baik" in page and "Kirim tanggapan" in page
    assert client.post(f"/kinerja/pegawai/{world.e1.pk}/{PERIOD}/tanggapan/", {"response": "Setuju."}).status_code == 302
    assert Assessment.objects.get().response == "Setuju."


def test_finalising_with_an_output_unrated_shows_the_error(client, world):
    client.force_login(world.head_child.user)
    form = {f"behaviour_{v.value}": "meets" for v in BehaviourValue}
    response = client.post(f"/kinerja/pegawai/{world.e1.pk}/{PERIOD}/nilai/", {**form, "finalise": "1"})
    assert response.status_code == 200 and "belum dinilai" in response.content.decode()
    assert Assessment.objects.get().state == "draft"


def _unit_page_queries(client, world, django_assert_max_num_queries, limit):
    client.force_login(world.head_root.user)
    with django_assert_max_num_queries(limit) as captured:
        response = client.get(f"/kinerja/unit/{world.root.pk}/{PERIOD}/")
    assert response.status_code == 200
    return len(captured.captured_queries), response.content.decode()


def test_unit_view_query_count_does_not_grow(client, world, django_assert_max_num_queries):
    _unit_page_queries(client, world, django_assert_max_num_queries, 25)  # mirrors the request's outputs once
    few, page = _unit_page_queries(client, world, django_assert_max_num_queries, 25)
    assert "Ani Lestari" in page and "Budi Santoso" in page
    for i in range(12):
        employee = EmployeeFactory(unit=world.child)
        for day in (1, 2, 3):
            services.log_create(actor=fresh(employee.user), data=services.LogInput(date=dt.date(2026, 12, day), description=f"k{i}", quantity=1, minutes=30))
    many, page = _unit_page_queries(client, world, django_assert_max_num_queries, 25)
    assert many == few
    assert "Hari fleksibel tanpa laporan" in page


def test_period_page_query_count(client, world, django_assert_max_num_queries):
    for day in range(1, 15):
        services.log_create(actor=fresh(world.e1.user), data=services.LogInput(date=dt.date(2026, 12, day), description="k", quantity=1, minutes=30))
    client.force_login(world.head_child.user)
    with django_assert_max_num_queries(25):
        assert client.get(f"/kinerja/pegawai/{world.e1.pk}/{PERIOD}/").status_code == 200
    client.force_login(world.e1.user)
    with django_assert_max_num_queries(25):
        assert client.get("/kinerja/").status_code == 200


def test_next_employee_navigation(client, world):
    client.force_login(world.head_root.user)
    page = client.get(f"/kinerja/pegawai/{world.e1.pk}/{PERIOD}/?unit={world.root.pk}").content.decode()
    assert "Pegawai berikutnya" in page or "Pegawai sebelumnya" in page


def test_xlsx_export_layout(client, world):
    client.force_login(world.e1.user)
    client.get("/kinerja/")  # mirrors the approved request's outputs
    outputs = {o.description: o for o in PlannedOutput.objects.filter(employee=world.e1)}
    entry = services.log_create(actor=fresh(world.e1.user), data=services.LogInput(
        date=TODAY, description="Telaah RUU", quantity=2, minutes=90,
        planned_output_id=outputs["Telaah staf"].pk, evidence_url="https://drive.example.go.id/x"))
    services.log_create(actor=fresh(world.e1.user), data=services.LogInput(date=TODAY, description="Rapat", quantity=1, minutes=60))
    client.force_login(world.head_child.user)
    response = client.get(f"/kinerja/pegawai/{world.e1.pk}/{PERIOD}/ekspor.xlsx")
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    book = load_workbook(io.BytesIO(response.content))
    daily = book["Laporan Harian"]
    rows = list(daily.iter_rows(values_only=True))
    assert rows[0] == ("NIP", "Nama", "Rencana Aksi", "Tanggal Kegiatan", "Jam Mulai", "Jam Selesai",
                       "Kegiatan Harian", "Realisasi", "Satuan", "Bukti Dukung")
    assert rows[1][0] == world.e1.nip and isinstance(rows[1][0], str)
    assert rows[1][2] == "Telaah staf" and rows[1][3].date() == TODAY
    assert (rows[1][4], rows[1][5]) == (dt.time(7, 30), dt.time(9, 0))
    assert (rows[2][4], rows[2][5]) == (dt.time(9, 0), dt.time(10, 0))
    assert rows[1][6:9] == ("Telaah RUU", 2, "telaah") and rows[1][9] == "https://drive.example.go.id/x"
    period = list(book["Penilaian Periode"].iter_rows(values_only=True))
    assert period[0][:6] == ("NIP", "Nama", "Periode", "Hasil Kerja", "Perilaku Kerja", "Predikat")
    assert period[1][0] == world.e1.nip and period[1][6] == "Belum dinilai"
    assert entry.pk
    client.force_login(world.head_root.user)
    unit = client.get(f"/kinerja/unit/{world.root.pk}/{PERIOD}/ekspor.xlsx")
    names = [r[1] for r in load_workbook(io.BytesIO(unit.content))["Penilaian Periode"].iter_rows(min_row=2, values_only=True)]
    assert "Ani Lestari" in names and "Budi Santoso" in names


def test_pages_in_english(client, world):
    world.e1.user.language = "en"
    world.e1.user.save(update_fields=["language"])
    client.force_login(world.e1.user)
    client.cookies["django_language"] = "en"
    text = client.get("/kinerja/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Daily log" in text and "Save entry" in text and "Simpan laporan" not in text


def test_the_app_catalogue_is_complete_and_compiled():
    from pathlib import Path

    import fleksi.performance

    folder = Path(fleksi.performance.__file__).parent / "locale" / "en" / "LC_MESSAGES"
    po = (folder / "django.po").read_text(encoding="utf-8")
    assert 'msgstr ""\n\n' not in po.split("\n\n", 1)[1] + "\n\n"
    assert (folder / "django.mo").stat().st_mtime >= (folder / "django.po").stat().st_mtime - 1
