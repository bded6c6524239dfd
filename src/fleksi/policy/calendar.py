"""The working calendar of one agency: the law's dates (``dates``) plus the agency policy.

Nothing here reads the clock: every function takes the dates it works on.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from fleksi.policy.dates import (
    BREAK_MINUTES,
    FRIDAY,
    FRIDAY_BREAK_MINUTES,
    NATIONAL_FLEX_DAYS,
    RAMADAN_BREAK_MINUTES,
    RAMADAN_DAY_MINUTES,
    RAMADAN_FRIDAY_BREAK_MINUTES,
    RAMADAN_START,
    STANDARD_DAY_MINUTES,
    STANDARD_START,
    WEEKDAYS_EN,
    WEEKDAYS_ID,
    add_months,
    hijri_ramadan_periods,
    national_holidays,
    net_minutes,
    week_label,
    week_monday,
)
from fleksi.policy.settings import Policy

__all__ = [
    "NATIONAL_FLEX_DAYS",
    "AgencyCalendar",
    "DayInfo",
    "add_months",
    "hijri_ramadan_periods",
    "national_holidays",
    "net_minutes",
    "week_label",
    "week_monday",
]


@dataclass(frozen=True, slots=True)
class DayInfo:
    """Everything the rules need to know about one calendar date."""

    date: dt.date
    weekday: int  # 0 Monday .. 6 Sunday
    week: str  # ISO week label
    working: bool
    closed_id: str  # why it is not a working day ("" if it is one)
    closed_en: str
    ramadan: bool
    national_flex: str | None  # the circular declaring it, or None
    start: dt.time  # standard start
    break_minutes: int
    standard_minutes: int  # net standard working time

    @property
    def standard_end(self) -> dt.time:
        """The end of the standard timetable (Mon-Thu 16:00, Fri 16:30; Ramadan 15:00/15:30)."""
        minutes = self.start.hour * 60 + self.start.minute
        minutes += self.standard_minutes + self.break_minutes
        return dt.time(minutes // 60 % 24, minutes % 60)


class AgencyCalendar:
    """The working calendar of one agency policy; every date is computed once and cached."""

    def __init__(self, policy: Policy | None = None) -> None:
        self.policy = policy or Policy()
        self._days: dict[dt.date, DayInfo] = {}
        self._weeks: dict[str, tuple[DayInfo, ...]] = {}
        self._ramadan: dict[int, tuple[tuple[dt.date, dt.date], ...]] = {}

    def ramadan_periods(self, year: int) -> tuple[tuple[dt.date, dt.date], ...]:
        """Ramadan periods starting in ``year``: the policy's if it has any for that year."""
        periods = self._ramadan.get(year)
        if periods is None:
            override = self.policy.ramadan
            own = tuple(p for p in override or () if p[0].year == year)
            periods = own if own else hijri_ramadan_periods(year)
            self._ramadan[year] = periods
        return periods

    def is_ramadan(self, day: dt.date) -> bool:
        for year in (day.year, day.year - 1):
            for start, end in self.ramadan_periods(year):
                if start <= day <= end:
                    return True
        return False

    def day(self, day: dt.date) -> DayInfo:
        info = self._days.get(day)
        if info is None:
            info = self._days[day] = self._compute(day)
        return info

    def _compute(self, day: dt.date) -> DayInfo:
        weekday = day.weekday()
        closed_id = closed_en = ""
        if weekday >= 5:
            closed_id, closed_en = WEEKDAYS_ID[weekday], WEEKDAYS_EN[weekday]
        else:
            name = national_holidays(day.year).get(day)
            if name is not None:
                closed_id = name
                closed_en = national_holidays(day.year, "en_US").get(day, name)
            elif day in self.policy.extra_non_working_days:
                closed_id, closed_en = "hari libur instansi", "agency non-working day"
        ramadan = self.is_ramadan(day)
        friday = weekday == FRIDAY
        if ramadan:
            start = RAMADAN_START
            break_minutes = RAMADAN_FRIDAY_BREAK_MINUTES if friday else RAMADAN_BREAK_MINUTES
            standard = RAMADAN_DAY_MINUTES
        else:
            start = STANDARD_START
            break_minutes = FRIDAY_BREAK_MINUTES if friday else BREAK_MINUTES
            standard = STANDARD_DAY_MINUTES
        working = not closed_id
        return DayInfo(
            date=day,
            weekday=weekday,
            week=week_label(day),
            working=working,
            closed_id=closed_id,
            closed_en=closed_en,
            ramadan=ramadan,
            national_flex=(
                (self.policy.declared_flex_days.get(day) or NATIONAL_FLEX_DAYS.get(day))
                if working
                else None
            ),
            start=start,
            break_minutes=break_minutes,
            standard_minutes=standard,
        )

    def is_working_day(self, day: dt.date) -> bool:
        return self.day(day).working

    def week(self, label: str) -> tuple[DayInfo, ...]:
        """The seven days (Monday to Sunday) of an ISO week."""
        days = self._weeks.get(label)
        if days is None:
            monday = week_monday(label)
            days = tuple(self.day(monday + dt.timedelta(days=i)) for i in range(7))
            self._weeks[label] = days
        return days

    def working_days(self, label: str) -> tuple[DayInfo, ...]:
        return tuple(d for d in self.week(label) if d.working)

    def required_minutes(self, label: str) -> int:
        """Net minutes required in an ISO week: the standard of each working day."""
        return sum(d.standard_minutes for d in self.week(label) if d.working)

    def standard_end(self, day: dt.date) -> dt.time:
        """The usual end of a standard day (Mon-Thu 16:00, Fri 16:30; Ramadan 15:00/15:30)."""
        return self.day(day).standard_end
