"""Readers and writers of the interchange formats of FORMATS.md (CSV and XLSX)."""

from __future__ import annotations

from fleksi.policy.formats.employees import (
    EMPLOYEE_COLUMNS,
    EmployeeRecord,
    EmployeesReadResult,
    UnitRecord,
    read_employees,
)
from fleksi.policy.formats.table import ReadResult, Table, load_table
from fleksi.policy.problems import Problem

__all__ = [
    "EMPLOYEE_COLUMNS",
    "EmployeeRecord",
    "EmployeesReadResult",
    "Problem",
    "ReadResult",
    "Table",
    "UnitRecord",
    "load_table",
    "read_employees",
]
