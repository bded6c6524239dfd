"""What an evidence file really is, by its content (never by its name or the browser's word),
and whether that agrees with its extension. Pure functions over the first bytes and, for the
Office Open XML formats, the names inside the ZIP; :func:`check_upload` is the one check of
an uploaded evidence file that a request's and a daily log's evidence share (content, name,
size limit, SHA-256). Each app words its own refusals."""

from __future__ import annotations

import hashlib
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, BinaryIO

PDF = ("application/pdf", (".pdf",))
JPEG = ("image/jpeg", (".jpg", ".jpeg"))
PNG = ("image/png", (".png",))
DOCX = ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",))
XLSX = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",))
PPTX = ("application/vnd.openxmlformats-officedocument.presentationml.presentation", (".pptx",))
OLE = ("application/octet-stream", (".doc", ".xls", ".ppt"))  # legacy Office (OLE2)
ODF = {
    "application/vnd.oasis.opendocument.text": ".odt",
    "application/vnd.oasis.opendocument.spreadsheet": ".ods",
    "application/vnd.oasis.opendocument.presentation": ".odp",
}
ALLOWED_EXTENSIONS = (".pdf", ".jpg", ".jpeg", ".png", ".docx", ".xlsx", ".pptx", ".doc", ".xls", ".ppt", ".odt", ".ods", ".odp")
_OOXML_PARTS = {"word/": DOCX, "xl/": XLSX, "ppt/": PPTX}
MAX_ZIP_MEMBERS = 2000


def sniff(handle: BinaryIO) -> tuple[str, tuple[str, ...]] | None:
    """(content type, the extensions it may carry) of the file, or None when it is none of
    the accepted kinds. ``handle`` is read from the start and left at the start."""
    handle.seek(0)
    head = handle.read(16)
    handle.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return OLE
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(handle) as archive:
                names = archive.namelist()
                if len(names) > MAX_ZIP_MEMBERS:
                    return None
                if "mimetype" in names:
                    kind = archive.read("mimetype")[:100].decode("ascii", "replace").strip()
                    if kind in ODF:
                        return kind, (ODF[kind],)
                if "[Content_Types].xml" in names:
                    for prefix, found in _OOXML_PARTS.items():
                        if any(n.startswith(prefix) for n in names):
                            return found
        except (zipfile.BadZipFile, OSError, KeyError, ValueError, NotImplementedError):
            return None
        finally:
            handle.seek(0)
    return None


def extension_of(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:].lower() if dot >= 0 else ""


class UploadRefused(Exception):
    """Why :func:`check_upload` refused a file: one of the reasons below."""

    TOO_BIG = "too_big"
    EMPTY = "empty"
    EXTENSION = "extension"  # the name's extension is none of the accepted kinds'
    CONTENT = "content"  # the content is none of the accepted kinds (or not the name's)

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class CheckedUpload:
    content_type: str
    extension: str  # for the stored name: the file's own when it must agree, else the kind's
    size: int
    sha256: str


def check_upload(
    upload: Any,
    *,
    max_bytes: int,
    kinds: Iterable[tuple[str, tuple[str, ...]]] | None = None,
    extension_must_agree: bool = False,
    name: str | None = None,
) -> CheckedUpload:
    """Check an uploaded file (Django's ``UploadedFile``) before anything is stored: not
    empty, at most ``max_bytes`` (the declared size, then every byte read), one of ``kinds``
    by its content (default: every kind :func:`sniff` knows) and, with
    ``extension_must_agree``, named (``name``, default the upload's) with an extension of
    that kind. Raises
    :class:`UploadRefused` in that order; leaves the file at its start."""
    if (upload.size or 0) > max_bytes:
        raise UploadRefused(UploadRefused.TOO_BIG)
    if not upload.size:
        raise UploadRefused(UploadRefused.EMPTY)
    accepted = None if kinds is None else list(kinds)
    extension = ""
    if extension_must_agree:
        extension = extension_of(upload.name or "" if name is None else name)
        allowed = ALLOWED_EXTENSIONS if accepted is None else tuple(e for _, exts in accepted for e in exts)
        if extension not in allowed:
            raise UploadRefused(UploadRefused.EXTENSION)
    sniffed = sniff(upload.file)
    if sniffed is None or (accepted is not None and sniffed not in accepted):
        raise UploadRefused(UploadRefused.CONTENT)
    if extension_must_agree and extension not in sniffed[1]:
        raise UploadRefused(UploadRefused.CONTENT)
    digest = hashlib.sha256()
    total = 0
    upload.seek(0)
    for chunk in upload.chunks():
        total += len(chunk)
        if total > max_bytes:
            raise UploadRefused(UploadRefused.TOO_BIG)
        digest.update(chunk)
    upload.seek(0)
    return CheckedUpload(
        content_type=sniffed[0],
        extension=extension if extension_must_agree else sniffed[1][0],
        size=total,
        sha256=digest.hexdigest(),
    )
