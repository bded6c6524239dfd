"""The policy core's shape: no import cycle, no module over about 600 lines, one surface."""

from __future__ import annotations

from pathlib import Path

import grimp
import pytest

import fleksi.policy

POLICY = Path(fleksi.policy.__file__).parent


def test_no_import_cycle_inside_the_policy_core() -> None:
    graph = grimp.build_graph("fleksi", include_external_packages=False)
    modules = sorted(m for m in graph.modules if m.startswith("fleksi.policy."))
    cycles = [
        (module, imported)
        for module in modules
        for imported in graph.find_modules_directly_imported_by(module)
        if imported.startswith("fleksi.policy.")
        and graph.chain_exists(importer=imported, imported=module)
    ]
    assert cycles == []


@pytest.mark.parametrize("path", sorted(POLICY.rglob("*.py")), ids=lambda p: p.name)
def test_no_module_over_600_lines(path: Path) -> None:
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 600


def test_public_surface() -> None:
    expected = {
        "Policy", "PolicyError", "Problem", "RuleCode", "Finding", "Severity", "Granularity",
        "Confidence", "EmployeeFacts", "UnitFacts", "DayPlan", "RequestFacts", "EmployeeKind",
        "TimeFlexibility", "LocationKind", "TimeKind", "AWAY_KINDS", "AgencyCalendar",
        "DayInfo", "week_label", "week_monday", "net_minutes", "add_months",
        "NATIONAL_FLEX_DAYS", "check_plan", "check_request", "check_employee", "CheckResult",
        "render", "required_in_office", "request_reason_missing", "request_workplan_missing",
        "policy_kwargs", "policy_from_json", "Env", "hhmm", "NipError", "NipInfo", "Sex",
        "parse_nip", "rule", "RULES",
    }
    assert expected <= set(fleksi.policy.__all__)
    for name in fleksi.policy.__all__:
        assert getattr(fleksi.policy, name) is not None


def test_enums_give_django_choices() -> None:
    from fleksi.policy import LocationKind

    assert LocationKind.choices()[0] == ("kantor", "Kantor penempatan")
    assert LocationKind.text_choices()[2] == ("HOME", ("rumah", "Rumah / domisili terdaftar"))
    assert LocationKind.HOME == "rumah" and LocationKind.HOME.label("en") == "Home (registered domicile)"
