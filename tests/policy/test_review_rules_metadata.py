"""Review: rule codes, legal basis and severity are exactly those of REGULATION.md.

FORMATS.md: "Codes and the legal basis are those of REGULATION.md". The expected strings are
copied verbatim from the "basis" column of REGULATION.md (the official PDFs were not
available; the basis is the domain brief's text, not a translation or a shortening of it).
"""

from __future__ import annotations

import pytest

from fleksi.policy.model import RuleCode, Severity

REGULATION_BASIS = {
    "AGENCY_NOT_ENABLED": "statements of the Minister, June 2025",
    "EMPLOYEE_EXCLUDED": "PermenPANRB 4/2025 Pasal 38",
    "EMPLOYEE_DISCIPLINE": "PermenPANRB 4/2025 Pasal 25",
    "EMPLOYEE_NEW_IN_POSITION": "PermenPANRB 4/2025 Pasal 25",
    "TASK_NOT_ELIGIBLE": (
        "PermenPANRB 4/2025 (task criteria; article number unconfirmed, reported as Pasal 11/23)"
    ),
    "LOCATION_KIND_INVALID": "PermenPANRB 4/2025 Pasal 12 ayat (1)",
    "LOCATION_MAX_DAYS_PER_WEEK": "PermenPANRB 4/2025 Pasal 13 ayat (1)",
    "NATIONAL_FLEX_DAY": "SE MenPANRB 2/2025, 3/2025, 2/2026",
    "WEEKLY_HOURS_SHORT": "Perpres 21/2023 Pasal 3, 4 ayat (1)-(2), Pasal 9",
    "START_BEFORE_STANDARD": "Perpres 21/2023 Pasal 4",
    "DYNAMIC_NOT_ELIGIBLE": "PermenPANRB 4/2025 Pasal 17 (with the June 2025 socialisation)",
    "SHIFT_NOT_ELIGIBLE": "PermenPANRB 4/2025 Pasal 17 (with the socialisation)",
    "NON_WORKING_DAY": "Perpres 21/2023 Pasal 6",
    "SERVICE_UNIT_EXCEPTED": "Perpres 21/2023 Pasal 7 ayat (1)",
    "REQUEST_REASON_MISSING": "PermenPANRB 4/2025 Pasal 30",
    "REQUEST_WORKPLAN_MISSING": "PermenPANRB 4/2025 Pasal 30",
    "COVERAGE_BELOW_MINIMUM": "press statements; SE MenPANRB 2/2025, 2/2026",
}

# (info) in REGULATION.md, plus NATIONAL_FLEX_DAY (docs/decisions/013, point 4).
INFO_CODES = {"START_BEFORE_STANDARD", "SERVICE_UNIT_EXCEPTED", "NATIONAL_FLEX_DAY"}


def test_the_codes_are_those_of_regulation_md() -> None:
    assert {code.value for code in RuleCode} == set(REGULATION_BASIS)


@pytest.mark.parametrize("code", list(RuleCode), ids=lambda c: c.value)
def test_basis_is_verbatim_from_regulation_md(code: RuleCode) -> None:
    assert code.basis == REGULATION_BASIS[code.value]


@pytest.mark.parametrize("code", list(RuleCode), ids=lambda c: c.value)
def test_default_severity(code: RuleCode) -> None:
    expected = Severity.INFO if code.value in INFO_CODES else Severity.ERROR
    assert code.severity is expected
