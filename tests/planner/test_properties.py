"""Every schedule the planner proposes passes the policy core with zero errors (Hypothesis
over random units: eligibility, caps, coverage, fixed days, current rows with hours,
national flexible days); when it proposes none, it says why."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fleksi.planner import (
    CoverageMinimum,
    FixedDay,
    PlanEmployee,
    PlanningInput,
    Preference,
    SolverSettings,
    propose,
)
from fleksi.policy import (
    DayPlan,
    EmployeeFacts,
    LocationKind,
    Policy,
    Severity,
    TimeFlexibility,
    TimeKind,
    check_employee,
    check_plan,
)

MONDAYS = [
    dt.date(2026, 7, 6),
    dt.date(2026, 5, 11),  # Thursday and Friday are holidays
    dt.date(2026, 3, 16),  # national flexible days (SE MenPANRB 2/2026), Nyepi
    dt.date(2025, 12, 29),  # national flexible days, then New Year 2026
    dt.date(2026, 12, 28),  # 2026-W53
]
UNITS = ["UNIT-A", "UNIT-B"]
LOCATIONS = [LocationKind.HOME, LocationKind.OTHER_OFFICE, LocationKind.OTHER_LOCATION]
HOURS = [None, (dt.time(7, 30), dt.time(16, 0)), (dt.time(9, 0), dt.time(17, 30)),
         (dt.time(9, 0), dt.time(12, 0)), (dt.time(22, 0), dt.time(6, 0))]
SOLVER = SolverSettings(time_limit=2.0, workers=1)


@st.composite
def planning_inputs(draw: st.DrawFn) -> PlanningInput:
    monday = draw(st.sampled_from(MONDAYS))
    weeks = draw(st.integers(1, 2))
    dates = [monday + dt.timedelta(days=i) for i in range(7 * weeks)]
    people: list[PlanEmployee] = []
    for index in range(draw(st.integers(1, 9))):
        special: tuple[tuple[dt.date, dt.date], ...] = ()
        if draw(st.integers(0, 3)) == 0:
            start = draw(st.sampled_from(dates))
            special = ((start, start + dt.timedelta(days=draw(st.integers(0, 9)))),)
        facts = EmployeeFacts(
            nip=f"E{index:02d}",
            unit=draw(st.sampled_from(UNITS)),
            tasks_eligible=draw(st.integers(0, 4)) > 0,
            domicile_registered=draw(st.integers(0, 4)) > 0,
            field_work=draw(st.integers(0, 6)) == 0,
            disciplinary=draw(st.integers(0, 9)) == 0,
            excluded=draw(st.integers(0, 9)) == 0,
            time_flexibility=draw(st.sampled_from(list(TimeFlexibility))),
            position_start=draw(st.sampled_from([None, monday - dt.timedelta(days=180), monday])),
            special_periods=special,
        )
        roles = frozenset({"loket"}) if draw(st.booleans()) else frozenset()
        people.append(PlanEmployee(facts, f"Pegawai {index}", roles))
    policy = Policy(
        max_location_days_per_week=draw(st.integers(0, 2)),
        min_office_share={"*": draw(st.sampled_from([0.0, 0.3, 0.5, 0.75]))},
        min_office_headcount={"UNIT-A": draw(st.integers(0, 3))},
        national_flex_days_count_toward_cap=draw(st.booleans()),
        allowed_location_kinds=frozenset(
            draw(st.lists(st.sampled_from(LOCATIONS), min_size=1, max_size=3))
        ),
    )
    prefs = [
        Preference(
            e.nip,
            draw(st.integers(0, 6)),
            draw(st.sampled_from(LOCATIONS)),
            draw(st.integers(1, 3)),
        )
        for e in people
        for _ in range(draw(st.integers(0, 4)))
    ]
    current: dict[tuple[str, dt.date], DayPlan] = {}
    for e in people:
        for _ in range(draw(st.integers(0, 4))):
            date = draw(st.sampled_from(dates))
            hours = draw(st.sampled_from(HOURS))
            kind = draw(st.sampled_from(list(TimeKind))) if hours else TimeKind.REGULAR
            location = draw(st.sampled_from([LocationKind.OFFICE, *LOCATIONS]))
            current[(e.nip, date)] = DayPlan(
                nip=e.nip, date=date, location=location,
                start=hours[0] if hours else None, end=hours[1] if hours else None,
                time_kind=kind,
            )
    fixed: dict[tuple[str, dt.date], FixedDay] = {}
    for e in people:
        for start, end in e.facts.special_periods:
            day = start
            while day <= end and day <= dates[-1]:
                row = DayPlan(nip=e.nip, date=day, location=draw(st.sampled_from(LOCATIONS)))
                lawful = not [
                    f for f in check_employee(e.facts, [row], policy)
                    if f.severity is Severity.ERROR
                ]
                if lawful and draw(st.booleans()):
                    fixed[(e.nip, day)] = FixedDay(e.nip, day, row=row, reason="keadaan khusus")
                day += dt.timedelta(days=1)
        if draw(st.integers(0, 3)) == 0:
            day = draw(st.sampled_from(dates))
            fixed.setdefault((e.nip, day), FixedDay(e.nip, day, leave=True, reason="cuti"))
    coverage = {}
    if draw(st.booleans()):
        coverage["*"] = (
            CoverageMinimum(headcount=draw(st.integers(0, 2)), role="loket"),
            CoverageMinimum(share=draw(st.sampled_from([0.0, 0.5])), weekdays=frozenset({0, 4})),
        )
    must_be_in = frozenset(
        (e.nip, draw(st.sampled_from(dates))) for e in people if draw(st.integers(0, 3)) == 0
    )
    return PlanningInput(
        employees=tuple(people),
        start=monday,
        weeks=weeks,
        policy=policy,
        current=tuple(current.values()) if draw(st.booleans()) else None,
        fixed=tuple(fixed.values()),
        preferences=tuple(prefs),
        anchors={"UNIT-B": frozenset({draw(st.integers(0, 4))})} if draw(st.booleans()) else {},
        must_be_in=must_be_in,
        coverage=coverage,
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(planning_inputs())
def test_every_proposal_passes_the_policy_core(data: PlanningInput) -> None:
    proposal = propose(data, SOLVER)
    if not proposal.ok:
        assert proposal.status == "infeasible" and proposal.conflicts
        assert all(c.message_id and c.message_en for c in proposal.conflicts)
        return
    result = check_plan([e.facts for e in data.employees], proposal.rows, data.policy)
    errors = [f.message_id for f in result.findings if f.severity is Severity.ERROR]
    bad = {f.nip for f in result.findings if f.severity is Severity.ERROR}
    assert errors == [], [r for r in proposal.rows if r.nip in bad]
    fixed_rows = {f.row for f in data.fixed if f.row is not None}
    assert fixed_rows <= set(proposal.rows)
    blocked = {(e.nip, d) for e in data.employees for d in data.dates
               if d.weekday() in data.anchors_of(e.unit) or (e.nip, d) in data.must_be_in}
    for row in proposal.rows:
        if row.location.away and row not in fixed_rows:
            assert (row.nip, row.date) not in blocked
    assert 0.0 <= proposal.worst_employee_met_share <= 1.0
    assert proposal.preferences_met <= proposal.preferences
