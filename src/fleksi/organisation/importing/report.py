"""What an import did or would do (``ImportReport``), and how it refuses a file."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from fleksi.core.errors import ApplicationError, ErrorCode
from fleksi.policy.formats import Problem

IMPORT_OVERRIDE_REASON = "Berbeda dari penilaian jabatan pada berkas impor"
PREVIEW_LIMIT = 200
AUDIT_ACTION = "organisation.employees_import"


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field of a record that the import changes: ``old`` -> ``new``, both for display."""

    field: str
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class EmployeeChange:
    """An employee the import creates or updates, for the preview."""

    nip: str
    name: str
    action: Literal["created", "updated"]
    changes: tuple[FieldChange, ...]


@dataclass(frozen=True, slots=True)
class PositionChange:
    """A position the import creates or whose assessment it changes.

    ``affected``: employees of the agency holding the position after the import whose
    effective assessment (tasks eligible, field work, time flexibility) changes with it;
    ``affected_outside_file`` of them are not in the file (their rows say nothing, yet they
    change).
    """

    title: str
    action: Literal["created", "updated"]
    changes: tuple[FieldChange, ...]
    affected: int = 0
    affected_outside_file: int = 0

    @property
    def affected_in_file(self) -> int:
        return self.affected - self.affected_outside_file


@dataclass(slots=True)
class ImportReport:
    """What an import did (or, for a dry run, would do). Counts are exact; the preview lists
    (``changes``, ``position_changes``) hold at most ``PREVIEW_LIMIT`` entries."""

    agency_id: int | None
    agency_code: str
    filename: str
    sha256: str
    dry_run: bool
    rows: int = 0
    units_created: int = 0
    units_updated: int = 0
    units_unchanged: int = 0
    positions_created: int = 0
    positions_updated: int = 0
    positions_unchanged: int = 0
    employees_created: int = 0
    employees_updated: int = 0
    employees_unchanged: int = 0
    users_created: int = 0
    # Employees not in the file whose assessment changes through their position's.
    employees_affected_outside_file: int = 0
    # The optional columns of FORMATS.md absent from the file: their stored values are kept.
    absent_columns: tuple[str, ...] = ()
    warnings: list[Problem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    changes: list[EmployeeChange] = field(default_factory=list)
    changes_total: int = 0
    position_changes: list[PositionChange] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def writes(self) -> int:
        """Rows created or updated (0 for a re-import of the same file)."""
        return (
            self.units_created
            + self.units_updated
            + self.positions_created
            + self.positions_updated
            + self.employees_created
            + self.employees_updated
            + self.users_created
        )

    @property
    def changes_truncated(self) -> bool:
        return self.changes_total > len(self.changes)

    @property
    def needs_confirmation(self) -> bool:
        """The import changes employees who are not in the file: the web asks to confirm."""
        return self.employees_affected_outside_file > 0

    def counts(self) -> dict[str, int]:
        return {
            "rows": self.rows,
            "units_created": self.units_created,
            "units_updated": self.units_updated,
            "units_unchanged": self.units_unchanged,
            "positions_created": self.positions_created,
            "positions_updated": self.positions_updated,
            "positions_unchanged": self.positions_unchanged,
            "employees_created": self.employees_created,
            "employees_updated": self.employees_updated,
            "employees_unchanged": self.employees_unchanged,
            "users_created": self.users_created,
            "employees_affected_outside_file": self.employees_affected_outside_file,
            "warnings": len(self.warnings),
        }

    def summary(self, lang: str = "id") -> str:
        if lang == "en":
            return (
                f"Units: {self.units_created} created, {self.units_updated} updated, "
                f"{self.units_unchanged} unchanged. Positions: {self.positions_created} created, "
                f"{self.positions_updated} updated, {self.positions_unchanged} unchanged. "
                f"Employees: {self.employees_created} created, {self.employees_updated} updated, "
                f"{self.employees_unchanged} unchanged. New accounts: {self.users_created}."
            )
        return (
            f"Unit: {self.units_created} baru, {self.units_updated} diubah, "
            f"{self.units_unchanged} tetap. Jabatan: {self.positions_created} baru, "
            f"{self.positions_updated} diubah, {self.positions_unchanged} tetap. "
            f"Pegawai: {self.employees_created} baru, {self.employees_updated} diubah, "
            f"{self.employees_unchanged} tetap. Akun baru: {self.users_created}."
        )


def position_change_text(change: PositionChange, lang: str = "id") -> str:
    """One line about a position change, with the employees it affects (CLI and logs)."""
    details = "; ".join(f"{c.field}: {c.old} → {c.new}" for c in change.changes)
    if lang == "en":
        if change.action == "created":
            return f"Position {change.title}: new"
        return (
            f"Position {change.title}: {details} (affects {change.affected} employees, "
            f"{change.affected_outside_file} of them not in the file)"
        )
    if change.action == "created":
        return f"Jabatan {change.title}: baru"
    return (
        f"Jabatan {change.title}: {details} (memengaruhi {change.affected} pegawai, "
        f"{change.affected_outside_file} di antaranya tidak ada di berkas)"
    )


class ImportInvalid(ApplicationError):
    """The file has problems: nothing was imported. ``problems`` keeps every one, in order."""

    def __init__(self, problems: Sequence[Problem], warnings: Sequence[Problem] = ()) -> None:
        self.problems = sorted(problems, key=Problem.sort_key)
        self.warnings = list(warnings)
        count = len(self.problems)
        super().__init__(
            ErrorCode.IMPORT_INVALID,
            f"Berkas tidak diimpor: ditemukan {count} masalah. Tidak ada data yang diubah; "
            "perbaiki semua baris yang disebutkan lalu impor ulang.",
            {"problems": [problem_dict(p) for p in self.problems]},
        )


class ImportNeedsConfirmation(ApplicationError):
    """The import would change employees who are not in the file (through their position's
    assessment) and the caller did not confirm that: nothing was imported."""

    def __init__(self, report: ImportReport) -> None:
        self.report = report
        count = report.employees_affected_outside_file
        super().__init__(
            ErrorCode.VALIDATION,
            f"Impor ini juga mengubah penilaian tugas {count} pegawai yang tidak ada di berkas "
            "(melalui jabatannya). Periksa pratinjau lalu centang konfirmasi untuk menerapkannya.",
            {
                "employees_outside_file": count,
                "positions": [
                    {
                        "title": c.title,
                        "affected": c.affected,
                        "affected_outside_file": c.affected_outside_file,
                    }
                    for c in report.position_changes
                    if c.affected_outside_file
                ],
            },
        )


def problem_dict(problem: Problem) -> dict[str, Any]:
    return {
        "file": problem.file,
        "line": problem.line,
        "column": problem.column,
        "message": problem.message_id,
        "message_en": problem.message_en,
    }
