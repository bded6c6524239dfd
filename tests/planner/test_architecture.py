"""The planner is pure: importing it (and running it) loads no Django and no app."""

from __future__ import annotations

import subprocess
import sys

import grimp

APPS = ("config", "core", "organisation", "accounts", "audit", "scheme", "schedules",
        "requests", "notifications", "demo", "attendance")


def test_planner_imports_only_the_policy_core() -> None:
    graph = grimp.build_graph("fleksi", include_external_packages=False)
    imported = {
        target
        for module in graph.modules
        if module == "fleksi.planner" or module.startswith("fleksi.planner.")
        for target in graph.find_modules_directly_imported_by(module)
    }
    assert not {m for m in imported if m.split(".")[1] in APPS}


def test_running_the_planner_loads_no_django() -> None:
    code = (
        "import sys, datetime as dt\n"
        "from fleksi.planner import PlanEmployee, PlanningInput, Preference, propose\n"
        "from fleksi.policy import EmployeeFacts\n"
        "e = PlanEmployee(EmployeeFacts(nip='A', unit='U', tasks_eligible=True, domicile_registered=True))\n"
        "p = propose(PlanningInput(employees=(e,), start=dt.date(2026, 7, 6), preferences=(Preference('A', 0),)))\n"
        "assert p.preferences_met == 1, p\n"
        "assert not [m for m in sys.modules if m == 'django' or m.startswith('django.')]\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)
