"""Requests and the inbox in the API under ``/api/v1`` (paths and shapes unchanged)."""


import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from fleksi.core.api_pagination import Pagination
from fleksi.core.errors import validation_error
from fleksi.core.middleware import find_nul_in_body, nul_error

from . import decisions, selectors, services
from . import evidence as evidence_files
from .schemas import (
    BulkIn,
    BulkOut,
    CancelIn,
    CheckOut,
    DecisionIn,
    EvidenceOut,
    OutputOut,
    ReasonIn,
    RequestDetailOut,
    RequestIn,
    RequestOut,
    TransitionOut,
    check_out,
    finding_out,
)

router = Router(tags=["kerja fleksibel"])


def _request_fields(r: Any, actor: Any) -> dict[str, Any]:
    employee = r.employee
    return {
        "id": r.pk,
        "agency_id": r.agency_id,
        "employee_id": r.employee_id,
        "employee_name": employee.name,
        "employee_nip": employee.nip,
        "unit_id": employee.unit_id,
        "unit_name": employee.unit.name,
        "state": r.state,
        "state_label": str(r.get_state_display()),
        "approval_step": r.approval_step,
        "location_kind": r.location_kind,
        "office_id": r.office_id,
        "office_name": r.office.name if r.office else None,
        "place_id": r.place_id,
        "place_name": r.place.name if r.place else None,
        "place_description": r.place_description,
        "schedule_mode": r.schedule_mode,
        "start_date": r.start_date,
        "end_date": r.end_date,
        "weekdays": list(r.weekdays or []),
        "dates": [dt.date.fromisoformat(d) for d in r.dates or []],
        "time_kind": r.time_kind,
        "hours": {k: list(v) for k, v in (r.hours or {}).items()},
        "is_special": r.is_special,
        "special_description": r.special_description,
        "reason": r.reason,
        "work_plan": r.work_plan,
        "outputs": [
            OutputOut(
                id=o.pk,
                description=o.description,
                target_quantity=o.target_quantity,
                unit=o.unit,
                due_date=o.due_date,
            )
            for o in r.outputs.all()
        ],
        "findings": [finding_out(f) for f in selectors.request_findings(request=r)],
        "created_at": r.created_at,
        "submitted_at": r.submitted_at,
        "decided_at": r.decided_at,
        "decision_note": r.decision_note,
        "can_decide": selectors.request_can_decide(actor=actor, request=r),
    }


def _request_out(r: Any, actor: Any) -> RequestOut:
    return RequestOut(**_request_fields(r, actor))


def _detail(actor: Any, request_id: int) -> RequestDetailOut:
    r = selectors.request_get(actor=actor, request_id=request_id)
    return RequestDetailOut(
        **_request_fields(r, actor),
        evidence=[
            EvidenceOut(
                id=e.pk,
                original_name=e.original_name,
                content_type=e.content_type,
                size=e.size,
                uploaded_at=e.uploaded_at,
            )
            for e in r.evidence.all()
        ],
        transitions=[
            TransitionOut(
                at=t.at,
                actor=t.actor.get_username() if t.actor else None,
                from_state=t.from_state,
                to_state=t.to_state,
                note=t.note,
            )
            for t in r.transitions.all()
        ],
    )


class _Page:
    """Lets the paginator slice the queryset in SQL, then maps the page's rows."""

    def __init__(self, qs: Any, actor: Any) -> None:
        self.qs, self.actor = qs, actor

    def count(self) -> int:
        return int(self.qs.count())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item: slice) -> list[RequestOut]:
        return [_request_out(r, self.actor) for r in self.qs[item]]


@router.post(
    "/requests", response={201: RequestDetailOut}, summary="Buat draf pengajuan kerja fleksibel"
)
def request_create(request: HttpRequest, payload: RequestIn) -> Status[RequestDetailOut]:
    created = services.request_create(
        actor=request.user, data=payload.to_input(), employee_id=payload.employee_id
    )
    return Status(201, _detail(request.user, created.pk))


@router.post("/requests/check", response=CheckOut, summary="Periksa pengajuan tanpa menyimpan")
def request_check(
    request: HttpRequest, payload: RequestIn, request_id: int | None = None
) -> CheckOut:
    """Temuan aturan (kode, dasar hukum, pesan) atas pengajuan ini bersama hari yang sudah
    disetujui dan pengajuan lain yang menunggu pada minggu ISO yang sama."""
    outcome = services.request_check(
        actor=request.user,
        data=payload.to_input(),
        employee_id=payload.employee_id,
        request_id=request_id,
    )
    return check_out(outcome)


class MineFilter(Schema):
    state: str | None = None


@router.get("/requests/mine", response=list[RequestOut], summary="Pengajuan saya")
@paginate(Pagination)
def requests_mine(request: HttpRequest, filters: Query[MineFilter]) -> Any:
    return _Page(
        selectors.request_list_mine(actor=request.user, state=filters.state or None), request.user
    )


@router.post(
    "/requests/bulk-approve", response=list[BulkOut], summary="Setujui banyak pengajuan sekaligus"
)
def requests_bulk_approve(request: HttpRequest, payload: BulkIn) -> list[BulkOut]:
    """Setiap pengajuan diputuskan dalam transaksinya sendiri: satu yang gagal tidak
    menghalangi yang lain."""
    results = decisions.request_bulk_approve(actor=request.user, request_ids=payload.request_ids)
    return [
        BulkOut(request_id=r.request_id, ok=r.ok, code=r.code, message=r.message) for r in results
    ]


@router.get("/requests/{request_id}", response=RequestDetailOut, summary="Satu pengajuan")
def request_get(request: HttpRequest, request_id: int) -> RequestDetailOut:
    return _detail(request.user, request_id)


@router.put(
    "/requests/{request_id}",
    response=RequestDetailOut,
    summary="Ubah draf atau pengajuan yang dikembalikan",
)
def request_update(request: HttpRequest, request_id: int, payload: RequestIn) -> RequestDetailOut:
    services.request_update(actor=request.user, request_id=request_id, data=payload.to_input())
    return _detail(request.user, request_id)


@router.post("/requests/{request_id}/submit", response=RequestDetailOut, summary="Ajukan")
def request_submit(request: HttpRequest, request_id: int) -> RequestDetailOut:
    """Ditolak (422 `policy_violation`, temuan di `details.findings`) selama ada temuan error."""
    services.request_submit(actor=request.user, request_id=request_id)
    return _detail(request.user, request_id)


@router.post(
    "/requests/{request_id}/evidence",
    response=RequestDetailOut,
    summary="Lampirkan bukti keadaan khusus (PDF/JPEG/PNG, paling besar 5 MB)",
    openapi_extra={"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
        "type": "object", "required": ["file"],
        "properties": {"file": {"type": "string", "format": "binary"}},
    }}}}},
)
def evidence_add(request: HttpRequest, request_id: int) -> RequestDetailOut:
    """Hanya untuk draf atau pengajuan yang dikembalikan milik sendiri; jenis berkas diperiksa dari isinya.

    Hak diperiksa sebelum isi unggahan dibaca (berkas `file` diambil dari formulir multipart
    sesudahnya, bukan oleh parameter operasi)."""
    evidence_files.evidence_may_add(actor=request.user, request_id=request_id)
    nul = find_nul_in_body(request)  # the body is parsed from here on
    if nul is not None:
        raise nul_error(request, *nul)
    upload = request.FILES.get("file")
    if upload is None:
        raise validation_error("file", _("Lampirkan berkas pada bidang `file`."))
    evidence_files.evidence_add(actor=request.user, request_id=request_id, upload=upload)
    return _detail(request.user, request_id)


@router.post("/requests/{request_id}/approve", response=RequestDetailOut, summary="Setujui")
def request_approve(request: HttpRequest, request_id: int, payload: DecisionIn) -> RequestDetailOut:
    decisions.request_approve(actor=request.user, request_id=request_id, note=payload.note)
    return _detail(request.user, request_id)


@router.post(
    "/requests/{request_id}/reject", response=RequestDetailOut, summary="Tolak (alasan wajib)"
)
def request_reject(request: HttpRequest, request_id: int, payload: ReasonIn) -> RequestDetailOut:
    decisions.request_reject(actor=request.user, request_id=request_id, reason=payload.reason)
    return _detail(request.user, request_id)


@router.post(
    "/requests/{request_id}/return",
    response=RequestDetailOut,
    summary="Kembalikan untuk perbaikan (alasan wajib)",
)
def request_return(request: HttpRequest, request_id: int, payload: ReasonIn) -> RequestDetailOut:
    decisions.request_return(actor=request.user, request_id=request_id, reason=payload.reason)
    return _detail(request.user, request_id)


@router.post(
    "/requests/{request_id}/cancel", response=RequestDetailOut, summary="Batalkan (pegawai)"
)
def request_cancel(request: HttpRequest, request_id: int, payload: CancelIn) -> RequestDetailOut:
    services.request_cancel(actor=request.user, request_id=request_id, reason=payload.reason)
    return _detail(request.user, request_id)


@router.post(
    "/requests/{request_id}/revoke",
    response=RequestDetailOut,
    summary="Cabut persetujuan (alasan wajib)",
)
def request_revoke(request: HttpRequest, request_id: int, payload: ReasonIn) -> RequestDetailOut:
    decisions.request_revoke(actor=request.user, request_id=request_id, reason=payload.reason)
    return _detail(request.user, request_id)


class InboxFilter(Schema):
    state: str = "submitted"
    unit_id: int | None = None
    q: str = ""


@router.get("/inbox", response=list[RequestOut], summary="Pengajuan yang menunggu keputusan saya")
@paginate(Pagination)
def inbox(request: HttpRequest, filters: Query[InboxFilter]) -> Any:
    qs = selectors.inbox_list(
        actor=request.user, state=filters.state, unit_id=filters.unit_id, search=filters.q
    )
    return _Page(qs, request.user)
