"""Regulation scenarios, rule by rule: allowed and refused at each boundary."""

from __future__ import annotations

import datetime as dt

import pytest

from fleksi.policy.check import check_employee, check_plan, check_request
from fleksi.policy.model import (
    DayPlan,
    EmployeeFacts,
    Finding,
    LocationKind,
    Policy,
    RequestFacts,
    RuleCode,
    Severity,
    TimeFlexibility,
    TimeKind,
    UnitFacts,
)

from .factories import NIP_A, NIP_B

HOME, OFFICE, OTHER_OFFICE, OTHER = (
    LocationKind.HOME,
    LocationKind.OFFICE,
    LocationKind.OTHER_OFFICE,
    LocationKind.OTHER_LOCATION,
)
W19 = dt.date(2026, 5, 4)  # Monday of 2026-W19: five ordinary working days
W10 = dt.date(2026, 3, 2)  # Monday of 2026-W10: Ramadan 1447 H
W13 = dt.date(2026, 3, 23)  # 23-24 cuti bersama Idul Fitri; 25-27 national flex days
W23 = dt.date(2026, 6, 1)  # Monday 1 June: Hari Lahir Pancasila


def day(monday: dt.date, offset: int) -> dt.date:
    return monday + dt.timedelta(days=offset)


def staff(**facts: object) -> EmployeeFacts:
    values: dict[str, object] = {
        "nip": NIP_A,
        "unit": "UNIT-A",
        "tasks_eligible": True,
        "domicile_registered": True,
    }
    values.update(facts)
    return EmployeeFacts(**values)  # type: ignore[arg-type]


def plan(
    date: dt.date,
    location: LocationKind = HOME,
    start: str | None = None,
    end: str | None = None,
    kind: TimeKind = TimeKind.REGULAR,
    nip: str = NIP_A,
    **extra: object,
) -> DayPlan:
    return DayPlan(
        nip=nip,
        date=date,
        location=location,
        start=dt.time.fromisoformat(start) if start else None,
        end=dt.time.fromisoformat(end) if end else None,
        time_kind=kind,
        **extra,  # type: ignore[arg-type]
    )


def codes(findings: list[Finding]) -> list[str]:
    return [f.code.value for f in findings]


def check(
    rows: list[DayPlan], employee: EmployeeFacts | None = None, policy: Policy | None = None
) -> list[Finding]:
    return check_employee(employee or staff(), rows, policy or Policy())


def away_days(monday: dt.date, count: int, location: LocationKind = HOME) -> list[DayPlan]:
    return [plan(day(monday, i), location) for i in range(count)]


# --- LOCATION_MAX_DAYS_PER_WEEK ------------------------------------------------------------


def test_exactly_two_days_away_is_allowed() -> None:
    assert check(away_days(W19, 2)) == []


def test_three_days_away_is_refused_once_per_week() -> None:
    findings = check(away_days(W19, 3))
    assert codes(findings) == ["LOCATION_MAX_DAYS_PER_WEEK"]
    finding = findings[0]
    assert (finding.nip, finding.date, finding.week) == (NIP_A, None, "2026-W19")
    assert finding.numbers == {"days": 3, "max": 2}
    assert finding.basis == "PermenPANRB 4/2025 Pasal 13 ayat (1)"
    assert (
        finding.message_id == "3 hari kerja di luar kantor pada minggu 2026-W19; paling banyak 2."
    )
    assert finding.severity is Severity.ERROR


def test_another_office_counts_as_away() -> None:
    rows = [*away_days(W19, 2), plan(day(W19, 2), OTHER_OFFICE)]
    assert codes(check(rows)) == ["LOCATION_MAX_DAYS_PER_WEEK"]


def test_agency_may_set_fewer_days() -> None:
    findings = check(away_days(W19, 2), policy=Policy(max_location_days_per_week=1))
    assert [f.numbers for f in findings] == [{"days": 2, "max": 1}]
    assert check(away_days(W19, 1), policy=Policy(max_location_days_per_week=0))


def test_field_work_has_no_cap() -> None:
    assert check(away_days(W19, 5), staff(field_work=True)) == []


@pytest.mark.parametrize(
    ("special_end", "expected"),
    [
        (day(W19, 2), []),  # Mon-Wed inside the period: Thu, Fri counted = 2
        (day(W19, 1), ["LOCATION_MAX_DAYS_PER_WEEK"]),  # Mon-Tue inside: 3 counted
    ],
)
def test_keadaan_khusus_ending_mid_week(special_end: dt.date, expected: list[str]) -> None:
    employee = staff(special_periods=((dt.date(2026, 4, 1), special_end),))
    assert codes(check(away_days(W19, 5), employee)) == expected


def test_national_flex_days_do_not_count_by_default() -> None:
    rows = [plan(day(W13, i)) for i in (2, 3, 4)]  # 25, 26, 27 March 2026
    findings = check(rows)
    assert codes(findings) == ["NATIONAL_FLEX_DAY"] * 3
    assert {f.severity for f in findings} == {Severity.INFO}
    assert "SE MenPANRB 2/2026" in findings[0].message_id


def test_national_flex_days_may_count() -> None:
    rows = [plan(day(W13, i)) for i in (2, 3, 4)]
    findings = check(rows, policy=Policy(national_flex_days_count_toward_cap=True))
    assert "LOCATION_MAX_DAYS_PER_WEEK" in codes(findings)


def test_away_days_on_non_working_days_are_not_counted() -> None:
    rows = [*away_days(W19, 2), plan(day(W19, 5))]  # + Saturday
    assert codes(check(rows)) == ["NON_WORKING_DAY"]


# --- WEEKLY_HOURS_SHORT --------------------------------------------------------------------


def standard_week(
    monday: dt.date, days: range = range(5), friday_end: str = "16:30"
) -> list[DayPlan]:
    return [plan(day(monday, i), OFFICE, "07:30", friday_end if i == 4 else "16:00") for i in days]


def test_exactly_37_5_hours() -> None:
    assert check(standard_week(W19)) == []


def test_one_minute_short() -> None:
    dynamic = staff(time_flexibility=TimeFlexibility.DYNAMIC)
    findings = check(standard_week(W19, friday_end="16:29"), dynamic)
    assert codes(findings) == ["WEEKLY_HOURS_SHORT"]
    assert findings[0].numbers == {"minutes": 2249, "required": 2250, "working_days": 5}
    assert "kurang 1 menit dari 37 jam 30 menit" in findings[0].message_id
    assert findings[0].date is None and findings[0].week == "2026-W19"


def test_days_without_rows_are_standard_days() -> None:
    assert check([plan(day(W19, 0), OFFICE, "07:30", "16:00")]) == []
    findings = check([plan(day(W19, 0), OFFICE, "07:30", "12:00")])
    assert findings[0].numbers["minutes"] == 2250 - 450 + 210


def test_holiday_week_is_pro_rated() -> None:
    # Monday 1 June 2026 is a holiday: 4 working days, 30 h required.
    rows = standard_week(W23, range(1, 5))
    assert check(rows) == []
    short = standard_week(W23, range(1, 5), friday_end="16:00")
    findings = check(short)
    assert findings[0].numbers == {"minutes": 1770, "required": 1800, "working_days": 4}


def test_ramadan_week_needs_32_5_hours() -> None:
    rows = [plan(day(W10, i), OFFICE, "08:00", "15:30" if i == 4 else "15:00") for i in range(5)]
    assert check(rows) == []
    rows[4] = plan(day(W10, 4), OFFICE, "08:00", "15:29")
    findings = check(rows)
    assert findings[0].numbers == {"minutes": 1949, "required": 1950, "working_days": 5}


def test_overnight_shift() -> None:
    shift_worker = staff(time_flexibility=TimeFlexibility.SHIFT)
    nights = [plan(day(W19, i), OFFICE, "22:00", "06:00", TimeKind.SHIFT) for i in range(5)]
    # 8 h less the day's break: 7 h a night (6 h 30 min on Friday, 90-minute break).
    assert [f.numbers["minutes"] for f in check(nights, shift_worker)] == [4 * 420 + 390]
    weekend = [*nights, plan(day(W19, 5), OFFICE, "22:00", "06:00", TimeKind.SHIFT)]
    assert check(weekend, shift_worker) == []  # a shift on Saturday is no NON_WORKING_DAY


# --- time flexibility ----------------------------------------------------------------------


def test_shift_not_eligible() -> None:
    rows = [plan(day(W19, 0), OFFICE, "14:00", "22:30", TimeKind.SHIFT)]
    assert codes(check(rows)) == ["SHIFT_NOT_ELIGIBLE"]
    assert check(rows, staff(time_flexibility=TimeFlexibility.SHIFT)) == []


def test_dynamic_not_eligible() -> None:
    rows = [plan(day(W19, 0), OFFICE, "10:00", "18:30", TimeKind.DYNAMIC)]
    assert codes(check(rows)) == ["DYNAMIC_NOT_ELIGIBLE"]
    assert check(rows, staff(time_flexibility=TimeFlexibility.DYNAMIC)) == []


def test_dynamic_start_window_of_the_agency() -> None:
    policy = Policy(dynamic_start_window=(dt.time(7, 0), dt.time(9, 0)))
    dynamic = staff(time_flexibility=TimeFlexibility.DYNAMIC)
    inside = [plan(day(W19, 0), OFFICE, "09:00", "17:30", TimeKind.DYNAMIC)]
    outside = [plan(day(W19, 0), OFFICE, "09:01", "17:31", TimeKind.DYNAMIC)]
    assert check(inside, dynamic, policy) == []
    findings = check(outside, dynamic, policy)
    assert codes(findings) == ["DYNAMIC_NOT_ELIGIBLE"]
    assert "07:00-09:00" in findings[0].message_id


def test_start_before_standard_is_information() -> None:
    dynamic = staff(time_flexibility=TimeFlexibility.DYNAMIC)
    findings = check([plan(day(W19, 0), OFFICE, "07:00", "15:30")], dynamic)
    assert codes(findings) == ["START_BEFORE_STANDARD"]
    assert findings[0].severity is Severity.INFO
    assert check([plan(day(W19, 0), OFFICE, "07:30", "16:00")]) == []
    # In Ramadan the standard start is 08:00.
    ramadan = [plan(day(W10, 0), OFFICE, "07:45", "14:45")]
    assert codes(check(ramadan, dynamic)) == ["START_BEFORE_STANDARD"]


def test_reguler_row_off_the_timetable_is_a_dynamic_day() -> None:
    """FORMATS.md rev. 2: a reguler row whose hours differ from the day's standard
    timetable is checked as dinamis, whatever it is labelled."""
    early = [plan(day(W19, 0), OFFICE, "07:00", "15:30")]
    assert codes(check(early)) == ["DYNAMIC_NOT_ELIGIBLE", "START_BEFORE_STANDARD"]
    late = [plan(day(W19, 1), OFFICE, "09:00", "17:30")]
    assert codes(check(late)) == ["DYNAMIC_NOT_ELIGIBLE"]
    # The standard timetable itself (Friday 07:30-16:30, Ramadan 08:00-15:00) stays regular.
    assert check([plan(day(W19, 4), OFFICE, "07:30", "16:30")]) == []
    assert check([plan(day(W10, 0), OFFICE, "08:00", "15:00")]) == []
    # A relabelled day is flexible: a unit that has not enabled flexible work refuses it.
    refused = check(late, policy=Policy(disabled_units=frozenset({"UNIT-A"})))
    assert "AGENCY_NOT_ENABLED" in codes(refused)


# --- working days --------------------------------------------------------------------------


def test_non_working_days() -> None:
    saturday = check([plan(day(W19, 5), OFFICE)])
    assert codes(saturday) == ["NON_WORKING_DAY"]
    assert "Sabtu" in saturday[0].message_id and "Saturday" in saturday[0].message_en
    holiday = check([plan(dt.date(2026, 5, 14), OFFICE)])  # Kenaikan Yesus Kristus
    assert codes(holiday) == ["NON_WORKING_DAY"]
    assert "Kenaikan" in holiday[0].message_id
    cuti = check([plan(dt.date(2026, 5, 15), OFFICE)])  # cuti bersama
    assert codes(cuti) == ["NON_WORKING_DAY"]
    local = Policy(extra_non_working_days=frozenset({day(W19, 2)}))
    assert codes(check([plan(day(W19, 2), OFFICE)], policy=local)) == ["NON_WORKING_DAY"]


def test_service_unit_excepted() -> None:
    policy = Policy(service_units=frozenset({"UNIT-A"}))
    findings = check([plan(day(W19, 5), OFFICE)], policy=policy)
    assert codes(findings) == ["SERVICE_UNIT_EXCEPTED"]
    assert findings[0].severity is Severity.INFO


# --- eligibility ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("facts", "code"),
    [
        ({"excluded": True}, "EMPLOYEE_EXCLUDED"),
        ({"disciplinary": True}, "EMPLOYEE_DISCIPLINE"),
        ({"tasks_eligible": False}, "TASK_NOT_ELIGIBLE"),
    ],
)
def test_day_eligibility(facts: dict[str, object], code: str) -> None:
    findings = check([plan(day(W19, 0))], staff(**facts))
    assert codes(findings) == [code]
    assert findings[0].date == day(W19, 0) and findings[0].week == "2026-W19"
    assert check([plan(day(W19, 0), OFFICE)], staff(**facts)) == []


def test_field_work_meets_the_task_criteria() -> None:
    assert check([plan(day(W19, 0), OTHER)], staff(tasks_eligible=False, field_work=True)) == []


def test_new_in_position_boundary() -> None:
    employee = staff(position_start=dt.date(2025, 11, 5))  # new until 2026-05-05
    assert codes(check([plan(day(W19, 0))], employee)) == ["EMPLOYEE_NEW_IN_POSITION"]
    assert check([plan(day(W19, 1))], employee) == []
    longer = Policy(new_in_position_months=12)
    assert codes(check([plan(day(W19, 1))], employee, longer)) == ["EMPLOYEE_NEW_IN_POSITION"]


def test_location_kind_invalid() -> None:
    policy = Policy(allowed_location_kinds=frozenset({LocationKind.HOME}))
    findings = check([plan(day(W19, 0), OTHER)], policy=policy)
    assert codes(findings) == ["LOCATION_KIND_INVALID"]
    assert "rumah" in findings[0].message_id
    unlisted = [plan(day(W19, 0), OTHER, location_listed=False)]
    assert codes(check(unlisted)) == ["LOCATION_KIND_INVALID"]
    assert check([plan(day(W19, 0), OTHER, location_listed=True)]) == []


def test_agency_not_enabled() -> None:
    findings = check([plan(day(W19, 0))], policy=Policy(agency_enabled=False))
    assert codes(findings) == ["AGENCY_NOT_ENABLED"]
    assert check([plan(day(W19, 0), OFFICE)], policy=Policy(agency_enabled=False)) == []


def test_unit_not_enabled_through_its_parent() -> None:
    units = {"UNIT-A": UnitFacts("UNIT-A", parent="ROOT"), "ROOT": UnitFacts("ROOT")}
    policy = Policy(disabled_units=frozenset({"ROOT"}))
    findings = check_employee(staff(), [plan(day(W19, 0))], policy, units=units)
    assert codes(findings) == ["AGENCY_NOT_ENABLED"]
    assert "Unit ROOT" in findings[0].message_id
    closed = {"UNIT-A": UnitFacts("UNIT-A", flexible_enabled=False)}
    assert codes(check_employee(staff(), [plan(day(W19, 0))], units=closed)) == [
        "AGENCY_NOT_ENABLED"
    ]


def test_severity_of_m_rule_may_be_lowered() -> None:
    policy = Policy.from_dict({"severity": {"SHIFT_NOT_ELIGIBLE": "warning"}})
    rows = [plan(day(W19, 0), OFFICE, "14:00", "22:30", TimeKind.SHIFT)]
    assert [f.severity for f in check(rows, policy=policy)] == [Severity.WARNING]


# --- COVERAGE_BELOW_MINIMUM ----------------------------------------------------------------


NIPS = [f"19900101201503100{i}" for i in range(1, 10)] + ["199001012015031010"]


def team(size: int, unit: str = "UNIT-A") -> list[EmployeeFacts]:
    return [staff(nip=NIPS[i], unit=unit) for i in range(size)]


def test_coverage_exactly_the_minimum() -> None:
    policy = Policy(min_office_share={"*": 0.5})
    rows = [plan(day(W19, 0), nip=NIPS[i]) for i in range(2)]
    assert check_plan(team(4), rows, policy).findings == ()


def test_coverage_below_the_minimum() -> None:
    policy = Policy(min_office_share={"*": 0.0, "UNIT-A": 0.5})
    rows = [plan(day(W19, 0), nip=NIPS[i]) for i in range(3)]
    result = check_plan([*team(4), staff(nip=NIP_B, unit="UNIT-B")], rows, policy)
    (finding,) = result.findings
    assert finding.code is RuleCode.COVERAGE_BELOW_MINIMUM
    assert (finding.unit, finding.nip, finding.date) == ("UNIT-A", None, day(W19, 0))
    assert finding.numbers == {"office": 1, "employees": 4, "required": 2, "min_share": 0.5}
    assert "1 dari 4 pegawai di kantor; paling sedikit 2 (50%)" in finding.message_id


def test_coverage_share_without_float_error() -> None:
    # 0.3 x 10 is 3.0000000000000004 in floating point: 3 of 10 at the office is enough.
    policy = Policy(min_office_share={"*": 0.3})
    rows = [plan(day(W19, 0), nip=NIPS[i]) for i in range(7)]
    assert check_plan(team(10), rows, policy).findings == ()
    rows.append(plan(day(W19, 0), nip=NIPS[7]))
    assert len(check_plan(team(10), rows, policy).findings) == 1


# --- granularity and order -----------------------------------------------------------------


def test_findings_sorted_by_week_date_unit_nip_code() -> None:
    """The order is written out, not recomputed with the key under test; inputs are given
    in the opposite order (NIP_A before NIP_B, later days first)."""
    employees = [
        staff(unit="UNIT-A", domicile_registered=False),
        staff(nip=NIP_B, unit="UNIT-A", tasks_eligible=False),
    ]
    rows = [
        plan(day(W13, 2), nip=NIP_B),
        plan(day(W19, 1), nip=NIP_B),
        *reversed(away_days(W19, 3)),
    ]
    result = check_plan(employees, rows, Policy(min_office_share={"*": 1.0}))
    a, b, unit = NIP_A, NIP_B, "UNIT-A"
    assert [
        (f.week, f.date.isoformat() if f.date else None, f.unit, f.nip, f.code.value)
        for f in result.findings
    ] == [
        ("2026-W13", "2026-03-25", unit, None, "COVERAGE_BELOW_MINIMUM"),
        ("2026-W13", "2026-03-25", unit, b, "NATIONAL_FLEX_DAY"),
        ("2026-W13", "2026-03-25", unit, b, "TASK_NOT_ELIGIBLE"),
        ("2026-W19", None, unit, a, "LOCATION_MAX_DAYS_PER_WEEK"),
        ("2026-W19", "2026-05-04", unit, None, "COVERAGE_BELOW_MINIMUM"),
        ("2026-W19", "2026-05-04", unit, a, "DOMICILE_NOT_REGISTERED"),
        ("2026-W19", "2026-05-05", unit, None, "COVERAGE_BELOW_MINIMUM"),
        ("2026-W19", "2026-05-05", unit, b, "TASK_NOT_ELIGIBLE"),  # 1985... before 1990...
        ("2026-W19", "2026-05-05", unit, a, "DOMICILE_NOT_REGISTERED"),
        ("2026-W19", "2026-05-06", unit, None, "COVERAGE_BELOW_MINIMUM"),
        ("2026-W19", "2026-05-06", unit, a, "DOMICILE_NOT_REGISTERED"),
    ]
    assert result.summary.employees == 2
    # W13 has 3 working days, W19 five.
    assert result.summary.days == 8


def test_check_plan_refuses_duplicates_and_unknown_employees() -> None:
    with pytest.raises(ValueError, match="two plan rows"):
        check_plan([staff()], [plan(day(W19, 0)), plan(day(W19, 0))])
    with pytest.raises(ValueError, match="unknown employee"):
        check_plan([staff()], [plan(day(W19, 0), nip=NIP_B)])


# --- requests ------------------------------------------------------------------------------


def test_request_rules() -> None:
    complete = RequestFacts(
        reason="Merawat orang tua", work_plan="Menyusun kajian", planned_outputs=("Draf kajian",)
    )
    assert check_request(complete) == []
    assert codes(check_request(RequestFacts())) == [
        "REQUEST_REASON_MISSING",
        "REQUEST_WORKPLAN_MISSING",
    ]
    no_evidence = RequestFacts(
        reason="Sakit", work_plan="x", planned_outputs=("y",), special_circumstances=True
    )
    findings = check_request(no_evidence, nip=NIP_A)
    assert codes(findings) == ["REQUEST_REASON_MISSING"]
    assert "bukti" in findings[0].message_id and findings[0].nip == NIP_A
    no_outputs = RequestFacts(reason="x", work_plan="y", planned_outputs=(" ",))
    assert "target keluaran" in check_request(no_outputs)[0].message_id
