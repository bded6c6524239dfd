"""Who a dashboard is about, and whether the actor may see it (docs/decisions/170).

- ``unit``: a unit subtree; its head (or acting Plt/Plh) of it or of a unit above, the
  agency's HR admins and PPK, system admins. Default: the unit the actor heads.
- ``agency``: HR admins and PPK of the agency, system admins. Default: the actor's agency.
- ``national``: every agency, aggregates only; national monitors and system admins (403 for
  anyone else). Rows are per agency, never per unit or person, and small cells are hidden.
Another agency's or unit's dashboard is 404, the same answer as a unit that does not exist.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext as _

from fleksi.core import jobs
from fleksi.core.errors import ApplicationError, ErrorCode, not_found
from fleksi.organisation.models import Agency, OrgUnit
from fleksi.organisation.scoping import Scope, scope_for

MAX_DAYS = 400  # a period longer than about a year is refused


class ScopeKind(StrEnum):
    UNIT = "unit"
    AGENCY = "agency"
    NATIONAL = "national"


@dataclass(frozen=True)
class Population:
    kind: ScopeKind
    agency_ids: list[int] | None  # None: every agency (national)
    unit_path: str | None
    agency: Agency | None
    unit: OrgUnit | None
    start: dt.date
    end: dt.date

    @property
    def national(self) -> bool:
        return self.kind == ScopeKind.NATIONAL

    @property
    def label(self) -> str:
        if self.unit is not None:
            return self.unit.name
        if self.agency is not None:
            return self.agency.name
        return _("Nasional (semua instansi)")

    def with_period(self, start: dt.date, end: dt.date) -> Population:
        return Population(self.kind, self.agency_ids, self.unit_path, self.agency, self.unit, start, end)


def can_see_unit(scope: Scope, unit: OrgUnit) -> bool:
    if scope.is_system_admin or unit.agency_id in scope.admin_agency_ids:
        return True
    return any(unit.path.startswith(path) for path in scope.head_unit_paths)


def monitoring_roles(scope: Scope) -> set[ScopeKind]:
    """The dashboards the actor has (for the menu and the default page)."""
    kinds: set[ScopeKind] = set()
    if scope.is_system_admin or scope.is_national_monitor:
        kinds.add(ScopeKind.NATIONAL)
    if scope.is_system_admin or scope.admin_agency_ids:
        kinds.add(ScopeKind.AGENCY)
    if scope.is_system_admin or scope.head_unit_ids or scope.admin_agency_ids:
        kinds.add(ScopeKind.UNIT)
    return kinds


def _period(start: dt.date | None, end: dt.date | None, today: dt.date) -> tuple[dt.date, dt.date]:
    if end is None:
        end = today
    if start is None:
        start = end - dt.timedelta(weeks=13) + dt.timedelta(days=1)
    if end < start:
        raise ApplicationError(
            ErrorCode.VALIDATION,
            _("Tanggal akhir sebelum tanggal awal."),
            {"fields": {"to": _("Tanggal akhir sebelum tanggal awal.")}},
        )
    if (end - start).days + 1 > MAX_DAYS:
        raise ApplicationError(
            ErrorCode.VALIDATION,
            _("Rentang paling panjang %(n)s hari.") % {"n": MAX_DAYS},
            {"fields": {"from": _("Rentang terlalu panjang.")}},
        )
    return start, end


def population_for(
    *,
    actor: Any,
    kind: str,
    target_id: int | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    today: dt.date,
) -> Population:
    """The population of a dashboard, or 404/403 (national) if the actor may not see it."""
    scope = scope_for(actor)
    try:
        scope_kind = ScopeKind(kind)
    except ValueError:
        raise ApplicationError(
            ErrorCode.VALIDATION,
            _("Cakupan harus unit, agency atau national."),
            {"fields": {"scope": _("Cakupan tidak dikenal.")}},
        ) from None
    first, last = _period(start, end, today)
    if scope_kind == ScopeKind.NATIONAL:
        if not (scope.is_system_admin or scope.is_national_monitor):
            raise ApplicationError(
                ErrorCode.PERMISSION_DENIED,
                _("Dasbor nasional hanya untuk pemantau nasional dan admin sistem."),
            )
        return Population(scope_kind, None, None, None, None, first, last)
    if scope_kind == ScopeKind.AGENCY:
        if target_id is None:
            ids = sorted(scope.admin_agency_ids)
            if not ids:
                raise not_found(_("Instansi"))
            target_id = ids[0]
        agency = Agency.objects.filter(pk=target_id).first()
        if agency is None or not scope.can_manage_agency(agency.pk):
            raise not_found(_("Instansi"))
        return Population(scope_kind, [agency.pk], None, agency, None, first, last)
    if target_id is None:
        heads = sorted(scope.head_unit_ids)
        if not heads:
            raise not_found(_("Unit"))
        target_id = heads[0]
    unit = OrgUnit.objects.select_related("agency").filter(pk=target_id).first()
    if unit is None or not can_see_unit(scope, unit):
        raise not_found(_("Unit"))
    return Population(scope_kind, [unit.agency_id], unit.path, unit.agency, unit, first, last)


def report_get(*, actor: Any, report_id: int) -> Any:
    """An evaluation report the actor may see (the same rule as its dashboard), else 404."""
    from .models import EvaluationReport

    scope = scope_for(actor)
    if not 0 < report_id < 2**62:  # beyond any bigint id: not found, not a database error
        raise not_found(_("Laporan"))
    jobs.fail_stale(EvaluationReport.objects.filter(pk=report_id))  # a worker that stopped
    report = (
        EvaluationReport.objects.select_related("agency", "unit", "created_by__employee").filter(pk=report_id).first()
    )
    if report is None:
        raise not_found(_("Laporan"))
    if report.unit is not None:
        allowed = can_see_unit(scope, report.unit)
    else:
        allowed = scope.can_manage_agency(report.agency_id)
    if not allowed:
        raise not_found(_("Laporan"))
    return report


def report_list(*, actor: Any, pop: Population, limit: int = 20) -> list[Any]:
    """The latest reports of the population's agency (or unit) the actor may see."""
    from .models import EvaluationReport

    if pop.agency is None:
        return []
    qs = EvaluationReport.objects.select_related("unit", "created_by__employee").filter(agency_id=pop.agency.pk)
    qs = qs.filter(unit_id=pop.unit.pk) if pop.unit is not None else qs.filter(unit__isnull=True)
    return list(qs[:limit])
