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
