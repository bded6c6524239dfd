"""Working days and hours (Perpres 21/2023) and time flexibility (PermenPANRB 4/2025 Pasal 17)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from fleksi.policy.calendar import DayInfo, net_minutes
from fleksi.policy.codes import Numbers, RuleCode, Texts, declare
from fleksi.policy.enums import Confidence, Granularity, Severity, TimeFlexibility, TimeKind
from fleksi.policy.messages import duration_en, duration_id
from fleksi.policy.model import DayPlan, EmployeeFacts, Finding
from fleksi.policy.rules.base import P4, P21, Env, hhmm


def effective_plan(plan: DayPlan, day: DayInfo) -> DayPlan:
    """The day as the rules check it: a ``reguler`` row whose hours differ from the day's
    standard timetable is a dynamic day, whatever it is labelled (FORMATS.md)."""
    if (
        plan.time_kind is TimeKind.REGULAR
        and plan.start is not None
        and plan.end is not None
        and (plan.start != day.start or plan.end != day.standard_end)
    ):
        return replace(plan, time_kind=TimeKind.DYNAMIC)
    return plan


def worked_minutes(plan: DayPlan, day: DayInfo) -> int:
    """Net minutes of a planned day: its hours less the day's break, or the standard."""
    if plan.start is None or plan.end is None:
        return day.standard_minutes
    return net_minutes(
        plan.start, plan.end, day.break_minutes, overnight=plan.time_kind is TimeKind.SHIFT
    )


def week_minutes(rows: Sequence[tuple[DayPlan, DayInfo]], required: int) -> int:
    """Net minutes of a week: days without a row are standard working days."""
    total = required
    for plan, day in rows:
        worked = worked_minutes(plan, day)
        total += worked - day.standard_minutes if day.working else worked
    return total


def _weekly_hours_short(n: Numbers) -> Texts:
    minutes, required = int(n["minutes"]), int(n["required"])
    short = required - minutes
    return (
        f"Jam kerja pada minggu {n['week']} {duration_id(minutes)}, kurang "
        f"{duration_id(short)} dari {duration_id(required)} yang diwajibkan "
        f"({n['working_days']} hari kerja).",
        f"Working time in week {n['week']} is {duration_en(minutes)}, "
        f"{duration_en(short)} short of the required {duration_en(required)} "
        f"({n['working_days']} working days).",
    )

@declare(
    RuleCode.WEEKLY_HOURS_SHORT,
    granularity=Granularity.WEEK,
    basis=f"{P21} Pasal 4 ayat (1)-(2), Pasal 6, Pasal 9",
    confidence=Confidence.H,
    confidence_note="H / L (dihitung per hari kerja)",
    title_id="Jam kerja mingguan kurang",
    title_en="Weekly working hours short",
    message=_weekly_hours_short,
    setting="ramadan, extra_non_working_days",
    default="Ramadan dari kalender Hijriah; []",
)
def weekly_hours_short(
    employee: EmployeeFacts, week: str, rows: Sequence[tuple[DayPlan, DayInfo]], env: Env
) -> Finding | None:
    """37 h 30 min a week (32 h 30 min in Ramadan), pro-rated by the week's working days."""
    required = env.calendar.required_minutes(week)
    minutes = week_minutes(rows, required)
    if minutes >= required:
        return None
    return env.finding(
        RuleCode.WEEKLY_HOURS_SHORT,
        nip=employee.nip,
        unit=employee.unit,
        date=None,
        week=week,
        minutes=minutes,
        required=required,
        working_days=len(env.calendar.working_days(week)),
    )


def _start_before_standard(n: Numbers) -> Texts:
    return (
        f"Mulai pukul {n['start']} pada {n['date']}, sebelum jam mulai standar "
        f"{n['standard']}; jam di luar ketentuan dapat dipertimbangkan sebagai kinerja.",
        f"Starts at {n['start']} on {n['date']}, before the standard start {n['standard']}; "
        "hours beyond the requirement may be considered as performance.",
    )

@declare(
    RuleCode.START_BEFORE_STANDARD,
    granularity=Granularity.DAY,
    severity=Severity.INFO,
    basis=f"{P21} Pasal 4 ayat (3)-(7), Pasal 5",
    confidence=Confidence.H,
    confidence_note="H (jam mulai, istirahat) / L (jadwal)",
    title_id="Mulai sebelum jam mulai standar",
    title_en="Start before the standard start",
    message=_start_before_standard,
    setting="ramadan",
    default="07:30 (Ramadan 08:00)",
)
def start_before_standard(
    employee: EmployeeFacts, plan: DayPlan, day: DayInfo, env: Env
) -> Finding | None:
    """Information: a day (not a shift) starting before 07:30 (08:00 in Ramadan)."""
    if plan.time_kind is TimeKind.SHIFT or plan.start is None or plan.start >= day.start:
        return None
    return env.finding(
        RuleCode.START_BEFORE_STANDARD,
        nip=employee.nip,
        unit=employee.unit,
        date=plan.date,
        week=day.week,
        start=hhmm(plan.start),
        standard=hhmm(day.start),
    )


def _dynamic_not_eligible(n: Numbers) -> Texts:
    if n.get("reason") == "window":
        return (
            f"Kerja dinamis pada {n['date']} mulai pukul {n['start']}, di luar rentang jam "
            f"mulai instansi {n['earliest']}-{n['latest']}.",
            f"Dynamic hours on {n['date']} start at {n['start']}, outside the agency's start "
            f"window {n['earliest']}-{n['latest']}.",
        )
    return (
        f"Kerja dinamis pada {n['date']} tidak diizinkan: tugas pegawai tidak ditetapkan "
        "untuk kerja dinamis.",
        f"Dynamic hours on {n['date']} are not allowed: the employee's tasks are not set for "
        "dynamic hours.",
    )

@declare(
    RuleCode.DYNAMIC_NOT_ELIGIBLE,
    granularity=Granularity.DAY,
    basis=f"{P4} Pasal 17 huruf b, Pasal 24",
    confidence=Confidence.M,
    confidence_note="H (jenis) / M (Pasal 24)",
    title_id="Kerja dinamis tidak diizinkan untuk pegawai ini atau di luar jam mulai instansi",
    title_en="Dynamic hours not allowed for this employee or outside the agency's start window",
    message=_dynamic_not_eligible,
    setting="dynamic_start_window, severity",
    default="tidak ada rentang; error",
)
def dynamic_not_eligible(
    employee: EmployeeFacts, plan: DayPlan, day: DayInfo, env: Env
) -> Finding | None:
    """Dynamic hours only for employees whose tasks allow them; within the agency's window.
    A ``reguler`` row whose hours differ from the standard timetable is a dynamic day."""
    if plan.time_kind is not TimeKind.DYNAMIC:
        return None
    if employee.time_flexibility is not TimeFlexibility.DYNAMIC:
        return env.finding(
            RuleCode.DYNAMIC_NOT_ELIGIBLE,
            nip=employee.nip,
            unit=employee.unit,
            date=plan.date,
            week=day.week,
            reason="not_allowed",
        )
    window = env.policy.dynamic_start_window
    if window is None:
        return None
    start = plan.start or day.start
    earliest, latest = window
    if earliest <= start <= latest:
        return None
    return env.finding(
        RuleCode.DYNAMIC_NOT_ELIGIBLE,
        nip=employee.nip,
        unit=employee.unit,
        date=plan.date,
        week=day.week,
        reason="window",
        start=hhmm(start),
        earliest=hhmm(earliest),
        latest=hhmm(latest),
    )


def _shift_not_eligible(n: Numbers) -> Texts:
    return (
        f"Kerja sif pada {n['date']} tidak diizinkan: pegawai tidak ditetapkan untuk kerja sif "
        "(hanya untuk layanan lebih dari 8 jam 30 menit sehari atau lebih dari 5 hari kerja "
        "seminggu).",
        f"Shift work on {n['date']} is not allowed: the employee is not set for shift work "
        "(only for services needing more than 8 h 30 min a day or more than 5 working days "
        "a week).",
    )

@declare(
    RuleCode.SHIFT_NOT_ELIGIBLE,
    granularity=Granularity.DAY,
    basis=f"{P4} Pasal 17 huruf a, Pasal 24",
    confidence=Confidence.M,
    confidence_note="H (jenis) / M (Pasal 24)",
    title_id="Kerja sif tidak diizinkan untuk pegawai ini",
    title_en="Shift work not allowed for this employee",
    message=_shift_not_eligible,
    setting="severity",
    default="error",
)
def shift_not_eligible(
    employee: EmployeeFacts, plan: DayPlan, day: DayInfo, env: Env
) -> Finding | None:
    """Shifts only for employees (units, tasks) set for shift work."""
    if plan.time_kind is not TimeKind.SHIFT or employee.time_flexibility is TimeFlexibility.SHIFT:
        return None
    return env.finding(
        RuleCode.SHIFT_NOT_ELIGIBLE,
        nip=employee.nip,
        unit=employee.unit,
        date=plan.date,
        week=day.week,
    )


def _non_working_day(n: Numbers) -> Texts:
    return (
        f"{n['date']} bukan hari kerja ({n['closed_id']}).",
        f"{n['date']} is not a working day ({n['closed_en']}).",
    )

def _service_unit_excepted(n: Numbers) -> Texts:
    return (
        f"{n['date']} bukan hari kerja ({n['closed_id']}), tetapi unit {n['unit']} adalah unit "
        "pelayanan dengan hari dan jam kerja yang ditetapkan PPK.",
        f"{n['date']} is not a working day ({n['closed_en']}), but unit {n['unit']} is a "
        "service unit with working days and hours set by the PPK.",
    )

@declare(
    RuleCode.SERVICE_UNIT_EXCEPTED,
    granularity=Granularity.DAY,
    severity=Severity.INFO,
    basis=f"{P21} Pasal 7 ayat (1)-(2)",
    confidence=Confidence.H,
    title_id="Unit pelayanan: hari/jam kerja lain ditetapkan PPK",
    title_en="Service unit: other days/hours set by the PPK",
    message=_service_unit_excepted,
    setting="service_units",
    default="[]",
)
@declare(
    RuleCode.NON_WORKING_DAY,
    granularity=Granularity.DAY,
    basis=f"{P21} Pasal 3 ayat (2), Pasal 6",
    confidence=Confidence.H,
    title_id="Bukan hari kerja",
    title_en="Not a working day",
    message=_non_working_day,
    setting="extra_non_working_days",
    default="[]",
)
def non_working_day(
    employee: EmployeeFacts, plan: DayPlan, day: DayInfo, env: Env
) -> Finding | None:
    """No work planned on weekends, holidays, cuti bersama or agency days off.

    Allowed for shift workers on a shift; a service unit (Perpres Pasal 7) gets an
    information finding ``SERVICE_UNIT_EXCEPTED`` instead.
    """
    if day.working:
        return None
    if plan.time_kind is TimeKind.SHIFT and employee.time_flexibility is TimeFlexibility.SHIFT:
        return None
    code = (
        RuleCode.SERVICE_UNIT_EXCEPTED
        if env.is_service_unit(employee.unit)
        else RuleCode.NON_WORKING_DAY
    )
    return env.finding(
        code,
        nip=employee.nip,
        unit=employee.unit,
        date=plan.date,
        week=day.week,
        closed_id=day.closed_id,
        closed_en=day.closed_en,
    )
