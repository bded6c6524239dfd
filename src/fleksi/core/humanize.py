"""Dates and durations as people read them: "7-11 Des 2026", "Senin", "7 jam 30 menit".

Rule codes and ISO weeks stay small beside these on screen (see ARCHITECTURE.md, front end).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
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


WEEKDAY_SHORT: dict[int, Any] = {
    0: _("Sen"),
    1: _("Sel"),
    2: _("Rab"),
    3: _("Kam"),
    4: _("Jum"),
    5: _("Sab"),
    6: _("Min"),
}


def short_day_text(day: dt.date) -> str:
    """ "Sen 23 Nov": a day inside a week the reader already sees."""
    return f"{WEEKDAY_SHORT[day.weekday()]} {day_text(day, year=False)}"


def date_ranges_text(dates: Iterable[dt.date]) -> str:
    """Dates as ranges of consecutive days: "23-25 Nov 2026, 30 Nov 2026"."""
    days = sorted(set(dates))
    if not days:
        return ""
    runs: list[tuple[dt.date, dt.date]] = []
    first = last = days[0]
    for day in days[1:]:
        if day == last + dt.timedelta(days=1):
            last = day
            continue
        runs.append((first, last))
        first = last = day
    runs.append((first, last))
    return ", ".join(date_range_text(a, b) for a, b in runs)


def week_label_text(label: str) -> str:
    """An ISO week label ("2026-W48") as its working week ("23-27 Nov 2026"); other text as is."""
    match = _WEEK.fullmatch(label or "")
    if not match:
        return label or ""
    try:
        monday = dt.date.fromisocalendar(int(match[1]), int(match[2]), 1)
    except ValueError:
        return label
    return week_text(monday)


_WEEK = re.compile(r"(\d{4})-W(\d{2})")
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def plain_text(text: str) -> str:
    """A message as people read it: ISO weeks become "minggu 23-27 Nov 2026" date ranges and
    ISO dates "23 Nov 2026" (the stored message and the API keep the ISO forms)."""

    def week(match: re.Match[str]) -> str:
        return week_label_text(match[0])

    def day(match: re.Match[str]) -> str:
        try:
            return day_text(dt.date(int(match[1]), int(match[2]), int(match[3])))
        except ValueError:
            return match[0]

    return _ISO_DATE.sub(day, _WEEK.sub(week, str(text)))
