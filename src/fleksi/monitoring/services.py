"""The monitoring app's own writes: the service index (entered or imported by HR), the
readiness self-report and the evaluation reports. It writes nothing to other apps (an
import-linter contract: no other app's services are imported here); who did what is kept on
its own rows (``updated_by``, ``created_by``)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from fleksi.core import clock
from fleksi.core.errors import ApplicationError, ErrorCode, not_found
from fleksi.organisation.models import Agency, Employee
from fleksi.organisation.scoping import scope_for
from fleksi.organisation.selectors import population_units

from .evaluation import month_start
from .models import EvaluationReport, ReadinessReport, ReportFormat, ReportStatus, ServiceIndex
from .population import Population

SERVICE_COLUMNS = ["unit_kode", "periode", "ikm", "pengaduan"]
PERIOD_RE = re.compile(r"^(\d{4})-(\d{2})$")


def _manager_agency(actor: Any, agency_id: int) -> Agency:
    scope = scope_for(actor)
    agency = Agency.objects.filter(pk=agency_id).first()
    if agency is None or not scope.can_manage_agency(agency.pk):
        raise not_found(_("Instansi"))
    return agency


def service_import(*, actor: Any, agency_id: int, content: bytes) -> int:
    """Import ``unit_kode,periode,ikm,pengaduan`` (periode ``YYYY-MM``) for the agency's
    units: every row checked first, errors per row in Indonesian, nothing written unless the
    whole file is right. A unit's month already there is replaced. Returns the rows written."""
    agency = _manager_agency(actor, agency_id)
    limit = int(getattr(settings, "FLEKSI_IMPORT_MAX_BYTES", 5 * 1024 * 1024))
    if len(content) > limit:
        raise ApplicationError(ErrorCode.IMPORT_INVALID, _("Berkas terlalu besar."), {"errors": []})
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ApplicationError(
            ErrorCode.IMPORT_INVALID, _("Berkas harus CSV dengan pengodean UTF-8."), {"errors": []}
        ) from None
    reader = csv.reader(io.StringIO(text))
    header = [h.strip().lower() for h in next(reader, [])]
    if header != SERVICE_COLUMNS:
        raise ApplicationError(
            ErrorCode.IMPORT_INVALID,
            _("Kolom harus: %(cols)s.") % {"cols": ",".join(SERVICE_COLUMNS)},
            {"errors": [{"row": 1, "message": _("Baris judul tidak sesuai.")}]},
        )
    units = dict(population_units(agency_ids=[agency.pk]).values_list("code", "pk"))
    errors: list[dict[str, Any]] = []
    rows: dict[tuple[int, dt.date], tuple[Decimal, int]] = {}
    max_rows = int(getattr(settings, "FLEKSI_UPLOAD_MAX_ROWS", 100_000))
    for number, raw in enumerate(reader, start=2):
        if not any(cell.strip() for cell in raw):
            continue
        if number - 1 > max_rows:
            errors.append({"row": number, "message": _("Terlalu banyak baris.")})
            break
        if len(raw) != len(SERVICE_COLUMNS):
            errors.append({"row": number, "message": _("Baris harus berisi 4 kolom.")})
            continue
        code, period_text, ikm_text, complaints_text = (cell.strip() for cell in raw)
        problems = []
        unit_id = units.get(code)
        if unit_id is None:
            problems.append(_("kode unit %(code)s tidak dikenal") % {"code": code})
        period = None
        match = PERIOD_RE.match(period_text)
        if match and 1 <= int(match.group(2)) <= 12:
            period = dt.date(int(match.group(1)), int(match.group(2)), 1)
        else:
            problems.append(_("periode harus berbentuk TTTT-BB, misalnya 2026-11"))
        try:
            ikm = Decimal(ikm_text.replace(",", "."))
            if not ikm.is_finite() or not 0 <= ikm <= 100:
                raise InvalidOperation
            ikm = ikm.quantize(Decimal("0.01"))
        except InvalidOperation:
            ikm = None
            problems.append(_("IKM harus angka 0 sampai 100"))
        complaints = int(complaints_text) if complaints_text.isdigit() and len(complaints_text) < 9 else None
        if complaints is None:
            problems.append(_("pengaduan harus bilangan bulat 0 atau lebih"))
        if unit_id is not None and period is not None and (unit_id, period) in rows:
            problems.append(_("unit dan periode ini sudah ada di baris sebelumnya"))
        if problems:
            errors.append({"row": number, "message": "; ".join(problems)})
            continue
        assert unit_id is not None and period is not None and ikm is not None and complaints is not None
        rows[(unit_id, period)] = (ikm, complaints)
    if errors:
        raise ApplicationError(
            ErrorCode.IMPORT_INVALID,
            _("Berkas tidak diimpor: %(n)s baris bermasalah. Tidak ada data yang diubah.") % {"n": len(errors)},
            {"errors": errors},
        )
    if not rows:
        raise ApplicationError(ErrorCode.IMPORT_INVALID, _("Berkas tidak berisi baris data."), {"errors": []})
    with transaction.atomic():
        for (unit_id, period), (ikm, complaints) in rows.items():
            ServiceIndex.objects.update_or_create(
                unit_id=unit_id, period=period,
                defaults={"agency_id": agency.pk, "ikm": ikm, "complaints": complaints, "updated_by": actor},
            )
    return len(rows)


def readiness_submit(
    *, actor: Any, equipment: int, connection: int, workspace: int, comment: str = "",
    on: dt.date | None = None,
) -> ReadinessReport:
    """The actor's own readiness self-report for this month (a second one replaces it)."""
    employee = Employee.objects.filter(user=actor, is_active=True).first()
    if employee is None:
        raise ApplicationError(ErrorCode.PERMISSION_DENIED, _("Hanya pegawai yang dapat mengisi laporan kesiapan."))
    values = {"equipment": equipment, "connection": connection, "workspace": workspace}
    bad = {k: _("Pilih 1 sampai 4.") for k, v in values.items() if not isinstance(v, int) or not 1 <= v <= 4}
    if bad:
        raise ApplicationError(ErrorCode.VALIDATION, _("Nilai kesiapan harus 1 sampai 4."), {"fields": bad})
    period = month_start(on or clock.today())
    report, _created = ReadinessReport.objects.update_or_create(
        employee=employee, period=period,
        defaults={"agency_id": employee.agency_id, "unit_id": employee.unit_id, **values, "comment": comment[:2000]},
    )
    return report


def report_start(
    *, actor: Any, pop: Population, format: str, conclusions: str = "", recommendations: str = "",
) -> EvaluationReport:
    """Queue an evaluation report of a unit or agency population (the caller resolved and
    checked ``pop`` with ``population_for``). The worker generates the file."""
    if pop.national or pop.agency is None:
        raise ApplicationError(ErrorCode.VALIDATION, _("Laporan dibuat untuk unit atau instansi."))
    if format not in ReportFormat.values:
        raise ApplicationError(
            ErrorCode.VALIDATION, _("Format harus pdf atau xlsx."), {"fields": {"format": _("Format tidak dikenal.")}}
        )

    with transaction.atomic():
        report = EvaluationReport.objects.create(
            agency=pop.agency, unit=pop.unit, start=pop.start, end=pop.end, format=format,
            conclusions=conclusions[:10000], recommendations=recommendations[:10000], created_by=actor,
        )
        transaction.on_commit(lambda: _enqueue(report.pk))
    return report


def _enqueue(report_id: int) -> None:
    from .tasks import generate_report

    result = generate_report.enqueue(report_id)
    EvaluationReport.objects.filter(pk=report_id).update(task_id=str(result.id))


def report_progress(*, report_id: int, progress: int, status: str = ReportStatus.RUNNING) -> None:
    EvaluationReport.objects.filter(pk=report_id).update(
        progress=progress, status=status, heartbeat_at=clock.now()
    )
