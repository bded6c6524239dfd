"""The planner page's background proposal (the real job queue: django-tasks' database
backend, the worker run in-process), its progress row and polling, scoping; service roles
and coverage rows per role; a plan.csv / .xlsx imported into the draft."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from fleksi.schedules.models import ArrangementDay, PlannerJob, PublishedSchedule, ServiceRole
from tests.workflow.helpers import W48

from .test_unit_planner_page import URL, ask, propose, run_worker

pytestmark = pytest.mark.django_db


@pytest.mark.django_db(transaction=True)  # the worker commits and closes its connection
def test_the_worker_solves_the_job_and_the_page_polls_it(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.head.user)
    response = ask(client, world, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    job = PlannerJob.objects.get()
    assert job.status == "queued" and job.task_id and job.created_by_id == world.head.user_id
    assert response["Location"] == f"{URL}?unit={world.unit.pk}&usulan={job.pk}"
    # Before the worker runs: the page shows the queued job and polls it (htmx, no script).
    page = client.get(response["Location"]).content.decode()
    assert 'id="plan-job"' in page and f'hx-get="{URL}usulan/{job.pk}/"' in page
    assert "Dalam antrean" in page and 'id="plan-grid"' not in page
    poll = client.get(f"{URL}usulan/{job.pk}/", HTTP_HX_REQUEST="true")
    assert poll.status_code == 200 and "HX-Redirect" not in poll and 'hx-trigger="every 1s"' in poll.content.decode()
    run_worker()
    job.refresh_from_db()
    # The progress the solver reported is on the row: units, solutions, gap, elapsed.
    assert job.status == "done" and job.finished_at is not None
    assert job.units == 2 and job.unit_index == 1  # unit U and its sub-unit S, one after the other
    assert job.solutions >= 1 and job.gap is not None and job.objective is not None and job.elapsed > 0
    assert job.result["summary"]["status"] in ("optimal", "feasible")
    assert {(r["nip"], r["tanggal"]) for r in job.result["rows"]} == {
        (world.e1.nip, W48[0].isoformat()), (world.e2.nip, W48[4].isoformat())
    }
    poll = client.get(f"{URL}usulan/{job.pk}/", HTTP_HX_REQUEST="true")
    assert poll["HX-Redirect"] == response["Location"]
    body = poll.content.decode()
    assert "hx-get" not in body and "gap" in body and "jadwal ditemukan" in body
    page = client.get(response["Location"]).content.decode()
    assert "Usulan jadwal siap" in page and 'id="plan-grid"' in page
    # The draft is the job's result; a reload does not undo an edit made since.
    client.post(
        f"{URL}sel/", {"unit": world.unit.pk, "nip": world.e1.nip, "tanggal": W48[1].isoformat(), "lokasi": "rumah"},
        HTTP_HX_REQUEST="true",
    )
    client.get(response["Location"])
    assert (world.e1.nip, W48[1].isoformat()) in {(r["nip"], r["tanggal"]) for r in client.session["unit_planner_draft"]["rows"]}
    assert not ArrangementDay.objects.filter(schedule__isnull=False).exists()  # nothing until published


def test_another_head_cannot_see_the_job(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.head.user)
    ask(client, world, django_capture_on_commit_callbacks)
    job = PlannerJob.objects.get()
    for user in (world.head_sibling.user, world.head_sub.user, world.e1.user, world.hr, world.foreign_head.user):
        client.force_login(user)
        assert client.get(f"{URL}usulan/{job.pk}/").status_code == 404
        assert client.get(f"{URL}?unit={world.unit.pk}&usulan={job.pk}").status_code == 404
    client.force_login(world.head.user)
    assert client.get(f"{URL}?unit={world.sibling.pk}&usulan={job.pk}").status_code == 404
    assert client.get(f"{URL}usulan/{job.pk + 1}/").status_code == 404


def test_invalid_constraints_are_refused_before_queueing(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.head.user)
    response = ask(client, world, django_capture_on_commit_callbacks, **{"cakupan-0-nilai": "1,5"})
    assert response.status_code == 200 and "Baris batas minimum 1" in response.content.decode()
    response = ask(client, world, django_capture_on_commit_callbacks, **{f"peran-{world.e1.nip}": "Loket!"})
    assert "Peran layanan tidak sah" in response.content.decode()
    assert not PlannerJob.objects.exists() and not ServiceRole.objects.exists()


@pytest.mark.django_db(transaction=True)  # the worker commits and closes its connection
def test_role_coverage_rows(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.head.user)
    # e1 and e2 both serve at the front desk; both want Friday at home; at least one of the
    # two must be at the desk on Friday, and 60% of the unit every day.
    roles = {f"peran-{world.e1.nip}": "loket", f"peran-{world.e2.nip}": "Loket, arsip"}
    prefs = {"pilihan": [f"{world.e1.nip}|jumat", f"{world.e2.nip}|jumat"], "jangkar": []}
    coverage = {
        "cakupan-0-nilai": "1", "cakupan-0-jenis": "orang", "cakupan-0-peran": "loket", "cakupan-0-hari": ["jumat"],
        "cakupan-1-nilai": "30", "cakupan-1-jenis": "persen",
    }
    page = propose(client, world, django_capture_on_commit_callbacks, **roles, **prefs, **coverage).content.decode()
    assert "Usulan jadwal siap" in page
    assert set(ServiceRole.objects.values_list("employee__nip", "role")) == {
        (world.e1.nip, "loket"), (world.e2.nip, "loket"), (world.e2.nip, "arsip")
    }
    job = PlannerJob.objects.get()
    assert job.params["coverage"] == [
        {"headcount": 1, "role": "loket", "hari": ["jumat"]}, {"share": 0.3, "role": None, "hari": []}
    ]
    friday_away = [r for r in job.result["rows"] if r["tanggal"] == W48[4].isoformat() and r["lokasi"] != "kantor"]
    assert len(friday_away) == 1
    # The page shows the rows and the roles again.
    assert 'value="loket"' in page and 'value="arsip, loket"' in page
    # Two at the desk on Friday and nobody else there with the role: no lawful schedule; the
    # explanation names the role. Clearing the role field removes the mark.
    coverage.update({"cakupan-0-nilai": "3"})
    page = propose(client, world, django_capture_on_commit_callbacks, **roles, **prefs, **coverage).content.decode()
    assert PlannerJob.objects.latest("pk").status == "infeasible"
    assert "Tidak ada jadwal yang sah" in page and "peran loket" in page
    ask(client, world, django_capture_on_commit_callbacks, **{f"peran-{world.e2.nip}": ""})
    assert set(ServiceRole.objects.values_list("employee__nip", flat=True)) == {world.e1.nip}


def _csv(*rows: str) -> bytes:
    return ("nip,tanggal,lokasi,jam_mulai,jam_selesai,waktu\n" + "\n".join(rows) + "\n").encode()


def _import(client, world, data: bytes, name: str, start=None, weeks="1"):
    upload = io.BytesIO(data)
    upload.name = name
    return client.post(
        URL,
        {"unit": world.unit.pk, "aksi": "impor", "mulai": (start or W48[0]).isoformat(), "minggu": weeks, "berkas": upload},
    )


def test_import_csv_into_the_draft(client, world):
    client.force_login(world.head.user)
    data = _csv(f"{world.e1.nip},{W48[0]},rumah,,,", f"{world.e2.nip},{W48[1]},rumah,,,", f"{world.e2.nip},{W48[2]},rumah,,,",
                f"{world.e2.nip},{W48[3]},rumah,,,")
    page = _import(client, world, data, "plan.csv").content.decode()
    assert "Berkas diimpor ke draf: 4 baris" in page and 'id="plan-grid"' in page and "Diimpor dari plan.csv" in page
    # The policy core checks the imported draft: e2 three days at home breaks the weekly cap.
    assert 'id="board-findings"' in page and "cell-error" in page
    assert not PublishedSchedule.objects.exists() and not ArrangementDay.objects.filter(schedule__isnull=False).exists()
    refused = client.post(URL, {"unit": world.unit.pk, "aksi": "terbitkan"})
    assert "tidak dapat diterbitkan" in refused.content.decode() and not PublishedSchedule.objects.exists()


def test_import_xlsx_like_the_export(client, world):
    client.force_login(world.head.user)
    book = Workbook()
    sheet = book.active
    sheet.append(["nip", "tanggal", "lokasi", "jam_mulai", "jam_selesai", "waktu"])
    sheet.append([world.e1.nip, W48[4].isoformat(), "rumah", "", "", "reguler"])
    out = io.BytesIO()
    book.save(out)
    page = _import(client, world, out.getvalue(), "plan.xlsx").content.decode()
    assert "Berkas diimpor ke draf: 1 baris" in page and "0 pelanggaran" in page
    assert client.session["unit_planner_draft"]["rows"][0]["tanggal"] == W48[4].isoformat()
    done = client.post(URL, {"unit": world.unit.pk, "aksi": "terbitkan"})
    assert "Jadwal diterbitkan" in done.content.decode()
    assert ArrangementDay.objects.filter(employee=world.e1, date=W48[4], active=True, schedule__isnull=False).exists()


@pytest.mark.django_db(transaction=True)  # the worker commits and closes its connection
def test_import_refuses_rows_outside_the_unit_or_period(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.head.user)
    propose(client, world, django_capture_on_commit_callbacks)
    before = client.session["unit_planner_draft"]
    data = _csv(
        f"{world.e1.nip},{W48[0]},rumah,,,",
        f"{world.ev.nip},{W48[1]},rumah,,,",  # the sibling unit's employee
        f"{world.e2.nip},2026-12-01,rumah,,,",  # the next week
        f"{world.foreign.nip},{W48[2]},rumah,,,",
    )
    page = _import(client, world, data, "plan.csv").content.decode()
    assert "Berkas rencana ditolak: 3 masalah" in page
    assert "baris 3" in page and f"NIP {world.ev.nip} bukan pegawai unit" in page
    assert "baris 4" in page and "di luar periode draf" in page
    assert "baris 5" in page
    assert client.session["unit_planner_draft"] == before


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"PK\x03\x04 not really a workbook", "plan.xlsx"),
        (b"", "plan.csv"),
        (b"\xff\xfe\x00garbage\x00", "plan.csv"),
        (b"nama,hari\nBudi,senin\n", "plan.csv"),
    ],
)
def test_bad_files_change_nothing(client, world, data, name):
    client.force_login(world.head.user)
    response = _import(client, world, data, name)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="msg error"' in page
    assert "unit_planner_draft" not in client.session and not PublishedSchedule.objects.exists()


def test_the_card_says_when_the_time_limit_was_hit(client, world):
    client.force_login(world.head.user)
    job = PlannerJob.objects.create(
        unit=world.unit, created_by=world.head.user, status="done", time_limit=10, units=2, unit_index=1,
        solutions=7, objective=900, bound=945, gap=0.05, elapsed=20.3,
        params={"start": W48[0].isoformat(), "weeks": 1, "form": {}},
        result={"rows": [{"nip": world.e1.nip, "tanggal": W48[0].isoformat(), "lokasi": "rumah", "waktu": "reguler"}],
                "summary": {"status": "feasible", "gap": 0.05, "preferences_met": 1, "preferences": 2}},
    )
    card = client.get(f"{URL}usulan/{job.pk}/").content.decode()
    assert "7 jadwal ditemukan" in card and "5,00%" in card and "unit 2 dari 2" in card
    assert "20,3 dari paling lama 20 detik" in card and "Batas waktu tercapai" in card
    page = client.get(f"{URL}?unit={world.unit.pk}&usulan={job.pk}").content.decode()
    assert "Usulan jadwal siap" in page and "gap 0,050" in page
    failed = PlannerJob.objects.create(
        unit=world.unit, created_by=world.head.user, status="failed", error="Pencarian jadwal gagal.",
        params={"start": W48[0].isoformat(), "weeks": 1, "form": {}},
    )
    page = client.get(f"{URL}?unit={world.unit.pk}&usulan={failed.pk}").content.decode()
    assert 'class="msg error"' in page and "Pencarian jadwal gagal." in page
    assert client.session["unit_planner_draft"]["job_id"] == job.pk  # the failed job changed nothing
