"""The unit calendar in the API: ``GET /api/v1/units/{id}/calendar``."""


from django.http import HttpRequest
from ninja import Router

from fleksi.core import clock

from . import selectors
from .schemas import CalendarOut, calendar_out

router = Router(tags=["kerja fleksibel"])


@router.get(
    "/units/{unit_id}/calendar",
    response=CalendarOut,
    summary="Kalender mingguan unit dan keterisian kantor",
)
def unit_calendar(request: HttpRequest, unit_id: int, week: str = "") -> CalendarOut:
    """`week` dalam bentuk ISO `2026-W48` (bawaan: minggu ini)."""
    monday = selectors.parse_week(week) if week else clock.today()
    return calendar_out(
        selectors.unit_week_calendar(actor=request.user, unit_id=unit_id, week_start=monday)
    )
