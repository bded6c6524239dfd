"""The service: ``employees_import`` runs read -> check -> plan (-> apply) for one file.

A dry run and a real import share every check. A file with any problem is rejected whole
(``ImportInvalid``) and nothing is written; the real import runs in one transaction, with the
agency row locked, and writes one audit row. The semantics are in
docs/decisions/030-import-semantics.md and 071-import-absent-columns.md.
"""

from __future__ import annotations

import hashlib
import time
from typing import Any

from django.db import IntegrityError, transaction

from fleksi.audit.services import audit_record
from fleksi.core import clock
from fleksi.core.errors import ApplicationError, ErrorCode
from fleksi.policy.formats import EmployeesReadResult, Problem

from ..models import Agency
from ..scoping import scope_for
from .apply import apply_plan
from .check import database_problems
from .plan import Plan, make_plan
from .progress import Progress, Say
from .read import absent_columns, read_file
from .report import AUDIT_ACTION, ImportInvalid, ImportNeedsConfirmation, ImportReport
from .snapshot import Snapshot


def employees_import(
    *,
    actor: Any,
    agency: Agency,
    data: bytes,
    filename: str,
    dry_run: bool = False,
    progress: Progress | None = None,
    lang: str = "id",
    allow_changes_outside_file: bool = True,
) -> ImportReport:
    """Import ``employees.csv`` / ``.xlsx`` into ``agency``; ``actor=None`` is the system.

    Raises ``ApplicationError(PERMISSION_DENIED)`` when the actor may not manage the agency,
    ``ImportInvalid`` (code ``IMPORT_INVALID``) when the file has any problem; then nothing is
    written. A dry run checks everything and reports the changes without writing.
    With ``allow_changes_outside_file=False`` a real import that would change the assessment
    of employees who are not in the file (through their position's) raises
    ``ImportNeedsConfirmation`` and writes nothing (the web passes the user's confirmation).
    ``progress`` receives a line per stage (in ``lang``, Indonesian by default).
    """
    if actor is not None and not scope_for(actor).can_manage_agency(agency.pk):
        raise ApplicationError(
            ErrorCode.PERMISSION_DENIED, "Anda tidak berwenang mengimpor pegawai instansi ini."
        )
    say = Say(progress, lang)
    started = time.monotonic()
    report = ImportReport(
        agency_id=agency.pk,
        agency_code=agency.code,
        filename=filename,
        sha256=hashlib.sha256(data).hexdigest(),
        dry_run=dry_run,
    )
    say("read", file=filename)
    result = read_file(data, filename, today=clock.today(agency.time_zone or None))
    report.rows = len(result.rows)
    report.warnings = list(result.warnings)
    report.absent_columns = absent_columns(result)
    say("rows", n=len(result.rows))

    if dry_run:
        _check_and_plan(agency, result, filename, report)
        report.seconds = time.monotonic() - started
        return report
    try:
        with transaction.atomic():
            # One import per agency at a time (PostgreSQL row lock; SQLite locks the database).
            list(Agency.objects.select_for_update().filter(pk=agency.pk).values_list("pk"))
            plan = _check_and_plan(agency, result, filename, report)
            if report.needs_confirmation and not allow_changes_outside_file:
                raise ImportNeedsConfirmation(report)
            apply_plan(plan, agency, say)
            report.seconds = time.monotonic() - started
            audit_record(
                actor=actor,
                action=AUDIT_ACTION,
                object_type="agency",
                object_id=agency.pk,
                agency_id=agency.pk,
                data={
                    "file": filename,
                    "sha256": report.sha256,
                    **report.counts(),
                    "absent_columns": list(report.absent_columns),
                },
            )
    except IntegrityError as exc:
        raise ApplicationError(
            ErrorCode.CONFLICT,
            "Data pegawai berubah ketika impor berjalan (misalnya impor lain pada saat yang sama);"
            " tidak ada yang disimpan. Coba impor lagi.",
            {"error": str(exc)},
        ) from exc
    return report


def _check_and_plan(
    agency: Agency, result: EmployeesReadResult, filename: str, report: ImportReport
) -> Plan:
    snapshot = Snapshot.load(agency, result)
    problems = list(result.problems)
    problems += database_problems(result, snapshot, filename)
    if problems:
        report.problems = sorted(problems, key=Problem.sort_key)
        raise ImportInvalid(problems, result.warnings)
    plan = make_plan(result, snapshot)
    plan.fill_report(report)
    return plan
