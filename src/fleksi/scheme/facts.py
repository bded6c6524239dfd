"""TODO docstring."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import replace
from types import MappingProxyType

from fleksi.core import clock
from fleksi.organisation.models import Agency, Employee, OrgUnit
from fleksi.policy.calendar import AgencyCalendar
from fleksi.policy.model import (
    EmployeeFacts,
    EmployeeKind,
    Policy,
    PolicyError,
    TimeFlexibility,
    UnitFacts,
)

from .models import AgencyFlexDay


def agency_policy(agency: Agency) -> Policy:
    """The agency's policy (policy JSON + the "flexible work enabled" switch)."""
    try:
        policy = Policy.from_dict(agency.policy or {})
    except PolicyError:
        # The JSON is validated when saved; a stored policy the core no longer accepts falls
        # back to the regulation itself rather than blocking every page.
        policy = Policy()
    if not agency.flexible_work_enabled and policy.agency_enabled:
        policy = replace(policy, agency_enabled=False)
    declared = {
        day: circular
        for day, circular in AgencyFlexDay.objects.filter(agency=agency).values_list(
            "date", "circular"
        )
    }
    if declared:
        policy = replace(policy, declared_flex_days=MappingProxyType(declared))
    return policy


def agency_calendar(agency: Agency, policy: Policy | None = None) -> AgencyCalendar:
    return AgencyCalendar(policy or agency_policy(agency))


def employee_today(employee: Employee) -> dt.date:
    """Today where the employee works (the unit's zone: WIB, WITA or WIT)."""
    return clock.today(employee.unit.time_zone or employee.agency.time_zone)


def employee_facts(
    employee: Employee, extra_special: Iterable[tuple[dt.date, dt.date]] = ()
) -> EmployeeFacts:
    periods = list(extra_special)
    if employee.special_start and employee.special_end:
        periods.append((employee.special_start, employee.special_end))
    flex = employee.time_flexibility or TimeFlexibility.NONE.value
    return EmployeeFacts(
        nip=employee.nip,
        unit=employee.unit.code,
        kind=EmployeeKind(employee.kind)
        if employee.kind in EmployeeKind.__members__
        else EmployeeKind.PNS,
        tasks_eligible=bool(employee.tasks_eligible),
        field_work=bool(employee.field_work),
        time_flexibility=TimeFlexibility(flex),
        disciplinary=employee.disciplinary,
        excluded=employee.excluded,
        position_start=employee.position_start,
        special_periods=tuple(sorted(set(periods))),
    )


def unit_chain_facts(unit: OrgUnit) -> dict[str, UnitFacts]:
    """The unit and its ancestors (for "not enabled in this unit" and service units)."""
    ids = [int(part) for part in unit.path.strip("/").split("/") if part.isdigit()] or [unit.pk]
    rows = OrgUnit.objects.filter(pk__in=ids).values_list(
        "pk", "code", "parent_id", "is_public_service"
    )
    code_of = {pk: code for pk, code, _parent, _svc in rows}
    return {
        code: UnitFacts(code=code, parent=code_of.get(parent) if parent else None, service_unit=svc)
        for _pk, code, parent, svc in rows
    }
