"""The unit plan check in the API: ``POST /api/v1/plans/check`` (the CLI's JSON shape)."""


from typing import Any

from django.http import HttpRequest
from ninja import File, Form, Router, Schema
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


@router.post(
    "/plans/propose",
    summary="Usulkan jadwal hybrid yang sah untuk satu unit (tanpa menyimpan)",
    description="Pengoptimasi yang sama dengan `fleksi plan propose`: hari yang disetujui tetap, "
    "hari jangkar (`anchors`: senin..jumat), hari pilihan (`preferences`: nip, hari, lokasi, "
    "bobot). Jawaban: `plan` (baris plan.csv) dan `summary`. Tidak ada jadwal yang sah: 422 "
    "`policy_violation` dengan `details.conflicts`.",
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
    )
    return {
        "unit_id": unit.pk,
        "plan": [plan_row(r) for r in proposal.rows],
        "summary": proposal.summary(),
    }
