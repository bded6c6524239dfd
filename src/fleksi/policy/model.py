"""The regulation's vocabulary as frozen dataclasses and Enums (no Django)."""

from __future__ import annotations

from enum import StrEnum


class EmployeeKind(StrEnum):
    PNS = "PNS"
    PPPK = "PPPK"


class TimeFlexibility(StrEnum):
    """Time flexibility an employee's tasks allow (``employees.csv`` column ``waktu``)."""

    NONE = "tidak"
    DYNAMIC = "dinamis"
    SHIFT = "sif"
