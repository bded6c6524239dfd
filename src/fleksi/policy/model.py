"""The regulation's vocabulary as frozen dataclasses and Enums (no Django).

The Enums are the single definition of the choices the law names; Django models reuse them
as ``TextChoices`` (``models.TextChoices("LocationKind", [(k.value, k.label_id) ...])`` or by
value).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from enum import StrEnum
from types import MappingProxyType

from fleksi.policy.problems import PolicyError as PolicyError
from fleksi.policy.problems import Problem as Problem


class EmployeeKind(StrEnum):
    PNS = "PNS"
    PPPK = "PPPK"


class TimeFlexibility(StrEnum):
    """Time flexibility an employee's tasks allow (``employees.csv`` column ``waktu``)."""

    NONE = "tidak"
    DYNAMIC = "dinamis"
    SHIFT = "sif"


class LocationKind(StrEnum):
    """Where a working day is spent (PermenPANRB 4/2025 Pasal 12 ayat (1))."""

    OFFICE = "kantor"
    OTHER_OFFICE = "kantor_lain"
    HOME = "rumah"
    OTHER_LOCATION = "lokasi_lain"

    @property
    def away(self) -> bool:
        """True for every kind that counts as location flexibility (all but the office)."""
        return self is not LocationKind.OFFICE


class TimeKind(StrEnum):
    """How the hours of a day are arranged (``plan.csv`` column ``waktu``)."""

    REGULAR = "reguler"
    DYNAMIC = "dinamis"
    SHIFT = "sif"


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


class Confidence(StrEnum):
    """How sure the sources are (REGULATION.md): H enforce; M/L agency setting."""

    H = "H"
    M = "M"
    L = "L"


class Granularity(StrEnum):
    """What one finding of a rule is about (FORMATS.md "Granularity")."""

    DAY = "day"  # one per nip and date (week set too)
    WEEK = "week"  # one per nip and ISO week, date null
    UNIT = "unit"  # one per unit and date, nip null
    REQUEST = "request"  # one per flexible-work request (the Django workflow)


@dataclass(frozen=True, slots=True)
class RuleInfo:
    basis: str
    severity: Severity
    confidence: Confidence
    confidence_note: str
    granularity: Granularity
    title_id: str
    title_en: str
    setting: str  # the agency setting (policy.json key) that changes the rule, or ""
    default: str  # the default of that setting, as shown in docs/rules.md


class RuleCode(StrEnum):
    """Every rule code of REGULATION.md; ``code.info`` holds its basis, severity, ..."""

    AGENCY_NOT_ENABLED = "AGENCY_NOT_ENABLED"
    EMPLOYEE_EXCLUDED = "EMPLOYEE_EXCLUDED"
    EMPLOYEE_DISCIPLINE = "EMPLOYEE_DISCIPLINE"
    EMPLOYEE_NEW_IN_POSITION = "EMPLOYEE_NEW_IN_POSITION"
    TASK_NOT_ELIGIBLE = "TASK_NOT_ELIGIBLE"
    LOCATION_KIND_INVALID = "LOCATION_KIND_INVALID"
    LOCATION_MAX_DAYS_PER_WEEK = "LOCATION_MAX_DAYS_PER_WEEK"
    NATIONAL_FLEX_DAY = "NATIONAL_FLEX_DAY"
    WEEKLY_HOURS_SHORT = "WEEKLY_HOURS_SHORT"
    START_BEFORE_STANDARD = "START_BEFORE_STANDARD"
    DYNAMIC_NOT_ELIGIBLE = "DYNAMIC_NOT_ELIGIBLE"
    SHIFT_NOT_ELIGIBLE = "SHIFT_NOT_ELIGIBLE"
    NON_WORKING_DAY = "NON_WORKING_DAY"
    SERVICE_UNIT_EXCEPTED = "SERVICE_UNIT_EXCEPTED"
    REQUEST_REASON_MISSING = "REQUEST_REASON_MISSING"
    REQUEST_WORKPLAN_MISSING = "REQUEST_WORKPLAN_MISSING"
    COVERAGE_BELOW_MINIMUM = "COVERAGE_BELOW_MINIMUM"

    @property
    def info(self) -> RuleInfo:
        return RULES[self]

    @property
    def basis(self) -> str:
        return RULES[self].basis

    @property
    def severity(self) -> Severity:
        """The default severity (an agency policy may change some, see ``Policy``)."""
        return RULES[self].severity

    @property
    def confidence(self) -> Confidence:
        return RULES[self].confidence

    @property
    def granularity(self) -> Granularity:
        return RULES[self].granularity


_E, _W, _I = Severity.ERROR, Severity.WARNING, Severity.INFO
_H, _M, _L = Confidence.H, Confidence.M, Confidence.L
_DAY, _WEEK, _UNIT, _REQ = Granularity.DAY, Granularity.WEEK, Granularity.UNIT, Granularity.REQUEST
P4 = "PermenPANRB 4/2025"
P21 = "Perpres 21/2023"

# ``basis`` is the "basis" column of REGULATION.md verbatim (FORMATS.md: "Codes and the legal
# basis are those of REGULATION.md"); see docs/decisions/014-policy-review-fixes.md.
RULES: Mapping[RuleCode, RuleInfo] = MappingProxyType(
    {
        RuleCode.AGENCY_NOT_ENABLED: RuleInfo(
            "statements of the Minister, June 2025",
            _E,
            _H,
            "H",
            _DAY,
            "Kerja fleksibel belum diterapkan instansi atau unit",
            "Flexible work not enabled by the agency or unit",
            "agency_enabled, disabled_units",
            "true, []",
        ),
        RuleCode.EMPLOYEE_EXCLUDED: RuleInfo(
            f"{P4} Pasal 38",
            _E,
            _H,
            "H",
            _DAY,
            "Pegawai dikecualikan (penugasan TNI/Polri, perwakilan di luar negeri)",
            "Employee excluded (TNI/Polri assignment, missions abroad)",
            "",
            "",
        ),
        RuleCode.EMPLOYEE_DISCIPLINE: RuleInfo(
            f"{P4} Pasal 25",
            _E,
            _H,
            "H",
            _DAY,
            "Pegawai sedang menjalani atau diproses hukuman disiplin",
            "Employee serving or being processed for a disciplinary sanction",
            "",
            "",
        ),
        RuleCode.EMPLOYEE_NEW_IN_POSITION: RuleInfo(
            f"{P4} Pasal 25",
            _E,
            _H,
            "H (aturan) / L (lama masa 'baru')",
            _DAY,
            "Pegawai baru dalam jabatan",
            "Employee new in the position",
            "new_in_position_months",
            "6 (>= 6)",
        ),
        RuleCode.TASK_NOT_ELIGIBLE: RuleInfo(
            f"{P4} (task criteria; article number unconfirmed, reported as Pasal 11/23)",
            _E,
            _H,
            "H",
            _DAY,
            "Tugas jabatan tidak memenuhi kriteria fleksibilitas lokasi",
            "The position's tasks do not meet the location-flexibility criteria",
            "",
            "",
        ),
        RuleCode.LOCATION_KIND_INVALID: RuleInfo(
            f"{P4} Pasal 12 ayat (1)",
            _E,
            _H,
            "H (jenis) / M (rincian)",
            _DAY,
            "Jenis lokasi tidak diizinkan",
            "Location kind not allowed",
            "allowed_location_kinds",
            "kantor_lain, rumah, lokasi_lain",
        ),
        RuleCode.LOCATION_MAX_DAYS_PER_WEEK: RuleInfo(
            f"{P4} Pasal 13 ayat (1)",
            _E,
            _H,
            "H",
            _WEEK,
            "Lebih dari batas hari kerja di luar kantor dalam 1 minggu",
            "More working days away from the office in one week than allowed",
            "max_location_days_per_week",
            "2 (0..2)",
        ),
        RuleCode.NATIONAL_FLEX_DAY: RuleInfo(
            "SE MenPANRB 2/2025, 3/2025, 2/2026",
            _I,
            _H,
            "H (tanggal) / L (dihitung dalam batas)",
            _DAY,
            "Hari kerja fleksibel nasional",
            "National flexible-work day",
            "national_flex_days_count_toward_cap",
            "false",
        ),
        RuleCode.WEEKLY_HOURS_SHORT: RuleInfo(
            f"{P21} Pasal 3, 4 ayat (1)-(2), Pasal 9",
            _E,
            _H,
            "H",
            _WEEK,
            "Jam kerja mingguan kurang",
            "Weekly working hours short",
            "ramadan, extra_non_working_days",
            "Ramadan dari kalender Hijriah; []",
        ),
        RuleCode.START_BEFORE_STANDARD: RuleInfo(
            f"{P21} Pasal 4",
            _I,
            _H,
            "H (jam mulai, istirahat) / L (jadwal)",
            _DAY,
            "Mulai sebelum jam mulai standar",
            "Start before the standard start",
            "ramadan",
            "07:30 (Ramadan 08:00)",
        ),
        RuleCode.DYNAMIC_NOT_ELIGIBLE: RuleInfo(
            f"{P4} Pasal 17 (with the June 2025 socialisation)",
            _E,
            _M,
            "M",
            _DAY,
            "Kerja dinamis tidak diizinkan untuk pegawai ini atau di luar jam mulai instansi",
            "Dynamic hours not allowed for this employee or outside the agency's start window",
            "dynamic_start_window, severity",
            "tidak ada rentang; error",
        ),
        RuleCode.SHIFT_NOT_ELIGIBLE: RuleInfo(
            f"{P4} Pasal 17 (with the socialisation)",
            _E,
            _M,
            "M",
            _DAY,
            "Kerja sif tidak diizinkan untuk pegawai ini",
            "Shift work not allowed for this employee",
            "severity",
            "error",
        ),
        RuleCode.NON_WORKING_DAY: RuleInfo(
            f"{P21} Pasal 6",
            _E,
            _H,
            "H",
            _DAY,
            "Bukan hari kerja",
            "Not a working day",
            "extra_non_working_days",
            "[]",
        ),
        RuleCode.SERVICE_UNIT_EXCEPTED: RuleInfo(
            f"{P21} Pasal 7 ayat (1)",
            _I,
            _H,
            "H",
            _DAY,
            "Unit pelayanan: hari/jam kerja lain ditetapkan PPK",
            "Service unit: other days/hours set by the PPK",
            "service_units",
            "[]",
        ),
        RuleCode.REQUEST_REASON_MISSING: RuleInfo(
            f"{P4} Pasal 30",
            _E,
            _H,
            "H",
            _REQ,
            "Pengajuan tanpa alasan (atau tanpa bukti keadaan khusus)",
            "Request without a reason (or without evidence of the special circumstances)",
            "",
            "",
        ),
        RuleCode.REQUEST_WORKPLAN_MISSING: RuleInfo(
            f"{P4} Pasal 30",
            _E,
            _H,
            "H",
            _REQ,
            "Pengajuan tanpa rencana kerja dan target keluaran",
            "Request without a work plan and planned outputs",
            "",
            "",
        ),
        RuleCode.COVERAGE_BELOW_MINIMUM: RuleInfo(
            "press statements; SE MenPANRB 2/2025, 2/2026",
            _E,
            _M,
            "M",
            _UNIT,
            "Pegawai di kantor kurang dari batas minimum unit",
            "Fewer employees in the office than the unit's minimum",
            "min_office_share, severity",
            '{"*": 0.0}',
        ),
    }
)


@dataclass(frozen=True, slots=True)
class EmployeeFacts:
    """What the rules need to know about one employee.

    ``special_periods`` are the approved keadaan khusus periods (inclusive dates).
    """

    nip: str
    unit: str
    kind: EmployeeKind = EmployeeKind.PNS
    tasks_eligible: bool = False
    field_work: bool = False
    time_flexibility: TimeFlexibility = TimeFlexibility.NONE
    disciplinary: bool = False
    excluded: bool = False
    position_start: dt.date | None = None
    special_periods: tuple[tuple[dt.date, dt.date], ...] = ()

    def in_special_period(self, day: dt.date) -> bool:
        return any(start <= day <= end for start, end in self.special_periods)


@dataclass(frozen=True, slots=True)
class UnitFacts:
    """An organisational unit as the rules see it (``parent`` builds the tree)."""

    code: str
    parent: str | None = None
    service_unit: bool = False  # direct public service / operational support (Perpres Pasal 7)
    flexible_enabled: bool = True  # the unit has adopted flexible work


@dataclass(frozen=True, slots=True)
class DayPlan:
    """One day of an employee that differs from the standard (office, standard hours).

    ``start``/``end`` are both set or both ``None`` (the day's standard time). A shift whose
    ``end`` is not after ``start`` ends the next day. ``location_listed`` says whether a
    ``lokasi_lain`` is on the agency's list of places (``None``: not known). ``line`` is the
    line of ``plan.csv`` it came from (0 if none).
    """

    nip: str
    date: dt.date
    location: LocationKind = LocationKind.OFFICE
    start: dt.time | None = None
    end: dt.time | None = None
    time_kind: TimeKind = TimeKind.REGULAR
    location_listed: bool | None = None
    line: int = 0

    @property
    def flexible(self) -> bool:
        """Uses flexible work (location or time)."""
        return self.location is not LocationKind.OFFICE or self.time_kind is not TimeKind.REGULAR


@dataclass(frozen=True, slots=True)
class RequestFacts:
    """A flexible-work request as the request rules see it (the Django workflow)."""

    reason: str = ""
    work_plan: str = ""
    planned_outputs: tuple[str, ...] = ()
    special_circumstances: bool = False
    evidence_count: int = 0


Number = int | float | str


@dataclass(frozen=True, slots=True)
class Finding:
    """One result of a rule. ``numbers`` hold the values the messages are made of."""

    code: RuleCode
    severity: Severity
    nip: str | None
    unit: str | None
    date: dt.date | None
    week: str | None
    basis: str
    message_id: str
    message_en: str
    numbers: Mapping[str, Number] = field(default_factory=dict)

    def message(self, lang: str = "id") -> str:
        return self.message_en if lang == "en" else self.message_id

    def sort_key(self) -> tuple[str, str, str, str, str]:
        """FORMATS.md: by week, date, unit, nip, code (absent values first)."""
        return (
            self.week or "",
            self.date.isoformat() if self.date else "",
            self.unit or "",
            self.nip or "",
            self.code.value,
        )

    def to_dict(self, lang: str = "id") -> dict[str, object]:
        """The JSON object of ``fleksi plan check --format json``."""
        return {
            "code": self.code.value,
            "severity": self.severity.value,
            "nip": self.nip,
            "unit": self.unit,
            "date": self.date.isoformat() if self.date else None,
            "week": self.week,
            "basis": self.basis,
            "message": self.message(lang),
        }


# --- the agency's policy ------------------------------------------------------------------

AWAY_KINDS: frozenset[LocationKind] = frozenset(k for k in LocationKind if k.away)
MAX_LOCATION_DAYS_PER_WEEK = 2  # PermenPANRB 4/2025 Pasal 13 ayat (1)
MIN_NEW_IN_POSITION_MONTHS = 6  # the documented default (confidence L); an agency may raise it
MAX_NEW_IN_POSITION_MONTHS = 120

POLICY_KEYS: tuple[str, ...] = (
    "max_location_days_per_week",
    "new_in_position_months",
    "min_office_share",
    "national_flex_days_count_toward_cap",
    "extra_non_working_days",
    "ramadan",
    "dynamic_start_window",
    "agency_enabled",
    "disabled_units",
    "allowed_location_kinds",
    "service_units",
    "severity",
)


def _problem(key: str, message_id: str, message_en: str) -> Problem:
    return Problem("policy.json", 0, key, message_id, message_en)


MAX_RAMADAN_DAYS = 30  # a Hijri month has 29 or 30 days
RAMADAN_TOLERANCE_DAYS = 2  # the government's dates (sidang isbat) vs the computed calendar


def _ramadan_problem(start: dt.date, end: dt.date) -> Problem | None:
    """A policy Ramadan period is only allowed inside the real month (give or take the
    isbat): Ramadan lowers the required hours (32 h 30 min), so any other day would be a
    looser policy. Outside the Hijri calendar's range only the length is checked."""
    from fleksi.policy.calendar import hijri_ramadan_periods  # calendar imports this module

    days = (end - start).days + 1
    if end < start or days > MAX_RAMADAN_DAYS:
        return _problem(
            "ramadan",
            f"periode Ramadan {start.isoformat()} sampai {end.isoformat()} tidak sah (akhir "
            f"sebelum awal atau lebih dari {MAX_RAMADAN_DAYS} hari)",
            f"Ramadan period {start.isoformat()} to {end.isoformat()} is invalid (ends "
            f"before it starts or is longer than {MAX_RAMADAN_DAYS} days)",
        )
    known = [
        period
        for year in (start.year - 1, start.year, start.year + 1)
        for period in hijri_ramadan_periods(year)
    ]
    if not known:
        return None
    slack = dt.timedelta(days=RAMADAN_TOLERANCE_DAYS)
    if any(h_start - slack <= start and end <= h_end + slack for h_start, h_end in known):
        return None
    nearest = min(known, key=lambda p: abs((p[0] - start).days))
    return _problem(
        "ramadan",
        f"periode Ramadan {start.isoformat()} sampai {end.isoformat()} tidak diizinkan: di "
        f"luar bulan Ramadan ({nearest[0].isoformat()} sampai {nearest[1].isoformat()} menurut "
        f"kalender Hijriah, selisih paling banyak {RAMADAN_TOLERANCE_DAYS} hari); jam kerja "
        "Ramadan yang lebih pendek tidak boleh berlaku di luar Ramadan",
        f"Ramadan period {start.isoformat()} to {end.isoformat()} is not allowed: it is "
        f"outside the month of Ramadan ({nearest[0].isoformat()} to {nearest[1].isoformat()} "
        f"by the Hijri calendar, at most {RAMADAN_TOLERANCE_DAYS} days apart); the shorter "
        "Ramadan hours may not apply outside Ramadan",
    )


@dataclass(frozen=True)
class Policy:
    """An agency's flexible-work policy: the regulation's defaults, tightened where allowed.

    Constructing a ``Policy`` looser than the regulation raises ``PolicyError`` (with every
    problem in Indonesian and English). ``Policy()`` is the regulation itself.

    - ``max_location_days_per_week``: 0..2 (Pasal 13 ayat (1)).
    - ``new_in_position_months``: at least 6 (how long "new in position" lasts; L).
    - ``min_office_share``: per unit code, 0..1; ``"*"`` for every other unit (M).
    - ``national_flex_days_count_toward_cap``: default ``False`` (L).
    - ``extra_non_working_days``: the agency's local non-working days.
    - ``ramadan``: periods overriding the Hijri calendar for the years they start in; each
      must lie inside the computed month give or take 2 days (the isbat) and last at most
      30 days, since Ramadan lowers the required hours.
    - ``dynamic_start_window``: the agency's own core start window for dynamic hours (none in
      the regulation: default ``None``).
    - ``agency_enabled`` / ``disabled_units``: whether the agency/unit adopted flexible work.
    - ``allowed_location_kinds``: a subset of kantor_lain, rumah, lokasi_lain.
    - ``service_units``: units with other days/hours set by the PPK (Perpres Pasal 7).
    - ``severity``: severity per rule code; an agency may raise any, and lower only those of
      confidence M (``DYNAMIC_NOT_ELIGIBLE``, ``SHIFT_NOT_ELIGIBLE``,
      ``COVERAGE_BELOW_MINIMUM``).
    """

    max_location_days_per_week: int = MAX_LOCATION_DAYS_PER_WEEK
    new_in_position_months: int = MIN_NEW_IN_POSITION_MONTHS
    min_office_share: Mapping[str, float] = field(
        default_factory=lambda: MappingProxyType({"*": 0.0})
    )
    national_flex_days_count_toward_cap: bool = False
    extra_non_working_days: frozenset[dt.date] = frozenset()
    ramadan: tuple[tuple[dt.date, dt.date], ...] | None = None
    dynamic_start_window: tuple[dt.time, dt.time] | None = None
    agency_enabled: bool = True
    disabled_units: frozenset[str] = frozenset()
    allowed_location_kinds: frozenset[LocationKind] = AWAY_KINDS
    service_units: frozenset[str] = frozenset()
    severity: Mapping[RuleCode, Severity] = field(default_factory=lambda: MappingProxyType({}))
    # National flexible-work days the agency declared from a circular (date -> circular), on
    # top of the built-in list. Kept in the agency's own table, not in policy.json.
    declared_flex_days: Mapping[dt.date, str] = field(
        default_factory=lambda: MappingProxyType({}), compare=False
    )

    def __post_init__(self) -> None:
        problems = self.problems()
        if problems:
            raise PolicyError(problems)

    # -- queries used by the rules --

    def office_share(self, unit: str) -> float:
        share = self.min_office_share.get(unit)
        if share is None:
            share = self.min_office_share.get("*", 0.0)
        return share

    def severity_of(self, code: RuleCode) -> Severity:
        return self.severity.get(code, code.severity)

    # -- validation --

    def problems(self) -> list[Problem]:
        """Every way this policy is looser than the regulation, or inconsistent."""
        out: list[Problem] = []
        days = self.max_location_days_per_week
        if isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= 2:
            out.append(
                _problem(
                    "max_location_days_per_week",
                    f"max_location_days_per_week {days!r} tidak diizinkan: harus 0, 1 atau 2 "
                    "(paling banyak 2 hari kerja per minggu, PermenPANRB 4/2025 Pasal 13 "
                    "ayat (1))",
                    f"max_location_days_per_week {days!r} is not allowed: it must be 0, 1 or 2 "
                    "(at most 2 working days a week, PermenPANRB 4/2025 Pasal 13 ayat (1))",
                )
            )
        months = self.new_in_position_months
        if (
            isinstance(months, bool)
            or not isinstance(months, int)
            or not MIN_NEW_IN_POSITION_MONTHS <= months <= MAX_NEW_IN_POSITION_MONTHS
        ):
            out.append(
                _problem(
                    "new_in_position_months",
                    f"new_in_position_months {months!r} tidak diizinkan: paling sedikit "
                    f"{MIN_NEW_IN_POSITION_MONTHS} (dan paling banyak "
                    f"{MAX_NEW_IN_POSITION_MONTHS}) bulan",
                    f"new_in_position_months {months!r} is not allowed: at least "
                    f"{MIN_NEW_IN_POSITION_MONTHS} (and at most {MAX_NEW_IN_POSITION_MONTHS}) "
                    "months",
                )
            )
        for unit, share in self.min_office_share.items():
            if (
                isinstance(share, bool)
                or not isinstance(share, int | float)
                or not 0.0 <= share <= 1.0
            ):
                out.append(
                    _problem(
                        "min_office_share",
                        f"min_office_share untuk '{unit}' bernilai {share!r}: harus angka "
                        "0 sampai 1 (misalnya 0.5 untuk 50%)",
                        f"min_office_share for '{unit}' is {share!r}: it must be a number "
                        "from 0 to 1 (e.g. 0.5 for 50%)",
                    )
                )
        for start, end in self.ramadan or ():
            problem = _ramadan_problem(start, end)
            if problem is not None:
                out.append(problem)
        if self.dynamic_start_window is not None:
            earliest, latest = self.dynamic_start_window
            if latest < earliest:
                out.append(
                    _problem(
                        "dynamic_start_window",
                        f"dynamic_start_window {earliest:%H:%M}-{latest:%H:%M}: jam akhir "
                        "sebelum jam awal",
                        f"dynamic_start_window {earliest:%H:%M}-{latest:%H:%M}: the end is "
                        "before the start",
                    )
                )
        wrong_kinds = set(self.allowed_location_kinds) - AWAY_KINDS
        if wrong_kinds:
            names = ", ".join(sorted(str(k) for k in wrong_kinds))
            out.append(
                _problem(
                    "allowed_location_kinds",
                    f"allowed_location_kinds hanya boleh berisi kantor_lain, rumah, "
                    f"lokasi_lain (bukan {names})",
                    f"allowed_location_kinds may only hold kantor_lain, rumah, lokasi_lain "
                    f"(not {names})",
                )
            )
        for code, severity in self.severity.items():
            default = code.severity
            if severity.rank < default.rank and code.confidence is not Confidence.M:
                out.append(
                    _problem(
                        "severity",
                        f"tingkat {code.value} tidak boleh diturunkan dari {default.value} ke "
                        f"{severity.value}: aturan ini berkeyakinan {code.confidence.value} "
                        "(hanya aturan M yang dapat diatur instansi)",
                        f"the severity of {code.value} cannot be lowered from "
                        f"{default.value} to {severity.value}: the rule has confidence "
                        f"{code.confidence.value} (only M rules are agency settings)",
                    )
                )
        return out

    # -- (de)serialisation: policy.json --

    def to_dict(self) -> dict[str, object]:
        """The policy as policy.json (every key, sorted lists)."""
        return {
            "max_location_days_per_week": self.max_location_days_per_week,
            "new_in_position_months": self.new_in_position_months,
            "min_office_share": dict(sorted(self.min_office_share.items())),
            "national_flex_days_count_toward_cap": self.national_flex_days_count_toward_cap,
            "extra_non_working_days": sorted(d.isoformat() for d in self.extra_non_working_days),
            "ramadan": (
                None
                if self.ramadan is None
                else [[s.isoformat(), e.isoformat()] for s, e in self.ramadan]
            ),
            "dynamic_start_window": (
                None
                if self.dynamic_start_window is None
                else [f"{t:%H:%M}" for t in self.dynamic_start_window]
            ),
            "agency_enabled": self.agency_enabled,
            "disabled_units": sorted(self.disabled_units),
            "allowed_location_kinds": sorted(k.value for k in self.allowed_location_kinds),
            "service_units": sorted(self.service_units),
            "severity": {c.value: s.value for c, s in sorted(self.severity.items())},
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Policy:
        """Build a policy from policy.json data; absent keys take the regulation's defaults.

        Raises ``PolicyError`` with every problem (unknown keys, wrong types, looser values).
        """
        from fleksi.policy.policy_json import policy_kwargs  # the parsing lives beside it

        kwargs, problems = policy_kwargs(data)
        problems = problems + cls.unchecked(kwargs).problems()
        if problems:
            raise PolicyError(problems)
        return cls(**kwargs)  # type: ignore[arg-type]

    @classmethod
    def unchecked(cls, values: Mapping[str, object]) -> Policy:
        """A policy with these values, NOT validated: only to list its ``problems()``."""
        defaults = cls()
        policy = object.__new__(cls)
        for item in fields(cls):
            object.__setattr__(
                policy, item.name, values.get(item.name, getattr(defaults, item.name))
            )
        return policy
