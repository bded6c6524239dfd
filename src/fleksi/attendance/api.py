"""Presensi in the API (issue 8): ``POST /attendance/check-ins``, ``GET /attendance/days``,
``GET /attendance/weeks/{YYYY-Www}``. HTTP only: parse, call one service or selector, render."""

import datetime as dt

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from fleksi.core.errors import ApplicationError, ErrorCode

from . import selectors, services
from .inputs import parse_body
from .schemas import CheckInOut, DayOut, WeekOut, check_in_out, day_out, week_out

router = Router(tags=["presensi"])

SENT_AT_HEADER = "HTTP_X_FLEKSI_SENT_AT"


def _sent_at(request: HttpRequest) -> dt.datetime | None:
    """The device's clock when it sent the request (optional header), if it parses."""
    raw = (request.META.get(SENT_AT_HEADER) or "").strip()
    if not raw or len(raw) > 40:
        return None
    try:
        value = dt.datetime.fromisoformat(raw)
    except ValueError:
        return None
    return value if value.tzinfo is not None else None


@router.post(
    "/attendance/check-ins",
    response={200: CheckInOut, 201: CheckInOut},
    summary="Presensi masuk atau pulang (idempoten)",
)
def check_in(request: HttpRequest) -> Status:
    """Badan JSON: `kind`, `location`, `client_time`, `idempotency_key` (UUID), opsional
    `latitude`, `longitude`, `accuracy_m`, `note`; paling banyak 4 KB. Kunci yang sama
    dengan isi yang sama: 200 dan rekaman yang sama; isi berbeda: 409."""
    # A form body was already read by the NUL guard: request.body raises
    # RawPostDataException, which the API's handler answers with 422 (config/api.py).
    data = parse_body(request.body)
    record, created = services.checkin_record(
        actor=request.user, data=data, sent_at=_sent_at(request)
    )
    return Status(201 if created else 200, check_in_out(record))


def _date(value: str, name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ApplicationError(
            ErrorCode.VALIDATION,
            _("Tanggal tidak sah: gunakan TTTT-BB-HH."),
            {"fields": {name: _("Gunakan TTTT-BB-HH.")}},
        ) from None


@router.get("/attendance/days", response=list[DayOut], summary="Rekap presensi harian")
def days(
    request: HttpRequest,
    start: str = Query(..., alias="from"),
    end: str = Query(..., alias="to"),
    employee_id: int | None = None,
) -> list[DayOut]:
    """`from` dan `to` (TTTT-BB-HH, paling panjang 93 hari); `employee_id` opsional
    (bawaan: diri sendiri; pimpinan untuk unitnya, admin SDM untuk instansinya)."""
    records = selectors.daily_records(
        actor=request.user,
        start=_date(start, "from"),
        end=_date(end, "to"),
        employee_id=employee_id,
    )
    return [day_out(r) for r in records]


@router.get("/attendance/weeks/{week}", response=WeekOut, summary="Jam kerja mingguan")
def week(request: HttpRequest, week: str, employee_id: int | None = None) -> WeekOut:
    """Jam kerja minggu ISO (`2026-W49`) dibanding yang diwajibkan, dengan temuan
    WEEKLY_HOURS_SHORT bila kurang."""
    return week_out(
        selectors.attendance_week(actor=request.user, week=week, employee_id=employee_id)
    )
