"""Evidence of keadaan khusus: type by magic bytes, 5 MB, random names, scoped reads."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from fleksi.audit.models import AuditEvent
from fleksi.core.errors import ApplicationError, ErrorCode
from fleksi.requests import evidence as request_evidence
from fleksi.requests import services as request_services
from fleksi.requests.models import Evidence, FlexRequest
from tests.factories import UserFactory
from tests.workflow.helpers import W48, counts, fresh, request_data

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private"
    return settings.MEDIA_ROOT


@pytest.fixture
def special(world):
    return request_services.request_create(
        actor=fresh(world.e1.user), data=request_data(W48[0], is_special=True, special_description="Merawat anak sakit")
    )


@pytest.mark.parametrize(("name", "content", "content_type"), [
    ("surat dokter.pdf", PDF, "application/pdf"),
    ("foto.PNG", PNG, "image/png"),
    ("scan.jpeg", JPEG, "image/jpeg"),
    ("tanpa-ekstensi", PDF, "application/pdf"),
])
def test_accepted_types_by_content(world, special, media, name, content, content_type):
    evidence = request_evidence.evidence_add(actor=fresh(world.e1.user), request_id=special.pk,
                                     upload=SimpleUploadedFile(name, content, content_type="text/plain"))
    assert evidence.content_type == content_type and evidence.size == len(content)
    assert evidence.original_name == name
    stored = Path(evidence.file.path)
    assert stored.is_file() and str(stored).startswith(str(media))
    assert name not in stored.name and len(stored.stem) == 32  # random name
    request = FlexRequest.objects.get(pk=special.pk)
    assert "REQUEST_REASON_MISSING" not in {f["code"] for f in request.findings}
    assert request.transitions.filter(note__startswith="Bukti ditambahkan").exists()


@pytest.mark.parametrize(("name", "content"), [
    ("surat.pdf", b"<html><script>alert(1)</script></html>"),
    ("surat.pdf", b"Ini hanya teks biasa, bukan PDF."),
    ("gambar.png", b"GIF89a......"),
    ("kosong.pdf", b""),
])
def test_disguised_or_empty_files_are_refused(world, special, media, name, content):
    before = counts()
    with pytest.raises(ApplicationError) as error:
        request_evidence.evidence_add(actor=fresh(world.e1.user), request_id=special.pk,
                              upload=SimpleUploadedFile(name, content, content_type="application/pdf"))
    assert error.value.code == ErrorCode.VALIDATION and "file" in error.value.details["fields"]
    assert counts() == before
    assert not any(Path(media).rglob("*.*")) if Path(media).exists() else True


def test_oversized_file_is_refused(world, special):
    before = counts()
    big = SimpleUploadedFile("besar.pdf", PDF + b"0" * (5 * 1024 * 1024), content_type="application/pdf")
    with pytest.raises(ApplicationError) as error:
        request_evidence.evidence_add(actor=fresh(world.e1.user), request_id=special.pk, upload=big)
    assert "5 MB" in error.value.message
    assert counts() == before


def test_only_own_editable_request_takes_evidence(world, special):
    request_evidence.evidence_add(actor=fresh(world.e1.user), request_id=special.pk, upload=SimpleUploadedFile("a.pdf", PDF))
    request_services.request_submit(actor=fresh(world.e1.user), request_id=special.pk)
    with pytest.raises(ApplicationError) as error:
        request_evidence.evidence_add(actor=fresh(world.e1.user), request_id=special.pk, upload=SimpleUploadedFile("b.pdf", PDF))
    assert error.value.code == ErrorCode.INVALID_STATE
    with pytest.raises(ApplicationError) as error:
        request_evidence.evidence_add(actor=fresh(world.head.user), request_id=special.pk, upload=SimpleUploadedFile("b.pdf", PDF))
    assert error.value.code == ErrorCode.PERMISSION_DENIED


def test_evidence_is_read_by_employee_approvers_and_hr_only(world, special):
    evidence = request_evidence.evidence_add(actor=fresh(world.e1.user), request_id=special.pk, upload=SimpleUploadedFile("a.pdf", PDF))
    # While a draft, only the employee.
    for actor in (world.head.user, world.hr):
        with pytest.raises(ApplicationError) as error:
            request_evidence.evidence_open(actor=fresh(actor), evidence_id=evidence.pk)
        assert error.value.code == ErrorCode.NOT_FOUND
    request_services.request_submit(actor=fresh(world.e1.user), request_id=special.pk)
    for actor in (world.e1.user, world.head.user, world.head_root.user, world.hr, world.ppk):
        found, handle = request_evidence.evidence_open(actor=fresh(actor), evidence_id=evidence.pk)
        with handle:
            assert handle.read() == PDF
        assert found.pk == evidence.pk
    outsiders = (world.e2.user, world.head_sibling.user, world.head_sub.user, world.foreign_head.user,
                 world.foreign_hr, UserFactory(is_national_monitor=True))
    for actor in outsiders:
        with pytest.raises(ApplicationError) as error:
            request_evidence.evidence_open(actor=fresh(actor), evidence_id=evidence.pk)
        assert error.value.code == ErrorCode.NOT_FOUND
    assert AuditEvent.objects.filter(action="flex_request.evidence_open").count() == 5
    assert Evidence.objects.count() == 1


def test_api_evidence_upload_owner_only_and_checked_by_content(client, world, special):
    from tests.requests.test_api import bearer

    url = f"/api/v1/requests/{special.pk}/evidence"
    response = client.post(url, {"file": SimpleUploadedFile("surat.pdf", PDF)}, **bearer(world.e1.user))
    assert response.status_code == 200, response.content
    assert [e["original_name"] for e in response.json()["evidence"]] == ["surat.pdf"]
    disguised = client.post(url, {"file": SimpleUploadedFile("surat.pdf", b"<html>bukan pdf</html>")}, **bearer(world.e1.user))
    assert disguised.status_code == 422 and disguised.json()["code"] == "validation_error"
    other = client.post(url, {"file": SimpleUploadedFile("x.pdf", PDF)}, **bearer(world.e2.user))
    assert other.status_code == 404
    assert client.post(url, {"file": SimpleUploadedFile("x.pdf", PDF)}).status_code == 401
    assert Evidence.objects.filter(request=special).count() == 1
