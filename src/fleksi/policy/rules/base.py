"""What every rule gets: the check environment and how to make a finding."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence

from fleksi.policy.calendar import AgencyCalendar, DayInfo
from fleksi.policy.codes import Number, RuleCode, rule
from fleksi.policy.model import DayPlan, EmployeeFacts, Finding, UnitFacts
from fleksi.policy.settings import Policy

# The short names of the sources, as REGULATION.md writes them in every basis.
P4 = "PermenPANRB 4/2025"
P21 = "Perpres 21/2023"


class Env:
    """The policy, the calendar and the units: shared by all rules of one check."""

    __slots__ = ("_enabled", "_service", "calendar", "policy", "units")

    def __init__(
        self,
        policy: Policy,
        calendar: AgencyCalendar | None = None,
        units: Mapping[str, UnitFacts] | None = None,
    ) -> None:
        self.policy = policy
        self.calendar = calendar or AgencyCalendar(policy)
        self.units: Mapping[str, UnitFacts] = units or {}
        self._enabled: dict[str, str | None] = {}
        self._service: dict[str, bool] = {}

    def finding(
        self,
        code: RuleCode,
        *,
        nip: str | None,
        unit: str | None,
        date: dt.date | None,
        week: str | None,
        basis: str | None = None,
        **numbers: Number,
    ) -> Finding:
        """A finding of ``code``; ``basis`` replaces the rule's declared basis (e.g. the
        circular of a national flexible day)."""
        spec = rule(code)
        context: dict[str, Number] = {
            "date": date.isoformat() if date is not None else "",
            "week": week or "",
            "unit": unit or "",
        }
        context.update(numbers)
        message_id, message_en = spec.message(context)
        return Finding(
            code=code,
            severity=self.policy.severity_of(code),
            nip=nip,
            unit=unit,
            date=date,
            week=week,
            basis=basis or spec.basis,
            message_id=message_id,
            message_en=message_en,
            numbers=numbers,
        )

    def disabled_by(self, unit: str) -> str | None:
        """The unit (itself or an ancestor) that has not enabled flexible work, or None."""
        if unit in self._enabled:
            return self._enabled[unit]
        found: str | None = None
        seen: set[str] = set()
        code: str | None = unit
        while code is not None and code not in seen:
            seen.add(code)
            facts = self.units.get(code)
            if code in self.policy.disabled_units or (
                facts is not None and not facts.flexible_enabled
            ):
                found = code
                break
            code = facts.parent if facts is not None else None
        self._enabled[unit] = found
        return found

    def is_service_unit(self, unit: str) -> bool:
        value = self._service.get(unit)
        if value is None:
            facts = self.units.get(unit)
            value = unit in self.policy.service_units or (facts is not None and facts.service_unit)
            self._service[unit] = value
        return value


DayRule = Callable[[EmployeeFacts, DayPlan, DayInfo, Env], Finding | None]
WeekRule = Callable[[EmployeeFacts, str, Sequence[tuple[DayPlan, DayInfo]], Env], Finding | None]
UnitRule = Callable[[str, DayInfo, int, int, Env], Finding | None]
RequestRule = Callable[..., Finding | None]  # (request, env, *, nip, unit)


def hhmm(value: dt.time) -> str:
    return f"{value.hour:02d}:{value.minute:02d}"
