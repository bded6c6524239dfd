"""Step 1: read the file into records with the pure reader of ``fleksi.policy.formats``.

The reader does the file-level checks (every problem with its line and column) and reports
which columns the file has: the plan touches only fields whose column is present. Unit names
are optional here: only a unit that does not exist yet needs one, which the check step knows.
"""

from __future__ import annotations

import datetime as dt
import inspect
from typing import Any

from fleksi.policy.formats import EMPLOYEE_COLUMNS, EmployeesReadResult, read_employees
from fleksi.policy.formats.employees import IMPORT_REQUIRED_EMPLOYEE_COLUMNS

# The reader is gaining a ``today=`` argument (NIPs born or appointed in the future) in the
# policy core; pass it whenever the reader takes it.
_READER_TAKES_TODAY = "today" in inspect.signature(read_employees).parameters


def read_file(data: bytes, filename: str, *, today: dt.date) -> EmployeesReadResult:
    options: dict[str, Any] = {"unit_names_required": False}
    if _READER_TAKES_TODAY:
        options["today"] = today
    return read_employees(data, filename, **options)


def absent_columns(result: EmployeesReadResult) -> tuple[str, ...]:
    """The optional columns the file lacks, in the order of FORMATS.md."""
    if not result.columns:
        return ()  # the file could not be read at all
    return tuple(
        c
        for c in EMPLOYEE_COLUMNS
        if c not in result.columns and c not in IMPORT_REQUIRED_EMPLOYEE_COLUMNS
    )
