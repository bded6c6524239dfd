"""HR's presensi page: the office geofence form (no map) and leave days, one by one or from
CSV with errors per row and nothing changed on a bad file; others get 404."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from fleksi.attendance.models import LeaveDay
from fleksi.audit.models import AuditEvent
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
PAGE = "/presensi/sdm/"


def login(client, user) -> None:
    client.logout()
    assert client.login(username=user.username, password=PASSWORD)


def test_hr_sets_the_office_geofence(client, world, django_assert_max_num_queries):
    login(client, world.hr)
    with django_assert_max_num_queries(12):
        page = client.get(PAGE)
    assert page.status_code == 200 and "Kantor Pusat" in page.content.decode()
    p = f"kantor{world.office.pk}"
    r = client.post(f"/presensi/sdm/kantor/{world.office.pk}/", {f"{p}-latitude": "-6,175392", f"{p}-longitude": "106.827153", f"{p}-radius_m": "200"})
    assert r.status_code == 302
    world.office.refresh_from_db()
    assert world.office.latitude == Decimal("-6.175392") and world.office.radius_m == 200
    assert AuditEvent.objects.filter(action="agency.office_geofence").exists()
    bad = client.post(f"/presensi/sdm/kantor/{world.office.pk}/", {f"{p}-latitude": "-96", f"{p}-longitude": "106", f"{p}-radius_m": "200"})
    assert bad.status_code == 422 and "Di luar rentang" in bad.content.decode()
    half = client.post(f"/presensi/sdm/kantor/{world.office.pk}/", {f"{p}-latitude": "-6.1", f"{p}-radius_m": "200"})
    assert half.status_code == 422 and "bersama-sama" in half.content.decode()
    world.office.refresh_from_db()
    assert world.office.latitude == Decimal("-6.175392")


def test_others_get_404(client, world):
    login(client, world.e1.user)
    assert client.get(PAGE).status_code == 404
    assert client.post(f"/presensi/sdm/kantor/{world.office.pk}/", {}).status_code == 404
    login(client, world.head_root.user)
    assert client.get(PAGE).status_code == 404


def test_hr_of_another_agency_cannot_touch_this_office(client, world):
    from tests.factories import make_agency_role

    stranger = make_agency_role(world.other.agency)
    login(client, stranger)
    p = f"kantor{world.office.pk}"
    r = client.post(f"/presensi/sdm/kantor/{world.office.pk}/", {f"{p}-latitude": "-6", f"{p}-longitude": "106", f"{p}-radius_m": "100"})
    assert r.status_code == 404
    r = client.get(f"{PAGE}?instansi={world.root.agency_id}")
    assert r.status_code == 200 and "Kantor Pusat" not in r.content.decode()


def test_hr_enters_one_leave(client, world):
    login(client, world.hr)
    r = client.post("/presensi/sdm/cuti/", {"cuti-nip": world.e1.nip, "cuti-mulai": "2026-12-07", "cuti-sampai": "2026-12-09", "cuti-jenis": "cuti tahunan"})
    assert r.status_code == 302 and LeaveDay.objects.get().employee == world.e1
    bad = client.post("/presensi/sdm/cuti/", {"cuti-nip": world.other.nip, "cuti-mulai": "2026-12-07", "cuti-sampai": "2026-12-09", "cuti-jenis": "x"})
    assert bad.status_code == 422 and "tidak dikenal di instansi ini" in bad.content.decode()
    assert world.e1.name in client.get(PAGE).content.decode()


def upload(client, text: str):
    f = SimpleUploadedFile("cuti.csv", text.encode("utf-8"), content_type="text/csv")
    return client.post("/presensi/sdm/cuti/impor/", {"impor-file": f})


def test_csv_import_all_or_nothing_with_errors_per_row(client, world):
    login(client, world.hr)
    bad = upload(client, f"nip,mulai,sampai,jenis\n{world.e1.nip},2026-12-07,2026-12-08,cuti tahunan\n"
                         f"{world.other.nip},2026-12-07,2026-12-08,cuti\n{world.e2.nip},07/12/2026,2026-12-08,cuti\n")
    html = bad.content.decode()
    assert bad.status_code == 422 and "Baris 3" in html and "Baris 4" in html
    assert not LeaveDay.objects.exists()
    header = upload(client, "nip;tanggal\n1;2\n")
    assert header.status_code == 422 and "Kepala kolom harus" in header.content.decode()
    ok = upload(client, f"\ufeffnip,mulai,sampai,jenis\n{world.e1.nip},2026-12-07,2026-12-08,cuti tahunan\n"
                        f"{world.e2.nip},2026-12-10,2026-12-10,cuti sakit\n")
    assert ok.status_code == 302 and LeaveDay.objects.count() == 2
    again = upload(client, f"nip,mulai,sampai,jenis\n{world.e1.nip},2026-12-07,2026-12-08,cuti tahunan\n")
    assert again.status_code == 302 and LeaveDay.objects.count() == 2
