"""The typed input of the request services (filled by forms.py and schemas.py alike)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class OutputInput:
    description: str
    target_quantity: Decimal = Decimal(1)
    unit: str = "dokumen"
    due_date: dt.date | None = None


@dataclass(frozen=True)
class RequestInput:
    """What an employee asks for. `weekdays` are 0=Monday..4=Friday; `hours` maps a weekday
    ("0".."6") to (start, end) as "HH:MM" for dynamic hours or a shift."""

    start_date: dt.date
    end_date: dt.date
    location_kind: str = "kantor"
    office_id: int | None = None
    place_id: int | None = None
    place_description: str = ""
    schedule_mode: str = "dates"
    weekdays: tuple[int, ...] = ()
    dates: tuple[dt.date, ...] = ()
    time_kind: str = "reguler"
    hours: dict[str, tuple[str, str]] = field(default_factory=dict)
    is_special: bool = False
    special_description: str = ""
    reason: str = ""
    work_plan: str = ""
    outputs: tuple[OutputInput, ...] = ()
