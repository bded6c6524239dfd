"""API shapes of presensi (issue 8). Coordinates are never returned."""

import datetime as dt

from ninja import Schema

from .models import CheckIn, DailyRecord
from .selectors import WeekView


class CheckInOut(Schema):
    id: int
    kind: str
    location: str
    client_time: dt.datetime
    server_time: dt.datetime
    work_date: dt.date
    flags: list[str]


def check_in_out(record: CheckIn) -> CheckInOut:
    return CheckInOut(
        id=record.pk,
        kind=record.kind,
        location=record.location,
        client_time=record.client_time,
        server_time=record.server_time,
        work_date=record.work_date,
        flags=list(record.flags),
    )


class DayOut(Schema):
    employee_id: int
    work_date: dt.date
    status: str
    planned_location: str
    planned_start: dt.time | None
    planned_end: dt.time | None
    first_in: dt.datetime | None
    first_in_location: str
    last_out: dt.datetime | None
    worked_minutes: int
    flags: list[str]


def day_out(record: DailyRecord) -> DayOut:
    return DayOut(
        employee_id=record.employee_id,
        work_date=record.work_date,
        status=record.status,
        planned_location=record.planned_location,
        planned_start=record.planned_start,
        planned_end=record.planned_end,
        first_in=record.first_in,
        first_in_location=record.first_in_location,
        last_out=record.last_out,
        worked_minutes=record.worked_minutes,
        flags=list(record.flags),
    )


class WeekDayOut(Schema):
    date: dt.date
    is_working_day: bool
    ramadan: bool
    required_minutes: int
    worked_minutes: int
    status: str


class FindingOut(Schema):
    code: str
    severity: str
    basis: str
    message: str
    message_en: str


class WeekOut(Schema):
    employee_id: int
    week: str
    start: dt.date
    end: dt.date
    worked_minutes: int
    required_minutes: int
    working_days: int
    short: bool
    days: list[WeekDayOut]
    findings: list[FindingOut]


def week_out(view: WeekView) -> WeekOut:
    return WeekOut(
        employee_id=view.employee_id,
        week=view.week,
        start=view.start,
        end=view.end,
        worked_minutes=view.worked_minutes,
        required_minutes=view.required_minutes,
        working_days=view.working_days,
        short=view.worked_minutes < view.required_minutes,
        days=[WeekDayOut(**vars(d)) for d in view.days],
        findings=[FindingOut(**vars(f)) for f in view.findings],
    )
