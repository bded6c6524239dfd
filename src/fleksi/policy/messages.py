"""Indonesian and English texts of findings, made from the finding's numbers.

Each rule code has one function ``numbers -> (Indonesian, English)``. The numbers are the
same in both languages, e.g. ``{"days": 3, "max": 2, "week": "2026-W10"}`` gives
"3 hari kerja di luar kantor pada minggu 2026-W10; paling banyak 2.".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from fleksi.policy.model import Number, RuleCode

Texts = tuple[str, str]
Numbers = Mapping[str, Number]

LOCATION_NAMES_ID = {
    "kantor": "kantor",
    "kantor_lain": "kantor lain",
    "rumah": "rumah",
    "lokasi_lain": "lokasi lain",
}
LOCATION_NAMES_EN = {
    "kantor": "the office",
    "kantor_lain": "another office",
    "rumah": "home",
    "lokasi_lain": "another location",
}


def duration_id(minutes: int) -> str:
    hours, rest = divmod(int(minutes), 60)
    if rest == 0:
        return f"{hours} jam"
    if hours == 0:
        return f"{rest} menit"
    return f"{hours} jam {rest} menit"


def duration_en(minutes: int) -> str:
    hours, rest = divmod(int(minutes), 60)
    if rest == 0:
        return f"{hours} h"
    if hours == 0:
        return f"{rest} min"
    return f"{hours} h {rest} min"


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


def _employee_excluded(n: Numbers) -> Texts:
    return (
        "Pegawai dikecualikan dari kerja fleksibel (penugasan di TNI/Polri atau perwakilan di "
        f"luar negeri); {n['date']} harus dijalankan di kantor dengan jam kerja reguler.",
        "The employee is excluded from flexible work (assignment to TNI/Polri or a mission "
        f"abroad); {n['date']} must be worked at the office with regular hours.",
    )


def _employee_discipline(n: Numbers) -> Texts:
    return (
        "Pegawai sedang menjalani atau diproses hukuman disiplin, sehingga tidak dapat bekerja "
        f"fleksibel pada {n['date']}.",
        "The employee is serving or being processed for a disciplinary sanction and cannot "
        f"work flexibly on {n['date']}.",
    )


def _employee_new_in_position(n: Numbers) -> Texts:
    return (
        f"Pegawai baru dalam jabatan (TMT jabatan {n['position_start']}); kerja fleksibel baru "
        f"dapat dilakukan mulai {n['until']} ({n['months']} bulan), tidak pada {n['date']}.",
        f"The employee is new in the position (since {n['position_start']}); flexible work is "
        f"possible from {n['until']} ({n['months']} months), not on {n['date']}.",
    )


def _task_not_eligible(n: Numbers) -> Texts:
    location = str(n["location"])
    return (
        "Tugas jabatan pegawai tidak memenuhi kriteria fleksibilitas lokasi; bekerja di "
        f"{LOCATION_NAMES_ID.get(location, location)} pada {n['date']} tidak diizinkan.",
        "The employee's tasks do not meet the criteria for location flexibility; working at "
        f"{LOCATION_NAMES_EN.get(location, location)} on {n['date']} is not allowed.",
    )


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


def _location_max_days(n: Numbers) -> Texts:
    return (
        f"{n['days']} hari kerja di luar kantor pada minggu {n['week']}; paling banyak {n['max']}.",
        f"{n['days']} working days away from the office in week {n['week']}; at most {n['max']}.",
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


def _start_before_standard(n: Numbers) -> Texts:
    return (
        f"Mulai pukul {n['start']} pada {n['date']}, sebelum jam mulai standar "
        f"{n['standard']}; jam di luar ketentuan dapat dipertimbangkan sebagai kinerja.",
        f"Starts at {n['start']} on {n['date']}, before the standard start {n['standard']}; "
        "hours beyond the requirement may be considered as performance.",
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


def _shift_not_eligible(n: Numbers) -> Texts:
    return (
        f"Kerja sif pada {n['date']} tidak diizinkan: pegawai tidak ditetapkan untuk kerja sif "
        "(hanya untuk layanan lebih dari 8 jam 30 menit sehari atau lebih dari 5 hari kerja "
        "seminggu).",
        f"Shift work on {n['date']} is not allowed: the employee is not set for shift work "
        "(only for services needing more than 8 h 30 min a day or more than 5 working days "
        "a week).",
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


def _request_reason_missing(n: Numbers) -> Texts:
    if n.get("missing") == "evidence":
        return (
            "Pengajuan dengan keadaan khusus belum dilengkapi bukti pendukung.",
            "The request for special circumstances has no supporting evidence.",
        )
    return ("Pengajuan belum memuat alasan.", "The request states no reason.")


def _request_workplan_missing(n: Numbers) -> Texts:
    missing = n.get("missing")
    if missing == "outputs":
        return (
            "Pengajuan belum memuat target keluaran (output) selama periode.",
            "The request lists no planned outputs for the period.",
        )
    if missing == "plan":
        return ("Pengajuan belum memuat rencana kerja.", "The request holds no work plan.")
    return (
        "Pengajuan belum memuat rencana kerja dan target keluaran (output) selama periode.",
        "The request holds neither a work plan nor the planned outputs for the period.",
    )


def _coverage_below_minimum(n: Numbers) -> Texts:
    percent = f"{float(n['min_share']) * 100:g}%"
    return (
        f"Unit {n['unit']} pada {n['date']}: {n['office']} dari {n['employees']} pegawai di "
        f"kantor; paling sedikit {n['required']} ({percent}).",
        f"Unit {n['unit']} on {n['date']}: {n['office']} of {n['employees']} employees at "
        f"the office; at least {n['required']} ({percent}).",
    )


MESSAGES: Mapping[RuleCode, Callable[[Numbers], Texts]] = {
    RuleCode.AGENCY_NOT_ENABLED: _agency_not_enabled,
    RuleCode.EMPLOYEE_EXCLUDED: _employee_excluded,
    RuleCode.EMPLOYEE_DISCIPLINE: _employee_discipline,
    RuleCode.EMPLOYEE_NEW_IN_POSITION: _employee_new_in_position,
    RuleCode.TASK_NOT_ELIGIBLE: _task_not_eligible,
    RuleCode.LOCATION_KIND_INVALID: _location_kind_invalid,
    RuleCode.LOCATION_MAX_DAYS_PER_WEEK: _location_max_days,
    RuleCode.NATIONAL_FLEX_DAY: _national_flex_day,
    RuleCode.WEEKLY_HOURS_SHORT: _weekly_hours_short,
    RuleCode.START_BEFORE_STANDARD: _start_before_standard,
    RuleCode.DYNAMIC_NOT_ELIGIBLE: _dynamic_not_eligible,
    RuleCode.SHIFT_NOT_ELIGIBLE: _shift_not_eligible,
    RuleCode.NON_WORKING_DAY: _non_working_day,
    RuleCode.SERVICE_UNIT_EXCEPTED: _service_unit_excepted,
    RuleCode.REQUEST_REASON_MISSING: _request_reason_missing,
    RuleCode.REQUEST_WORKPLAN_MISSING: _request_workplan_missing,
    RuleCode.COVERAGE_BELOW_MINIMUM: _coverage_below_minimum,
}


def render(code: RuleCode, numbers: Numbers) -> Texts:
    """The (Indonesian, English) message of a finding."""
    return MESSAGES[code](numbers)
