"""Progress lines of an import, in the caller's language (the CLI prints them)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Progress = Callable[[str], None]

_PROGRESS_TEXT = {
    "id": {
        "read": "Membaca berkas {file}…",
        "rows": "{n} baris pegawai terbaca; memeriksa terhadap basis data…",
        "units": "Menyimpan {n} unit baru…",
        "positions": "Menyimpan {n} jabatan baru…",
        "users": "Membuat {n} akun pengguna…",
        "employees": "Menyimpan pegawai baru: {done}/{total}…",
        "employees_done": "Menyimpan pegawai baru: {total}/{total}.",
        "updating": "Memperbarui {n} pegawai…",
        "tree": "Menyusun pohon unit ({n} unit)…",
    },
    "en": {
        "read": "Reading {file}…",
        "rows": "{n} employee rows read; checking against the database…",
        "units": "Saving {n} new units…",
        "positions": "Saving {n} new positions…",
        "users": "Creating {n} user accounts…",
        "employees": "Saving new employees: {done}/{total}…",
        "employees_done": "Saving new employees: {total}/{total}.",
        "updating": "Updating {n} employees…",
        "tree": "Building the unit tree ({n} units)…",
    },
}


class Say:
    """Sends progress lines, in the caller's language, to the optional callback."""

    __slots__ = ("progress", "texts")

    def __init__(self, progress: Progress | None, lang: str) -> None:
        self.progress = progress
        self.texts = _PROGRESS_TEXT["en" if lang == "en" else "id"]

    def __call__(self, key: str, **values: Any) -> None:
        if self.progress is not None:
            self.progress(self.texts[key].format(**values))
