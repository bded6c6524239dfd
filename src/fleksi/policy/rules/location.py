"""Location flexibility (PermenPANRB 4/2025 Pasal 12, 13; national flexible-work days)."""

from __future__ import annotations

from collections.abc import Sequence

from fleksi.policy.calendar import DayInfo
from fleksi.policy.codes import Numbers, RuleCode, Texts, declare
from fleksi.policy.enums import (
    AWAY_KINDS,
    Confidence,
    Granularity,
    LocationKind,
    Severity,
    TimeFlexibility,
    TimeKind,
)
from fleksi.policy.messages import LOCATION_NAMES_EN, LOCATION_NAMES_ID
from fleksi.policy.model import DayPlan, EmployeeFacts, Finding
from fleksi.policy.rules.base import P4, Env

_KIND_ORDER = (LocationKind.OTHER_OFFICE, LocationKind.HOME, LocationKind.OTHER_LOCATION)


def _location_kind_invalid(n: Numbers) -> Texts:
    location = str(n["location"])
    if n.get("reason") == "unlisted":
        return (
            f"Lokasi lain pada {n['date']} tidak ada dalam daftar lokasi yang ditetapkan instansi.",
            f"The other location on {n['date']} is not on the agency's list of locations.",
        )
    allowed = str(n.get("allowed", ""))
    allowed_id = ", ".join(LOCATION_NAMES_ID.get(k, k) for k in allowed.split(",") if k)
    allowed_en = ", ".join(LOCATION_NAMES_EN.get(k, k) for k in allowed.split(",") if k)
    return (
        f"Bekerja di {LOCATION_NAMES_ID.get(location, location)} pada {n['date']} tidak "
        f"diizinkan instansi; yang diizinkan: {allowed_id or 'hanya kantor'}.",
        f"Working at {LOCATION_NAMES_EN.get(location, location)} on {n['date']} is not "
        f"allowed by the agency; allowed: {allowed_en or 'the office only'}.",
    )

@declare(
    RuleCode.LOCATION_KIND_INVALID,
    granularity=Granularity.DAY,
    basis=f"{P4} Pasal 12 ayat (1)-(2)",
    confidence=Confidence.H,
    confidence_note="H (jenis) / M (rincian)",
    title_id="Jenis lokasi tidak diizinkan",
    title_en="Location kind not allowed",
    message=_location_kind_invalid,
    setting="allowed_location_kinds",
    default="kantor_lain, rumah, lokasi_lain",
)
def location_kind_invalid(
    employee: EmployeeFacts, plan: DayPlan, day: DayInfo, env: Env
) -> Finding | None:
    """The place must be a kind the agency allows; a lokasi_lain must be on its list."""
    location = plan.location
    if not location.away:
        return None
    allowed = env.policy.allowed_location_kinds
    if location in allowed:
        if location is not LocationKind.OTHER_LOCATION or plan.location_listed is not False:
            return None
        reason = "unlisted"
    else:
        reason = "kind"
    return env.finding(
        RuleCode.LOCATION_KIND_INVALID,
        nip=employee.nip,
        unit=employee.unit,
        date=plan.date,
        week=day.week,
        location=location.value,
        reason=reason,
        allowed=",".join(k.value for k in _KIND_ORDER if k in allowed and k in AWAY_KINDS),
    )


def _domicile_not_registered(n: Numbers) -> Texts:
    return (
        f"Bekerja dari rumah pada {n['date']} tidak dapat dilakukan: domisili pegawai belum "
        "terdaftar dalam data kepegawaian.",
        f"Working from home on {n['date']} is not possible: the employee has no domicile "
        "registered in the personnel data.",
    )


@declare(
    RuleCode.DOMICILE_NOT_REGISTERED,
    granularity=Granularity.DAY,
    basis=f"{P4} Pasal 12 ayat (3)",
    confidence=Confidence.H,
    title_id="Domisili pegawai belum terdaftar",
    title_en="No registered domicile",
    message=_domicile_not_registered,
)
def domicile_not_registered(
    employee: EmployeeFacts, plan: DayPlan, day: DayInfo, env: Env
) -> Finding | None:
    """A home day is at the domicile "yang telah terdaftar dalam data kepegawaian": no
    registered domicile (``domisili`` in employees.csv), no home day."""
    if plan.location is not LocationKind.HOME or employee.domicile_registered:
        return None
    return env.finding(
        RuleCode.DOMICILE_NOT_REGISTERED,
        nip=employee.nip,
        unit=employee.unit,
        date=plan.date,
        week=day.week,
    )


def _national_flex_day(n: Numbers) -> Texts:
    if n.get("counted"):
        return (
            f"{n['date']} adalah hari kerja fleksibel nasional ({n['circular']}); menurut "
            "kebijakan instansi hari ini tetap dihitung dalam batas hari kerja di luar kantor.",
            f"{n['date']} is a national flexible-work day ({n['circular']}); by the agency's "
            "policy it still counts toward the weekly limit of days away from the office.",
        )
    return (
        f"{n['date']} adalah hari kerja fleksibel nasional ({n['circular']}); hari ini tidak "
        "dihitung dalam batas hari kerja di luar kantor.",
        f"{n['date']} is a national flexible-work day ({n['circular']}); it does not count "
        "toward the weekly limit of days away from the office.",
    )

@declare(
    RuleCode.NATIONAL_FLEX_DAY,
    granularity=Granularity.DAY,
    severity=Severity.INFO,
    basis="Surat Edaran atau Surat MenPANRB yang menetapkan hari tersebut",
    confidence=Confidence.H,
    confidence_note="H (tanggal) / M (dihitung dalam batas)",
    title_id="Hari kerja fleksibel nasional",
    title_en="National flexible-work day",
    message=_national_flex_day,
    setting="national_flex_days_count_toward_cap",
    default="false",
)
def national_flex_day(
    employee: EmployeeFacts, plan: DayPlan, day: DayInfo, env: Env
) -> Finding | None:
    """Information: an away day on a day declared by circular (counted or not in the cap).
    The finding's basis is the circular of that day."""
    if day.national_flex is None or not plan.location.away:
        return None
    return env.finding(
        RuleCode.NATIONAL_FLEX_DAY,
        nip=employee.nip,
        unit=employee.unit,
        date=plan.date,
        week=day.week,
        basis=day.national_flex,
        circular=day.national_flex,
        counted=int(env.policy.national_flex_days_count_toward_cap),
    )


def counts_as_working_day(employee: EmployeeFacts, plan: DayPlan, day: DayInfo) -> bool:
    """A working day of the calendar, or, for a shift worker, a ``sif`` row on a weekend or
    holiday (FORMATS.md: it is one of the employee's working days)."""
    return day.working or (
        plan.time_kind is TimeKind.SHIFT and employee.time_flexibility is TimeFlexibility.SHIFT
    )


def away_days_counted(
    employee: EmployeeFacts, rows: Sequence[tuple[DayPlan, DayInfo]], env: Env
) -> int:
    """Working days away from the office that count toward the weekly cap.

    Not counted: non-working days (except a shift worker's shift); national flexible-work
    days (unless the agency counts them); days inside an approved keadaan khusus period.
    """
    count_flex = env.policy.national_flex_days_count_toward_cap
    special = employee.special_periods
    count = 0
    for plan, day in rows:
        if not plan.location.away or not counts_as_working_day(employee, plan, day):
            continue
        if day.national_flex is not None and not count_flex:
            continue
        if special and employee.in_special_period(plan.date):
            continue
        count += 1
    return count


def _location_max_days(n: Numbers) -> Texts:
    return (
        f"{n['days']} hari kerja di luar kantor pada minggu {n['week']}; paling banyak {n['max']}.",
        f"{n['days']} working days away from the office in week {n['week']}; at most {n['max']}.",
    )

@declare(
    RuleCode.LOCATION_MAX_DAYS_PER_WEEK,
    granularity=Granularity.WEEK,
    basis=f"{P4} Pasal 13 ayat (1)",
    confidence=Confidence.H,
    title_id="Lebih dari batas hari kerja di luar kantor dalam 1 minggu",
    title_en="More working days away from the office in one week than allowed",
    message=_location_max_days,
    setting="max_location_days_per_week",
    default="2 (0..2)",
)
def location_max_days_per_week(
    employee: EmployeeFacts, week: str, rows: Sequence[tuple[DayPlan, DayInfo]], env: Env
) -> Finding | None:
    """At most 2 (or the agency's fewer) working days a week away from the office; a shift
    worker's weekend or holiday shift away from the office counts.

    Exceptions (Pasal 13 ayat (2)): field work has no cap; a keadaan khusus lifts it for
    its period.
    """
    if employee.field_work:
        return None
    days = away_days_counted(employee, rows, env)
    limit = env.policy.max_location_days_per_week
    if days <= limit:
        return None
    return env.finding(
        RuleCode.LOCATION_MAX_DAYS_PER_WEEK,
        nip=employee.nip,
        unit=employee.unit,
        date=None,
        week=week,
        days=days,
        max=limit,
    )
