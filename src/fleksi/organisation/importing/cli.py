"""The command line: ``fleksi import employees FILE [--agency KODE] [--dry-run] [--lang id|en]``."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import transaction

from fleksi.core.errors import ApplicationError, ErrorCode

from ..models import Agency
from .report import ImportInvalid, ImportReport, position_change_text
from .service import employees_import

_CLI_TEXT = {
    "id": {
        "missing": "Berkas tidak ditemukan: {path}",
        "unreadable": "Berkas tidak dapat dibaca: {path} ({error})",
        "bad_code": "Kode instansi '{code}' tidak sah: gunakan huruf, angka, '-' atau '_'",
        "created": "Instansi '{code}' belum ada; dibuat dengan nama '{code}'.",
        "would_create": "Instansi '{code}' belum ada; akan dibuat dengan nama '{code}'.",
        "no_agency": "Belum ada instansi: sebutkan --agency KODE untuk membuatnya.",
        "many": "Ada {n} instansi; sebutkan --agency KODE (salah satu dari: {codes}).",
        "agency": "Instansi: {name} ({code})",
        "warning": "peringatan",
        "invalid": "Berkas tidak diimpor: {n} masalah. Tidak ada data yang diubah.",
        "dry": "Uji coba (--dry-run): tidak ada yang disimpan.",
        "done": "Impor selesai dalam {s:.1f} detik.",
        "nothing": "Tidak ada perubahan: data sudah sama dengan berkas.",
        "denied": "Ditolak: {message}",
        "absent": "Kolom yang tidak ada di berkas (nilai tersimpan tidak diubah): {columns}",
    },
    "en": {
        "missing": "File not found: {path}",
        "unreadable": "The file cannot be read: {path} ({error})",
        "bad_code": "Invalid agency code '{code}': use letters, digits, '-' or '_'",
        "created": "Agency '{code}' did not exist; created with the name '{code}'.",
        "would_create": "Agency '{code}' does not exist; it would be created with the name '{code}'.",
        "no_agency": "There is no agency yet: pass --agency CODE to create one.",
        "many": "There are {n} agencies; pass --agency CODE (one of: {codes}).",
        "agency": "Agency: {name} ({code})",
        "warning": "warning",
        "invalid": "The file was not imported: {n} problems. Nothing was changed.",
        "dry": "Dry run (--dry-run): nothing was saved.",
        "done": "Import finished in {s:.1f} s.",
        "nothing": "No changes: the data already matches the file.",
        "denied": "Denied: {message}",
        "absent": "Columns absent from the file (stored values are kept): {columns}",
    },
}


class _DryRunRollback(Exception):
    """Rolls back a dry run that had to create the agency to look at it."""


def employees_import_cli(*, path: str, agency_code: str | None, dry_run: bool, lang: str) -> int:
    """``fleksi import employees``: 0 when imported (or checked, with ``--dry-run``), 2 when the
    input is invalid (every problem on stderr as ``FILE:LINE: COLUMN: message``)."""
    text = _CLI_TEXT["en" if lang == "en" else "id"]
    out, err = sys.stdout, sys.stderr

    def say(message: str) -> None:
        print(message, file=out, flush=True)

    file = Path(path)
    if not file.is_file():
        print(text["missing"].format(path=path), file=err)
        return 2
    try:
        data = file.read_bytes()
    except OSError as exc:
        print(text["unreadable"].format(path=path, error=exc.strerror or exc), file=err)
        return 2

    create_code: str | None = None
    agency: Agency | None
    if agency_code:
        try:
            validate_slug(agency_code)
        except ValidationError:
            print(text["bad_code"].format(code=agency_code), file=err)
            return 2
        agency = Agency.objects.filter(code=agency_code).first()
        if agency is None:
            create_code = agency_code
    else:
        agencies = list(Agency.objects.order_by("code")[:21])
        if not agencies:
            print(text["no_agency"], file=err)
            return 2
        if len(agencies) > 1:
            codes = ", ".join(a.code for a in agencies[:20]) + (", …" if len(agencies) > 20 else "")
            print(text["many"].format(n=Agency.objects.count(), codes=codes), file=err)
            return 2
        agency = agencies[0]

    report: ImportReport | None = None
    try:
        with transaction.atomic():
            if agency is None:
                assert create_code is not None
                agency = Agency.objects.create(code=create_code, name=create_code)
                say(text["would_create" if dry_run else "created"].format(code=create_code))
            say(text["agency"].format(name=agency.name, code=agency.code))
            report = employees_import(
                actor=None,
                agency=agency,
                data=data,
                filename=path,
                dry_run=dry_run,
                progress=say,
                lang=lang,
            )
            if dry_run and create_code is not None:
                raise _DryRunRollback
    except _DryRunRollback:
        pass
    except ImportInvalid as exc:
        for warning in exc.warnings:
            print(f"{warning.format(lang)} ({text['warning']})", file=err)
        for problem in exc.problems:
            print(problem.format(lang), file=err)
        print(text["invalid"].format(n=len(exc.problems)), file=err)
        return 2
    except ApplicationError as exc:
        print(text["denied"].format(message=exc.message), file=err)
        return 2 if exc.code != ErrorCode.CONFLICT else 1

    assert report is not None
    for warning in report.warnings:
        print(f"{warning.format(lang)} ({text['warning']})", file=err)
    say(report.summary(lang))
    if report.absent_columns:
        say(text["absent"].format(columns=", ".join(report.absent_columns)))
    for position in report.position_changes:
        if position.action == "updated":
            say(f"  ~ {position_change_text(position, lang)}")
    if dry_run:
        for change in report.changes[:50]:
            details = "; ".join(f"{c.field}: {c.old} → {c.new}" for c in change.changes)
            marker = "+" if change.action == "created" else "~"
            say(f"  {marker} {change.nip} {change.name}: {details}")
        if report.changes_total > 50:
            say(f"  … (+{report.changes_total - 50})")
        say(text["dry"])
    elif report.writes == 0:
        say(text["nothing"])
    else:
        say(text["done"].format(s=report.seconds))
    return 0
