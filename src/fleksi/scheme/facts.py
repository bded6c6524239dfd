"""The facts the policy core judges, built from the database in as few queries as possible.

Every check (a request, an approval, a unit's plan) goes the same way: build the facts once
(the agency's scheme, the unit chain, the people), call the policy core once, act on the
outcome. This module builds the facts; ``fleksi.requests.checking`` and
``fleksi.schedules.plans`` call the core.

The agency's ``Policy`` and calendar are parsed once and cached per agency and scheme version
(``Agency.scheme_version``, raised by every write of the scheme). A stored policy the core no
longer accepts fails closed: it is logged and every check answers ``policy_invalid`` until HR
fixes it, instead of silently falling back to the regulation's defaults.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from types import MappingProxyType

from django.db.models import F
from django.utils.translation import gettext as _

from fleksi.core import clock
from fleksi.core.errors import ApplicationError, ErrorCode
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

logger = logging.getLogger(__name__)

_CACHE_SIZE = 256
_cache: OrderedDict[tuple[object, ...], AgencyScheme] = OrderedDict()
_lock = threading.Lock()


@dataclass(frozen=True)
class AgencyScheme:
    """The agency's effective policy (within the law) and its working calendar."""

    policy: Policy
    calendar: AgencyCalendar


def _cache_key(agency: Agency) -> tuple[object, ...]:
    # The JSON and the switch are part of the key too, so that a write that bypasses the
    # services (the Django admin, a shell) is never served from a stale entry.
    return (
        agency.pk,
        agency.scheme_version,
        agency.flexible_work_enabled,
        json.dumps(agency.policy or {}, sort_keys=True, default=str),
    )


def policy_from_stored(data: object) -> Policy:
    """The Policy of a stored policy JSON, or ``PolicyError`` with every problem."""
    if not isinstance(data, dict):
        data = {}
    return Policy.from_dict(data)


def _build(agency: Agency) -> AgencyScheme:
    try:
        policy = policy_from_stored(agency.policy or {})
    except PolicyError as error:
        logger.error(
            "agency %s (%s): stored policy is invalid, checks refused: %s",
            agency.pk,
            agency.code,
            "; ".join(p.message("en") for p in error.problems),
        )
        raise ApplicationError(
            ErrorCode.POLICY_INVALID,
            _(
                "Kebijakan kerja fleksibel instansi yang tersimpan tidak valid, sehingga "
                "pemeriksaan tidak dapat dilakukan. Admin SDM perlu memperbaikinya di halaman "
                "Pengaturan instansi."
            ),
            {"problems": [p.message("id") for p in error.problems]},
        ) from error
    if not agency.flexible_work_enabled and policy.agency_enabled:
        policy = replace(policy, agency_enabled=False)
    rows = list(
        AgencyFlexDay.objects.filter(agency_id=agency.pk).values_list("date", "circular", "max_share")
    )
    if rows:
        # ``max_share`` is the share of staff who may work away that day; the coverage rule
        # takes the office share it leaves (1 - max_share) on that national flexible day.
        policy = replace(
            policy,
            declared_flex_days=MappingProxyType({day: circular for day, circular, _s in rows}),
            flex_day_shares=MappingProxyType({day: float(1 - share) for day, _c, share in rows}),
        )
    return AgencyScheme(policy=policy, calendar=AgencyCalendar(policy))


def agency_scheme(agency: Agency) -> AgencyScheme:
    """The agency's policy and calendar, parsed once per scheme version (process-wide)."""
    key = _cache_key(agency)
    with _lock:
        found = _cache.get(key)
        if found is not None:
            _cache.move_to_end(key)
            return found
    scheme = _build(agency)
    with _lock:
        _cache[key] = scheme
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return scheme


def scheme_cache_clear() -> None:
    with _lock:
        _cache.clear()


def scheme_changed(agency: Agency) -> None:
    """Raise the agency's scheme version (call inside the writing transaction)."""
    Agency.objects.filter(pk=agency.pk).update(scheme_version=F("scheme_version") + 1)
    agency.refresh_from_db(fields=["scheme_version"])


def agency_policy(agency: Agency) -> Policy:
    """The agency's policy (policy JSON, the "flexible work enabled" switch, declared days)."""
    return agency_scheme(agency).policy


def agency_calendar(agency: Agency, policy: Policy | None = None) -> AgencyCalendar:
    if policy is None:
        return agency_scheme(agency).calendar
    return AgencyCalendar(policy)


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
        domicile_registered=bool((employee.domicile or "").strip()),
        position_start=employee.position_start,
        special_periods=tuple(sorted(set(periods))),
    )


def unit_facts(unit: OrgUnit, *, subtree: bool = False) -> dict[str, UnitFacts]:
    """The unit, its ancestors (a disabled or service ancestor counts for it) and, with
    ``subtree``, every unit below it: one query, each with its real parent."""
    ancestor_ids = [int(part) for part in unit.path.strip("/").split("/") if part.isdigit()]
    if unit.pk not in ancestor_ids:
        ancestor_ids.append(unit.pk)
    rows = OrgUnit.objects.filter(agency_id=unit.agency_id)
    if subtree and unit.path:
        from django.db.models import Q

        rows = rows.filter(Q(pk__in=ancestor_ids) | Q(path__startswith=unit.path))
    else:
        rows = rows.filter(pk__in=ancestor_ids)
    values = list(rows.values_list("pk", "code", "parent_id", "is_public_service"))
    code_of = {pk: code for pk, code, _parent, _svc in values}
    return {
        code: UnitFacts(
            code=code, parent=code_of.get(parent) if parent else None, service_unit=svc
        )
        for _pk, code, parent, svc in values
    }

