"""API shapes of the unit calendar (unchanged since the split of the arrangements app)."""


import datetime as dt

from ninja import Schema

from .selectors import CalendarWeek


class CalendarDayOut(Schema):
    date: dt.date
    is_working_day: bool
    holiday: str
    national_flex: str


class CalendarCellOut(Schema):
    date: dt.date
    location_kind: str
    location_label: str
    time_kind: str
    start: str | None
    end: str | None
    is_special: bool
    request_id: int | None


class CalendarRowOut(Schema):
    employee_id: int
    name: str
    nip: str
    cells: list[CalendarCellOut]


class CoverageOut(Schema):
    date: dt.date
    is_working_day: bool
    office: int
    total: int
    share: float | None
    minimum: float
    required: int
    below_minimum: bool


class CalendarOut(Schema):
    unit_id: int
    unit_code: str
    unit_name: str
    week: str
    week_start: dt.date
    previous_week: str
    next_week: str
    days: list[CalendarDayOut]
    rows: list[CalendarRowOut]
    coverage: list[CoverageOut]


def calendar_out(week: CalendarWeek) -> CalendarOut:
    def hhmm(value: dt.time | None) -> str | None:
        return f"{value:%H:%M}" if value else None

    return CalendarOut(
        unit_id=week.unit.pk,
        unit_code=week.unit.code,
        unit_name=week.unit.name,
        week=week.week,
        week_start=week.week_start,
        previous_week=week.previous_week,
        next_week=week.next_week,
        days=[
            CalendarDayOut(
                date=d.date,
                is_working_day=d.is_working_day,
                holiday=d.holiday,
                national_flex=d.national_flex,
            )
            for d in week.days
        ],
        rows=[
            CalendarRowOut(
                employee_id=r.employee_id,
                name=r.name,
                nip=r.nip,
                cells=[
                    CalendarCellOut(
                        date=c.date,
                        location_kind=c.location_kind,
                        location_label=c.location_label,
                        time_kind=c.time_kind,
                        start=hhmm(c.start),
                        end=hhmm(c.end),
                        is_special=c.is_special,
                        request_id=c.request_id,
                    )
                    for c in r.cells
                ],
            )
            for r in week.rows
        ],
        coverage=[
            CoverageOut(
                date=c.date,
                is_working_day=c.is_working_day,
                office=c.office,
                total=c.total,
                share=c.share,
                minimum=c.minimum,
                required=c.required,
                below_minimum=c.below_minimum,
            )
            for c in week.coverage
        ],
    )
