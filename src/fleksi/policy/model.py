"""The facts the rules read and the findings they give (frozen dataclasses, no Django).

The Enums of the law's vocabulary live in ``enums``, the rule codes in ``codes`` and the
agency's ``Policy`` in ``settings``; they are re-exported here for older imports, but the
public surface is the package ``fleksi.policy``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from fleksi.policy.codes import RULES as RULES
from fleksi.policy.codes import Number as Number
from fleksi.policy.codes import RuleCode as RuleCode
from fleksi.policy.codes import RuleInfo as RuleInfo
from fleksi.policy.codes import RuleSpec as RuleSpec
from fleksi.policy.enums import AWAY_KINDS as AWAY_KINDS
from fleksi.policy.enums import Confidence as Confidence
from fleksi.policy.enums import EmployeeKind as EmployeeKind
from fleksi.policy.enums import Granularity as Granularity
from fleksi.policy.enums import LocationKind as LocationKind
from fleksi.policy.enums import Severity as Severity
from fleksi.policy.enums import TimeFlexibility as TimeFlexibility
from fleksi.policy.enums import TimeKind as TimeKind
from fleksi.policy.problems import PolicyError as PolicyError
from fleksi.policy.problems import Problem as Problem
from fleksi.policy.settings import POLICY_KEYS as POLICY_KEYS
from fleksi.policy.settings import Policy as Policy


@dataclass(frozen=True, slots=True)
class EmployeeFacts:
    """What the rules need to know about one employee.

    ``special_periods`` are the approved keadaan khusus periods (inclusive dates).
    ``domicile_registered``: the employee has a domicile registered in the personnel data
    (PermenPANRB 4/2025 Pasal 12 ayat (3)); without one no home day is possible. It
    defaults to ``False``: what is not registered is not registered.
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
    domicile_registered: bool = False

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
    ``end`` is before ``start`` ends the next day; ``end == start`` is invalid for every kind
    (the readers refuse it). A ``reguler`` day whose hours differ from the day's standard
    timetable is checked as ``dinamis`` (FORMATS.md). ``location_listed`` says whether a
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
