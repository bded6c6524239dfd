"""Step 1: read the file into records with the pure reader of ``fleksi.policy.formats``.

The reader does the file-level checks (every problem with its line and column) and reports
which columns the file has: the plan touches only fields whose column is present. Unit names
are optional here: only a unit that does not exist yet needs one, which the check step knows.
"""

from __future__ import annotations

import datetime as dt

from fleksi.core.uploads import upload_limits
from fleksi.policy.formats import EMPLOYEE_COLUMNS, EmployeesReadResult, read_employees
from fleksi.policy.formats.employees import IMPORT_REQUIRED_EMPLOYEE_COLUMNS


def read_file(data: bytes, filename: str, *, today: dt.date) -> EmployeesReadResult:
    """``today`` is the agency's date (the reader refuses NIPs born or appointed later)."""
    return read_employees(
        data, filename, today=today, unit_names_required=False, limits=upload_limits()
    )


def absent_columns(result: EmployeesReadResult) -> tuple[str, ...]:
    """The optional columns the file lacks, in the order of FORMATS.md."""
    if not result.columns:
        return ()  # the file could not be read at all
    return tuple(
        c
        for c in EMPLOYEE_COLUMNS
        if c not in result.columns and c not in IMPORT_REQUIRED_EMPLOYEE_COLUMNS
    )
