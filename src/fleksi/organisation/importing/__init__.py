"""Employee import (``employees.csv`` / ``.xlsx``, FORMATS.md), one module per step:

1. ``read``: the file into records with the pure reader of ``fleksi.policy.formats`` (file
   checks; which columns the file has);
2. ``check``: against the agency's data (``snapshot``, loaded in a few queries): supervisors
   and parent units outside the file, loops formed with stored data, NIPs of another agency,
   names and codes of new units;
3. ``plan``: the diff of the file against the database (creates and updates per entity, with
   counts, and the employees each position change affects); a column absent from the file
   leaves its stored values alone;
4. ``apply``: the plan in one transaction with bulk writes, plus one audit row.

``service.employees_import`` runs them (a dry run stops after the plan), ``cli`` is
``fleksi import employees`` and ``template`` builds the blank file offered for download.
Decisions: docs/decisions/030-import-semantics.md, 071-import-absent-columns.md,
072-import-confirmation.md.
"""

from __future__ import annotations

from .cli import employees_import_cli
from .progress import Progress
from .report import (
    AUDIT_ACTION,
    IMPORT_OVERRIDE_REASON,
    PREVIEW_LIMIT,
    EmployeeChange,
    FieldChange,
    ImportInvalid,
    ImportNeedsConfirmation,
    ImportReport,
    PositionChange,
    problem_dict,
)
from .service import employees_import

__all__ = [
    "AUDIT_ACTION",
    "IMPORT_OVERRIDE_REASON",
    "PREVIEW_LIMIT",
    "EmployeeChange",
    "FieldChange",
    "ImportInvalid",
    "ImportNeedsConfirmation",
    "ImportReport",
    "PositionChange",
    "Progress",
    "employees_import",
    "employees_import_cli",
    "problem_dict",
]
