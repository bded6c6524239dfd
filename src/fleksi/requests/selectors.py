"""Reads of requests: the actor's own, the inbox, who decides, a week's flexible days;
scoped through ``organisation.scoping``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import F, Prefetch, Q, QuerySet

from fleksi.core import clock
from fleksi.core.errors import ApplicationError, ErrorCode
from fleksi.organisation.models import (
    AgencyRoleKind,
    Delegation,
    Employee,
    OrgUnit,
)
from fleksi.organisation.scoping import Scope, scope_for
from fleksi.scheme.findings import FindingView, stored_finding_views

from .models import ApprovalStep, FlexRequest, PlannedOutput, RequestState, RequestTransition


def _not_found(what: str = "Pengajuan") -> ApplicationError:
    from django.utils.translation import gettext as _

    return ApplicationError(ErrorCode.NOT_FOUND, _("%(what)s tidak ditemukan.") % {"what": what})


def _head_q(scope: Scope) -> Q:
    cond = Q(pk__in=[])
    for path in scope.head_unit_paths:
        cond |= Q(employee__unit__path__startswith=path)
    return cond


def _visible_q(scope: Scope) -> Q | None:
    """None = everything (system admin)."""
    if scope.is_system_admin:
        return None
    others = _head_q(scope)
    if scope.employee_id is not None:
        others |= Q(employee__supervisor_id=scope.employee_id)
    if scope.admin_agency_ids:
        others |= Q(agency_id__in=scope.admin_agency_ids)
    cond = others & ~Q(state=RequestState.DRAFT)
    if scope.employee_id is not None:
        cond |= Q(employee_id=scope.employee_id)
    return cond


def _requests() -> QuerySet[FlexRequest]:
    return FlexRequest.objects.select_related(
        "agency", "employee__unit", "employee__position", "employee__user", "office", "place"
    )


def request_list_visible(*, actor: Any) -> QuerySet[FlexRequest]:
    cond = _visible_q(scope_for(actor))
    qs = _requests()
    return qs if cond is None else qs.filter(cond)


def request_list_mine(*, actor: Any, state: str | None = None) -> QuerySet[FlexRequest]:
    """The actor's own requests, newest first (outputs prefetched)."""
    scope = scope_for(actor)
    if scope.employee_id is None:
        return FlexRequest.objects.none()
    qs = _requests().filter(employee_id=scope.employee_id).prefetch_related("outputs")
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("-created_at", "-id")


def request_get(*, actor: Any, request_id: int) -> FlexRequest:
    """One request with its outputs, evidence and history; NOT_FOUND outside the scope."""
    qs = request_list_visible(actor=actor).prefetch_related(
        "outputs",
        "evidence",
        Prefetch("transitions", queryset=RequestTransition.objects.select_related("actor")),
    )
    request = qs.filter(pk=request_id).first()
    if request is None:
        raise _not_found()
    return request


def is_head_decider(scope: Scope, request: FlexRequest) -> bool:
    if scope.employee_id is None or scope.employee_id == request.employee_id:
        return False
    path = request.employee.unit.path
    return any(path.startswith(p) for p in scope.head_unit_paths)


def is_supervisor_decider(scope: Scope, request: FlexRequest) -> bool:
    return (
        scope.employee_id is not None
        and scope.employee_id != request.employee_id
        and request.employee.supervisor_id == scope.employee_id
        and request.approval_step == ApprovalStep.SUPERVISOR
    )


def has_no_head_above(request: FlexRequest) -> bool:
    """The employee heads a root unit (or works in a root unit without a head): nobody on
    their unit path can decide, so the PPK does (docs/decisions/060-ppk-last-resort.md)."""
    unit = request.employee.unit
    return unit.parent_id is None and unit.head_id in (None, request.employee_id)


def _ppk_last_resort_q(scope: Scope) -> Q:
    if not scope.ppk_agency_ids:
        return Q(pk__in=[])
    return Q(agency_id__in=scope.ppk_agency_ids, employee__unit__parent__isnull=True) & (
        Q(employee__unit__head__isnull=True) | Q(employee__unit__head=F("employee"))
    )


def is_ppk_decider(scope: Scope, request: FlexRequest) -> bool:
    return (
        request.agency_id in scope.ppk_agency_ids
        and scope.employee_id != request.employee_id
        and has_no_head_above(request)
    )


def request_can_decide(*, actor: Any, request: FlexRequest) -> bool:
    """May the actor approve, reject or return this request now? (no query)"""
    if request.state != RequestState.SUBMITTED:
        return False
    scope = scope_for(actor)
    return (
        is_head_decider(scope, request)
        or is_supervisor_decider(scope, request)
        or is_ppk_decider(scope, request)
    )


def request_can_revoke(*, actor: Any, request: FlexRequest) -> bool:
    if request.state != RequestState.APPROVED:
        return False
    scope = scope_for(actor)
    return is_head_decider(scope, request) or request.agency_id in scope.ppk_agency_ids


def request_can_edit(*, actor: Any, request: FlexRequest) -> bool:
    scope = scope_for(actor)
    return request.employee_id == scope.employee_id and request.state in (
        RequestState.DRAFT,
        RequestState.RETURNED,
    )


def request_can_cancel(*, actor: Any, request: FlexRequest) -> bool:
    scope = scope_for(actor)
    return request.employee_id == scope.employee_id and request.state in (
        RequestState.DRAFT,
        RequestState.RETURNED,
        RequestState.SUBMITTED,
        RequestState.APPROVED,
    )


def request_findings(*, request: FlexRequest) -> list[FindingView]:
    """The findings of the request's last check, in the active language."""
    return stored_finding_views(request.findings)


def inbox_list(
    *, actor: Any, state: str = RequestState.SUBMITTED, unit_id: int | None = None, search: str = ""
) -> QuerySet[FlexRequest]:
    """Requests the actor decides (``submitted``: waiting for them now; another state: the
    requests of their subtree and subordinates in that state, e.g. ``approved`` to revoke)."""
    scope = scope_for(actor)
    if (scope.employee_id is None and not scope.ppk_agency_ids) or state == RequestState.DRAFT:
        return FlexRequest.objects.none()
    heads = _head_q(scope) | _ppk_last_resort_q(scope)
    subordinates = (
        Q(employee__supervisor_id=scope.employee_id) if scope.employee_id else Q(pk__in=[])
    )
    if state == RequestState.SUBMITTED:
        cond = heads | (Q(approval_step=ApprovalStep.SUPERVISOR) & subordinates)
    else:
        cond = heads | subordinates
    qs = _requests().filter(cond, state=state)
    if scope.employee_id is not None:
        qs = qs.exclude(employee_id=scope.employee_id)
    if unit_id is not None:
        unit = OrgUnit.objects.filter(pk=unit_id).only("path").first()
        qs = qs.filter(employee__unit__path__startswith=unit.path) if unit else qs.none()
    search = (search or "").strip()[:100]
    if search:
        qs = qs.filter(Q(employee__name__icontains=search) | Q(employee__nip__startswith=search))
    order = ("submitted_at", "id") if state == RequestState.SUBMITTED else ("-decided_at", "-id")
    return qs.prefetch_related("outputs").order_by(*order)


def request_approvers(*, request: FlexRequest, on: dt.date | None = None) -> list[Employee]:
    """Who decides the request at its current step (with ``user`` selected): the direct
    supervisor at the supervisor step; else the head of the nearest unit on the employee's
    path that has a head other than the employee, plus that unit's Plt/Plh of the day."""
    employee = request.employee
    if request.approval_step == ApprovalStep.SUPERVISOR and employee.supervisor_id:
        supervisor = (
            Employee.objects.select_related("user")
            .filter(pk=employee.supervisor_id, is_active=True)
            .first()
        )
        return [supervisor] if supervisor else []
    day = on or clock.today(employee.unit.time_zone)
    ids = [int(p) for p in employee.unit.path.strip("/").split("/") if p.isdigit()]
    units = {u.pk: u for u in OrgUnit.objects.filter(pk__in=ids).select_related("head__user")}
    delegations: dict[int, list[Employee]] = {}
    for d in Delegation.objects.filter(
        unit_id__in=ids, start__lte=day, end__gte=day, revoked_at__isnull=True
    ).select_related("delegate__user"):
        delegations.setdefault(d.unit_id, []).append(d.delegate)
    for unit_id in reversed(ids):
        unit = units.get(unit_id)
        if unit is None:
            continue
        people = [p for p in delegations.get(unit_id, []) if p.pk != employee.pk and p.is_active]
        if unit.head is not None and unit.head.pk != employee.pk and unit.head.is_active:
            people.insert(0, unit.head)
        if people:
            return people
    # Nobody heads a unit above the employee: the agency's PPK decides (last resort).
    return list(
        Employee.objects.select_related("user")
        .filter(
            agency_id=request.agency_id,
            is_active=True,
            user__agency_roles__agency_id=request.agency_id,
            user__agency_roles__role=AgencyRoleKind.PPK,
        )
        .exclude(pk=employee.pk)
        .distinct()
    )


# ---- the weekly cap as the employee sees it (issue 7) ----------------------------------------
# Imports kept with the block that needs them (appended; the module's head is shared).
from collections.abc import Iterable  # noqa: E402
from dataclasses import dataclass  # noqa: E402

from fleksi.schedules import selectors as schedule_selectors  # noqa: E402
from fleksi.schedules.models import LocationKind  # noqa: E402
from fleksi.scheme.facts import agency_calendar, agency_policy, employee_facts  # noqa: E402

from .planning import stored_days  # noqa: E402


@dataclass(frozen=True)
class CountedDay:
    """One away day that counts toward the weekly cap, and where it comes from."""

    date: dt.date
    request_id: int | None  # None: the request in the form (not stored yet, or this one)
    state: str  # RequestState value of the other request; "" for the request in the form


@dataclass(frozen=True)
class WeekFlexDays:
    """The flexible (away) days of one employee in one week: counted, allowed, left."""

    week_start: dt.date
    limit: int | None  # None: no cap (field work)
    days: tuple[CountedDay, ...]

    @property
    def used(self) -> int:
        return len(self.days)

    @property
    def left(self) -> int | None:
        return None if self.limit is None else max(self.limit - self.used, 0)


def week_flex_days(
    *,
    actor: Any,
    week_start: dt.date,
    employee_id: int | None = None,
    exclude_request_id: int | None = None,
    extra: Iterable[tuple[dt.date, str]] = (),
    this_request: FlexRequest | None = None,
) -> WeekFlexDays | None:
    """The days counted toward the weekly cap in the week of ``week_start``, as the cap rule
    counts them: approved away days (``ArrangementDay``), the days of the employee's other
    submitted requests, and ``extra`` (date, location kind) of the request in the form (or
    the stored days of ``this_request``, which is then left out of the others);
    non-working days, national flexible-work days the agency does not count, and days inside
    an approved keadaan khusus are left out. None when the actor has no employee record."""
    scope = scope_for(actor)
    employee_id = employee_id or scope.employee_id
    if employee_id is None:
        return None
    if (
        employee_id != scope.employee_id
        and not scope.employees(Employee.objects.filter(pk=employee_id)).exists()
    ):
        return None
    employee = Employee.objects.select_related("agency", "unit", "position").get(pk=employee_id)
    monday = week_start - dt.timedelta(days=week_start.weekday())
    sunday = monday + dt.timedelta(days=6)
    policy = agency_policy(employee.agency)
    calendar = agency_calendar(employee.agency, policy)
    extra = list(extra)
    if this_request is not None:
        exclude_request_id = this_request.pk
        extra += [(d.date, d.location_kind) for d in stored_days(this_request, calendar)]
    others = FlexRequest.objects.filter(
        employee_id=employee_id, start_date__lte=sunday, end_date__gte=monday
    )
    if exclude_request_id is not None:
        others = others.exclude(pk=exclude_request_id)
    special = list(
        others.filter(state=RequestState.APPROVED, is_special=True).values_list(
            "start_date", "end_date"
        )
    )
    facts = employee_facts(employee, special)
    found: dict[dt.date, CountedDay] = {}
    for row in schedule_selectors.employee_days(employee_id=employee_id, start=monday, end=sunday):
        if row.request_id == exclude_request_id or row.location_kind == LocationKind.OFFICE:
            continue
        found[row.date] = CountedDay(row.date, row.request_id, RequestState.APPROVED.value)
    for other in others.filter(state=RequestState.SUBMITTED):
        for planned in stored_days(other, calendar):
            if monday <= planned.date <= sunday and planned.location_kind != LocationKind.OFFICE:
                found[planned.date] = CountedDay(planned.date, other.pk, other.state)
            elif monday <= planned.date <= sunday:
                found.pop(planned.date, None)
    for date, location in extra:
        if monday <= date <= sunday:
            if location == LocationKind.OFFICE:
                found.pop(date, None)
            else:
                found[date] = CountedDay(date, None, "")
    counted = []
    for item in sorted(found.values(), key=lambda c: c.date):
        info = calendar.day(item.date)
        if not info.working:
            continue
        if info.national_flex is not None and not policy.national_flex_days_count_toward_cap:
            continue
        if facts.special_periods and facts.in_special_period(item.date):
            continue
        counted.append(item)
    limit = None if facts.field_work else policy.max_location_days_per_week
    return WeekFlexDays(week_start=monday, limit=limit, days=tuple(counted))


def approved_outputs(
    *, employee_ids: list[int], start: dt.date, end: dt.date, exclude_ids: set[int] | None = None,
    only_ids: bool = False,
) -> list[dict[str, Any]]:
    """The planned outputs of the approved requests of these employees that overlap
    ``start``-``end`` (for performance, which assesses on them; one query, plain values).
    ``only_ids``: just ``{"id": ...}`` (a light check of what is new)."""
    qs = PlannedOutput.objects.filter(
        request__employee_id__in=employee_ids,
        request__state=RequestState.APPROVED,
        request__start_date__lte=end,
        request__end_date__gte=start,
    )
    if only_ids:
        return [{"id": pk} for pk in qs.values_list("id", flat=True) if pk not in (exclude_ids or ())]
    rows = (
        qs.exclude(pk__in=sorted(exclude_ids or ()))
        .order_by("request__employee_id", "id")
        .values(
            "id", "description", "target_quantity", "unit", "due_date",
            "request_id", "request__employee_id", "request__start_date", "request__end_date",
        )
    )
    return [dict(row) for row in rows]


# ---- population reads for the monitoring app (the caller has already checked the scope) ----


def population_requests(
    *, agency_ids: list[int] | None, unit_path: str | None, start: dt.date, end: dt.date
) -> QuerySet[FlexRequest]:
    """Requests of a population whose period overlaps ``start``..``end``, for aggregation."""
    qs = FlexRequest.objects.filter(start_date__lte=end, end_date__gte=start)
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=agency_ids)
    if unit_path:
        qs = qs.filter(employee__unit__path__startswith=unit_path)
    return qs


def population_finding_counts(
    *, agency_ids: list[int] | None, unit_path: str | None, start: dt.date, end: dt.date
) -> list[tuple[str, int, int]]:
    """(rule code, findings, employees) of the last check of the population's submitted
    requests, counted in the database: the JSON list is unnested with ``json_each`` (SQLite)
    or ``jsonb_array_elements`` (PostgreSQL)."""
    from django.db import connection

    qs = population_requests(agency_ids=agency_ids, unit_path=unit_path, start=start, end=end)
    rows = qs.exclude(state=RequestState.DRAFT).values("id", "employee_id", "findings")
    inner, params = rows.query.sql_with_params()
    if connection.vendor == "postgresql":
        select = "SELECT e.value->>'code' AS code, COUNT(*), COUNT(DISTINCT r.employee_id)"
        unnest = "jsonb_array_elements(r.findings::jsonb) e"
    else:
        select = "SELECT json_extract(e.value, '$.code') AS code, COUNT(*), COUNT(DISTINCT r.employee_id)"
        unnest = "json_each(r.findings) e"
    # ``inner`` is the ORM's own compiled SQL with its parameters kept bound.
    sql = " ".join([select, "FROM (", inner, ") r,", unnest, "GROUP BY 1 ORDER BY 1"])
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(str(code), int(n), int(people)) for code, n, people in cursor.fetchall() if code]
