"""The answers to a published schedule in the API (issue 11, docs/decisions/200): the
employee's part and its confirmation, change requests and their decision."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from fleksi.core.errors import ApplicationError, ErrorCode

from . import change_requests, responses

router = Router(tags=["jadwal hybrid"])


class ChangeIn(Schema):
    dates: list[str]
    location_kind: str
    reason: str


class NoteIn(Schema):
    note: str = ""


def _part_out(part: responses.MyPart) -> dict[str, Any]:
    s = part.schedule
    return {
        "schedule_id": s.pk,
        "unit_id": s.unit_id,
        "start": s.start.isoformat(),
        "end": s.end.isoformat(),
        "state": part.state,
        "needs_confirmation": s.needs_confirmation,
        "days": [
            {
                "date": d.date.isoformat(),
                "location_kind": d.location_kind,
                "time_kind": d.time_kind,
                "in_force": d.in_force,
            }
            for d in part.days
        ],
        "ends": [d.isoformat() for d in part.ends],
        "changes": [_change_out(c) for c in part.changes],
    }


def _change_out(change: Any) -> dict[str, Any]:
    return {
        "id": change.pk,
        "schedule_id": change.schedule_id,
        "employee_id": change.employee_id,
        "employee": change.employee.name,
        "dates": change.dates,
        "location_kind": change.location_kind,
        "reason": change.reason,
        "state": change.state,
        "created_at": change.created_at.isoformat(),
        "decided_at": change.decided_at.isoformat() if change.decided_at else None,
        "decision_note": change.decision_note,
    }


@router.get("/schedules/mine", summary="Bagian saya dari jadwal hybrid unit yang diterbitkan")
def schedules_mine(request: HttpRequest) -> Any:
    return [_part_out(p) for p in responses.my_schedules(actor=request.user)]


@router.get("/schedules/{schedule_id}/mine", summary="Bagian saya dari satu jadwal hybrid")
def schedule_mine(request: HttpRequest, schedule_id: int) -> Any:
    return _part_out(responses.my_schedule_get(actor=request.user, schedule_id=schedule_id))


@router.post(
    "/schedules/{schedule_id}/confirm",
    summary="Konfirmasi bagian saya dari jadwal hybrid",
    description="Hanya bila instansi mewajibkan konfirmasi. Hari-hari ditulis setelah diperiksa "
    "ulang inti kebijakan; temuan baru: 422 `policy_violation` dengan `details.findings` "
    "(pimpinan unit diberi tahu). Tidak menunggu konfirmasi: 409 `invalid_state`.",
)
def schedule_confirm(request: HttpRequest, schedule_id: int) -> Any:
    confirmation = responses.schedule_confirm(actor=request.user, schedule_id=schedule_id)
    return {"schedule_id": schedule_id, "state": confirmation.state, "days_written": confirmation.days_written}


@router.post(
    "/schedules/{schedule_id}/changes",
    response={201: dict[str, Any]},
    summary="Ajukan perubahan jadwal hybrid (tanggal, tempat yang diinginkan, alasan)",
)
def change_create(request: HttpRequest, schedule_id: int, payload: ChangeIn) -> Any:
    try:
        dates = tuple(dt.date.fromisoformat(d) for d in payload.dates)
    except ValueError:
        message = _("Tanggal tidak sah (TTTT-BB-HH).")
        raise ApplicationError(ErrorCode.VALIDATION, message, {"fields": {"dates": message}}) from None
    change = change_requests.change_request_create(
        actor=request.user,
        schedule_id=schedule_id,
        data=change_requests.ChangeInput(dates=dates, location_kind=payload.location_kind, reason=payload.reason),
    )
    return Status(201, _change_out(change))


@router.get(
    "/schedules/{schedule_id}/responses",
    summary="Konfirmasi dan permintaan perubahan pegawai atas satu jadwal (pimpinan)",
)
def schedule_responses(request: HttpRequest, schedule_id: int) -> Any:
    view = responses.schedule_responses(actor=request.user, schedule_id=schedule_id)
    return {
        "schedule_id": view.schedule.pk,
        "needs_confirmation": view.schedule.needs_confirmation,
        "can_decide": view.can_decide,
        "employees": [
            {
                "employee_id": r.employee.pk,
                "name": r.employee.name,
                "confirmation": r.confirmation.state if r.confirmation else None,
                "changes": [_change_out(c) for c in r.changes],
            }
            for r in view.rows
        ],
    }


@router.get("/schedule-changes", summary="Permintaan perubahan jadwal yang dapat saya lihat")
def change_list(request: HttpRequest, schedule_id: int | None = None, state: str = "") -> Any:
    return [
        _change_out(c)
        for c in change_requests.change_requests_for(actor=request.user, schedule_id=schedule_id, state=state)
    ]


@router.get("/schedule-changes/{change_id}", summary="Satu permintaan perubahan jadwal")
def change_get(request: HttpRequest, change_id: int) -> Any:
    return _change_out(change_requests.change_request_get(actor=request.user, change_id=change_id))


@router.post(
    "/schedule-changes/{change_id}/approve",
    summary="Setujui permintaan perubahan jadwal",
    description="Pimpinan unit jadwal (atau unit di atasnya, atau Plt/Plh pada tanggalnya). "
    "Diperiksa inti kebijakan (batas hari, kehadiran unit): temuan baru, 422 "
    "`policy_violation` dengan `details.findings`.",
)
def change_approve(request: HttpRequest, change_id: int, payload: NoteIn) -> Any:
    return _change_out(change_requests.change_request_approve(actor=request.user, change_id=change_id, note=payload.note))


@router.post("/schedule-changes/{change_id}/reject", summary="Tolak permintaan perubahan jadwal")
def change_reject(request: HttpRequest, change_id: int, payload: NoteIn) -> Any:
    return _change_out(change_requests.change_request_reject(actor=request.user, change_id=change_id, note=payload.note))


@router.post("/schedule-changes/{change_id}/cancel", summary="Batalkan permintaan perubahan saya")
def change_cancel(request: HttpRequest, change_id: int) -> Any:
    return _change_out(change_requests.change_request_cancel(actor=request.user, change_id=change_id))
