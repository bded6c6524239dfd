"""Service coverage: a minimum share (and head-count) of each unit in the office each working day."""

from __future__ import annotations

import math
from fractions import Fraction

from fleksi.policy.calendar import DayInfo
from fleksi.policy.codes import Numbers, RuleCode, Texts, declare
from fleksi.policy.enums import Confidence, Granularity
from fleksi.policy.model import Finding
from fleksi.policy.rules.base import P4, Env


def required_in_office(share: float, employees: int, headcount: int = 0) -> int:
    """The head-count ``share`` of ``employees`` asks for, without float rounding errors,
    and at least ``headcount`` (never more than the unit has)."""
    by_share = math.ceil(Fraction(str(share)) * employees) if share > 0 else 0
    return max(by_share, min(headcount, employees))


def _coverage_below_minimum(n: Numbers) -> Texts:
    percent = f"{float(n['min_share']) * 100:g}%"
    extra_id = extra_en = ""
    if n.get("min_headcount"):
        extra_id += f", minimum {n['min_headcount']} orang"
        extra_en += f", minimum {n['min_headcount']} people"
    if n.get("circular"):
        extra_id += f", hari kerja fleksibel nasional ({n['circular']})"
        extra_en += f", national flexible-work day ({n['circular']})"
    return (
        f"Unit {n['unit']} pada {n['date']}: {n['office']} dari {n['employees']} pegawai di "
        f"kantor; paling sedikit {n['required']} ({percent}{extra_id}).",
        f"Unit {n['unit']} on {n['date']}: {n['office']} of {n['employees']} employees at "
        f"the office; at least {n['required']} ({percent}{extra_en}).",
    )


@declare(
    RuleCode.COVERAGE_BELOW_MINIMUM,
    granularity=Granularity.UNIT,
    basis=f"{P4} Pasal 13",
    confidence=Confidence.M,
    title_id="Pegawai di kantor kurang dari batas minimum unit",
    title_en="Fewer employees in the office than the unit's minimum",
    message=_coverage_below_minimum,
    setting="min_office_share, min_office_headcount, severity",
    default='{"*": 0.0}, {}',
)
def coverage_below_minimum(
    unit: str, day: DayInfo, employees: int, office: int, env: Env
) -> Finding | None:
    """The share (and, where set, the number) of the unit's own employees (not sub-units')
    at the office on a working day. On a national flexible day the share the agency set
    for that day applies instead of the unit's."""
    if employees == 0 or not day.working:
        return None
    policy = env.policy
    flex = day.national_flex is not None
    share = policy.coverage_share(unit, day.date, flex)
    headcount = policy.office_headcount(unit)
    if share <= 0 and headcount <= 0:
        return None
    required = required_in_office(share, employees, headcount)
    if office >= required:
        return None
    extra: dict[str, int | str] = {}
    if headcount > 0:
        extra["min_headcount"] = headcount
    if flex and day.date in policy.flex_day_shares and day.national_flex:
        extra["circular"] = day.national_flex
    return env.finding(
        RuleCode.COVERAGE_BELOW_MINIMUM,
        nip=None,
        unit=unit,
        date=day.date,
        week=day.week,
        basis=None,
        office=office,
        employees=employees,
        required=required,
        min_share=share,
        **extra,
    )
