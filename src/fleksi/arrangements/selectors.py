"""Every read of the flexible-work workflow, scoped to what the actor may see.

Who sees a request (else it does not exist for them: NOT_FOUND):
- its employee (also while it is a draft);
- once submitted: the heads of any unit on the path of the employee's unit (the unit
  subtree rule of ``scope_for``, delegations of today included), the direct supervisor,
  the HR admins and PPK of the agency, and system admins.
National monitors read aggregates in ``monitoring``, not individual requests.

Who decides a submitted request (``request_can_decide``): a head of the employee's unit or
of an ancestor unit, or an acting Plt/Plh of one (never the employee themself); at the
``supervisor`` step also the direct supervisor. A head's approval is final at either step.

List selectors run a fixed number of queries whatever the number of rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Prefetch, Q, QuerySet
from django.utils.translation import get_language

from fleksi.core import clock
from fleksi.core.errors import ApplicationError, ErrorCode
from fleksi.organisation.models import Agency, AgencyRoleKind, Delegation, Employee, OrgUnit
from fleksi.organisation.scoping import Scope, scope_for
from fleksi.policy.calendar import week_label
from fleksi.policy.model import Policy
from fleksi.policy.rules.coverage import required_in_office

from .checking import FindingView, agency_calendar, agency_policy, stored_finding_views
from .models import (
    AgencyFlexDay,
    AgencyOffice,
    ApprovalStep,
    ArrangementDay,
    CalendarFeed,
    FlexRequest,
    LocationKind,
    Notification,
    PermittedPlace,
    RequestState,
    RequestTransition,
    TimeKind,
)


def _not_found(what: str = "Pengajuan") -> ApplicationError:
    from django.utils.translation import gettext as _

    return ApplicationError(ErrorCode.NOT_FOUND, _("%(what)s tidak ditemukan.") % {"what": what})


# --------------------------------------------------------------------------------------------
# Requests
# --------------------------------------------------------------------------------------------


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
        RequestState.DRAFT, RequestState.RETURNED,
    )


def request_can_cancel(*, actor: Any, request: FlexRequest) -> bool:
    scope = scope_for(actor)
    return request.employee_id == scope.employee_id and request.state in (
        RequestState.DRAFT, RequestState.RETURNED, RequestState.SUBMITTED, RequestState.APPROVED,
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
    subordinates = Q(employee__supervisor_id=scope.employee_id) if scope.employee_id else Q(pk__in=[])
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
        supervisor = Employee.objects.select_related("user").filter(pk=employee.supervisor_id, is_active=True).first()
        return [supervisor] if supervisor else []
    day = on or clock.today(employee.unit.time_zone)
    ids = [int(p) for p in employee.unit.path.strip("/").split("/") if p.isdigit()]
    units = {
        u.pk: u
        for u in OrgUnit.objects.filter(pk__in=ids).select_related("head__user")
    }
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


# --------------------------------------------------------------------------------------------
# The team calendar
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarDay:
    date: dt.date
    is_working_day: bool
    holiday: str  # why it is not a working day ("" if it is one), in the active language
    national_flex: str  # the circular declaring a national flexible-work day, or ""
    ramadan: bool


@dataclass(frozen=True)
class CalendarCell:
    date: dt.date
    location_kind: str
    location_label: str
    time_kind: str
    start: dt.time | None
    end: dt.time | None
    is_special: bool
    request_id: int | None  # None: no arrangement, the default (office, standard hours)

    @property
    def is_default(self) -> bool:
        return self.request_id is None

    @property
    def away(self) -> bool:
        return self.location_kind != LocationKind.OFFICE


@dataclass(frozen=True)
class CalendarRow:
    employee_id: int
    name: str
    nip: str
    cells: list[CalendarCell]


@dataclass(frozen=True)
class DayCoverage:
    date: dt.date
    is_working_day: bool
    office: int
    total: int
    share: float | None  # office / total
    minimum: float  # the unit's minimum share from the agency policy (0 = none)
    required: int  # head-count the minimum asks for
    below_minimum: bool


@dataclass(frozen=True)
class CalendarWeek:
    unit: OrgUnit
    week: str  # "2026-W48"
    week_start: dt.date
    days: list[CalendarDay]
    rows: list[CalendarRow]
    coverage: list[DayCoverage]
    previous_week: str
    next_week: str


WEEK_YEARS = (1900, 2999)


def parse_week(value: str) -> dt.date:
    """The Monday of ``2026-W48`` (or of the week of a date ``2026-11-26``)."""
    from django.utils.translation import gettext as _

    text = (value or "").strip()
    try:
        if "-W" in text.upper():
            year, week = text.upper().split("-W")
            monday = dt.date.fromisocalendar(int(year), int(week), 1)
        else:
            day = dt.date.fromisoformat(text)
            monday = day - dt.timedelta(days=day.weekday())
        if not WEEK_YEARS[0] <= monday.year <= WEEK_YEARS[1]:
            raise ValueError(text)  # 9999-W52: the week's Sunday or its holidays overflow date
        return monday
    except (ValueError, OverflowError):
        raise ApplicationError(
            ErrorCode.VALIDATION,
            _("Minggu tidak sah: gunakan bentuk 2026-W48."),
            {"fields": {"week": _("Gunakan bentuk TTTT-Www, misalnya 2026-W48.")}},
        ) from None


def _can_see_unit_calendar(scope: Scope, unit: OrgUnit) -> bool:
    if scope.everything or unit.agency_id in scope.admin_agency_ids:
        return True
    if any(unit.path.startswith(p) for p in scope.head_unit_paths):
        return True
    if scope.employee_id is not None and scope.employee_agency_id == unit.agency_id:
        return Employee.objects.filter(pk=scope.employee_id, unit_id=unit.pk).exists()
    return False


def unit_week_calendar(*, actor: Any, unit_id: int, week_start: dt.date) -> CalendarWeek:
    """Who works where in a unit during one ISO week, with the day's office coverage.

    Visible to the unit's own employees, the heads of the unit and its ancestors (and their
    Plt/Plh), the agency's HR admins and PPK, and national/system admins; else NOT_FOUND.
    Rows are the unit's own active employees (not sub-units'), as coverage counts them.
    """
    scope = scope_for(actor)
    unit = OrgUnit.objects.select_related("agency").filter(pk=unit_id).first()
    if unit is None or not _can_see_unit_calendar(scope, unit):
        raise _not_found("Unit organisasi")
    monday = week_start - dt.timedelta(days=week_start.weekday())
    dates = [monday + dt.timedelta(days=i) for i in range(7)]
    policy = agency_policy(unit.agency)
    calendar = agency_calendar(unit.agency, policy)
    english = (get_language() or "id").startswith("en")
    days = []
    for d in dates:
        info = calendar.day(d)
        days.append(
            CalendarDay(
                date=d,
                is_working_day=info.working,
                holiday=(info.closed_en if english else info.closed_id) if not info.working else "",
                national_flex=info.national_flex or "",
                ramadan=info.ramadan,
            )
        )

    employees = list(
        Employee.objects.filter(unit_id=unit.pk, is_active=True)
        .order_by("name", "nip")
        .values_list("pk", "name", "nip")
    )
    arranged: dict[tuple[int, dt.date], tuple[Any, ...]] = {}
    for row in ArrangementDay.objects.filter(
        employee__unit_id=unit.pk, active=True, date__gte=dates[0], date__lte=dates[-1]
    ).values_list(
        "employee_id", "date", "location_kind", "time_kind", "start_time", "end_time", "is_special",
        "request_id", "request__office__name", "request__place__name",
    ):
        arranged[(row[0], row[1])] = row

    labels = {value: str(label) for value, label in LocationKind.choices}
    office_label = labels[LocationKind.OFFICE]
    rows: list[CalendarRow] = []
    away_count = dict.fromkeys(dates, 0)
    for pk, name, nip in employees:
        cells = []
        for d in dates:
            found = arranged.get((pk, d))
            if found is None:
                cells.append(CalendarCell(d, LocationKind.OFFICE, office_label, TimeKind.REGULAR, None, None, False, None))
                continue
            row = found
            kind = row[2]
            label = labels.get(kind, kind)
            detail = row[8] if kind == LocationKind.OTHER_OFFICE else row[9] if kind == LocationKind.OTHER_LOCATION else None
            if detail:
                label = f"{label}: {detail}"
            if kind != LocationKind.OFFICE:
                away_count[d] += 1
            cells.append(CalendarCell(d, kind, label, row[3], row[4], row[5], row[6], row[7]))
        rows.append(CalendarRow(employee_id=pk, name=name, nip=nip, cells=cells))

    total = len(employees)
    minimum = policy.office_share(unit.code)
    coverage = []
    for day in days:
        office = total - away_count[day.date]
        required = required_in_office(minimum, total) if minimum > 0 else 0
        coverage.append(
            DayCoverage(
                date=day.date,
                is_working_day=day.is_working_day,
                office=office,
                total=total,
                share=(office / total) if total else None,
                minimum=minimum,
                required=required,
                below_minimum=day.is_working_day and minimum > 0 and office < required,
            )
        )
    return CalendarWeek(
        unit=unit,
        week=week_label(monday),
        week_start=monday,
        days=days,
        rows=rows,
        coverage=coverage,
        previous_week=week_label(monday - dt.timedelta(days=7)),
        next_week=week_label(monday + dt.timedelta(days=7)),
    )


def employee_days(*, employee_id: int, start: dt.date, end: dt.date) -> list[ArrangementDay]:
    """The active arrangement days of one employee (for the iCalendar feed; the caller has
    already resolved the employee from a feed token or the actor)."""
    return list(
        ArrangementDay.objects.filter(employee_id=employee_id, active=True, date__gte=start, date__lte=end)
        .select_related("request__office", "request__place")
        .order_by("date")
    )


def calendar_feed_get(*, token: str) -> Employee | None:
    """The employee of an active feed token, or None (revoked, unknown, inactive)."""
    token = (token or "").strip()
    if not token or len(token) > 64:
        return None
    feed = (
        CalendarFeed.objects.select_related("employee__unit", "employee__agency")
        .filter(token=token, revoked_at__isnull=True, employee__is_active=True)
        .first()
    )
    return feed.employee if feed else None


def calendar_feed_mine(*, actor: Any) -> CalendarFeed | None:
    scope = scope_for(actor)
    if scope.employee_id is None:
        return None
    return CalendarFeed.objects.filter(employee_id=scope.employee_id, revoked_at__isnull=True).first()


# --------------------------------------------------------------------------------------------
# Notifications
# --------------------------------------------------------------------------------------------


def notification_list(*, actor: Any, limit: int = 20) -> list[Notification]:
    if not getattr(actor, "is_authenticated", False):
        return []
    return list(Notification.objects.filter(user_id=actor.pk).order_by("-created_at", "-id")[: max(1, min(limit, 200))])


def notification_unread_count(*, actor: Any) -> int:
    if not getattr(actor, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user_id=actor.pk, read_at__isnull=True).count()


# --------------------------------------------------------------------------------------------
# Agency settings, offices and places
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgencySettings:
    agency: Agency
    policy: Policy  # the effective policy (defaults filled in)
    policy_data: dict[str, Any]  # what the agency set (policy.json)
    offices: list[AgencyOffice]
    places: list[PermittedPlace]
    flex_days: list[AgencyFlexDay]


def agency_for_manager(*, actor: Any, agency_id: int) -> Agency:
    """The agency if the actor manages it (HR admin, PPK, system admin). NOT_FOUND when the
    agency is not theirs at all, PERMISSION_DENIED for a member who does not manage it."""
    from django.utils.translation import gettext as _

    scope = scope_for(actor)
    agency = scope.agencies(Agency.objects.all()).filter(pk=agency_id).first()
    if agency is None:
        raise _not_found("Instansi")
    if not scope.can_manage_agency(agency.pk):
        raise ApplicationError(
            ErrorCode.PERMISSION_DENIED, _("Hanya admin SDM atau PPK instansi yang dapat mengatur ini.")
        )
    return agency


def agency_settings_get(*, actor: Any, agency_id: int) -> AgencySettings:
    agency = agency_for_manager(actor=actor, agency_id=agency_id)
    return AgencySettings(
        agency=agency,
        policy=agency_policy(agency),
        policy_data=dict(agency.policy or {}),
        offices=list(AgencyOffice.objects.filter(agency=agency).order_by("name")),
        places=list(PermittedPlace.objects.filter(agency=agency).order_by("name")),
        flex_days=list(AgencyFlexDay.objects.filter(agency=agency).order_by("date")),
    )


def _member_agency_ids(scope: Scope) -> list[int]:
    if scope.employee_agency_id is not None:
        return [scope.employee_agency_id]
    return sorted(scope.admin_agency_ids)


def offices_for(*, actor: Any) -> QuerySet[AgencyOffice]:
    """The active offices an employee may choose for "another office"."""
    return AgencyOffice.objects.filter(agency_id__in=_member_agency_ids(scope_for(actor)), is_active=True).order_by("name")


def places_for(*, actor: Any) -> QuerySet[PermittedPlace]:
    """The active permitted places an employee may choose for "another location"."""
    return PermittedPlace.objects.filter(agency_id__in=_member_agency_ids(scope_for(actor)), is_active=True).order_by("name")
