"""The one content check of uploaded evidence (fleksi.core.files.check_upload), shared by a
request's evidence (PDF/JPEG/PNG, stored under the kind's extension) and a daily log's
(every known kind, the name's extension must agree)."""

from __future__ import annotations

import hashlib
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from fleksi.core import files
from fleksi.core.files import UploadRefused, check_upload

PDF = b"%PDF-1.4\n\x00binary\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def reason(**kwargs) -> str:
    with pytest.raises(UploadRefused) as refused:
        check_upload(**kwargs)
    return refused.value.reason


def test_a_request_kind_is_stored_under_the_kinds_extension_with_its_digest():
    f = upload("foto.jpeg", JPEG)
    checked = check_upload(f, max_bytes=1024, kinds=(files.PDF, files.JPEG, files.PNG))
    assert (checked.content_type, checked.extension, checked.size) == ("image/jpeg", ".jpg", len(JPEG))
    assert checked.sha256 == hashlib.sha256(JPEG).hexdigest()
    assert f.tell() == 0  # left at the start for storing


def test_a_kind_outside_the_accepted_ones_is_refused_by_content():
    assert reason(upload=upload("laporan.docx", docx()), max_bytes=10**6, kinds=(files.PDF,)) == UploadRefused.CONTENT
    assert reason(upload=upload("bukti.pdf", b"hello"), max_bytes=1024, kinds=(files.PDF,)) == UploadRefused.CONTENT


def test_with_agreement_the_names_extension_is_kept_and_must_match_the_content():
    checked = check_upload(upload("laporan.docx", docx()), max_bytes=10**6, extension_must_agree=True)
    assert checked.extension == ".docx" and checked.content_type == files.DOCX[0]
    assert reason(upload=upload("laporan.pdf", docx()), max_bytes=10**6, extension_must_agree=True) == UploadRefused.CONTENT
    assert reason(upload=upload("skrip.exe", PDF), max_bytes=1024, extension_must_agree=True) == UploadRefused.EXTENSION
    named = check_upload(upload("x.bin", PDF), max_bytes=1024, extension_must_agree=True, name="bukti.pdf")
    assert named.extension == ".pdf"


def test_the_size_is_checked_first_then_emptiness():
    assert reason(upload=upload("skrip.exe", b"x" * 11), max_bytes=10, extension_must_agree=True) == UploadRefused.TOO_BIG
    assert reason(upload=upload("skrip.exe", b""), max_bytes=10, extension_must_agree=True) == UploadRefused.EMPTY


def test_a_file_larger_than_it_says_is_refused_while_read():
    f = upload("bukti.pdf", PDF + b"x" * 100)
    f.size = 10  # the declared size lies
    assert reason(upload=f, max_bytes=50, kinds=(files.PDF,)) == UploadRefused.TOO_BIG
