"""The central scoping layer: what an actor may see and do. Every selector goes through it.

Scopes, widest first:
- everything: system admins (read/write), all agencies;
- national monitors see aggregates only, and until the monitoring app brings them nothing at
  all: no person, no request, no calendar, no agency's tree (docs/decisions/081);
- agency: HR admins and PPK of an agency see and manage all of it;
- units: heads of units (and an acting Plt/Plh for today) see their units' subtrees;
- self: every employee sees their own record.
A user may hold several; the scope is their union.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from fleksi.core import clock

from .models import AgencyRole, AgencyRoleKind, Delegation, Employee, OrgUnit


@dataclass(frozen=True)
class Scope:
    user_id: int | None
    everything: bool = False  # system admins only
    national_monitor: bool = False  # aggregates only: grants no row of any agency
    admin_agency_ids: frozenset[int] = frozenset()
    ppk_agency_ids: frozenset[int] = frozenset()
    hr_agency_ids: frozenset[int] = frozenset()
    head_unit_ids: frozenset[int] = frozenset()
    head_unit_paths: tuple[str, ...] = ()
    delegated_unit_ids: frozenset[int] = frozenset()
    employee_id: int | None = None
    employee_agency_id: int | None = None
    roles: tuple[str, ...] = field(default=())

    # ---- what kind of actor ----
    @property
    def is_system_admin(self) -> bool:
        return self.everything

    @property
    def is_national_monitor(self) -> bool:
        return self.national_monitor

    @property
    def is_head(self) -> bool:
        return bool(self.head_unit_ids)

    @property
    def member_agency_ids(self) -> frozenset[int]:
        ids = set(self.admin_agency_ids)
        if self.employee_agency_id is not None:
            ids.add(self.employee_agency_id)
        return frozenset(ids)

    def can_manage_agency(self, agency_id: int) -> bool:
        return self.is_system_admin or agency_id in self.admin_agency_ids

    # ---- filters ----
    def employees(self, qs: QuerySet[Employee]) -> QuerySet[Employee]:
        if self.everything:
            return qs
        cond = Q(pk__in=[])
        if self.admin_agency_ids:
            cond |= Q(agency_id__in=self.admin_agency_ids)
        for path in self.head_unit_paths:
            cond |= Q(unit__path__startswith=path)
        if self.employee_id is not None:
            cond |= Q(pk=self.employee_id)
        return qs.filter(cond)

    def units(self, qs: QuerySet[OrgUnit]) -> QuerySet[OrgUnit]:
        """Units are visible to every member of the agency (the tree is not secret)."""
        if self.everything:
            return qs
        return qs.filter(agency_id__in=self.member_agency_ids)

    def agencies(self, qs: QuerySet[Any]) -> QuerySet[Any]:
        if self.everything:
            return qs
        return qs.filter(pk__in=self.member_agency_ids)


ROLE_LABELS = {
    "system_admin": _("Admin sistem"),
    "national_monitor": _("Pemantau nasional"),
    "hr_admin": _("Admin SDM"),
    "ppk": _("PPK"),
    "head": _("Pimpinan unit"),
    "employee": _("Pegawai"),
}


def role_labels(scope: Scope) -> list[str]:
    return [str(ROLE_LABELS.get(role, role)) for role in scope.roles]


ANONYMOUS = Scope(user_id=None)


def scope_for(user: Any, *, on: dt.date | None = None) -> Scope:
    """The actor's scope (cached on the user object for the request)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ANONYMOUS
    cached = getattr(user, "_fleksi_scope", None)
    if cached is not None and on is None:
        return cached
    day = on or clock.today()
    roles: list[str] = []
    everything = bool(user.is_superuser)
    monitor = bool(user.is_national_monitor and not user.is_superuser)
    if everything:
        roles.append("system_admin")
    if monitor:
        roles.append("national_monitor")
    ppk: set[int] = set()
    hr: set[int] = set()
    for agency_id, role in AgencyRole.objects.filter(user=user).values_list("agency_id", "role"):
        (ppk if role == AgencyRoleKind.PPK else hr).add(agency_id)
    if hr:
        roles.append("hr_admin")
    if ppk:
        roles.append("ppk")
    employee = Employee.objects.filter(user=user, is_active=True).only("id", "agency_id").first()
    head_ids: set[int] = set()
    delegated: set[int] = set()
    paths: list[str] = []
    if employee is not None:
        roles.append("employee")
        for unit_id, path in OrgUnit.objects.filter(head=employee).values_list("id", "path"):
            head_ids.add(unit_id)
            paths.append(path)
        for unit_id, path in Delegation.objects.filter(
            delegate=employee, start__lte=day, end__gte=day, revoked_at__isnull=True
        ).values_list("unit_id", "unit__path"):
            head_ids.add(unit_id)
            delegated.add(unit_id)
            paths.append(path)
        if head_ids:
            roles.append("head")
    scope = Scope(
        user_id=user.pk,
        everything=everything,
        national_monitor=monitor,
        admin_agency_ids=frozenset(hr | ppk),
        ppk_agency_ids=frozenset(ppk),
        hr_agency_ids=frozenset(hr),
        head_unit_ids=frozenset(head_ids),
        head_unit_paths=tuple(sorted(set(paths))),
        delegated_unit_ids=frozenset(delegated),
        employee_id=employee.pk if employee else None,
        employee_agency_id=employee.agency_id if employee else None,
        roles=tuple(roles),
    )
    if on is None:
        user._fleksi_scope = scope
    return scope
