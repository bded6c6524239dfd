"""What an evidence file really is, by its content (never by its name or the browser's word),
and whether that agrees with its extension. Pure functions over the first bytes and, for the
Office Open XML formats, the names inside the ZIP."""

from __future__ import annotations

import zipfile
from typing import BinaryIO

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
