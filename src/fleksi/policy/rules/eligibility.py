"""Scope and eligibility (PermenPANRB 4/2025 Pasal 23, 25, 26, 38; Perpres 21/2023 Pasal 8).

Each rule looks at one planned day that uses flexible work (``DayPlan.flexible``: a place
other than the office, or dynamic or shift hours) and says whether the employee may.
"""

from __future__ import annotations

from fleksi.policy.calendar import DayInfo, add_months
from fleksi.policy.codes import Numbers, RuleCode, Texts, declare
from fleksi.policy.enums import Confidence, Granularity
from fleksi.policy.messages import LOCATION_NAMES_EN, LOCATION_NAMES_ID
from fleksi.policy.model import DayPlan, EmployeeFacts, Finding
from fleksi.policy.rules.base import P4, P21, Env


def _agency_not_enabled(n: Numbers) -> Texts:
    unit = n.get("disabled_unit", "")
    if unit:
        return (
            f"Unit {unit} belum menerapkan kerja fleksibel; {n['date']} harus dijalankan di "
            "kantor dengan jam kerja reguler.",
            f"Unit {unit} has not enabled flexible work; {n['date']} must be worked at the "
            "office with regular hours.",
        )
    return (
        f"Instansi belum menerapkan kerja fleksibel; {n['date']} harus dijalankan di kantor "
        "dengan jam kerja reguler.",
        f"The agency has not enabled flexible work; {n['date']} must be worked at the office "
        "with regular hours.",
    )

@declare(
    RuleCode.AGENCY_NOT_ENABLED,
    granularity=Granularity.DAY,
    basis=f"{P21} Pasal 8 ayat (3); pernyataan Menteri PANRB, Juni 2025",
    confidence=Confidence.H,
    title_id="Kerja fleksibel belum diterapkan instansi atau unit",
    title_en="Flexible work not enabled by the agency or unit",
    message=_agency_not_enabled,
    setting="agency_enabled, disabled_units",
    default="true, []",
)
def agency_not_enabled(
    employee: EmployeeFacts, plan: DayPlan, day: DayInfo, env: Env
) -> Finding | None:
    """No flexible day in an agency, or a unit (or under a disabled ancestor unit), that has
    not enabled flexible work: a scheme the agency may adopt, not an employee's right."""
    if not plan.flexible:
        return None
    if env.policy.agency_enabled:
        disabled = env.disabled_by(employee.unit)
        if disabled is None:
            return None
    else:
        disabled = ""
    return env.finding(
        RuleCode.AGENCY_NOT_ENABLED,
        nip=employee.nip,
        unit=employee.unit,
        date=plan.date,
        week=day.week,
        disabled_unit=disabled,
    )


def _employee_excluded(n: Numbers) -> Texts:
    return (
        "Pegawai dikecualikan dari kerja fleksibel (penugasan di TNI/Polri atau perwakilan di "
        f"luar negeri); {n['date']} harus dijalankan di kantor dengan jam kerja reguler.",
        "The employee is excluded from flexible work (assignment to TNI/Polri or a mission "
        f"abroad); {n['date']} must be worked at the office with regular hours.",
    )

@declare(
    RuleCode.EMPLOYEE_EXCLUDED,
    granularity=Granularity.DAY,
    basis=f"{P4} Pasal 38",
    confidence=Confidence.H,
    title_id="Pegawai dikecualikan (penugasan TNI/Polri, perwakilan di luar negeri)",
    title_en="Employee excluded (TNI/Polri assignment, missions abroad)",
    message=_employee_excluded,
)
def employee_excluded(
    employee: EmployeeFacts, plan: DayPlan, day: DayInfo, env: Env
) -> Finding | None:
    """TNI/Polri assignments and missions abroad (and their ASN) are excluded."""
    if not (employee.excluded and plan.flexible):
        return None
    return env.finding(
        RuleCode.EMPLOYEE_EXCLUDED,
        nip=employee.nip,
        unit=employee.unit,
        date=plan.date,
        week=day.week,
    )


def _employee_discipline(n: Numbers) -> Texts:
    return (
        "Pegawai sedang menjalani atau diproses hukuman disiplin, sehingga tidak dapat bekerja "
        f"fleksibel pada {n['date']}.",
        "The employee is serving or being processed for a disciplinary sanction and cannot "
        f"work flexibly on {n['date']}.",
    )

@declare(
    RuleCode.EMPLOYEE_DISCIPLINE,
    granularity=Granularity.DAY,
    basis=f"{P4} Pasal 25 ayat (1) huruf a",
    confidence=Confidence.H,
    title_id="Pegawai sedang menjalani atau diproses hukuman disiplin",
    title_en="Employee serving or being processed for a disciplinary sanction",
    message=_employee_discipline,
)
def employee_discipline(
    employee: EmployeeFacts, plan: DayPlan, day: DayInfo, env: Env
) -> Finding | None:
    """Not eligible while "sedang menjalani atau dalam proses hukuman disiplin"."""
    if not (employee.disciplinary and plan.flexible):
        return None
    return env.finding(
        RuleCode.EMPLOYEE_DISCIPLINE,
        nip=employee.nip,
        unit=employee.unit,
        date=plan.date,
        week=day.week,
    )


def _employee_new_in_position(n: Numbers) -> Texts:
    return (
        f"Pegawai baru dalam jabatan (TMT jabatan {n['position_start']}); kerja fleksibel baru "
        f"dapat dilakukan mulai {n['until']} ({n['months']} bulan), tidak pada {n['date']}.",
        f"The employee is new in the position (since {n['position_start']}); flexible work is "
        f"possible from {n['until']} ({n['months']} months), not on {n['date']}.",
    )

@declare(
    RuleCode.EMPLOYEE_NEW_IN_POSITION,
    granularity=Granularity.DAY,
    basis=f"{P4} Pasal 25 ayat (1) huruf b",
    confidence=Confidence.H,
    confidence_note="H (aturan) / L (lama masa 'baru')",
    title_id="Pegawai baru dalam jabatan",
    title_en="Employee new in the position",
    message=_employee_new_in_position,
    setting="new_in_position_months",
    default="6 (>= 6)",
)
def employee_new_in_position(
    employee: EmployeeFacts, plan: DayPlan, day: DayInfo, env: Env
) -> Finding | None:
    """Not eligible while "baru menempati jabatannya": the agency's number of months from
    the position start date (TMT jabatan)."""
    start = employee.position_start
    if start is None or not plan.flexible:
        return None
    months = env.policy.new_in_position_months
    until = add_months(start, months)
    if plan.date >= until:
        return None
    return env.finding(
        RuleCode.EMPLOYEE_NEW_IN_POSITION,
        nip=employee.nip,
        unit=employee.unit,
        date=plan.date,
        week=day.week,
        position_start=start.isoformat(),
        until=until.isoformat(),
        months=months,
    )


def _task_not_eligible(n: Numbers) -> Texts:
    location = str(n["location"])
    return (
        "Tugas jabatan pegawai tidak memenuhi kriteria fleksibilitas lokasi; bekerja di "
        f"{LOCATION_NAMES_ID.get(location, location)} pada {n['date']} tidak diizinkan.",
        "The employee's tasks do not meet the criteria for location flexibility; working at "
        f"{LOCATION_NAMES_EN.get(location, location)} on {n['date']} is not allowed.",
    )

@declare(
    RuleCode.TASK_NOT_ELIGIBLE,
    granularity=Granularity.DAY,
    basis=f"{P4} Pasal 23 (kriteria), Pasal 26 (kriteria tambahan)",
    confidence=Confidence.H,
    confidence_note="H (kriteria, Pasal 26) / M (Pasal 23)",
    title_id="Tugas jabatan tidak memenuhi kriteria fleksibilitas lokasi",
    title_en="The position's tasks do not meet the location-flexibility criteria",
    message=_task_not_eligible,
)
def task_not_eligible(
    employee: EmployeeFacts, plan: DayPlan, day: DayInfo, env: Env
) -> Finding | None:
    """Location flexibility only for tasks meeting the five criteria (or field work)."""
    # Field work (tasks that must be done outside the office) is location flexibility by
    # nature: see docs/decisions/013-policy-rule-semantics.md.
    if not plan.location.away or employee.tasks_eligible or employee.field_work:
        return None
    return env.finding(
        RuleCode.TASK_NOT_ELIGIBLE,
        nip=employee.nip,
        unit=employee.unit,
        date=plan.date,
        week=day.week,
        location=plan.location.value,
    )
