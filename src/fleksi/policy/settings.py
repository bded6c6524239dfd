"""The agency's flexible-work policy within the law, and its validation.

``Policy()`` is the regulation itself; an agency may tighten it where the law allows.
Constructing a ``Policy`` looser than the regulation raises ``PolicyError`` with every
problem (Indonesian and English). policy.json is parsed in ``policy_json``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from types import MappingProxyType

from fleksi.policy.codes import RuleCode
from fleksi.policy.dates import NATIONAL_FLEX_DAYS, hijri_ramadan_periods
from fleksi.policy.enums import AWAY_KINDS, Confidence, LocationKind, Severity
from fleksi.policy.policy_json import POLICY_KEYS, policy_kwargs
from fleksi.policy.problems import PolicyError, Problem

__all__ = ["POLICY_KEYS", "Policy", "PolicyError", "policy_from_json"]

MAX_LOCATION_DAYS_PER_WEEK = 2  # PermenPANRB 4/2025 Pasal 13 ayat (1)
MIN_NEW_IN_POSITION_MONTHS = 6  # the documented default (confidence L); an agency may raise it
MAX_NEW_IN_POSITION_MONTHS = 120

def _problem(key: str, message_id: str, message_en: str) -> Problem:
    return Problem("policy.json", 0, key, message_id, message_en)


MAX_RAMADAN_DAYS = 30  # a Hijri month has 29 or 30 days
RAMADAN_TOLERANCE_DAYS = 2  # the government's dates (sidang isbat) vs the computed calendar


def _ramadan_problem(start: dt.date, end: dt.date) -> Problem | None:
    """A policy Ramadan period is only allowed inside the real month (give or take the
    isbat): Ramadan lowers the required hours (32 h 30 min), so any other day would be a
    looser policy. Outside the Hijri calendar's range only the length is checked."""
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
    - ``min_office_headcount``: per unit code (``"*"`` for every other unit), at least this
      many of the unit's own employees at the office on each working day (M).
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
    - ``task_request_reason_required``: a request on task grounds must state a reason
      (default ``True``; a keadaan khusus request always must, Pasal 30).
    - ``severity``: severity per rule code; an agency may raise any, and lower only those of
      confidence M (``DYNAMIC_NOT_ELIGIBLE``, ``SHIFT_NOT_ELIGIBLE``,
      ``COVERAGE_BELOW_MINIMUM``).

    Not in policy.json (the Django side sets them from the agency's table of national
    flexible days): ``declared_flex_days`` (date -> circular, on top of the built-in list)
    and ``flex_day_shares`` (date -> the minimum office share the agency head set for that
    national flexible day; it replaces ``min_office_share`` on that day).
    """

    max_location_days_per_week: int = MAX_LOCATION_DAYS_PER_WEEK
    new_in_position_months: int = MIN_NEW_IN_POSITION_MONTHS
    min_office_share: Mapping[str, float] = field(
        default_factory=lambda: MappingProxyType({"*": 0.0})
    )
    min_office_headcount: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    national_flex_days_count_toward_cap: bool = False
    extra_non_working_days: frozenset[dt.date] = frozenset()
    ramadan: tuple[tuple[dt.date, dt.date], ...] | None = None
    dynamic_start_window: tuple[dt.time, dt.time] | None = None
    agency_enabled: bool = True
    disabled_units: frozenset[str] = frozenset()
    allowed_location_kinds: frozenset[LocationKind] = AWAY_KINDS
    service_units: frozenset[str] = frozenset()
    severity: Mapping[RuleCode, Severity] = field(default_factory=lambda: MappingProxyType({}))
    task_request_reason_required: bool = True
    # National flexible-work days the agency declared from a circular (date -> circular), on
    # top of the built-in list. Kept in the agency's own table, not in policy.json.
    declared_flex_days: Mapping[dt.date, str] = field(
        default_factory=lambda: MappingProxyType({}), compare=False
    )
    flex_day_shares: Mapping[dt.date, float] = field(
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

    def office_headcount(self, unit: str) -> int:
        count = self.min_office_headcount.get(unit)
        if count is None:
            count = self.min_office_headcount.get("*", 0)
        return count

    def coverage_share(self, unit: str, day: dt.date, national_flex: bool) -> float:
        """The minimum office share of ``unit`` on ``day``: on a national flexible day the
        share the agency set for that day (if it set one), else the unit's."""
        if national_flex:
            share = self.flex_day_shares.get(day)
            if share is not None:
                return share
        return self.office_share(unit)

    def checks_coverage(self, unit: str) -> bool:
        """Whether any coverage minimum can apply to ``unit``."""
        return (
            self.office_share(unit) > 0
            or self.office_headcount(unit) > 0
            or any(share > 0 for share in self.flex_day_shares.values())
        )

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
        for unit, count in self.min_office_headcount.items():
            if isinstance(count, bool) or not isinstance(count, int) or count < 0:
                out.append(
                    _problem(
                        "min_office_headcount",
                        f"min_office_headcount untuk '{unit}' bernilai {count!r}: harus "
                        "bilangan bulat 0 atau lebih (jumlah pegawai di kantor)",
                        f"min_office_headcount for '{unit}' is {count!r}: it must be a whole "
                        "number of 0 or more (employees at the office)",
                    )
                )
        known_flex = set(NATIONAL_FLEX_DAYS) | set(self.declared_flex_days)
        for day, share in self.flex_day_shares.items():
            if (
                isinstance(share, bool)
                or not isinstance(share, int | float)
                or not 0.0 <= share <= 1.0
            ):
                out.append(
                    _problem(
                        "flex_day_shares",
                        f"persentase minimum di kantor untuk {day} bernilai {share!r}: harus "
                        "angka 0 sampai 1",
                        f"the minimum office share for {day} is {share!r}: it must be a "
                        "number from 0 to 1",
                    )
                )
            elif day not in known_flex:
                out.append(
                    _problem(
                        "flex_day_shares",
                        f"{day} bukan hari kerja fleksibel nasional; persentase hari itu "
                        "tidak dapat ditetapkan",
                        f"{day} is not a national flexible-work day; no share can be set "
                        "for it",
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
        adjustable = ", ".join(c.value for c in RuleCode if c.confidence is Confidence.M)
        for code, severity in self.severity.items():
            default = code.severity
            if severity.rank < default.rank and code.confidence is not Confidence.M:
                out.append(
                    _problem(
                        "severity",
                        f"tingkat {code.value} tidak boleh diturunkan dari {default.value} ke "
                        f"{severity.value}: aturan ini tegas dalam peraturan; yang dapat "
                        f"diturunkan instansi hanya {adjustable}",
                        f"the severity of {code.value} cannot be lowered from "
                        f"{default.value} to {severity.value}: the regulation states this rule "
                        f"firmly; an agency may lower only {adjustable}",
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
            "min_office_headcount": dict(sorted(self.min_office_headcount.items())),
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
            "task_request_reason_required": self.task_request_reason_required,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Policy:
        """Build a policy from policy.json data; absent keys take the regulation's defaults.

        Raises ``PolicyError`` with every problem (unknown keys, wrong types, looser values).
        """
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


def policy_from_json(data: object) -> Policy:
    """A ``Policy`` from parsed policy.json data (a dict); raises ``PolicyError`` with every
    problem (unknown keys, wrong types, values looser than the regulation)."""
    return Policy.from_dict(data)  # type: ignore[arg-type]
