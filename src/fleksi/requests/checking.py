"""One request seen with the rest of its weeks, checked by the policy core: the facts are
built once (``scheme.facts``), the core is called, the outcome comes back as findings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from fleksi.organisation.models import Employee
from fleksi.policy.calendar import AgencyCalendar, week_label
from fleksi.policy.check import check_plan, check_request
from fleksi.policy.model import (
    DayPlan,
    Finding,
    Policy,
    RequestFacts,
    Severity,
)
from fleksi.policy.model import (
    LocationKind as PolicyLocation,
)
from fleksi.policy.model import (
    TimeKind as PolicyTime,
)
from fleksi.schedules.models import ArrangementDay, LocationKind
from fleksi.scheme.facts import agency_policy, employee_facts, unit_facts
from fleksi.scheme.findings import FindingView, finding_store, finding_view

from .models import FlexRequest, RequestState
from .planning import PlannedDay, PlannedRequest, stored_days, week_bounds


@dataclass(frozen=True)
class CheckOutcome:
    findings: list[FindingView]
    has_errors: bool
    dates: list[dt.date]
    # The findings as kept in FlexRequest.findings (both languages); not for display.
    stored: list[dict[str, Any]] = field(default_factory=list, repr=False, compare=False)

    @property
    def errors(self) -> list[FindingView]:
        return [f for f in self.findings if f.is_error]


def _day_plan(nip: str, day: PlannedDay, listed: bool | None = None) -> DayPlan:
    start, end = day.start, day.end
    if start is None or end is None:
        start = end = None
    return DayPlan(
        nip=nip,
        date=day.date,
        location=PolicyLocation(day.location_kind),
        start=start,
        end=end,
        time_kind=PolicyTime(day.time_kind),
        location_listed=listed if day.location_kind == LocationKind.OTHER_LOCATION else None,
    )


def _arrangement_day(day: ArrangementDay) -> PlannedDay:
    return PlannedDay(
        date=day.date,
        location_kind=day.location_kind,
        time_kind=day.time_kind,
        start=day.start_time,
        end=day.end_time,
    )


def run_check(
    planned: PlannedRequest,
    *,
    exclude_request_id: int | None = None,
    include_pending: bool = True,
    policy: Policy | None = None,
    calendar: AgencyCalendar | None = None,
) -> CheckOutcome:
    """Findings of one request seen with the rest of its weeks.

    The employee's plan for the request's ISO weeks is: the approved (active) arrangement
    days, then (``include_pending``) the days of their other submitted requests, then this
    request's days, each later layer replacing an earlier one on the same date. For coverage
    the unit's own employees and their approved days are passed too. Only the findings this
    request is concerned with are kept: the employee's day findings on the request's dates,
    their week findings for its weeks, the unit's coverage on its away dates, and the
    request's completeness.
    """
    employee = planned.employee
    agency = employee.agency
    policy = policy or agency_policy(agency)
    calendar = calendar or AgencyCalendar(policy)
    unit = employee.unit
    request_dates = set(planned.dates)
    bounds = week_bounds(request_dates)

    findings: list[Finding] = []
    if bounds is not None:
        first, last = bounds
        coverage = policy.checks_coverage(unit.code)
        if coverage:
            members = list(
                Employee.objects.filter(unit_id=unit.pk, is_active=True)
                .exclude(pk=employee.pk)
                .select_related("position")
                .only(
                    "id",
                    "nip",
                    "kind",
                    "unit_id",
                    "position__can_work_outside_office",
                    "position__needs_no_special_equipment",
                    "position__can_use_ict",
                    "position__minimal_face_to_face",
                    "position__no_continuous_supervision",
                    "position__field_work",
                    "position__time_flexibility",
                    "tasks_eligible_override",
                    "field_work_override",
                    "time_flexibility_override",
                    "disciplinary",
                    "excluded",
                    "position_start",
                    "special_start",
                    "special_end",
                )
            )
        else:
            members = []
        days_qs = ArrangementDay.objects.filter(active=True, date__gte=first, date__lte=last)
        if coverage:
            days_qs = days_qs.filter(employee__unit_id=unit.pk, employee__is_active=True)
        else:
            days_qs = days_qs.filter(employee_id=employee.pk)
        if exclude_request_id is not None:
            days_qs = days_qs.exclude(request_id=exclude_request_id)
        by_employee: dict[int, dict[dt.date, PlannedDay]] = {}
        for row in days_qs.only(
            "employee_id", "date", "location_kind", "time_kind", "start_time", "end_time"
        ):
            by_employee.setdefault(row.employee_id, {})[row.date] = _arrangement_day(row)

        own = by_employee.pop(employee.pk, {})
        others = FlexRequest.objects.filter(
            employee_id=employee.pk, start_date__lte=last, end_date__gte=first
        )
        if exclude_request_id is not None:
            others = others.exclude(pk=exclude_request_id)
        special: list[tuple[dt.date, dt.date]] = list(
            others.filter(state=RequestState.APPROVED, is_special=True).values_list(
                "start_date", "end_date"
            )
        )
        if include_pending:
            pending = others.filter(state=RequestState.SUBMITTED)
            for other in pending:
                for day in stored_days(other, calendar):
                    if first <= day.date <= last:
                        own[day.date] = day
        for day in planned.days:
            own[day.date] = day
        if planned.data.is_special:
            special.append((planned.data.start_date, planned.data.end_date))

        facts = employee_facts(employee, special)
        people = [facts]
        plans = [_day_plan(facts.nip, d, True) for d in own.values()]
        for member in members:
            member.unit = unit  # the same unit: no query per member
            member_facts = employee_facts(member)
            people.append(member_facts)
            for d in by_employee.get(member.pk, {}).values():
                plans.append(_day_plan(member_facts.nip, d, True))
        result = check_plan(people, plans, policy, units=unit_facts(unit), calendar=calendar)

        weeks = {week_label(d) for d in request_dates}
        away_dates = {d.date for d in planned.days if d.location_kind != LocationKind.OFFICE}
        for finding in result.findings:
            if finding.nip == facts.nip:
                in_request = (
                    finding.date in request_dates if finding.date else finding.week in weeks
                )
                if in_request:
                    findings.append(finding)
            elif finding.nip is None and finding.unit == facts.unit and finding.date in away_dates:
                findings.append(finding)

    request_facts = RequestFacts(
        reason=planned.data.reason,
        work_plan=planned.data.work_plan,
        planned_outputs=tuple(o.description for o in planned.data.outputs),
        special_circumstances=planned.data.is_special,
        evidence_count=planned.evidence_count,
    )
    findings.extend(check_request(request_facts, policy, nip=employee.nip, unit=unit.code))
    findings.sort(key=Finding.sort_key)
    return CheckOutcome(
        findings=[finding_view(f) for f in findings],
        has_errors=any(f.severity is Severity.ERROR for f in findings),
        dates=sorted(request_dates),
        stored=[finding_store(f) for f in findings],
    )
