"""Every read of organisation data, scoped to what the actor may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from fleksi.core.errors import ApplicationError, ErrorCode, not_found
from fleksi.organisation.models import AgencyOffice, PermittedPlace

from .models import Agency, Delegation, Employee, OrgUnit
from .scoping import Scope, scope_for


def _not_found(what: str) -> ApplicationError:
    return ApplicationError(ErrorCode.NOT_FOUND, f"{what} tidak ditemukan.")


def agency_list(*, actor: Any) -> QuerySet[Agency]:
    return scope_for(actor).agencies(Agency.objects.all()).order_by("name")


def agency_get(*, actor: Any, agency_id: int) -> Agency:
    agency = agency_list(actor=actor).filter(pk=agency_id).first()
    if agency is None:
        raise _not_found("Instansi")
    return agency


def unit_list(*, actor: Any, agency_id: int | None = None) -> QuerySet[OrgUnit]:
    qs = scope_for(actor).units(OrgUnit.objects.all())
    if agency_id is not None:
        qs = qs.filter(agency_id=agency_id)
    return (
        qs.select_related("agency", "head", "parent")
        .annotate(employee_count=Count("employees", filter=Q(employees__is_active=True)))
        .order_by("agency_id", "path")
    )


def unit_get(*, actor: Any, unit_id: int) -> OrgUnit:
    unit = unit_list(actor=actor).filter(pk=unit_id).first()
    if unit is None:
        raise _not_found("Unit organisasi")
    return unit


def employee_list(
    *,
    actor: Any,
    search: str = "",
    unit_id: int | None = None,
    agency_id: int | None = None,
    include_subunits: bool = True,
) -> QuerySet[Employee]:
    qs = scope_for(actor).employees(Employee.objects.filter(is_active=True))
    if agency_id is not None:
        qs = qs.filter(agency_id=agency_id)
    if unit_id is not None:
        if include_subunits:
            unit = OrgUnit.objects.filter(pk=unit_id).only("path").first()
            qs = qs.filter(unit__path__startswith=unit.path) if unit else qs.none()
        else:
            qs = qs.filter(unit_id=unit_id)
    search = search.strip()
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(nip__startswith=search) | Q(email__icontains=search))
    return qs.select_related("unit", "position", "agency", "supervisor").order_by("name", "nip")


def employee_get(*, actor: Any, employee_id: int) -> Employee:
    employee = (
        scope_for(actor)
        .employees(Employee.objects.all())
        .select_related("unit", "position", "agency", "supervisor", "user")
        .filter(pk=employee_id)
        .first()
    )
    if employee is None:
        raise _not_found("Pegawai")
    return employee


def employee_for_user(*, user: Any) -> Employee | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Employee.objects.select_related("unit", "position", "agency", "supervisor")
        .filter(user=user, is_active=True)
        .first()
    )


def unit_tree(*, actor: Any, agency_id: int) -> list[dict[str, Any]]:
    """The agency's units as nested dicts, in one query."""
    units = list(unit_list(actor=actor, agency_id=agency_id))
    nodes: dict[int, dict[str, Any]] = {u.pk: {"unit": u, "children": []} for u in units}
    roots: list[dict[str, Any]] = []
    for unit in units:
        node = nodes[unit.pk]
        parent = nodes.get(unit.parent_id) if unit.parent_id else None
        (parent["children"] if parent else roots).append(node)

    def by_name(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        items.sort(key=lambda n: n["unit"].name)
        for n in items:
            by_name(n["children"])
        return items

    return by_name(roots)


def unit_managed_get(*, actor: Any, unit_id: int) -> OrgUnit:
    """A unit the actor manages (HR admin / PPK of its agency, system admin); else NOT_FOUND."""
    unit = OrgUnit.objects.select_related("agency", "head").filter(pk=unit_id).first()
    if unit is None or not scope_for(actor).can_manage_agency(unit.agency_id):
        raise _not_found("Unit organisasi")
    return unit


def delegation_list(*, actor: Any, unit_id: int) -> QuerySet[Delegation]:
    unit = unit_managed_get(actor=actor, unit_id=unit_id)
    return Delegation.objects.filter(unit=unit).select_related("delegate", "created_by").order_by("-start", "-id")


def offices_for(*, actor: Any) -> QuerySet[AgencyOffice]:
    """The active offices an employee may choose for "another office"."""
    return AgencyOffice.objects.filter(
        agency_id__in=settings_agency_ids(scope_for(actor)), is_active=True
    ).order_by("name")


def places_for(*, actor: Any) -> QuerySet[PermittedPlace]:
    """The active permitted places an employee may choose for "another location"."""
    return PermittedPlace.objects.filter(
        agency_id__in=settings_agency_ids(scope_for(actor)), is_active=True
    ).order_by("name")


def settings_agency_ids(scope: Scope) -> list[int]:
    """The agencies whose settings (offices, places) the actor works in."""
    if scope.employee_agency_id is not None:
        return [scope.employee_agency_id]
    return sorted(scope.admin_agency_ids)


def agency_for_manager(*, actor: Any, agency_id: int) -> Agency:
    """The agency if the actor manages it (HR admin, PPK, system admin). NOT_FOUND when the
    agency is not theirs at all, PERMISSION_DENIED for a member who does not manage it."""
    from django.utils.translation import gettext as _

    scope = scope_for(actor)
    agency = scope.agencies(Agency.objects.all()).filter(pk=agency_id).first()
    if agency is None:
        raise not_found("Instansi")
    if not scope.can_manage_agency(agency.pk):
        raise ApplicationError(
            ErrorCode.PERMISSION_DENIED,
            _("Hanya admin SDM atau PPK instansi yang dapat mengatur ini."),
        )
    return agency


# ---- population reads for the monitoring app (the caller has already checked the scope) ----


def population_employees(
    *, agency_ids: list[int] | None, unit_path: str | None = None
) -> QuerySet[Employee]:
    """Active employees of the agencies (all agencies for ``None``), optionally of one unit
    subtree (materialised path prefix). For aggregation only: monitoring never lists them."""
    qs = Employee.objects.filter(is_active=True)
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=agency_ids)
    if unit_path:
        qs = qs.filter(unit__path__startswith=unit_path)
    return qs


def population_units(*, agency_ids: list[int] | None, unit_path: str | None = None) -> QuerySet[OrgUnit]:
    qs = OrgUnit.objects.all()
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=agency_ids)
    if unit_path:
        qs = qs.filter(path__startswith=unit_path)
    return qs
