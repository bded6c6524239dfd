"""Dates of the law, no agency policy: standard hours, holidays and cuti bersama, Ramadan of
the Hijri calendar, national flexible-work days, ISO weeks.

Perpres 21/2023: 5 working days (Monday-Friday), 37 h 30 min a week net of breaks
(7 h 30 min a day), in Ramadan 32 h 30 min (6 h 30 min a day); standard start 07:30
(08:00 in Ramadan); breaks 60 min (Friday 90 min), in Ramadan 30 min (Friday 60 min).
National holidays and cuti bersama come from the ``holidays`` package (country ID,
categories public + government). ``fleksi.policy.calendar`` adds the agency's policy.

Nothing here reads the clock: every function takes the dates it works on.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from types import MappingProxyType

import holidays

STANDARD_START = dt.time(7, 30)
RAMADAN_START = dt.time(8, 0)
STANDARD_DAY_MINUTES = 7 * 60 + 30
RAMADAN_DAY_MINUTES = 6 * 60 + 30
BREAK_MINUTES = 60
FRIDAY_BREAK_MINUTES = 90
RAMADAN_BREAK_MINUTES = 30
RAMADAN_FRIDAY_BREAK_MINUTES = 60
FRIDAY = 4

WEEKDAYS_ID = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

SE_2_2025 = "SE MenPANRB 2/2025"
SE_3_2025 = "SE MenPANRB 3/2025"
SE_B531_2025 = "Surat MenPANRB B/531/M.KT.02/2025"
SE_2_2026 = "SE MenPANRB 2/2026"

# National flexible-work days declared by circular (see docs/decisions/012-policy-calendar.md).
NATIONAL_FLEX_DAYS: Mapping[dt.date, str] = MappingProxyType(
    {
        # Nyepi and Idul Fitri 1446 H: 4 days before the holidays ...
        dt.date(2025, 3, 24): SE_2_2025,
        dt.date(2025, 3, 25): SE_2_2025,
        dt.date(2025, 3, 26): SE_2_2025,
        dt.date(2025, 3, 27): SE_2_2025,
        # ... and one day of the return journey, added by SE 3/2025 (amending SE 2/2025).
        dt.date(2025, 4, 8): SE_3_2025,
        # Christmas and New Year 2025/2026.
        dt.date(2025, 12, 29): SE_B531_2025,
        dt.date(2025, 12, 30): SE_B531_2025,
        dt.date(2025, 12, 31): SE_B531_2025,
        # Nyepi 1948 and Idul Fitri 1447 H: 2 days before Nyepi, 3 days after Idul Fitri.
        dt.date(2026, 3, 16): SE_2_2026,
        dt.date(2026, 3, 17): SE_2_2026,
        dt.date(2026, 3, 25): SE_2_2026,
        dt.date(2026, 3, 26): SE_2_2026,
        dt.date(2026, 3, 27): SE_2_2026,
    }
)


def week_label(day: dt.date) -> str:
    """The ISO week of a date as ``2026-W10``."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def week_monday(label: str) -> dt.date:
    """The Monday of an ISO week label ``2026-W10``."""
    year, week = label.split("-W")
    return dt.date.fromisocalendar(int(year), int(week), 1)


@functools.lru_cache(maxsize=64)
def national_holidays(year: int, language: str = "id") -> Mapping[dt.date, str]:
    """National holidays and cuti bersama of a year (``language`` ``id`` or ``en_US``)."""
    days = holidays.country_holidays(
        "ID", categories=("public", "government"), language=language, years=year
    )
    return MappingProxyType(dict(days.items()))


@functools.lru_cache(maxsize=64)
def hijri_ramadan_periods(year: int) -> tuple[tuple[dt.date, dt.date], ...]:
    """Ramadan (Hijri month 9) periods that start in a Gregorian year, from hijridate.

    Empty outside the range hijridate covers (about 1924-2077).
    """
    from hijridate import Gregorian, Hijri

    periods: list[tuple[dt.date, dt.date]] = []
    try:
        first = Gregorian(year, 1, 1).to_hijri().year
        last = Gregorian(year, 12, 31).to_hijri().year
        for hijri_year in range(first, last + 1):
            month = Hijri(hijri_year, 9, 1)
            start = month.to_gregorian()
            start_date = dt.date(start.year, start.month, start.day)
            if start_date.year == year:
                end = start_date + dt.timedelta(days=month.month_length() - 1)
                periods.append((start_date, end))
    except (OverflowError, ValueError):
        return ()
    return tuple(periods)


def net_minutes(
    start: dt.time, end: dt.time, break_minutes: int, *, overnight: bool = False
) -> int:
    """Net working minutes between ``start`` and ``end`` less the break (never negative).

    With ``overnight`` (a shift) an ``end`` before ``start`` is on the next day. An ``end``
    equal to ``start`` is no working time (the readers refuse such a row for every kind).
    """
    span = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
    if overnight and span < 0:
        span += 24 * 60
    return max(0, span - break_minutes)


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus whole months, clamped to the month's last day (31 Aug + 6 = 28/29 Feb).

    Beyond the dates Python can hold the result is ``date.max`` (or ``date.min``): a
    ``tmt_jabatan`` of 9999-12-31 keeps the employee "new", it does not crash the check.
    """
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    if year > dt.MAXYEAR:
        return dt.date.max
    if year < dt.MINYEAR:
        return dt.date.min
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(f"cannot add {months} months to {day}")
