"""The import page: upload, preview (a dry run), confirm; problems; who may use it."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fleksi.audit.models import AuditEvent
from fleksi.organisation.models import Employee, OrgUnit
from fleksi.organisation.views_import import SESSION_KEY
from tests.factories import (
    PASSWORD,
    AgencyFactory,
    EmployeeFactory,
    UnitFactory,
    UserFactory,
    make_agency_role,
    make_head,
)

from .test_import_support import csv_bytes, db_state, nip, small_org, xlsx_bytes

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
    client.user = user
    return client


def upload(client, data: bytes, name: str = "pegawai.csv", **extra):
    return client.post(URL, {"action": "preview", "file": SimpleUploadedFile(name, data), **extra})


def pending_files(media) -> list:
    folder = media / "imports"
    return sorted(folder.glob("*.upload")) if folder.exists() else []


def test_upload_page_renders_for_hr_admin(hr_client, agency) -> None:
    response = hr_client.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'type="file"' in body and agency.name in body
    assert 'name="agency"' in body and 'type="hidden"' in body  # only one agency: no choice


def test_preview_then_confirm(hr_client, agency, media) -> None:
    before = db_state()
    response = upload(hr_client, csv_bytes(small_org()), agency=agency.pk)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Pratinjau impor" in body and "Citra Lestari" in body and nip(2) in body
    assert 'id="import-counts"' in body
    assert db_state() == before  # a preview saves nothing
    pending = hr_client.session[SESSION_KEY]
    files = pending_files(media)
    assert len(files) == 1 and files[0].name == f"{pending['token']}.upload"
    assert files[0].stat().st_mode & 0o777 == 0o600

    response = hr_client.post(URL, {"action": "confirm", "token": pending["token"]}, follow=True)
    assert response.status_code == 200
    assert Employee.objects.filter(agency=agency).count() == 8
    assert OrgUnit.objects.filter(agency=agency).count() == 3
    body = response.content.decode()
    assert "8 pegawai baru" in body and "pegawai.csv" in body
    assert pending_files(media) == [] and SESSION_KEY not in hr_client.session
    assert AuditEvent.objects.get().actor == hr_client.user

    # Confirming twice does nothing more.
    response = hr_client.post(URL, {"action": "confirm", "token": pending["token"]}, follow=True)
    assert "kedaluwarsa" in response.content.decode()
    assert AuditEvent.objects.count() == 1


def test_preview_of_xlsx(hr_client, agency) -> None:
    response = upload(hr_client, xlsx_bytes(small_org()), name="pegawai.xlsx", agency=agency.pk)
    assert response.status_code == 200 and "Citra Lestari" in response.content.decode()


def test_preview_without_changes_offers_nothing_to_confirm(hr_client, agency, media) -> None:
    data = csv_bytes(small_org())
    upload(hr_client, data, agency=agency.pk)
    hr_client.post(URL, {"action": "confirm", "token": hr_client.session[SESSION_KEY]["token"]})
    response = upload(hr_client, data, agency=agency.pk)
    body = response.content.decode()
    assert "Tidak ada perubahan" in body and 'value="confirm"' not in body
    assert pending_files(media) == []


def test_preview_lists_updates(hr_client, agency) -> None:
    upload(hr_client, csv_bytes(small_org()), agency=agency.pk)
    hr_client.post(URL, {"action": "confirm", "token": hr_client.session[SESSION_KEY]["token"]})
    rows = small_org()
    rows[2]["nama"] = "Citra Lestari Dewi"
    body = upload(hr_client, csv_bytes(rows), agency=agency.pk).content.decode()
    assert "Citra Lestari Dewi" in body and "Citra Lestari →" in body


def test_invalid_file_shows_every_problem_and_changes_nothing(hr_client, agency, media) -> None:
    rows = small_org()
    rows[3]["nip"] = "12345"
    rows[5]["atasan_nip"] = nip(999)
    before = db_state()
    response = upload(hr_client, csv_bytes(rows), agency=agency.pk)
    assert response.status_code == 422
    body = response.content.decode()
    assert 'id="import-problems"' in body
    assert "<td>5</td><td><code>nip</code></td>" in body
    assert "<td>7</td><td><code>atasan_nip</code></td>" in body
    assert "18 digit" in body
    assert db_state() == before and pending_files(media) == []
    assert SESSION_KEY not in hr_client.session


def test_cancel_discards_the_upload(hr_client, agency, media) -> None:
    upload(hr_client, csv_bytes(small_org()), agency=agency.pk)
    token = hr_client.session[SESSION_KEY]["token"]
    response = hr_client.post(URL, {"action": "cancel", "token": token}, follow=True)
    assert "dibatalkan" in response.content.decode()
    assert pending_files(media) == [] and Employee.objects.count() == 0


def test_confirm_with_a_wrong_token_or_a_tampered_file_saves_nothing(
    hr_client, agency, media
) -> None:
    upload(hr_client, csv_bytes(small_org()), agency=agency.pk)
    token = hr_client.session[SESSION_KEY]["token"]
    response = hr_client.post(URL, {"action": "confirm", "token": "x" * 43}, follow=True)
    assert "kedaluwarsa" in response.content.decode() and Employee.objects.count() == 0

    upload(hr_client, csv_bytes(small_org()), agency=agency.pk)
    token = hr_client.session[SESSION_KEY]["token"]
    (media / "imports" / f"{token}.upload").write_bytes(csv_bytes(small_org()[:2]))
    response = hr_client.post(URL, {"action": "confirm", "token": token}, follow=True)
    assert "kedaluwarsa" in response.content.decode() and Employee.objects.count() == 0
    assert pending_files(media) == []


def test_another_users_token_cannot_be_confirmed(client, hr_client, agency, media) -> None:
    upload(hr_client, csv_bytes(small_org()), agency=agency.pk)
    token = hr_client.session[SESSION_KEY]["token"]
    from django.test import Client

    other = Client()
    colleague = make_agency_role(agency)
    assert other.login(username=colleague.username, password=PASSWORD)
    other.post(URL, {"action": "confirm", "token": token})
    assert Employee.objects.count() == 0 and len(pending_files(media)) == 1


def test_confirm_revalidates_against_current_data(hr_client, agency, media) -> None:
    rows = small_org()
    EmployeeFactory(unit=UnitFactory(agency=agency, code="X"), nip=nip(50))
    rows[2]["atasan_nip"] = nip(50)  # a supervisor already in the agency
    upload(hr_client, csv_bytes(rows), agency=agency.pk)
    token = hr_client.session[SESSION_KEY]["token"]
    Employee.objects.filter(nip=nip(50)).delete()  # gone before the confirm
    response = hr_client.post(URL, {"action": "confirm", "token": token})
    assert response.status_code == 422
    assert "<td>4</td><td><code>atasan_nip</code></td>" in response.content.decode()
    assert Employee.objects.filter(agency=agency).count() == 0
    assert pending_files(media) == []


def test_file_too_large_or_of_the_wrong_type(hr_client, agency, settings) -> None:
    settings.FLEKSI_IMPORT_MAX_BYTES = 100
    response = upload(hr_client, csv_bytes(small_org()), agency=agency.pk)
    assert response.status_code == 400 and "terlalu besar" in response.content.decode()
    settings.FLEKSI_IMPORT_MAX_BYTES = 10_000_000
    response = upload(hr_client, b"hello", name="pegawai.pdf", agency=agency.pk)
    assert response.status_code == 400 and "tidak didukung" in response.content.decode()
    assert Employee.objects.count() == 0


def test_admin_of_several_agencies_picks_one(client) -> None:
    first, second = AgencyFactory(name="Instansi Satu"), AgencyFactory(name="Instansi Dua")
    user = make_agency_role(first)
    from fleksi.organisation.models import AgencyRole

    AgencyRole.objects.create(user=user, agency=second, role="hr_admin")
    assert client.login(username=user.username, password=PASSWORD)
    body = client.get(URL).content.decode()
    assert "<select" in body and "Instansi Satu" in body and "Instansi Dua" in body
    upload(client, csv_bytes(small_org()), agency=second.pk)
    client.post(URL, {"action": "confirm", "token": client.session[SESSION_KEY]["token"]})
    assert Employee.objects.filter(agency=second).count() == 8
    assert Employee.objects.filter(agency=first).count() == 0


def test_hr_admin_cannot_pick_another_agency(hr_client) -> None:
    other = AgencyFactory()
    response = upload(hr_client, csv_bytes(small_org()), agency=other.pk)
    assert response.status_code == 404
    assert Employee.objects.count() == 0


def test_system_admin_may_import_into_any_agency(client, agency) -> None:
    admin = UserFactory(is_superuser=True, is_staff=True)
    assert client.login(username=admin.username, password=PASSWORD)
    assert client.get(URL).status_code == 200
    upload(client, csv_bytes(small_org()), agency=agency.pk)
    client.post(URL, {"action": "confirm", "token": client.session[SESSION_KEY]["token"]})
    assert Employee.objects.filter(agency=agency).count() == 8


@pytest.mark.parametrize("who", ["employee", "head", "other_hr", "plain"])
def test_non_admins_get_404(client, agency, who) -> None:
    unit = UnitFactory(agency=agency)
    user = {
        "employee": lambda: EmployeeFactory(unit=unit).user,
        "head": lambda: make_head(unit).user,
        "other_hr": lambda: make_agency_role(AgencyFactory()),
        "plain": lambda: UserFactory(),
    }[who]()
    assert client.login(username=user.username, password=PASSWORD)
    if who == "other_hr":
        # An admin of another agency has the page for their own agency only.
        assert upload(client, csv_bytes(small_org()), agency=agency.pk).status_code == 404
        assert agency.name not in client.get(URL).content.decode()
    else:
        assert client.get(URL).status_code == 404
        assert upload(client, csv_bytes(small_org()), agency=agency.pk).status_code == 404
        assert client.post(URL, {"action": "confirm", "token": "x" * 43}).status_code == 404
    assert Employee.objects.filter(agency=agency).count() == (
        1 if who in ("employee", "head") else 0
    )
