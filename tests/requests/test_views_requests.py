"""The employee's pages: the request form with its live check, saving, submitting, editing a
returned request, the detail page with its history and actions, evidence, and tampering."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fleksi.organisation.models import AgencyOffice, PermittedPlace
from fleksi.requests import decisions as request_decisions
from fleksi.requests import services as request_services
from fleksi.requests.models import Evidence, FlexRequest, RequestState
from tests.factories import PASSWORD
from tests.workflow.helpers import W48, W49, counts, fresh, page, request_data, submitted

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
CAP_BASIS = "PermenPANRB 4/2025 Pasal 13 ayat (1)"


def login(client, user) -> None:
    client.logout()
    assert client.login(username=user.username, password=PASSWORD)


def form_data(*dates: dt.date, action: str = "save", outputs: int = 1, **extra: Any) -> dict[str, Any]:
    """The POST of the request form as a browser sends it."""
    data: dict[str, Any] = {
        "employee": "",
        "location_kind": "rumah",
        "schedule_mode": "dates",
        "dates": [d.isoformat() for d in dates],
        "time_kind": "reguler",
        "reason": "Menyusun laporan yang butuh waktu fokus.",
        "work_plan": "Menulis bab 1-3 laporan evaluasi.",
        "keluaran-TOTAL_FORMS": str(outputs),
        "keluaran-INITIAL_FORMS": "0",
        "keluaran-MIN_NUM_FORMS": "0",
        "keluaran-MAX_NUM_FORMS": "30",
        "action": action,
    }
    for i in range(outputs):
        data |= {f"keluaran-{i}-description": f"Draf laporan bagian {i + 1}", f"keluaran-{i}-target_quantity": "1",
                 f"keluaran-{i}-unit": "dokumen", f"keluaran-{i}-due_date": ""}
    data.update(extra)
    return data


# ---- the form and its live check ---------------------------------------------------------


def test_new_form_shows_fields_with_labels_domicile_and_live_check(client, world):
    world.e1.domicile = "Jl. Melati 5, Bandung"
    world.e1.save(update_fields=["domicile"])
    login(client, world.e1.user)
    page = client.get(reverse("requests:request_new")).content.decode()
    assert 'hx-post="/kerja-fleksibel/pengajuan/periksa/"' in page
    assert 'hx-trigger="change delay:400ms"' in page
    assert "Jl. Melati 5, Bandung" in page
    for label in ("Lokasi kerja", "Jadwal", "Alasan pengajuan", "Rencana kerja", "Uraian keluaran", "Simpan draf", "Ajukan"):
        assert label in page
    assert '<label for="id_reason"' in page
    # The position allows no time flexibility: the section is not offered.
    assert 'name="time_kind" value="reguler"' in page and "Kerja dinamis" not in page


def test_time_flexibility_is_offered_when_the_position_allows_it(client, world):
    position = world.e1.position
    position.time_flexibility = "dinamis"
    position.save(update_fields=["time_flexibility"])
    login(client, world.e1.user)
    page = client.get(reverse("requests:request_new")).content.decode()
    assert "Kerja dinamis" in page and 'name="hours_0_start"' in page and "Sif" not in page.split("Waktu kerja")[1][:300]


def test_live_check_shows_the_weekly_cap_finding_with_code_and_basis(client, world):
    login(client, world.e1.user)
    before = counts()
    response = client.post(reverse("requests:request_check"), form_data(W48[0], W48[1], W48[2]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert "LOCATION_MAX_DAYS_PER_WEEK" in html and CAP_BASIS in html
    # Issue 7: the week as a date range (the ISO week small beside it), the counted days named.
    assert "3 hari kerja di luar kantor pada minggu 23–27 Nov 2026; paling banyak 2." in html
    assert "(2026-W48)" in html and "Dihitung: Sen 23 Nov (pengajuan ini)" in html
    assert "belum dapat diajukan" in html
    assert counts() == before  # a check writes nothing
    fixed = client.post(reverse("requests:request_check"), form_data(W48[0], W48[1]))
    assert "LOCATION_MAX_DAYS_PER_WEEK" not in fixed.content.decode()
    assert "Tidak ada temuan" in fixed.content.decode()


def test_live_check_lists_incomplete_input_instead_of_findings(client, world):
    login(client, world.e1.user)
    html = client.post(reverse("requests:request_check"), form_data(location_kind="kantor_lain")).content.decode()
    assert "Lengkapi isian" in html
    assert "Isi paling sedikit satu tanggal." in html and "Pilih kantor tempat bekerja." in html


def test_live_check_shows_service_validation_in_indonesian(client, world):
    login(client, world.e1.user)
    html = client.post(reverse("requests:request_check"), form_data(dt.date(2026, 11, 2))).content.decode()
    assert "sudah lewat" in html


def test_live_check_of_an_existing_draft_leaves_it_out_of_other_requests(client, world):
    user = fresh(world.e1.user)
    draft = request_services.request_create(actor=user, data=request_data(W48[0], W48[1]))
    request_services.request_submit(actor=user, request_id=draft.pk)
    other = request_services.request_create(actor=user, data=request_data(W49[0]))
    login(client, world.e1.user)
    html = client.post(reverse("requests:request_check_existing", args=[other.pk]), form_data(W48[2])).content.decode()
    assert "LOCATION_MAX_DAYS_PER_WEEK" in html  # 2 pending + 1 in this form


# ---- saving and submitting --------------------------------------------------------------


def test_save_draft_then_see_it_in_my_requests(client, world):
    login(client, world.e1.user)
    response = client.post(reverse("requests:request_new"), form_data(W48[0], W48[2], outputs=2))
    request = FlexRequest.objects.get(employee=world.e1)
    assert response.status_code == 302 and response["Location"] == reverse("requests:request_detail", args=[request.pk])
    assert request.state == RequestState.DRAFT
    assert request.dates == [W48[0].isoformat(), W48[2].isoformat()]
    assert [o.description for o in request.outputs.all()] == ["Draf laporan bagian 1", "Draf laporan bagian 2"]
    listing = client.get(reverse("requests:my_requests")).content.decode()
    assert f"#{request.pk}" in listing and "Draf" in listing
    assert f"#{request.pk}" not in client.get(reverse("requests:my_requests") + "?status=approved").content.decode()


def test_submit_with_an_error_finding_is_refused_and_shows_the_error_list(client, world):
    login(client, world.e1.user)
    response = client.post(reverse("requests:request_new"), form_data(W48[0], W48[1], W48[2], action="submit"))
    request = FlexRequest.objects.get(employee=world.e1)
    assert request.state == RequestState.DRAFT  # kept as a draft, not submitted
    # Issue 7: post/redirect/get to the draft's edit page, which says why.
    assert response.status_code == 302 and response["Location"] == reverse("requests:request_edit", args=[request.pk])
    html = client.get(response["Location"]).content.decode()
    assert "belum dapat diajukan" in html and "LOCATION_MAX_DAYS_PER_WEEK" in html and CAP_BASIS in html
    assert f'action="{reverse("requests:request_edit", args=[request.pk])}"' in html
    # Fix it (2 days) and submit from the edit page.
    fixed = client.post(reverse("requests:request_edit", args=[request.pk]), form_data(W48[0], W48[1], action="submit"))
    assert fixed.status_code == 302
    request.refresh_from_db()
    assert request.state == RequestState.SUBMITTED
    assert FlexRequest.objects.filter(employee=world.e1).count() == 1


def test_weekly_pattern_and_dynamic_hours_become_the_service_input(client, world):
    position = world.e1.position
    position.time_flexibility = "dinamis"
    position.save(update_fields=["time_flexibility"])
    login(client, world.e1.user)
    data = form_data(
        schedule_mode="pattern", weekdays=["0", "3"], start_date=W48[0].isoformat(), end_date=W49[4].isoformat(),
        time_kind="dinamis", hours_0_start="06:30", hours_0_end="15:00", hours_3_start="08:00", hours_3_end="16:30",
    )
    del data["dates"]
    response = client.post(reverse("requests:request_new"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    request = FlexRequest.objects.get(employee=world.e1)
    assert request.schedule_mode == "pattern" and request.weekdays == [0, 3]
    assert request.hours == {"0": ["06:30", "15:00"], "3": ["08:00", "16:30"]}


def test_dynamic_hours_missing_are_shown_on_the_field(client, world):
    position = world.e1.position
    position.time_flexibility = "dinamis"
    position.save(update_fields=["time_flexibility"])
    login(client, world.e1.user)
    response = client.post(reverse("requests:request_new"), form_data(W48[0], time_kind="dinamis"))
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="id_hours_0_start_error"' in html and "Isi jam mulai dan selesai" in html
    assert FlexRequest.objects.count() == 0


def test_field_errors_are_tied_to_their_inputs(client, world):
    login(client, world.e1.user)
    response = client.post(reverse("requests:request_new"), form_data(location_kind="lokasi_lain"))
    html = response.content.decode()
    assert response.status_code == 422
    assert 'aria-describedby="id_place_helptext id_place_error"' not in html  # place has no help text
    assert 'aria-invalid="true"' in html and 'id="id_place_error"' in html and 'aria-describedby="id_place_error"' in html


def test_add_output_row_without_javascript(client, world):
    login(client, world.e1.user)
    response = client.post(reverse("requests:request_new"), form_data(W48[0], action="add_output"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="keluaran-1-description"' in html and 'value="2"' in html
    assert FlexRequest.objects.count() == 0


def test_other_office_and_permitted_place_choices_come_from_the_agency(client, world):
    office = AgencyOffice.objects.create(agency=world.agency, name="Kantor Wilayah Timur")
    place = PermittedPlace.objects.create(agency=world.agency, name="Perpustakaan Daerah")
    AgencyOffice.objects.create(agency=world.foreign_agency, name="Kantor Asing")
    login(client, world.e1.user)
    page = client.get(reverse("requests:request_new")).content.decode()
    assert "Kantor Wilayah Timur" in page and "Perpustakaan Daerah" in page and "Kantor Asing" not in page
    response = client.post(reverse("requests:request_new"), form_data(W48[0], location_kind="kantor_lain", office=office.pk))
    assert response.status_code == 302
    assert FlexRequest.objects.get(employee=world.e1).office_id == office.pk
    response = client.post(reverse("requests:request_new"), form_data(W48[1], location_kind="lokasi_lain", place=place.pk, place_description="Ruang baca lantai 2"))
    assert response.status_code == 302
    assert FlexRequest.objects.get(place=place).place_description == "Ruang baca lantai 2"


# ---- tampering ---------------------------------------------------------------------------


def test_tampered_form_naming_another_employee_changes_nothing(client, world):
    login(client, world.e1.user)
    before = counts()
    for other in (world.e2, world.foreign):
        response = client.post(reverse("requests:request_new"), form_data(W48[0], employee=other.pk, action="submit"))
        assert response.status_code == 404
    assert counts() == before
    assert client.post(reverse("requests:request_check"), form_data(W48[0], employee=world.foreign.pk)).status_code == 404


def test_tampered_form_naming_another_agencys_office_or_place_changes_nothing(client, world):
    foreign_office = AgencyOffice.objects.create(agency=world.foreign_agency, name="Kantor Asing")
    foreign_place = PermittedPlace.objects.create(agency=world.foreign_agency, name="Tempat Asing")
    login(client, world.e1.user)
    before = counts()
    response = client.post(reverse("requests:request_new"), form_data(W48[0], location_kind="kantor_lain", office=foreign_office.pk))
    assert response.status_code == 422 and 'id="id_office_error"' in response.content.decode()
    response = client.post(reverse("requests:request_new"), form_data(W48[0], location_kind="lokasi_lain", place=foreign_place.pk))
    assert response.status_code == 422 and 'id="id_place_error"' in response.content.decode()
    assert counts() == before


def test_editing_someone_elses_or_a_submitted_request_is_refused(client, world):
    request = submitted(world.e1, W48[0])
    login(client, world.e1.user)
    response = client.post(reverse("requests:request_edit", args=[request.pk]), form_data(W48[1]))
    assert response.status_code == 302 and response["Location"] == reverse("requests:request_detail", args=[request.pk])
    request.refresh_from_db()
    assert request.dates == [W48[0].isoformat()]
    draft = request_services.request_create(actor=fresh(world.e1.user), data=request_data(W48[2]))
    login(client, world.head.user)
    assert client.post(reverse("requests:request_edit", args=[draft.pk]), form_data(W48[3])).status_code == 404


# ---- returned requests, detail page, decisions ---------------------------------------------


def test_returned_request_shows_the_reason_and_can_be_fixed(client, world):
    request = submitted(world.e1, W48[0])
    request_decisions.request_return(actor=fresh(world.head.user), request_id=request.pk, reason="Tambahkan target keluaran kedua.")
    login(client, world.e1.user)
    page = client.get(reverse("requests:request_edit", args=[request.pk])).content.decode()
    assert "Dikembalikan untuk perbaikan" in page and "Tambahkan target keluaran kedua." in page
    assert 'value="Draf laporan evaluasi"' in page  # the outputs are filled in
    response = client.post(reverse("requests:request_edit", args=[request.pk]), form_data(W48[0], outputs=2, action="submit"))
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.state == RequestState.SUBMITTED and request.outputs.count() == 2


def test_detail_shows_data_outputs_findings_history_and_allowed_actions(client, world):
    user = fresh(world.e1.user)
    request = request_services.request_create(actor=user, data=request_data(W48[0], W48[1]))
    request_services.request_submit(actor=user, request_id=request.pk)
    login(client, world.e1.user)
    page = client.get(reverse("requests:request_detail", args=[request.pk])).content.decode()
    assert "Draf laporan evaluasi" in page and "Riwayat" in page and "Diajukan" in page
    assert "Batalkan pengajuan" in page and "Setujui" not in page and "Tolak" not in page
    login(client, world.head.user)
    page = client.get(reverse("requests:request_detail", args=[request.pk])).content.decode()
    assert "Setujui" in page and "Tolak" in page and "Kembalikan untuk perbaikan" in page
    assert "Batalkan pengajuan" not in page and "Cabut persetujuan" not in page
    client.post(reverse("requests:request_approve", args=[request.pk]), {"note": "Silakan, jaga target."})
    page = client.get(reverse("requests:request_detail", args=[request.pk])).content.decode()
    assert "Cabut persetujuan" in page and "Silakan, jaga target." in page
    assert page.count("<tr><td>") >= 3  # draft, submitted, approved


@pytest.mark.parametrize("decision", ["request_reject", "request_return"])
def test_reject_and_return_need_a_reason_shown_on_the_field(client, world, decision):
    request = submitted(world.e1, W48[0])
    login(client, world.head.user)
    response = client.post(reverse(page(decision), args=[request.pk]), {"reason": "   "})
    assert response.status_code == 422
    html = response.content.decode()
    assert "Alasan wajib diisi." in html and 'aria-invalid="true"' in html
    request.refresh_from_db()
    assert request.state == RequestState.SUBMITTED


def test_approval_refused_by_the_policy_shows_the_findings(client, world):
    world.agency.policy = {"min_office_share": {"U": 0.5}}  # U: H, E1, E2 -> 2 at the office
    world.agency.save(update_fields=["policy"])
    first = submitted(world.e1, W48[0])
    second = submitted(world.e2, W48[0])
    request_decisions.request_approve(actor=fresh(world.head.user), request_id=first.pk)
    login(client, world.head.user)
    response = client.post(reverse("requests:request_approve", args=[second.pk]), follow=True)
    html = response.content.decode()
    assert "tidak dapat disetujui" in html and "COVERAGE_BELOW_MINIMUM" in html
    second.refresh_from_db()
    assert second.state == RequestState.SUBMITTED


def test_cancel_by_the_employee(client, world):
    request = submitted(world.e1, W48[0])
    login(client, world.e1.user)
    response = client.post(reverse("requests:request_cancel", args=[request.pk]), {"reason": "Rencana berubah."})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.state == RequestState.CANCELLED
    page = client.get(reverse("requests:request_detail", args=[request.pk]), follow=True).content.decode()
    assert "Rencana berubah." in page and "dibatalkan" in page.lower()


def test_cancel_twice_shows_the_service_message(client, world):
    request = submitted(world.e1, W48[0])
    login(client, world.e1.user)
    client.post(reverse("requests:request_cancel", args=[request.pk]))
    response = client.post(reverse("requests:request_cancel", args=[request.pk]), follow=True)
    assert "tidak dapat dibatalkan" in response.content.decode()


# ---- evidence ------------------------------------------------------------------------------


def test_special_circumstances_with_evidence_upload_and_checked_download(client, world):
    login(client, world.e1.user)
    data = form_data(W48[0], W48[1], W48[2], is_special="on", special_description="Pemulihan pascaoperasi.", action="submit")
    data["evidence"] = [SimpleUploadedFile("surat-dokter.png", PNG, content_type="image/png")]
    response = client.post(reverse("requests:request_new"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    request = FlexRequest.objects.get(employee=world.e1)
    assert request.state == RequestState.SUBMITTED  # the cap does not apply in keadaan khusus
    evidence = Evidence.objects.get(request=request)
    assert evidence.original_name == "surat-dokter.png"
    detail = client.get(reverse("requests:request_detail", args=[request.pk])).content.decode()
    assert reverse("requests:evidence_open", args=[evidence.pk]) in detail
    download = client.get(reverse("requests:evidence_open", args=[evidence.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "image/png"
    assert download["X-Content-Type-Options"] == "nosniff"
    # a download, never shown inline in the site's origin (ASVS V12.5.2, docs/security.md)
    assert download["Content-Disposition"].startswith("attachment;"), download["Content-Disposition"]
    assert 'filename="surat-dokter.png"' in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == PNG


def test_evidence_of_another_type_is_refused_on_the_field(client, world):
    login(client, world.e1.user)
    data = form_data(W48[0], is_special="on", special_description="Sakit.")
    data["evidence"] = [SimpleUploadedFile("catatan.exe", b"MZ\x90\x00", content_type="application/octet-stream")]
    response = client.post(reverse("requests:request_new"), data)
    assert response.status_code == 422
    assert "bukan PDF, JPEG atau PNG" in response.content.decode()
    assert FlexRequest.objects.count() == 0


def test_special_without_evidence_cannot_be_submitted(client, world):
    login(client, world.e1.user)
    data = form_data(W48[0], is_special="on", special_description="Merawat orang tua.", action="submit")
    response = client.post(reverse("requests:request_new"), data, follow=True)
    assert response.redirect_chain[-1][0].endswith("/ubah/")  # issue 7: post/redirect/get
    assert "REQUEST_REASON_MISSING" in response.content.decode()


# ---- list query counts --------------------------------------------------------------------


def test_my_requests_runs_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    user = fresh(world.e1.user)
    login(client, world.e1.user)
    request_services.request_create(actor=user, data=request_data(W48[0]))
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("requests:my_requests"))
    for day in (W48[1], W48[2], W48[3], W48[4], W49[0], W49[1], W49[2]):
        request_services.request_create(actor=user, data=request_data(day))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("requests:my_requests"))
    assert response.content.decode().count("state-draft") == 8
