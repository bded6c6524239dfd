"""Readers and writers of the interchange formats of FORMATS.md (CSV, XLSX, JSON)."""

from __future__ import annotations

from fleksi.policy.formats.employees import (
    EMPLOYEE_COLUMNS,
    EmployeeRecord,
    EmployeesReadResult,
    UnitRecord,
    read_employees,
)
from fleksi.policy.formats.plan import PLAN_COLUMNS, read_plan
from fleksi.policy.formats.policy_file import read_policy
from fleksi.policy.formats.table import ReadResult, Table, load_table
from fleksi.policy.formats.writers import (
    employee_facts,
    findings_to_csv,
    findings_to_json,
    unit_facts,
    write_plan_template_xlsx,
)
from fleksi.policy.problems import Problem

__all__ = [
    "EMPLOYEE_COLUMNS",
    "PLAN_COLUMNS",
    "EmployeeRecord",
    "EmployeesReadResult",
    "Problem",
    "ReadResult",
    "Table",
    "UnitRecord",
    "employee_facts",
    "findings_to_csv",
    "findings_to_json",
    "load_table",
    "read_employees",
    "read_plan",
    "read_policy",
    "unit_facts",
    "write_plan_template_xlsx",
]
