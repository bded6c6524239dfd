"""Review: policy.json is tightening-only, and a bad file is a problem, never a traceback."""

from __future__ import annotations

import datetime as dt

import pytest

from fleksi.policy.calendar import AgencyCalendar
from fleksi.policy.formats import read_policy
from fleksi.policy.model import Policy
from fleksi.policy.problems import PolicyError


def problems_of(text: str) -> list[tuple[int, str]]:
    policy, problems = read_policy(text.encode(), "kebijakan.json")
    assert policy is None
    assert problems and all(p.message_id and p.message_en for p in problems)
    return [(p.line, p.column) for p in problems]


@pytest.mark.parametrize(
    "level",
    ['["warning"]', '{"a": 1}', "1", "null", "true"],
    ids=["list", "obj", "int", "null", "bool"],
)
def test_severity_level_of_any_json_type_is_a_problem(level: str) -> None:
    assert problems_of(f'{{"severity": {{"COVERAGE_BELOW_MINIMUM": {level}}}}}') == [
        (1, "severity")
    ]


def test_an_integer_too_long_to_read_is_a_problem() -> None:
    assert problems_of('{"new_in_position_months": ' + "9" * 5000 + "}")[0][0] == 1


def test_deeply_nested_json_is_a_problem() -> None:
    assert problems_of("[" * 100_000 + "]" * 100_000)


def test_a_key_given_twice_is_refused() -> None:
    # json.loads keeps the last value: the looser 3 would be hidden behind the 1.
    text = '{\n  "max_location_days_per_week": 3,\n  "max_location_days_per_week": 1\n}'
    assert problems_of(text) == [(3, "max_location_days_per_week")]
    _policy, problems = read_policy(text.encode(), "kebijakan.json")
    assert "dua kali" in problems[0].message_id and "twice" in problems[0].message_en


def test_a_nested_key_given_twice_is_refused() -> None:
    text = '{"min_office_share": {"UNIT-A": 0.5, "UNIT-A": 0.1}}'
    assert problems_of(text) == [(1, "min_office_share")]


# --- Ramadan: fewer required hours, so only the real month may be declared ----------------


def test_the_hijri_ramadan_and_a_one_day_shift_are_accepted() -> None:
    assert Policy.from_dict({"ramadan": [["2026-02-18", "2026-03-19"]]})
    assert Policy.from_dict({"ramadan": [["2026-02-19", "2026-03-20"]]})  # isbat one day later
    assert Policy.from_dict({"ramadan": [["2026-02-17", "2026-03-18"]]})  # one day earlier
    assert Policy.from_dict({"ramadan": [["2026-02-20", "2026-03-10"]]})  # shorter: tighter


@pytest.mark.parametrize(
    "period",
    [
        ["2026-07-01", "2026-07-30"],  # not Ramadan at all: 32 h 30 min a week in July
        ["2026-02-10", "2026-03-19"],  # starts a week early
        ["2026-02-18", "2026-03-25"],  # ends a week late
        ["2026-02-18", "2026-03-21"],  # 32 days, which the old check let through
    ],
)
def test_a_ramadan_period_outside_the_month_is_looser_and_refused(period: list[str]) -> None:
    with pytest.raises(PolicyError) as caught:
        Policy.from_dict({"ramadan": [period]})
    assert [p.column for p in caught.value.problems] == ["ramadan"]
    assert "Ramadan" in caught.value.problems[0].message_id


def test_a_refused_ramadan_period_exits_the_reader_with_a_problem() -> None:
    assert problems_of('{"ramadan": [["2026-07-01", "2026-07-30"]]}') == [(1, "ramadan")]


def test_the_accepted_override_still_replaces_the_computed_month() -> None:
    calendar = AgencyCalendar(Policy.from_dict({"ramadan": [["2026-02-19", "2026-03-20"]]}))
    assert not calendar.day(dt.date(2026, 2, 18)).ramadan
    assert calendar.day(dt.date(2026, 3, 20)).ramadan
