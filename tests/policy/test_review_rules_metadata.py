"""Review: rule codes, legal basis and severity are exactly those of REGULATION.md (rev. 2).

FORMATS.md: "Codes and the legal basis are those of REGULATION.md". The expected strings are
copied verbatim from the "basis" column of REGULATION.md revision 2 (December 2026), and
checked against the file itself when ``../shared`` is there. NATIONAL_FLEX_DAY's basis is
"the circular of the day": each finding cites the circular that declared its date.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from fleksi.policy import NATIONAL_FLEX_DAYS, RULES, RuleCode, Severity, rule
from fleksi.policy.codes import Granularity

REGULATION_BASIS = {
    "AGENCY_NOT_ENABLED": "Perpres 21/2023 Pasal 8 ayat (3); pernyataan Menteri PANRB, Juni 2025",
    "EMPLOYEE_EXCLUDED": "PermenPANRB 4/2025 Pasal 38",
    "EMPLOYEE_DISCIPLINE": "PermenPANRB 4/2025 Pasal 25 ayat (1) huruf a",
    "EMPLOYEE_NEW_IN_POSITION": "PermenPANRB 4/2025 Pasal 25 ayat (1) huruf b",
    "TASK_NOT_ELIGIBLE": "PermenPANRB 4/2025 Pasal 23 (kriteria), Pasal 26 (kriteria tambahan)",
    "LOCATION_KIND_INVALID": "PermenPANRB 4/2025 Pasal 12 ayat (1)-(2)",
    "DOMICILE_NOT_REGISTERED": "PermenPANRB 4/2025 Pasal 12 ayat (3)",
    "LOCATION_MAX_DAYS_PER_WEEK": "PermenPANRB 4/2025 Pasal 13 ayat (1)",
    "COVERAGE_BELOW_MINIMUM": "PermenPANRB 4/2025 Pasal 13",
    "NATIONAL_FLEX_DAY": "the circular of the day",
    "WEEKLY_HOURS_SHORT": "Perpres 21/2023 Pasal 4 ayat (1)-(2), Pasal 6, Pasal 9",
    "START_BEFORE_STANDARD": "Perpres 21/2023 Pasal 4 ayat (3)-(7), Pasal 5",
    "DYNAMIC_NOT_ELIGIBLE": "PermenPANRB 4/2025 Pasal 17 huruf b, Pasal 24",
    "SHIFT_NOT_ELIGIBLE": "PermenPANRB 4/2025 Pasal 17 huruf a, Pasal 24",
    "NON_WORKING_DAY": "Perpres 21/2023 Pasal 3 ayat (2), Pasal 6",
    "SERVICE_UNIT_EXCEPTED": "Perpres 21/2023 Pasal 7 ayat (1)-(2)",
    "REQUEST_REASON_MISSING": "PermenPANRB 4/2025 Pasal 30",
    "REQUEST_WORKPLAN_MISSING": "PermenPANRB 4/2025 Pasal 30",
}

# Marked (info) in REGULATION.md.
INFO_CODES = {"START_BEFORE_STANDARD", "SERVICE_UNIT_EXCEPTED", "NATIONAL_FLEX_DAY"}
REGULATION_MD = Path(__file__).resolve().parents[3] / "shared" / "domain" / "REGULATION.md"


@pytest.mark.skipif(not REGULATION_MD.exists(), reason="../shared is not there")
def test_the_expected_bases_are_those_of_the_file() -> None:
    rows = re.findall(r"^\| `([A-Z_]+)`(?: \(info\))? \| .*? \| (.*?) \| [HML].*\|$",
                      REGULATION_MD.read_text(encoding="utf-8"), re.M)
    assert dict(rows) == REGULATION_BASIS


def test_the_codes_are_those_of_regulation_md() -> None:
    assert {code.value for code in RuleCode} == set(REGULATION_BASIS)
    assert list(RULES) == list(RuleCode)


@pytest.mark.parametrize("code", list(RuleCode), ids=lambda c: c.value)
def test_basis_is_verbatim_from_regulation_md(code: RuleCode) -> None:
    if code is RuleCode.NATIONAL_FLEX_DAY:
        assert code.basis.startswith("Surat Edaran")  # the docs' wording; findings cite the day's
    else:
        assert code.basis == REGULATION_BASIS[code.value]


@pytest.mark.parametrize("code", list(RuleCode), ids=lambda c: c.value)
def test_default_severity(code: RuleCode) -> None:
    expected = Severity.INFO if code.value in INFO_CODES else Severity.ERROR
    assert code.severity is expected


ENGLISH_OR_NOTES = re.compile(
    r"\b(the|of|with|statements?|article|unconfirmed|reported|socialisation|criteria|task)\b"
    r"|\((?:H|M|L)\)|\bconf",
    re.I,
)


@pytest.mark.parametrize("code", list(RuleCode), ids=lambda c: c.value)
def test_user_facing_basis_and_title_are_indonesian_without_notes(code: RuleCode) -> None:
    spec = rule(code)
    assert not ENGLISH_OR_NOTES.search(spec.basis), spec.basis
    assert not re.search(r"\b[HML]\b", spec.basis)
    assert not ENGLISH_OR_NOTES.search(spec.title_id.replace("kriteria", "")), spec.title_id


def test_every_national_flex_day_of_the_sources_is_known() -> None:
    expected = {
        **{dt.date(2025, 3, d): "SE MenPANRB 2/2025" for d in (24, 25, 26, 27)},
        dt.date(2025, 4, 8): "SE MenPANRB 3/2025",
        **{dt.date(2025, 12, d): "Surat MenPANRB B/531/M.KT.02/2025" for d in (29, 30, 31)},
        **{dt.date(2026, 3, d): "SE MenPANRB 2/2026" for d in (16, 17, 25, 26, 27)},
    }
    assert dict(NATIONAL_FLEX_DAYS) == expected


def test_granularity_of_formats_md() -> None:
    day = {
        "TASK_NOT_ELIGIBLE", "EMPLOYEE_DISCIPLINE", "EMPLOYEE_NEW_IN_POSITION",
        "EMPLOYEE_EXCLUDED", "LOCATION_KIND_INVALID", "DOMICILE_NOT_REGISTERED",
        "NON_WORKING_DAY", "DYNAMIC_NOT_ELIGIBLE", "SHIFT_NOT_ELIGIBLE",
    }
    for code in day:
        assert rule(code).granularity is Granularity.DAY
    assert rule("LOCATION_MAX_DAYS_PER_WEEK").granularity is Granularity.WEEK
    assert rule("WEEKLY_HOURS_SHORT").granularity is Granularity.WEEK
    assert rule("COVERAGE_BELOW_MINIMUM").granularity is Granularity.UNIT
