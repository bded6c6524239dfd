"""The planner (fleksi.planner): constraints hold, objective terms work, conflicts explained."""

from __future__ import annotations

import datetime as dt

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
    TimeFlexibility,
    check_plan,
)

MONDAY = dt.date(2026, 7, 6)  # 2026-W28: July 2026 has no holiday
FRIDAY = 4
FAST = SolverSettings(time_limit=5.0, relative_gap=0.0)


def staff(n: int, unit: str = "U", **facts: object) -> tuple[PlanEmployee, ...]:
    defaults: dict[str, object] = {"tasks_eligible": True, "domicile_registered": True}
    defaults.update(facts)
    return tuple(
        PlanEmployee(EmployeeFacts(nip=f"{unit}{i:03d}", unit=unit, **defaults), name=f"Pegawai {i}")  # type: ignore[arg-type]
        for i in range(n)
    )


def lawful(data: PlanningInput, rows: tuple[DayPlan, ...]) -> None:
    result = check_plan([e.facts for e in data.employees], rows, data.policy)
    assert result.summary.errors == 0, [f.message_id for f in result.findings]


def away(rows: tuple[DayPlan, ...], nip: str | None = None) -> list[DayPlan]:
    return [r for r in rows if r.location.away and (nip is None or r.nip == nip)]


def test_no_preferences_everyone_at_the_office() -> None:
    data = PlanningInput(employees=staff(5), start=MONDAY)
    proposal = propose(data, FAST)
    assert proposal.status == "optimal"
    assert proposal.rows == ()
    assert proposal.preferences == 0


def test_preferences_met_within_the_weekly_cap() -> None:
    people = staff(1)
    prefs = tuple(Preference(people[0].nip, d) for d in range(5))  # wants every day at home
    data = PlanningInput(employees=people, start=MONDAY, weeks=2, preferences=prefs)
    proposal = propose(data, FAST)
    assert proposal.status == "optimal"
    assert len(away(proposal.rows)) == 4  # 2 a week (PermenPANRB 4/2025 Pasal 13 ayat (1))
    assert proposal.preferences == 10 and proposal.preferences_met == 4
    lawful(data, proposal.rows)


def test_field_work_has_no_cap() -> None:
    people = staff(1, field_work=True)
    prefs = tuple(Preference(people[0].nip, d) for d in range(5))
    data = PlanningInput(employees=people, start=MONDAY, preferences=prefs)
    assert len(away(propose(data, FAST).rows)) == 5


def test_ineligible_employees_stay_in_the_office() -> None:
    people = (
        *staff(1, "U", tasks_eligible=False),
        *staff(1, "V", domicile_registered=False),
        *staff(1, "W", disciplinary=True),
    )
    prefs = tuple(Preference(e.nip, 0) for e in people)
    # The employee without a domicile may work at another office instead.
    prefs += (Preference("V000", 1, LocationKind.OTHER_OFFICE),)
    data = PlanningInput(employees=people, start=MONDAY, preferences=prefs)
    proposal = propose(data, FAST)
    assert [(r.nip, r.location) for r in away(proposal.rows)] == [
        ("V000", LocationKind.OTHER_OFFICE)
    ]
    lawful(data, proposal.rows)


def test_coverage_share_and_headcount_hold() -> None:
    people = staff(10)
    prefs = tuple(Preference(e.nip, FRIDAY) for e in people)
    policy = Policy(min_office_share={"*": 0.5})
    data = PlanningInput(employees=people, start=MONDAY, policy=policy, preferences=prefs)
    proposal = propose(data, FAST)
    assert len(away(proposal.rows)) == 5
    lawful(data, proposal.rows)
    stricter = PlanningInput(
        employees=people,
        start=MONDAY,
        policy=policy,
        preferences=prefs,
        coverage={"U": (CoverageMinimum(headcount=8),)},
    )
    assert len(away(propose(stricter, FAST).rows)) == 2


def test_role_coverage() -> None:
    people = tuple(
        PlanEmployee(e.facts, e.name, frozenset({"loket"}) if i < 3 else frozenset())
        for i, e in enumerate(staff(6))
    )
    prefs = tuple(Preference(e.nip, 0) for e in people)
    data = PlanningInput(
        employees=people,
        start=MONDAY,
        preferences=prefs,
        coverage={"*": (CoverageMinimum(headcount=2, role="loket"),)},
    )
    rows = propose(data, FAST).rows
    front_desk_away = [r for r in away(rows) if r.nip in {"U000", "U001", "U002"}]
    assert len(away(rows)) == 4 and len(front_desk_away) == 1


def test_popular_day_rotates_across_weeks() -> None:
    """4 want Friday, 2 may be away each Friday: over 4 weeks each gets 2 Fridays."""
    people = staff(4)
    prefs = tuple(Preference(e.nip, FRIDAY) for e in people)
    data = PlanningInput(
        employees=people,
        start=MONDAY,
        weeks=4,
        policy=Policy(min_office_share={"*": 0.5}),
        preferences=prefs,
    )
    proposal = propose(data, FAST)
    counts = sorted(len(away(proposal.rows, e.nip)) for e in people)
    assert counts == [2, 2, 2, 2]
    assert proposal.worst_employee_met_share == 0.5


def test_anchor_and_must_be_in_days() -> None:
    people = staff(2)
    prefs = tuple(Preference(e.nip, d) for e in people for d in (0, 1))
    data = PlanningInput(
        employees=people,
        start=MONDAY,
        preferences=prefs,
        anchors={"*": frozenset({0})},
        must_be_in=frozenset({("U001", MONDAY + dt.timedelta(days=1))}),
    )
    rows = away(propose(data, FAST).rows)
    assert [(r.nip, r.date.weekday()) for r in rows] == [("U000", 1)]


def test_fixed_days_stay_and_leave_reduces_coverage() -> None:
    people = staff(4)
    kk = DayPlan(nip="U000", date=MONDAY, location=LocationKind.HOME)
    fixed = (
        FixedDay("U000", MONDAY, row=kk, reason="keadaan khusus"),
        FixedDay("U001", MONDAY, leave=True, reason="cuti"),
    )
    prefs = tuple(Preference(e.nip, 0) for e in people)
    data = PlanningInput(
        employees=people,
        start=MONDAY,
        policy=Policy(min_office_share={"*": 0.5}),
        fixed=fixed,
        preferences=prefs,
    )
    proposal = propose(data, FAST)
    assert away(proposal.rows) == [kk]  # 2 of 4 must be in; 2 are not: nobody else away
    lawful(data, proposal.rows)


def test_stability_keeps_the_current_schedule() -> None:
    people = staff(2)
    current = (
        DayPlan(nip="U000", date=MONDAY + dt.timedelta(days=2), location=LocationKind.HOME),
        DayPlan(nip="U001", date=MONDAY + dt.timedelta(days=3), location=LocationKind.OTHER_OFFICE),
    )
    data = PlanningInput(employees=people, start=MONDAY, current=current)
    proposal = propose(data, FAST)
    assert proposal.rows == current and proposal.changes == 0
    # A preference on another day is met; the current day stays as the cap allows.
    data = PlanningInput(
        employees=people,
        start=MONDAY,
        current=current,
        preferences=(Preference("U000", 0),),
        policy=Policy(max_location_days_per_week=1),
    )
    proposal = propose(data, FAST)
    assert [(r.nip, r.date.weekday()) for r in away(proposal.rows)] == [("U000", 0), ("U001", 3)]
    assert proposal.changes == 2  # U000: Monday added, Wednesday dropped


def test_current_hours_are_kept() -> None:
    people = staff(1, time_flexibility=TimeFlexibility.DYNAMIC)
    row = DayPlan(
        nip="U000", date=MONDAY, location=LocationKind.OFFICE,
        start=dt.time(9, 0), end=dt.time(17, 30),
    )
    data = PlanningInput(employees=people, start=MONDAY, current=(row,))
    proposal = propose(data, FAST)
    assert proposal.rows == (row,)
    lawful(data, proposal.rows)


def test_infeasible_coverage_is_explained_with_numbers() -> None:
    people = staff(20)
    friday = MONDAY + dt.timedelta(days=FRIDAY)
    fixed = tuple(FixedDay(e.nip, friday, leave=True, reason="cuti") for e in people[:10])
    data = PlanningInput(
        employees=people,
        start=MONDAY,
        fixed=fixed,
        coverage={"U": (CoverageMinimum(headcount=12),)},
    )
    proposal = propose(data, FAST)
    assert proposal.status == "infeasible" and not proposal.ok and proposal.rows == ()
    [conflict] = proposal.conflicts
    assert conflict.kind == "coverage" and conflict.date == friday
    assert conflict.message("id").startswith(
        "12 dari 20 pegawai unit U harus di kantor pada Jumat 2026-07-10, tetapi 10 sedang cuti"
    )
    assert "12 of 20 staff" in conflict.message("en")


def test_every_independent_conflict_is_reported() -> None:
    people = staff(3)
    days = [MONDAY + dt.timedelta(days=i) for i in range(3)]
    fixed = [
        FixedDay("U000", d, row=DayPlan(nip="U000", date=d, location=LocationKind.HOME))
        for d in days
    ]
    fixed.append(FixedDay("U001", MONDAY + dt.timedelta(days=4), leave=True))
    data = PlanningInput(
        employees=people,
        start=MONDAY,
        fixed=tuple(fixed),
        must_be_in=frozenset({("U001", MONDAY + dt.timedelta(days=4))}),
    )
    proposal = propose(data, FAST)
    kinds = sorted(c.kind for c in proposal.conflicts)
    assert kinds == ["must_be_in", "weekly_cap"]
    cap = next(c for c in proposal.conflicts if c.kind == "weekly_cap")
    assert "3 hari kerja di luar kantor" in cap.message_id and "paling banyak 2" in cap.message_id


def test_units_are_solved_separately_and_time_limit_is_reported() -> None:
    people = staff(3, "A") + staff(3, "B")
    prefs = tuple(Preference(e.nip, 0) for e in people)
    data = PlanningInput(employees=people, start=MONDAY, preferences=prefs)
    proposal = propose(data, SolverSettings(time_limit=0.5))
    assert [u.unit for u in proposal.units] == ["A", "B"]
    assert proposal.preferences_met == 6 and proposal.gap == 0.0
    summary = proposal.summary()
    assert set(summary) == {
        "status", "gap", "preferences_met", "preferences", "worst_employee_met_share",
        "changes", "seconds",
    }


def test_an_unlawful_fixed_day_is_a_conflict() -> None:
    people = staff(1, "U", domicile_registered=False)
    row = DayPlan(nip="U000", date=MONDAY, location=LocationKind.HOME)
    data = PlanningInput(employees=people, start=MONDAY, fixed=(FixedDay("U000", MONDAY, row=row),))
    [conflict] = propose(data, FAST).conflicts
    assert conflict.kind == "fixed_day"
    assert conflict.message_id.startswith("Hari tetap Pegawai 0 (U000) pada Senin 2026-07-06 tidak sah: ")
    assert "domisili" in conflict.message_id


def test_greedy_schedules_are_lawful_and_the_fair_one_rotates() -> None:
    from fleksi.planner import build_units, evaluate, greedy_unit

    people = staff(4)
    prefs = tuple(Preference(e.nip, FRIDAY, weight=3 if i == 0 else 1) for i, e in enumerate(people))
    data = PlanningInput(
        employees=people, start=MONDAY, weeks=4,
        policy=Policy(min_office_share={"*": 0.75}), preferences=prefs,
    )
    [problem] = build_units(data)
    plain = evaluate(problem, greedy_unit(problem))
    fair = evaluate(problem, greedy_unit(problem, fair=True))
    assert plain[0] == fair[0] == 4  # one of 4 away each Friday
    assert plain[2] == 0.0 and fair[2] == 0.25  # the plain one gives every Friday to bobot 3


def test_progress_is_reported_per_unit_and_solution() -> None:
    people = staff(6, "A") + staff(4, "B")
    prefs = tuple(Preference(e.nip, d) for e in people for d in (0, 4))
    data = PlanningInput(employees=people, start=MONDAY, weeks=2, preferences=prefs)
    events = []
    proposal = propose(data, FAST, progress=events.append)
    assert proposal.ok
    assert [(e.unit, e.solutions) for e in events if e.solutions == 0 and not e.done] == [("A", 0), ("B", 0)]
    found = [e for e in events if e.solutions > 0 and not e.done]
    assert found and all(e.objective is not None and e.gap is not None for e in found)
    assert {e.units for e in events} == {2} and all(e.time_limit == FAST.time_limit for e in events)
    done = [e for e in events if e.done]
    assert [e.unit_index for e in done] == [0, 1]
    assert done[-1].solutions >= 1 and done[-1].gap == proposal.units[-1].gap
    assert proposal.preferences_met == 40  # two days a week each, within the cap
