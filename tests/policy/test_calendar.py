from __future__ import annotations

import datetime as dt

from fleksi.policy.calendar import (
    NATIONAL_FLEX_DAYS,
    AgencyCalendar,
    add_months,
    hijri_ramadan_periods,
    net_minutes,
    week_label,
    week_monday,
)
from fleksi.policy.model import Policy


def test_week_labels() -> None:
    assert week_label(dt.date(2026, 3, 2)) == "2026-W10"
    assert week_label(dt.date(2027, 1, 1)) == "2026-W53"
    assert week_monday("2026-W10") == dt.date(2026, 3, 2)


def test_working_days_and_holidays() -> None:
    calendar = AgencyCalendar()
    assert calendar.is_working_day(dt.date(2026, 5, 4))
    assert not calendar.is_working_day(dt.date(2026, 5, 9))  # Saturday
    assert not calendar.is_working_day(dt.date(2026, 8, 17))  # Independence Day
    assert not calendar.is_working_day(dt.date(2026, 3, 20))  # cuti bersama Idul Fitri
    assert [d.date.day for d in calendar.working_days("2026-W13")] == [25, 26, 27]
    assert calendar.required_minutes("2026-W13") == 3 * 450


def test_ramadan_from_hijri_calendar_and_override() -> None:
    assert hijri_ramadan_periods(2026) == ((dt.date(2026, 2, 18), dt.date(2026, 3, 19)),)
    calendar = AgencyCalendar()
    assert calendar.day(dt.date(2026, 3, 19)).ramadan
    assert not calendar.day(dt.date(2026, 3, 20)).ramadan
    assert calendar.required_minutes("2026-W10") == 5 * 390  # 32 h 30 min
    override = AgencyCalendar(Policy(ramadan=((dt.date(2026, 2, 19), dt.date(2026, 3, 20)),)))
    assert not override.day(dt.date(2026, 2, 18)).ramadan
    assert override.day(dt.date(2026, 2, 19)).ramadan


def test_standard_hours_and_breaks() -> None:
    calendar = AgencyCalendar()
    monday, friday = calendar.day(dt.date(2026, 5, 4)), calendar.day(dt.date(2026, 5, 8))
    assert (monday.start, monday.break_minutes, monday.standard_minutes) == (
        dt.time(7, 30),
        60,
        450,
    )
    assert friday.break_minutes == 90
    assert calendar.standard_end(dt.date(2026, 5, 4)) == dt.time(16, 0)
    assert calendar.standard_end(dt.date(2026, 5, 8)) == dt.time(16, 30)
    ramadan_friday = calendar.day(dt.date(2026, 3, 6))
    assert (ramadan_friday.start, ramadan_friday.break_minutes) == (dt.time(8, 0), 60)
    assert calendar.standard_end(dt.date(2026, 3, 2)) == dt.time(15, 0)
    assert calendar.required_minutes("2026-W19") == 37 * 60 + 30


def test_national_flex_days() -> None:
    assert NATIONAL_FLEX_DAYS[dt.date(2026, 3, 16)] == "SE MenPANRB 2/2026"
    assert NATIONAL_FLEX_DAYS[dt.date(2025, 4, 8)] == "SE MenPANRB 3/2025"
    assert AgencyCalendar().day(dt.date(2026, 3, 27)).national_flex == "SE MenPANRB 2/2026"


def test_helpers() -> None:
    assert net_minutes(dt.time(22), dt.time(6), 60, overnight=True) == 420
    assert net_minutes(dt.time(9), dt.time(9, 30), 60) == 0
    assert add_months(dt.date(2025, 8, 31), 6) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2025, 11, 5), 6) == dt.date(2026, 5, 5)
