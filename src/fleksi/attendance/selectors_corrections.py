"""Reads of corrections: the actor's own, those a head (or Plt/Plh) decides in the unit
subtree, the agency's for HR. Another unit's or agency's correction is NOT_FOUND."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from fleksi.core.errors import not_found
from fleksi.organisation.models import OrgUnit
from fleksi.organisation.scoping import Scope, scope_for

from .corrections import is_decider
from .models import Correction, CorrectionState


def _visible_q(scope: Scope) -> Q | None:
    if scope.is_system_admin:
        return None
    cond = Q(pk__in=[])
    if scope.employee_id is not None:
        cond |= Q(employee_id=scope.employee_id)
    if scope.admin_agency_ids:
        cond |= Q(agency_id__in=scope.admin_agency_ids)
    for path in scope.head_unit_paths:
        cond |= Q(employee__unit__path__startswith=path)
    return cond


def _corrections() -> QuerySet[Correction]:
    return Correction.objects.select_related("employee__unit", "decider")


def correction_list(
    *, actor: Any, state: str | None = None, employee_id: int | None = None, unit_id: int | None = None,
    mine: bool = False,
) -> list[Correction]:
    """Visible corrections, newest first (at most 500)."""
    scope = scope_for(actor)
    qs = _corrections()
    cond = _visible_q(scope)
    if cond is not None:
        qs = qs.filter(cond)
    if mine:
        qs = qs.filter(employee_id=scope.employee_id or 0)
    if state:
        qs = qs.filter(state=state)
    if employee_id is not None:
        qs = qs.filter(employee_id=employee_id)
    if unit_id is not None:
        unit = OrgUnit.objects.filter(pk=unit_id).only("path").first()
        qs = qs.filter(employee__unit__path__startswith=unit.path) if unit else qs.none()
    return list(qs.order_by("-created_at", "-id")[:500])


def correction_get(*, actor: Any, correction_id: int) -> Correction:
    scope = scope_for(actor)
    qs = _corrections().filter(pk=correction_id)
    cond = _visible_q(scope)
    correction = (qs if cond is None else qs.filter(cond)).first()
    if correction is None:
        raise not_found(_("Koreksi presensi"))
    return correction


def corrections_to_decide(*, actor: Any, unit: OrgUnit) -> list[Correction]:
    """Submitted corrections in the unit's subtree that the actor may decide (the board)."""
    scope = scope_for(actor)
    rows = list(
        _corrections()
        .filter(
            agency_id=unit.agency_id,
            employee__unit__path__startswith=unit.path,
            state=CorrectionState.SUBMITTED,
        )
        .order_by("work_date", "id")[:200]
    )
    return [c for c in rows if is_decider(scope, c)]


def can_decide(*, actor: Any, correction: Correction) -> bool:
    return correction.state == CorrectionState.SUBMITTED and is_decider(scope_for(actor), correction)
