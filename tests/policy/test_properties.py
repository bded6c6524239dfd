"""Hypothesis properties of the policy core."""

from __future__ import annotations

import dataclasses
import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fleksi.policy.check import check_plan
from fleksi.policy.formats import employee_facts, read_employees, read_plan
from fleksi.policy.model import (
    DayPlan,
    EmployeeFacts,
    Finding,
    LocationKind,
    Policy,
    RuleCode,
    TimeFlexibility,
    TimeKind,
)

from .factories import csv_bytes, employee, employees_table, make_nip, xlsx_bytes

TODAY = dt.date(2026, 12, 1)  # the caller's date (the core never reads the clock)

PROPERTY_SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
MONDAYS = [
    dt.date(2026, 5, 4),
    dt.date(2026, 3, 2),
    dt.date(2026, 3, 23),
    dt.date(2026, 6, 1),
    dt.date(2026, 4, 27),  # the week crosses April -> May
    dt.date(2026, 12, 28),  # 2026-W53: 28 Dec 2026 .. 3 Jan 2027 (month, year, ISO week)
    dt.date(2020, 12, 28),  # 2020-W53
    dt.date(2025, 12, 29),  # national flexible days, then New Year 2026
]
NIPS = [make_nip(i * 7919) for i in range(6)]
UNITS = ["UNIT-A", "UNIT-B"]
HOURS = [None, ("07:30", "16:00"), ("07:00", "15:00"), ("09:00", "12:00"), ("22:00", "06:00")]


@st.composite
def employees(draw: st.DrawFn) -> list[EmployeeFacts]:
    out = []
    for index, nip in enumerate(NIPS):
        special: tuple[tuple[dt.date, dt.date], ...] = ()
        if draw(st.booleans()):
            # A random keadaan khusus period around the weeks drawn (possibly one day).
            start = draw(st.dates(dt.date(2020, 12, 1), dt.date(2027, 1, 31)))
            special = ((start, start + dt.timedelta(days=draw(st.integers(0, 60)))),)
        out.append(
            EmployeeFacts(
                nip=nip,
                unit=UNITS[index % 2],
                tasks_eligible=draw(st.booleans()),
                domicile_registered=draw(st.booleans()),
                field_work=draw(st.booleans()),
                time_flexibility=draw(st.sampled_from(list(TimeFlexibility))),
                disciplinary=draw(st.booleans()),
                excluded=draw(st.booleans()),
                position_start=draw(st.sampled_from([None, dt.date(2025, 12, 1)])),
                special_periods=special,
            )
        )
    return out


@st.composite
def plans(draw: st.DrawFn) -> list[DayPlan]:
    monday = draw(st.sampled_from(MONDAYS))
    rows = []
    for nip in NIPS:
        for offset in draw(st.sets(st.integers(0, 13), max_size=8)):  # up to two weeks
            kind = draw(st.sampled_from(list(TimeKind)))
            hours = draw(st.sampled_from(HOURS))
            if hours is not None and hours[1] <= hours[0] and kind is not TimeKind.SHIFT:
                hours = None
            rows.append(
                DayPlan(
                    nip=nip,
                    date=monday + dt.timedelta(days=offset),
                    location=draw(st.sampled_from(list(LocationKind))),
                    start=dt.time.fromisoformat(hours[0]) if hours else None,
                    end=dt.time.fromisoformat(hours[1]) if hours else None,
                    time_kind=kind,
                )
            )
    return rows


@st.composite
def policies(draw: st.DrawFn) -> Policy:
    return Policy(
        max_location_days_per_week=draw(st.integers(0, 2)),
        new_in_position_months=draw(st.integers(6, 12)),
        min_office_share={"*": draw(st.sampled_from([0.0, 0.3, 0.5, 1.0]))},
        national_flex_days_count_toward_cap=draw(st.booleans()),
    )


def keys(findings: tuple[Finding, ...]) -> set[tuple[object, ...]]:
    return {(f.code, f.nip, f.unit, f.date, f.week) for f in findings}


@PROPERTY_SETTINGS
@given(employees(), plans(), policies(), st.randoms(use_true_random=False))
def test_row_order_changes_nothing(
    staff: list[EmployeeFacts], rows: list[DayPlan], policy: Policy, random: object
) -> None:
    shuffled_rows, shuffled_staff = list(rows), list(staff)
    random.shuffle(shuffled_rows)  # type: ignore[attr-defined]
    random.shuffle(shuffled_staff)  # type: ignore[attr-defined]
    assert check_plan(staff, rows, policy) == check_plan(shuffled_staff, shuffled_rows, policy)


@PROPERTY_SETTINGS
@given(employees(), plans(), policies(), st.data())
def test_home_to_office_never_adds_a_cap_finding(
    staff: list[EmployeeFacts], rows: list[DayPlan], policy: Policy, data: st.DataObject
) -> None:
    home = [i for i, r in enumerate(rows) if r.location is LocationKind.HOME]
    if not home:
        return
    index = data.draw(st.sampled_from(home))
    moved = list(rows)
    moved[index] = dataclasses.replace(rows[index], location=LocationKind.OFFICE)

    def caps(plan: list[DayPlan]) -> set[tuple[object, ...]]:
        found = check_plan(staff, plan, policy).findings
        return {k for k in keys(found) if k[0] is RuleCode.LOCATION_MAX_DAYS_PER_WEEK}

    assert caps(moved) <= caps(rows)


@PROPERTY_SETTINGS
@given(employees(), plans(), policies(), st.data())
def test_tightening_the_policy_never_removes_a_finding(
    staff: list[EmployeeFacts], rows: list[DayPlan], policy: Policy, data: st.DataObject
) -> None:
    share = policy.office_share("*")
    tighter = Policy(
        max_location_days_per_week=data.draw(st.integers(0, policy.max_location_days_per_week)),
        new_in_position_months=data.draw(st.integers(policy.new_in_position_months, 24)),
        min_office_share={
            "*": data.draw(st.sampled_from([s for s in (0.0, 0.3, 0.5, 1.0) if s >= share]))
        },
        national_flex_days_count_toward_cap=policy.national_flex_days_count_toward_cap
        or data.draw(st.booleans()),
    )
    before = keys(check_plan(staff, rows, policy).findings)
    after = keys(check_plan(staff, rows, tighter).findings)
    assert before <= after


EMPLOYEE_COLUMNS = [
    "nip",
    "nama",
    "unit_kode",
    "unit_nama",
    "jabatan",
    "tugas_memenuhi_kriteria",
    "tugas_luar_kantor",
    "waktu",
    "hukuman_disiplin",
    "tmt_jabatan",
]
PLAN_COLUMNS = ["nip", "tanggal", "lokasi", "jam_mulai", "jam_selesai", "waktu"]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(employees(), plans())
def test_csv_and_xlsx_give_identical_findings(
    staff: list[EmployeeFacts], rows: list[DayPlan]
) -> None:
    yes = {True: "ya", False: "tidak"}
    people = employees_table(
        employee(
            e.nip,
            unit_kode=e.unit,
            unit_nama=f"Unit {e.unit}",
            tugas_memenuhi_kriteria=yes[e.tasks_eligible],
            tugas_luar_kantor=yes[e.field_work],
            waktu=e.time_flexibility.value,
            hukuman_disiplin=yes[e.disciplinary],
            tmt_jabatan=e.position_start.isoformat() if e.position_start else "",
        )
        for e in staff
    )
    plan_rows = [
        {
            "nip": r.nip,
            "tanggal": r.date.isoformat(),
            "lokasi": r.location.value,
            "jam_mulai": f"{r.start:%H:%M}" if r.start else "",
            "jam_selesai": f"{r.end:%H:%M}" if r.end else "",
            "waktu": r.time_kind.value,
        }
        for r in rows
    ]
    results = []
    for build, ext in ((csv_bytes, "csv"), (xlsx_bytes, "xlsx")):
        read = read_employees(build(people, EMPLOYEE_COLUMNS), f"pegawai.{ext}", today=TODAY)
        assert read.problems == []
        plan = read_plan(
            build(plan_rows, PLAN_COLUMNS), f"rencana.{ext}", {e.nip for e in read.rows}
        )
        assert plan.problems == []
        facts = [employee_facts(e) for e in read.rows]
        results.append(check_plan(facts, plan.rows, Policy(min_office_share={"*": 0.5})))
    assert results[0].findings == results[1].findings
    assert results[0].summary == results[1].summary
