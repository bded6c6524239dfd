"""The unit plan check in the API: ``POST /api/v1/plans/check`` (the CLI's JSON shape)."""


from typing import Any

from django.http import HttpRequest
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from . import plans

router = Router(tags=["rencana kerja"])


class FindingOut(Schema):
    code: str
    severity: str
    nip: str | None
    unit: str | None
    date: str | None
    week: str | None
    basis: str
    message: str


class SummaryOut(Schema):
    employees: int
    days: int
    errors: int
    warnings: int


class PlanCheckOut(Schema):
    unit_id: int
    findings: list[FindingOut]
    summary: SummaryOut


@router.post(
    "/plans/check",
    response=PlanCheckOut,
    summary="Periksa rencana kerja fleksibel satu unit (plan.csv / .xlsx)",
    description="Berkas `plan` (CSV/XLSX sesuai FORMATS.md) untuk unit `unit_id` dan sub-unitnya. "
    "Jawaban sama dengan `fleksi plan check --format json`. Berkas tidak valid: 422 dengan "
    "`details.problems` (baris, kolom, pesan).",
)
def plan_check(
    request: HttpRequest, unit_id: Form[int], plan: File[UploadedFile], lang: Form[str] = "id"
) -> Any:
    outcome = plans.plan_check_for_unit(
        actor=request.user, unit_id=unit_id, data=plan.read(), filename=plan.name or "plan.csv"
    )
    body = outcome.result.to_dict("en" if lang == "en" else "id")
    return {"unit_id": outcome.unit.pk, **body}


class ProposeIn(Schema):
    unit_id: int
    start: str
    weeks: int = 1
    anchors: list[str] = []
    preferences: list[dict[str, Any]] = []
    time_limit: float | None = None
    coverage: list[dict[str, Any]] = []


@router.post(
    "/plans/propose",
    summary="Usulkan jadwal hybrid yang sah untuk satu unit (tanpa menyimpan)",
    description="Pengoptimasi yang sama dengan `fleksi plan propose`: hari yang disetujui tetap, "
    "hari jangkar (`anchors`: senin..jumat), hari pilihan (`preferences`: nip, hari, lokasi, "
    "bobot), batas minimum di kantor (`coverage`: share, headcount, role, hari; `role` dihitung di "
    "antara pegawai yang ditandai dengan peran layanan itu di halaman jadwal hybrid unit). "
    "Menunggu pengoptimasi (paling lama `time_limit`). Jawaban: `plan` (baris plan.csv) dan "
    "`summary`. Tidak ada jadwal yang sah: 422 `policy_violation` dengan `details.conflicts`.",
)
def plan_propose(request: HttpRequest, payload: ProposeIn) -> Any:
    import datetime as dt

    from django.utils.translation import gettext as _

    from fleksi.core.errors import ApplicationError, ErrorCode
    from fleksi.planner.formats import plan_row

    from . import planning

    try:
        start = dt.date.fromisoformat(payload.start)
    except ValueError:
        message = _("Tanggal mulai tidak sah (TTTT-BB-HH).")
        raise ApplicationError(ErrorCode.VALIDATION, message, {"fields": {"start": message}}) from None
    unit, proposal = planning.schedule_propose(
        actor=request.user,
        unit_id=payload.unit_id,
        start=start,
        weeks=payload.weeks,
        anchors=payload.anchors,
        preferences=payload.preferences,
        time_limit=payload.time_limit,
        coverage=payload.coverage,
    )
    return {
        "unit_id": unit.pk,
        "plan": [plan_row(r) for r in proposal.rows],
        "summary": proposal.summary(),
    }


class PublishIn(Schema):
    unit_id: int
    start: str
    weeks: int = 1
    plan: list[dict[str, Any]] = []


class DraftCheckOut(PlanCheckOut):
    start: str
    end: str
    publishable: bool


@router.post(
    "/plans/draft/check",
    response=DraftCheckOut,
    summary="Periksa draf jadwal hybrid unit (setelah disunting) tanpa menyimpan",
    description="Baris `plan` (kolom plan.csv, mis. usulan dari `/plans/propose` yang telah "
    "disunting) untuk minggu-minggu mulai `start`, diperiksa inti kebijakan seperti sebelum "
    "diterbitkan: hari pengajuan yang disetujui di periode itu ikut dihitung. Jawaban: temuan "
    "(seperti `/plans/check`) dan `publishable` (tidak ada kesalahan). Tidak ada yang disimpan. "
    "Hanya pimpinan unit (atau Plt/Plh pada tanggal pelimpahan); lainnya 404.",
)
def plan_draft_check(request: HttpRequest, payload: PublishIn, lang: str = "id") -> Any:
    from . import publishing

    first, end = publishing.period_of(_start_date(payload.start), payload.weeks)
    unit = publishing.publishable_unit(actor=request.user, unit_id=payload.unit_id, start=first, end=end)
    rows = publishing.rows_from_plan(payload.plan)
    check = publishing.schedule_check(unit=unit, start=first, end=end, rows=rows)
    body = check.result.to_dict("en" if lang == "en" else "id")
    publishable = not any(f.severity.value == "error" for f in check.result.findings)
    return {"unit_id": unit.pk, "start": first.isoformat(), "end": end.isoformat(), "publishable": publishable, **body}


def _published_out(schedule: Any) -> dict[str, Any]:
    by = schedule.published_by
    return {
        "id": schedule.pk,
        "unit_id": schedule.unit_id,
        "start": schedule.start.isoformat(),
        "end": schedule.end.isoformat(),
        "published_by": (by.get_full_name() or by.get_username()) if by else None,
        "published_at": schedule.published_at.isoformat(),
        "days_written": schedule.days_written,
        "days_ended": schedule.days_ended,
        "plan": schedule.rows,
    }


@router.post(
    "/plans/publish",
    response={201: dict[str, Any]},
    summary="Terbitkan jadwal hybrid unit untuk suatu periode",
    description="Baris `plan` (kolom plan.csv) untuk minggu-minggu mulai `start`. Diperiksa "
    "inti kebijakan: ada kesalahan, 422 `policy_violation` dengan `details.findings`. Hanya "
    "pimpinan unit (atau Plt/Plh pada tanggal pelimpahan). Hari kerja pegawai ditulis seperti "
    "pengajuan yang disetujui; setiap pegawai diberi tahu.",
)
def plan_publish(request: HttpRequest, payload: PublishIn) -> Any:
    from . import publishing

    schedule = publishing.schedule_publish(
        actor=request.user,
        unit_id=payload.unit_id,
        start=_start_date(payload.start),
        weeks=payload.weeks,
        rows=payload.plan,
    )
    return Status(201, _published_out(schedule))


@router.get(
    "/plans/published/{schedule_id}",
    summary="Jadwal hybrid unit yang telah diterbitkan",
)
def plan_published(request: HttpRequest, schedule_id: int) -> Any:
    from . import publishing

    return _published_out(publishing.published_schedule_get(actor=request.user, schedule_id=schedule_id))


def _start_date(value: str) -> Any:
    import datetime as dt

    from django.utils.translation import gettext as _

    from fleksi.core.errors import ApplicationError, ErrorCode

    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        message = _("Tanggal mulai tidak sah (TTTT-BB-HH).")
        raise ApplicationError(ErrorCode.VALIDATION, message, {"fields": {"start": message}}) from None
