"""The bounds of an uploaded spreadsheet, from the settings, for the policy core's readers.

Every upload (the employee import, a unit's plan) is bounded before it is parsed: file size,
unzipped size and ratio, columns (Excel's limit) and rows (``FLEKSI_UPLOAD_MAX_ROWS``).
"""

from __future__ import annotations

from dataclasses import replace

from django.conf import settings

from fleksi.policy.formats.table import Limits


def upload_limits() -> Limits:
    base = Limits()
    return replace(
        base,
        max_file_bytes=int(getattr(settings, "FLEKSI_IMPORT_MAX_BYTES", base.max_file_bytes)),
        max_rows=int(getattr(settings, "FLEKSI_UPLOAD_MAX_ROWS", base.max_rows)),
    )
