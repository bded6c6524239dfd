"""Performance in the API (issue 9), under /api/v1/performance/: the daily log and its
evidence and feedback, planned outputs, the period, the assessment, the head's unit view and
the e-Kinerja exports. HTTP only: parse, call one service or selector, render."""

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Query, Router, Status
from ninja.files import UploadedFile

from fleksi.core.errors import ApplicationError, ErrorCode

from . import export, selectors, services
from .schemas import (
    AssessmentEnvelope,
    AssessmentIn,
    AssessmentOut,
    CommentIn,
    CommentOut,
    LogIn,
    LogOut,
    OutputIn,
    OutputOut,
    PeriodOut,
    ResponseIn,
    UnitPeriodOut,
    assessment_out,
    comment_out,
    log_out,
    output_out,
    period_out,
    unit_period_out,
)

router = Router(tags=["kinerja"])


def _date(value: str, name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ApplicationError(
            ErrorCode.VALIDATION, _("Tanggal tidak sah: gunakan TTTT-BB-HH."),
            {"fields": {name: _("Gunakan TTTT-BB-HH.")}},
        ) from None


def _log_input(payload: LogIn) -> services.LogInput:
    return services.LogInput(
        date=payload.date, description=payload.description, quantity=payload.quantity,
        minutes=payload.minutes, planned_output_id=payload.planned_output_id,
        evidence_url=payload.evidence_url,
    )


def _fresh(request: HttpRequest, entry_id: int) -> LogOut:
    return log_out(selectors.log_get(actor=request.user, entry_id=entry_id))


@router.post("/performance/logs", response={201: LogOut}, summary="Tulis laporan harian")
def log_create(request: HttpRequest, payload: LogIn) -> Status:
    """Penulisnya pegawai pemilik token. Tanggal tidak boleh di masa depan, realisasi tidak
    boleh negatif, keluaran rencana harus milik sendiri dan disepakati."""
    entry = services.log_create(actor=request.user, data=_log_input(payload))
    return Status(201, _fresh(request, entry.pk))


@router.get("/performance/logs", response=list[LogOut], summary="Laporan harian")
def log_list(
    request: HttpRequest,
    start: str = Query(..., alias="from"),
    end: str = Query(..., alias="to"),
    employee_id: int | None = None,
) -> list[LogOut]:
    """`from` dan `to` (TTTT-BB-HH, paling panjang 93 hari); `employee_id` opsional (bawaan:
    diri sendiri; pimpinan untuk unitnya, admin SDM untuk instansinya)."""
    entries = selectors.log_list(
        actor=request.user, start=_date(start, "from"), end=_date(end, "to"), employee_id=employee_id
    )
    return [log_out(e) for e in entries]


@router.get("/performance/logs/{entry_id}", response=LogOut, summary="Satu laporan harian")
def log_get(request: HttpRequest, entry_id: int) -> LogOut:
    return _fresh(request, entry_id)


@router.put("/performance/logs/{entry_id}", response=LogOut, summary="Ubah laporan harian")
def log_update(request: HttpRequest, entry_id: int, payload: LogIn) -> LogOut:
    """Hanya penulisnya, selama periodenya belum dinilai final."""
    services.log_update(actor=request.user, entry_id=entry_id, data=_log_input(payload))
    return _fresh(request, entry_id)


@router.delete("/performance/logs/{entry_id}", response={204: None}, summary="Hapus laporan harian")
def log_delete(request: HttpRequest, entry_id: int) -> Status:
    services.log_delete(actor=request.user, entry_id=entry_id)
    return Status(204, None)


@router.post(
    "/performance/logs/{entry_id}/evidence", response={201: LogOut},
    summary="Lampirkan bukti dukung (PDF, JPEG/PNG, dokumen perkantoran)",
)
def evidence_add(request: HttpRequest, entry_id: int, file: File[UploadedFile]) -> Status:
    """Jenis berkas diperiksa dari isinya dan harus sesuai dengan ekstensinya; ukuran dibatasi."""
    services.evidence_add(actor=request.user, entry_id=entry_id, upload=file)
    return Status(201, _fresh(request, entry_id))


@router.post("/performance/logs/{entry_id}/comments", response={201: CommentOut}, summary="Umpan balik atau tanggapan")
def comment_add(request: HttpRequest, entry_id: int, payload: CommentIn) -> Status:
    """Pimpinan unit memberi umpan balik (pegawai diberi tahu); pegawai menanggapi."""
    return Status(201, comment_out(services.comment_add(actor=request.user, entry_id=entry_id, body=payload.body)))


@router.post("/performance/outputs", response={201: OutputOut}, summary="Tambah keluaran rencana")
def output_propose(request: HttpRequest, payload: OutputIn) -> Status:
    """Keluaran tambahan pegawai; dihitung setelah disepakati pimpinan."""
    output = services.output_propose(
        actor=request.user,
        data=services.OutputInput(
            description=payload.description, target_quantity=payload.target_quantity,
            unit=payload.unit, due_date=payload.due_date, skp_code=payload.skp_code, skp_text=payload.skp_text,
        ),
    )
    return Status(201, output_out(output))


@router.post("/performance/outputs/{output_id}/agree", response=OutputOut, summary="Sepakati keluaran")
def output_agree(request: HttpRequest, output_id: int) -> OutputOut:
    return output_out(services.output_decide(actor=request.user, output_id=output_id, agree=True))


@router.post("/performance/outputs/{output_id}/decline", response=OutputOut, summary="Tolak keluaran")
def output_decline(request: HttpRequest, output_id: int) -> OutputOut:
    return output_out(services.output_decide(actor=request.user, output_id=output_id, agree=False))


@router.get("/performance/periods/{employee_id}/{period}", response=PeriodOut, summary="Periode pegawai")
def period(request: HttpRequest, employee_id: int, period: str) -> PeriodOut:
    """Keluaran rencana dengan realisasi dari laporan harian, hari fleksibel tanpa laporan,
    penilaian. `period`: TTTT-BB (bulan) atau TTTT-TWn (triwulan), sesuai periode penilaian
    instansi; kode periode yang lain ditolak 422 dengan `details.period` yang benar."""
    return period_out(selectors.employee_period(actor=request.user, employee_id=employee_id, period=period))


def _envelope(request: HttpRequest, employee_id: int, period: str) -> AssessmentEnvelope:
    employee, latest, versions = selectors.assessment_get(actor=request.user, employee_id=employee_id, period=period)
    return AssessmentEnvelope(
        employee_id=employee.pk, period=period.strip(),
        assessment=assessment_out(latest) if latest else None,
        versions=[assessment_out(a) for a in versions],
    )


@router.get("/performance/assessments/{employee_id}/{period}", response=AssessmentEnvelope, summary="Penilaian kinerja")
def assessment_get(request: HttpRequest, employee_id: int, period: str) -> AssessmentEnvelope:
    """`period`: TTTT-BB untuk instansi yang menilai per bulan (bawaan), TTTT-TWn (misalnya
    2026-TW4) untuk yang menilai per triwulan."""
    return _envelope(request, employee_id, period)


@router.put("/performance/assessments/{employee_id}/{period}", response=AssessmentOut, summary="Simpan draf penilaian")
def assessment_put(request: HttpRequest, employee_id: int, period: str, payload: AssessmentIn) -> AssessmentOut:
    """`output_ratings`: {id keluaran: below|meets|above}; `behaviour_ratings`: {nilai
    BerAKHLAK: below|meets|above}. Setelah final, menyimpan membuat versi koreksi baru."""
    a = services.assessment_save(
        actor=request.user, employee_id=employee_id, period=period,
        data=services.AssessmentInput(
            output_ratings=payload.output_ratings, behaviour_ratings=payload.behaviour_ratings,
            feedback=payload.feedback,
        ),
    )
    return assessment_out(a)


@router.post("/performance/assessments/{employee_id}/{period}/finalise", response=AssessmentOut, summary="Finalkan penilaian")
def assessment_finalise(request: HttpRequest, employee_id: int, period: str) -> AssessmentOut:
    """Semua keluaran dan ketujuh nilai BerAKHLAK harus dinilai; predikat dari matriks
    PermenPANRB 6/2022. Penilaian final tidak dapat diubah."""
    return assessment_out(services.assessment_finalise(actor=request.user, employee_id=employee_id, period=period))


@router.post("/performance/assessments/{employee_id}/{period}/response", response=AssessmentOut, summary="Tanggapan pegawai")
def assessment_respond(request: HttpRequest, employee_id: int, period: str, payload: ResponseIn) -> AssessmentOut:
    return assessment_out(
        services.assessment_respond(actor=request.user, employee_id=employee_id, period=period, response=payload.response)
    )


@router.get("/performance/units/{unit_id}/{period}", response=UnitPeriodOut, summary="Kinerja unit per periode")
def unit_period(request: HttpRequest, unit_id: int, period: str) -> UnitPeriodOut:
    return unit_period_out(selectors.unit_period(actor=request.user, unit_id=unit_id, period=period))


def _xlsx(name: str, content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type=export.XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@router.get("/performance/exports/employees/{employee_id}/{period}.xlsx", summary="Ekspor e-Kinerja pegawai (XLSX)")
def export_employee(request: HttpRequest, employee_id: int, period: str) -> HttpResponse:
    return _xlsx(*export.employee_xlsx(actor=request.user, employee_id=employee_id, period=period))


@router.get("/performance/exports/units/{unit_id}/{period}.xlsx", summary="Ekspor e-Kinerja unit (XLSX)")
def export_unit(request: HttpRequest, unit_id: int, period: str) -> HttpResponse:
    return _xlsx(*export.unit_xlsx(actor=request.user, unit_id=unit_id, period=period))
