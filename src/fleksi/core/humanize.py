"""Dates and durations as people read them: "7-11 Des 2026", "Senin", "7 jam 30 menit".

Rule codes and ISO weeks stay small beside these on screen (see ARCHITECTURE.md, front end).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

WEEKDAY_NAMES: dict[int, Any] = {
    0: _("Senin"),
    1: _("Selasa"),
    2: _("Rabu"),
    3: _("Kamis"),
    4: _("Jumat"),
    5: _("Sabtu"),
    6: _("Minggu"),
}

_MONTHS_ID = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _months() -> tuple[str, ...]:
    return _MONTHS_EN if (get_language() or "id").startswith("en") else _MONTHS_ID


def day_text(day: dt.date, *, year: bool = True) -> str:
    """ "7 Des 2026" (or "7 Des" without the year)."""
    text = f"{day.day} {_months()[day.month - 1]}"
    return f"{text} {day.year}" if year else text


def date_range_text(first: dt.date, last: dt.date) -> str:
    """ "7-11 Des 2026", "30 Nov-4 Des 2026", "29 Des 2026-2 Jan 2027"; one day: "7 Des 2026"."""
    if first > last:
        first, last = last, first
    if first == last:
        return day_text(first)
    months = _months()
    if first.year != last.year:
        return f"{day_text(first)}\u2013{day_text(last)}"
    if first.month != last.month:
        return f"{first.day} {months[first.month - 1]}\u2013{day_text(last)}"
    return f"{first.day}\u2013{day_text(last)}"


def week_text(monday: dt.date) -> str:
    """The working week of ``monday`` as a date range (Monday to Friday)."""
    return date_range_text(monday, monday + dt.timedelta(days=4))
