"""Evidence files: checked by content against the extension, size-limited, stored outside
the web root with a random name, served as an attachment to who may see the entry only.
A refused file stores nothing (no row, no file)."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from fleksi.performance.models import LogEvidence

from .conftest import bearer, log_body

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def entry_id(client, world) -> int:
    response = client.post("/api/v1/performance/logs", data=json.dumps(log_body()), content_type="application/json", **bearer(world.e1.user))
    return int(response.json()["id"])


def upload(client, user, entry, name, content):
    return client.post(
        f"/api/v1/performance/logs/{entry}/evidence",
        {"file": SimpleUploadedFile(name, content, content_type="application/pdf")},
        **bearer(user),
    )


def stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.parametrize(("name", "content"), [("bukti.pdf", PDF), ("foto.png", PNG), ("laporan.docx", docx())])
def test_accepted_files_are_stored_privately_and_served_as_attachment(client, world, settings, name, content):
    entry = entry_id(client, world)
    response = upload(client, world.e1.user, entry, name, content)
    assert response.status_code == 201, response.content
    evidence = response.json()["evidence"][0]
    assert evidence["name"] == name
    stored = stored_files(settings)
    assert len(stored) == 1 and stored[0].name != name and str(stored[0]).startswith(str(settings.MEDIA_ROOT))
    client.force_login(world.head_root.user)
    download = client.get(evidence["url"])
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == content


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("bukti.pdf", b"<html><script>alert(1)</script></html>"),  # not a PDF
        ("foto.png", PDF),  # a PDF named .png
        ("laporan.docx", b"PK\x03\x04not really a zip"),
        ("laporan.xlsx", docx()),  # a Word file named .xlsx
        ("skrip.html", b"<html></html>"),
        ("kosong.pdf", b""),
        ("program.exe", b"MZ\x90\x00"),
    ],
)
def test_hostile_files_are_refused_and_nothing_is_stored(client, world, settings, name, content):
    entry = entry_id(client, world)
    response = upload(client, world.e1.user, entry, name, content)
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error" and response.json()["message"]
    assert not LogEvidence.objects.exists()
    assert stored_files(settings) == []


def test_a_file_over_the_limit_is_refused(client, world, settings):
    settings.FLEKSI_PERFORMANCE_EVIDENCE_MAX_BYTES = 1024 * 1024
    entry = entry_id(client, world)
    response = upload(client, world.e1.user, entry, "besar.pdf", PDF + b"0" * (1024 * 1024))
    assert response.status_code == 422 and "MB" in response.json()["message"]
    assert not LogEvidence.objects.exists() and stored_files(settings) == []


def test_only_the_author_uploads_and_only_who_may_see_downloads(client, world, settings):
    entry = entry_id(client, world)
    assert upload(client, world.e2.user, entry, "bukti.pdf", PDF).status_code == 404
    assert upload(client, world.head_child.user, entry, "bukti.pdf", PDF).status_code == 403
    assert not LogEvidence.objects.exists()
    url = upload(client, world.e1.user, entry, "bukti.pdf", PDF).json()["evidence"][0]["url"]
    for user, status in ((world.e2.user, 404), (world.other.user, 404), (world.hr, 200), (world.head_child.user, 200), (world.e1.user, 200)):
        client.force_login(user)
        assert client.get(url).status_code == status, user
