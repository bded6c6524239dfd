"""Monitoring in the API: ``GET /monitoring/summary`` (JSON or one table as CSV) and the
evaluation report jobs (``POST /monitoring/reports``, ``GET /monitoring/reports/{id}`` for
progress, ``GET /monitoring/reports/{id}/file``). HTTP only."""

from __future__ import annotations

import json
from typing import Any

from django.http import FileResponse, HttpRequest, HttpResponseBase
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router, Status

from fleksi.core import clock
from fleksi.core.errors import ApplicationError, ErrorCode

from . import services
from .inputs import parse_filters
from .models import ReportStatus
from .population import population_for, report_get
from .selectors import summary
from .views_common import csv_response, find_table, summary_dict

router = Router(tags=["pemantauan"])


@router.get("/monitoring/summary", summary="Ringkasan pemantauan per unit, instansi atau nasional")
def monitoring_summary(request: HttpRequest) -> Any:
    """Parameter: `scope` (unit, agency, national), `id` (bawaan: unit atau instansi
    sendiri), `from`, `to` (TTTT-BB-HH, bawaan 13 minggu terakhir), `location`, `weeks` dan
    `since` (sebelum/sesudah: jumlah minggu dan tanggal mulai, bawaan hari pertama yang disetujui). `format=csv&table=KEY` memberi satu tabel sebagai CSV. Pada cakupan
    nasional sel yang menghitung kurang dari 5 pegawai ditampilkan "< 5"."""
    filters = parse_filters(request.GET)
    pop = population_for(
        actor=request.user, kind=filters.scope, target_id=filters.target_id,
        start=filters.start, end=filters.end, today=clock.today(),
    )
    sections = summary(pop, location=filters.location, before_after_weeks=filters.weeks, before_after_start=filters.since)
    if request.GET.get("format") == "csv":
        return csv_response(find_table(sections, str(request.GET.get("table") or "")), pop)
    return summary_dict(pop, sections)


def _report_out(request: HttpRequest, report: Any) -> dict[str, Any]:
    done = report.status == ReportStatus.DONE and bool(report.file)
    return {
        "id": report.pk,
        "status": report.status,
        "progress": report.progress,
        "format": report.format,
        "from": report.start.isoformat(),
        "to": report.end.isoformat(),
        "unit_id": report.unit_id,
        "agency_id": report.agency_id,
        "created_at": report.created_at.isoformat(),
        "finished_at": report.finished_at.isoformat() if report.finished_at else None,
        "error": report.error,
        "file_url": reverse("api:monitoring_report_file", args=[report.pk]) if done else None,
    }


@router.post("/monitoring/reports", response={202: dict}, summary="Mulai membuat laporan pemantauan dan evaluasi")
def report_create(request: HttpRequest) -> Status:
    """Badan JSON: `scope` (unit atau agency), `id`, `from`, `to`, `format` (pdf, xlsx),
    `conclusions`, `recommendations`. Laporan dibuat di latar belakang oleh `fleksi worker`."""
    # A form body was already read by the NUL guard: request.body raises
    # RawPostDataException, which the API's handler answers with 422 (config/api.py).
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        raise ApplicationError(ErrorCode.VALIDATION, _("Badan permintaan harus JSON.")) from None
    if not isinstance(data, dict):
        raise ApplicationError(ErrorCode.VALIDATION, _("Badan permintaan harus objek JSON."))
    filters = parse_filters({k: v for k, v in data.items() if k in {"scope", "id", "from", "to"}}, default_scope="agency")
    if filters.scope == "national":
        raise ApplicationError(ErrorCode.VALIDATION, _("Laporan dibuat untuk unit atau instansi."))
    pop = population_for(
        actor=request.user, kind=filters.scope, target_id=filters.target_id,
        start=filters.start, end=filters.end, today=clock.today(),
    )
    report = services.report_start(
        actor=request.user, pop=pop, format=str(data.get("format") or ""),
        conclusions=str(data.get("conclusions") or ""), recommendations=str(data.get("recommendations") or ""),
    )
    return Status(202, _report_out(request, report))


@router.get("/monitoring/reports/{report_id}", summary="Kemajuan laporan")
def report_detail(request: HttpRequest, report_id: int) -> dict[str, Any]:
    return _report_out(request, report_get(actor=request.user, report_id=report_id))


@router.get("/monitoring/reports/{report_id}/file", url_name="monitoring_report_file", summary="Berkas laporan")
def report_file(request: HttpRequest, report_id: int) -> HttpResponseBase:
    report = report_get(actor=request.user, report_id=report_id)
    if report.status != ReportStatus.DONE or not report.file:
        raise ApplicationError(ErrorCode.INVALID_STATE, _("Laporan belum selesai dibuat."))
    return FileResponse(report.file.open("rb"), as_attachment=True, filename=report.file.name.rsplit("/", 1)[-1])
