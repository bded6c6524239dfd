"""Presensi API, second part (issue 8): corrections and the head's board.

``POST /attendance/corrections``, ``GET /attendance/corrections``,
``POST /attendance/corrections/{id}/approve|reject``, ``GET /attendance/board``.
HTTP only: parse, call one service or selector, render. Another unit's or agency's data is 404.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from fleksi.core.errors import ApplicationError, ErrorCode
from fleksi.organisation.scoping import scope_for

from . import corrections, selectors, selectors_corrections

router = Router(tags=["presensi"])


class CorrectionIn(Schema):
    work_date: str
    kind: str
    reason: str
    at: str | None = None
    location: str = ""


class DecisionIn(Schema):
    note: str = ""


class CorrectionOut(Schema):
    id: int
    employee_id: int
    employee_name: str
    work_date: dt.date
    kind: str
    at: dt.datetime | None
    location: str
    reason: str
    state: str
    created_at: dt.datetime
    decided_at: dt.datetime | None
    decider_id: int | None
    decision_note: str


def correction_out(c: object) -> CorrectionOut:
    from .models import Correction

    assert isinstance(c, Correction)
    return CorrectionOut(
        id=c.pk, employee_id=c.employee_id, employee_name=c.employee.name, work_date=c.work_date,
        kind=c.kind, at=c.at, location=c.location, reason=c.reason, state=c.state,
        created_at=c.created_at, decided_at=c.decided_at, decider_id=c.decider_id,
        decision_note=c.decision_note,
    )


def _invalid(field: str, message: str) -> ApplicationError:
    return ApplicationError(ErrorCode.VALIDATION, message, {"fields": {field: message}})


def _date(value: str, name: str) -> dt.date:
    try:
        return dt.date.fromisoformat((value or "").strip())
    except ValueError:
        raise _invalid(name, _("Tanggal tidak sah: gunakan TTTT-BB-HH.")) from None


def _datetime(value: str | None) -> dt.datetime | None:
    if value is None or not value.strip():
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        raise _invalid("at", _("Waktu tidak sah: gunakan ISO 8601 dengan zona waktu.")) from None
    if parsed.tzinfo is None:
        raise _invalid("at", _("Waktu harus memuat zona waktu (mis. +07:00)."))
    return parsed


@router.post(
    "/attendance/corrections", response={201: CorrectionOut}, summary="Ajukan koreksi presensi"
)
def correction_create(request: HttpRequest, payload: CorrectionIn) -> Status:
    """Koreksi satu hari milik sendiri: `kind` = `missing_check_out` | `missing_check_in`
    (dengan `at`, ISO 8601 berzona) | `wrong_location` (dengan `location`); `reason` wajib."""
    correction = corrections.correction_submit(
        actor=request.user,
        work_date=_date(payload.work_date, "work_date"),
        kind=payload.kind,
        reason=payload.reason,
        at=_datetime(payload.at),
        location=payload.location,
    )
    return Status(201, correction_out(correction))


@router.get("/attendance/corrections", response=list[CorrectionOut], summary="Daftar koreksi presensi")
def correction_index(
    request: HttpRequest, state: str | None = None, employee_id: int | None = None,
    unit_id: int | None = None,
) -> list[CorrectionOut]:
    """Koreksi yang boleh dilihat: milik sendiri, unit yang dipimpin, instansi (admin SDM)."""
    rows = selectors_corrections.correction_list(
        actor=request.user, state=state, employee_id=employee_id, unit_id=unit_id
    )
    return [correction_out(c) for c in rows]


@router.post("/attendance/corrections/{correction_id}/approve", response=CorrectionOut,
             summary="Setujui koreksi presensi")
def correction_approve(request: HttpRequest, correction_id: int, payload: DecisionIn | None = None) -> CorrectionOut:
    done = corrections.correction_approve(
        actor=request.user, correction_id=correction_id, note=payload.note if payload else ""
    )
    return correction_out(selectors_corrections.correction_get(actor=request.user, correction_id=done.pk))


@router.post("/attendance/corrections/{correction_id}/reject", response=CorrectionOut,
             summary="Tolak koreksi presensi")
def correction_reject(request: HttpRequest, correction_id: int, payload: DecisionIn) -> CorrectionOut:
    done = corrections.correction_reject(actor=request.user, correction_id=correction_id, note=payload.note)
    return correction_out(selectors_corrections.correction_get(actor=request.user, correction_id=done.pk))


# ---------------------------------------------------------------------------------------
# The head's board


class BoardRowOut(Schema):
    employee_id: int
    name: str
    nip: str
    unit_id: int
    planned_location: str
    status: str
    first_in: dt.datetime | None
    first_in_location: str
    last_out: dt.datetime | None
    worked_minutes: int
    flags: list[str]


class BoardCounts(Schema):
    checked_in: int
    missing: int
    deviations: int
    synced_late: int
    outside_office: int
    corrections_pending: int


class BoardOut(Schema):
    unit_id: int
    unit_name: str
    date: dt.date
    counts: BoardCounts
    rows: list[BoardRowOut]
    corrections_pending: list[CorrectionOut]


@router.get("/attendance/board", response=BoardOut, summary="Papan presensi unit")
def board(request: HttpRequest, date: str | None = None, unit_id: int | None = None) -> BoardOut:
    """Hari itu di unit (dan subunitnya): siapa presensi di mana, siapa belum, tempat
    berbeda dari rencana, terkirim terlambat, di luar kantor, koreksi yang menunggu.
    `unit_id` bawaan: unit yang dipimpin. Unit lain atau instansi lain: 404."""
    from fleksi.core import clock

    day = _date(date, "date") if date else clock.today()
    if unit_id is None:
        heads = sorted(scope_for(request.user).head_unit_ids)
        if not heads:
            raise _invalid("unit_id", _("Pilih unit (unit_id)."))
        unit_id = heads[0]
    view = selectors.unit_board(actor=request.user, unit_id=unit_id, day=day)
    pending = selectors_corrections.corrections_to_decide(actor=request.user, unit=view.unit)
    return BoardOut(
        unit_id=view.unit.pk,
        unit_name=view.unit.name,
        date=view.day,
        counts=BoardCounts(
            checked_in=len(view.checked_in), missing=len(view.missing),
            deviations=len(view.deviations), synced_late=len(view.synced_late),
            outside_office=len(view.outside_office), corrections_pending=len(pending),
        ),
        rows=[BoardRowOut(**vars(r)) for r in view.rows],
        corrections_pending=[correction_out(c) for c in pending],
    )
