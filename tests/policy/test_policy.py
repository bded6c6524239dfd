from __future__ import annotations

import datetime as dt
import json

import pytest

from fleksi.policy.formats import read_policy
from fleksi.policy.model import LocationKind, Policy, RuleCode, Severity
from fleksi.policy.problems import PolicyError


def test_defaults_are_the_regulation() -> None:
    policy = Policy()
    assert policy.max_location_days_per_week == 2
    assert policy.new_in_position_months == 6
    assert policy.office_share("ANY") == 0.0
    assert policy.national_flex_days_count_toward_cap is False
    assert policy.agency_enabled is True
    assert policy.dynamic_start_window is None


def test_example_of_formats_md_round_trips() -> None:
    data = {
        "max_location_days_per_week": 2,
        "new_in_position_months": 6,
        "min_office_share": {"*": 0.0, "UNIT-A": 0.5},
        "national_flex_days_count_toward_cap": False,
        "extra_non_working_days": ["2026-07-01"],
        "ramadan": [["2026-02-18", "2026-03-19"]],
    }
    policy = Policy.from_dict(data)
    assert policy.office_share("UNIT-A") == 0.5
    assert policy.office_share("UNIT-B") == 0.0
    assert policy.extra_non_working_days == frozenset({dt.date(2026, 7, 1)})
    assert Policy.from_dict(policy.to_dict()) == policy
    extended = Policy.from_dict(
        {
            "dynamic_start_window": ["07:00", "09:00"],
            "allowed_location_kinds": ["rumah"],
            "severity": {"COVERAGE_BELOW_MINIMUM": "warning"},
            "service_units": ["UPT-1"],
        }
    )
    assert extended.allowed_location_kinds == frozenset({LocationKind.HOME})
    assert extended.severity_of(RuleCode.COVERAGE_BELOW_MINIMUM) is Severity.WARNING
    assert Policy.from_dict(extended.to_dict()) == extended


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"max_location_days_per_week": 3}, "max_location_days_per_week"),
        ({"max_location_days_per_week": -1}, "max_location_days_per_week"),
        ({"new_in_position_months": 5}, "new_in_position_months"),
        ({"min_office_share": {"*": 1.5}}, "min_office_share"),
        ({"min_office_share": {"UNIT-A": -0.1}}, "min_office_share"),
        ({"allowed_location_kinds": ["kantor", "pantai"]}, "allowed_location_kinds"),
        ({"severity": {"LOCATION_MAX_DAYS_PER_WEEK": "warning"}}, "severity"),
        ({"national_flex_days_count_toward_cap": "ya"}, "national_flex_days_count_toward_cap"),
        ({"extra_non_working_days": ["01/07/2026"]}, "extra_non_working_days"),
        ({"ramadan": [["2026-03-19", "2026-02-18"]]}, "ramadan"),
        ({"max_locaton_days_per_week": 1}, "max_locaton_days_per_week"),
    ],
)
def test_looser_or_invalid_values_are_refused(data: dict[str, object], key: str) -> None:
    with pytest.raises(PolicyError) as caught:
        Policy.from_dict(data)
    assert [p.column for p in caught.value.problems] == [key]
    assert caught.value.problems[0].message_id and caught.value.problems[0].message_en


def test_tightening_is_allowed() -> None:
    policy = Policy.from_dict(
        {
            "max_location_days_per_week": 0,
            "new_in_position_months": 12,
            "national_flex_days_count_toward_cap": True,
            "severity": {"START_BEFORE_STANDARD": "warning"},
        }
    )
    assert policy.max_location_days_per_week == 0


def test_direct_construction_is_validated_too() -> None:
    with pytest.raises(PolicyError):
        Policy(max_location_days_per_week=3)


def test_read_policy_reports_every_problem_with_its_line() -> None:
    text = '{\n  "max_location_days_per_week": 3,\n  "new_in_position_months": 1\n}\n'
    policy, problems = read_policy(text.encode(), "kebijakan.json")
    assert policy is None
    assert [(p.line, p.column) for p in problems] == [
        (2, "max_location_days_per_week"),
        (3, "new_in_position_months"),
    ]
    assert (
        problems[0]
        .format()
        .startswith(
            "kebijakan.json:2: max_location_days_per_week: max_location_days_per_week 3 tidak "
            "diizinkan"
        )
    )


def test_read_policy_invalid_json_and_empty() -> None:
    policy, problems = read_policy(b'{"a": }', "p.json")
    assert policy is None and problems[0].line == 1 and "JSON" in problems[0].message_id
    assert read_policy(b"", "p.json") == (Policy(), [])
    assert read_policy(json.dumps([1]).encode(), "p.json")[0] is None
