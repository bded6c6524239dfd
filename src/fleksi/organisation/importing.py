"""Employee import (``employees.csv`` / ``.xlsx``, FORMATS.md): check, plan, apply.

The work happens in three steps, so that a dry run and a real import share every check:

1. **read** the file with the pure reader of ``fleksi.policy.formats`` (file-level checks);
2. **check and plan** against the agency's data, loaded in a few queries: supervisors and
   parent units outside the file, loops formed together with existing data, NIPs of another
   agency; then diff the file against the database (what to create, update, leave alone);
3. **apply** the plan in one transaction with bulk writes (nothing per row), plus one audit row.

A file with any problem is rejected whole (``ImportInvalid``) and nothing is written. The
semantics (what the file decides, what it leaves alone) are in
docs/decisions/030-import-semantics.md.
"""

from __future__ import annotations

import hashlib
import secrets
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from fleksi.accounts.models import User
from fleksi.audit.services import audit_record
from fleksi.core.errors import ApplicationError, ErrorCode
from fleksi.policy.formats import EmployeeRecord, EmployeesReadResult, Problem, read_employees
from fleksi.policy.formats.employees import find_cycles

from .models import Agency, Employee, OrgUnit, Position
from .scoping import scope_for

Progress = Callable[[str], None]

IMPORT_OVERRIDE_REASON = "Berbeda dari penilaian jabatan pada berkas impor"
PREVIEW_LIMIT = 200
AUDIT_ACTION = "organisation.employees_import"

_PROGRESS_EVERY = 10_000
_BATCH = 1000  # rows per bulk statement where the database allows it (SQLite caps it lower)


# --------------------------------------------------------------------------------------------
# The report
# --------------------------------------------------------------------------------------------


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
    title: str
    action: Literal["created", "updated"]
    changes: tuple[FieldChange, ...]


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


def problem_dict(problem: Problem) -> dict[str, Any]:
    return {
        "file": problem.file,
        "line": problem.line,
        "column": problem.column,
        "message": problem.message_id,
        "message_en": problem.message_en,
    }


# --------------------------------------------------------------------------------------------
# The service
# --------------------------------------------------------------------------------------------

_PROGRESS_TEXT = {
    "id": {
        "read": "Membaca berkas {file}…",
        "rows": "{n} baris pegawai terbaca; memeriksa terhadap basis data…",
        "units": "Menyimpan {n} unit baru…",
        "positions": "Menyimpan {n} jabatan baru…",
        "users": "Membuat {n} akun pengguna…",
        "employees": "Menyimpan pegawai baru: {done}/{total}…",
        "employees_done": "Menyimpan pegawai baru: {total}/{total}.",
        "updating": "Memperbarui {n} pegawai…",
        "tree": "Menyusun pohon unit ({n} unit)…",
    },
    "en": {
        "read": "Reading {file}…",
        "rows": "{n} employee rows read; checking against the database…",
        "units": "Saving {n} new units…",
        "positions": "Saving {n} new positions…",
        "users": "Creating {n} user accounts…",
        "employees": "Saving new employees: {done}/{total}…",
        "employees_done": "Saving new employees: {total}/{total}.",
        "updating": "Updating {n} employees…",
        "tree": "Building the unit tree ({n} units)…",
    },
}


class _Say:
    """Sends progress lines, in the caller's language, to the optional callback."""

    __slots__ = ("progress", "texts")

    def __init__(self, progress: Progress | None, lang: str) -> None:
        self.progress = progress
        self.texts = _PROGRESS_TEXT["en" if lang == "en" else "id"]

    def __call__(self, key: str, **values: Any) -> None:
        if self.progress is not None:
            self.progress(self.texts[key].format(**values))


def employees_import(
    *,
    actor: Any,
    agency: Agency,
    data: bytes,
    filename: str,
    dry_run: bool = False,
    progress: Progress | None = None,
    lang: str = "id",
) -> ImportReport:
    """Import ``employees.csv`` / ``.xlsx`` into ``agency``; ``actor=None`` is the system.

    Raises ``ApplicationError(PERMISSION_DENIED)`` when the actor may not manage the agency,
    ``ImportInvalid`` (code ``IMPORT_INVALID``) when the file has any problem; then nothing is
    written. A dry run checks everything and reports the changes without writing.
    ``progress`` receives a line per stage (in ``lang``, Indonesian by default).
    """
    if actor is not None and not scope_for(actor).can_manage_agency(agency.pk):
        raise ApplicationError(
            ErrorCode.PERMISSION_DENIED, "Anda tidak berwenang mengimpor pegawai instansi ini."
        )
    say = _Say(progress, lang)
    started = time.monotonic()
    report = ImportReport(
        agency_id=agency.pk,
        agency_code=agency.code,
        filename=filename,
        sha256=hashlib.sha256(data).hexdigest(),
        dry_run=dry_run,
    )
    say("read", file=filename)
    result = read_employees(data, filename)
    report.rows = len(result.rows)
    report.warnings = list(result.warnings)
    say("rows", n=len(result.rows))

    if dry_run:
        _check_and_plan(agency, result, filename, report)
        report.seconds = time.monotonic() - started
        return report
    try:
        with transaction.atomic():
            # One import per agency at a time (PostgreSQL row lock; SQLite locks the database).
            list(Agency.objects.select_for_update().filter(pk=agency.pk).values_list("pk"))
            plan = _check_and_plan(agency, result, filename, report)
            _apply(plan, agency, say)
            report.seconds = time.monotonic() - started
            audit_record(
                actor=actor,
                action=AUDIT_ACTION,
                object_type="agency",
                object_id=agency.pk,
                agency_id=agency.pk,
                data={"file": filename, "sha256": report.sha256, **report.counts()},
            )
    except IntegrityError as exc:
        raise ApplicationError(
            ErrorCode.CONFLICT,
            "Data pegawai berubah ketika impor berjalan (misalnya impor lain pada saat yang sama);"
            " tidak ada yang disimpan. Coba impor lagi.",
            {"error": str(exc)},
        ) from exc
    return report


def _check_and_plan(
    agency: Agency, result: EmployeesReadResult, filename: str, report: ImportReport
) -> _Plan:
    snapshot = _Snapshot.load(agency, result)
    problems = list(result.problems)
    problems += _database_problems(result, snapshot, filename)
    if problems:
        report.problems = sorted(problems, key=Problem.sort_key)
        raise ImportInvalid(problems, result.warnings)
    plan = _make_plan(result, snapshot)
    plan.fill_report(report)
    return plan


# --------------------------------------------------------------------------------------------
# The agency's data as it is now, loaded in a few queries
# --------------------------------------------------------------------------------------------

# Employee fields the file decides, in this order (foreign keys by their natural keys:
# unit code, position title, supervisor NIP).
_FIELDS: tuple[str, ...] = (
    "name",
    "kind",
    "unit",
    "position",
    "supervisor",
    "position_start",
    "email",
    "domicile",
    "disciplinary",
    "excluded",
    "tasks_eligible_override",
    "field_work_override",
    "time_flexibility_override",
    "override_reason",
    "special_start",
    "special_end",
    "is_active",
)
_LABELS: dict[str, str] = {
    "name": "nama",
    "kind": "jenis",
    "unit": "unit_kode",
    "position": "jabatan",
    "supervisor": "atasan_nip",
    "position_start": "tmt_jabatan",
    "email": "email",
    "domicile": "domisili",
    "disciplinary": "hukuman_disiplin",
    "excluded": "dikecualikan",
    "tasks_eligible_override": "tugas_memenuhi_kriteria (penyesuaian pegawai)",
    "field_work_override": "tugas_luar_kantor (penyesuaian pegawai)",
    "time_flexibility_override": "waktu (penyesuaian pegawai)",
    "override_reason": "alasan penyesuaian",
    "special_start": "keadaan_khusus_mulai",
    "special_end": "keadaan_khusus_sampai",
    "is_active": "aktif",
    "user": "akun",
}
# Fields whose value is a natural key, and the model attribute holding the id.
_FK_ATTNAME = {
    "unit": "unit_id",
    "position": "position_id",
    "supervisor": "supervisor_id",
    "user": "user_id",
}

_EMPLOYEE_VALUES = (
    "id",
    "nip",
    "user_id",
    "name",
    "kind",
    "unit__code",
    "position__title",
    "supervisor__nip",
    "position_start",
    "email",
    "domicile",
    "disciplinary",
    "excluded",
    "tasks_eligible_override",
    "field_work_override",
    "time_flexibility_override",
    "override_reason",
    "special_start",
    "special_end",
    "is_active",
)

# (tasks meet the five criteria, field work, time flexibility): the file's view of a position.
Assessment = tuple[bool, bool, str]


@dataclass(slots=True)
class _UnitState:
    id: int
    code: str
    name: str
    parent: str | None
    head: str | None
    path: str
    depth: int
    parent_id: int | None
    head_id: int | None


@dataclass(slots=True)
class _PositionState:
    id: int
    title: str
    criteria: tuple[bool, bool, bool, bool, bool]
    field_work: bool
    time_flexibility: str

    @property
    def assessment(self) -> Assessment:
        return (all(self.criteria), self.field_work, self.time_flexibility)


@dataclass(slots=True)
class _EmployeeState:
    id: int
    user_id: int | None
    values: tuple[Any, ...]  # in the order of _FIELDS


def _chunks(items: Sequence[str], size: int) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _in_chunk_size() -> int:
    # SQLite builds may allow as few as 999 variables per statement.
    return 900 if connection.vendor == "sqlite" else 10_000


@dataclass(slots=True)
class _Snapshot:
    units: dict[str, _UnitState]
    unit_ids: dict[int, str]
    positions: dict[str, _PositionState]
    employees: dict[str, _EmployeeState]  # this agency's, by NIP
    foreign_nips: set[str]  # NIPs of the file that belong to another agency
    users: dict[str, tuple[int, int | None]]  # username (NIP) -> (user id, linked employee id)

    @classmethod
    def load(cls, agency: Agency, result: EmployeesReadResult) -> _Snapshot:
        units: dict[str, _UnitState] = {}
        unit_ids: dict[int, str] = {}
        for row in OrgUnit.objects.filter(agency=agency).values_list(
            "id",
            "code",
            "name",
            "parent__code",
            "head__nip",
            "path",
            "depth",
            "parent_id",
            "head_id",
        ):
            units[row[1]] = _UnitState(*row)
            unit_ids[row[0]] = row[1]
        positions = {
            title: _PositionState(pid, title, (a, b, c, d, e), fw, tf)
            for pid, title, a, b, c, d, e, fw, tf in Position.objects.filter(
                agency=agency
            ).values_list(
                "id",
                "title",
                "can_work_outside_office",
                "needs_no_special_equipment",
                "can_use_ict",
                "minimal_face_to_face",
                "no_continuous_supervision",
                "field_work",
                "time_flexibility",
            )
        }
        employees: dict[str, _EmployeeState] = {}
        for row in Employee.objects.filter(agency=agency).values_list(*_EMPLOYEE_VALUES):
            employees[row[1]] = _EmployeeState(row[0], row[2], row[3:])
        file_nips = [r.nip for r in result.rows]
        outside = [nip for nip in file_nips if nip not in employees]
        foreign: set[str] = set()
        size = _in_chunk_size()
        for chunk in _chunks(outside, size):
            foreign.update(
                Employee.objects.filter(nip__in=chunk)
                .exclude(agency=agency)
                .values_list("nip", flat=True)
            )
        needing_user = [
            nip for nip in file_nips if nip not in employees or employees[nip].user_id is None
        ]
        users: dict[str, tuple[int, int | None]] = {}
        for chunk in _chunks(needing_user, size):
            for username, uid, employee_id in User.objects.filter(username__in=chunk).values_list(
                "username", "id", "employee__id"
            ):
                users[username] = (uid, employee_id)
        return cls(units, unit_ids, positions, employees, foreign, users)


# --------------------------------------------------------------------------------------------
# Checks that need the database
# --------------------------------------------------------------------------------------------

_MAX_LENGTHS: tuple[tuple[str, str, int], ...] = (
    ("name", "nama", Employee._meta.get_field("name").max_length or 200),
    ("unit_code", "unit_kode", OrgUnit._meta.get_field("code").max_length or 60),
    ("unit_name", "unit_nama", OrgUnit._meta.get_field("name").max_length or 200),
    ("position", "jabatan", Position._meta.get_field("title").max_length or 200),
    ("domicile", "domisili", Employee._meta.get_field("domicile").max_length or 500),
    ("email", "email", Employee._meta.get_field("email").max_length or 254),
)


def _database_problems(
    result: EmployeesReadResult, snapshot: _Snapshot, filename: str
) -> list[Problem]:
    problems: list[Problem] = []

    def problem(line: int, column: str, message_id: str, message_en: str) -> None:
        problems.append(Problem(filename, line, column, message_id, message_en))

    rows = result.rows
    by_nip = {r.nip: r for r in rows}

    for row in rows:
        for attr, column, limit in _MAX_LENGTHS:
            value = getattr(row, attr)
            if value is not None and len(value) > limit:
                problem(
                    row.line,
                    column,
                    f"{column} terlalu panjang ({len(value)} karakter; paling banyak {limit})",
                    f"{column} is too long ({len(value)} characters; at most {limit})",
                )
        if row.nip in snapshot.foreign_nips:
            problem(
                row.line,
                "nip",
                f"NIP {row.nip} sudah terdaftar pada instansi lain; pegawai itu harus "
                "dipindahkan dari instansi asalnya lebih dulu, atau hapus baris ini",
                f"NIP {row.nip} already belongs to another agency; that agency must release the "
                "employee first, or remove this row",
            )
            continue
        user = snapshot.users.get(row.nip)
        own = snapshot.employees.get(row.nip)
        if user is not None and user[1] is not None and (own is None or own.id != user[1]):
            problem(
                row.line,
                "nip",
                f"nama pengguna {row.nip} sudah dipakai akun pegawai lain; hubungi admin sistem",
                f"the username {row.nip} is already used by another employee's account; "
                "contact the system administrator",
            )

    # Supervisors and parent units outside the file must already be in this agency.
    missing_supervisors = {
        nip for nip in result.unknown_supervisor_nips if nip not in snapshot.employees
    }
    if missing_supervisors:
        for row in rows:
            if row.supervisor_nip in missing_supervisors:
                problem(
                    row.line,
                    "atasan_nip",
                    f"atasan dengan NIP {row.supervisor_nip} tidak ada di berkas ini maupun di "
                    "data pegawai instansi ini",
                    f"the supervisor with NIP {row.supervisor_nip} is neither in this file nor "
                    "among this agency's employees",
                )
    parent_lines = _parent_lines(result)
    for code, unit in result.units.items():
        parent = unit.parent_code
        if parent is not None and parent not in result.units and parent not in snapshot.units:
            problem(
                parent_lines.get(code, unit.line),
                "unit_induk_kode",
                f"unit induk '{parent}' tidak ada di berkas ini maupun di unit instansi ini",
                f"the parent unit '{parent}' is neither in this file nor among this agency's units",
            )

    # Loops formed by the file together with what is already stored. Loops of the file alone
    # were reported by the reader.
    parents: dict[str, str | None] = {code: u.parent for code, u in snapshot.units.items()}
    for code, unit in result.units.items():
        if unit.parent_code is not None:
            parents[code] = unit.parent_code
    for cycle in find_cycles(parents):
        from_file = [c for c in cycle if c in result.units and result.units[c].parent_code]
        if not from_file or len(from_file) == len(cycle):
            continue
        first = min(from_file, key=lambda c: parent_lines.get(c, result.units[c].line))
        chain = _chain(cycle, first)
        problem(
            parent_lines.get(first, result.units[first].line),
            "unit_induk_kode",
            f"unit_induk_kode membentuk lingkaran bersama unit yang sudah ada: {chain}",
            f"unit_induk_kode forms a cycle with existing units: {chain}",
        )
    supervisors: dict[str, str | None] = {
        nip: state.values[4] for nip, state in snapshot.employees.items()
    }
    for row in rows:
        supervisors[row.nip] = row.supervisor_nip
    for cycle in find_cycles(supervisors):
        in_file = [nip for nip in cycle if nip in by_nip]
        if not in_file or len(in_file) == len(cycle):
            continue
        first = min(in_file, key=lambda nip: by_nip[nip].line)
        chain = _chain(cycle, first)
        problem(
            by_nip[first].line,
            "atasan_nip",
            f"atasan_nip membentuk lingkaran bersama data pegawai yang sudah ada: {chain}",
            f"atasan_nip forms a cycle with existing employees: {chain}",
        )
    return problems


def _chain(cycle: list[str], first: str) -> str:
    start = cycle.index(first)
    ordered = cycle[start:] + cycle[:start]
    return " → ".join([*ordered, ordered[0]])


def _parent_lines(result: EmployeesReadResult) -> dict[str, int]:
    """The line on which each unit of the file got its parent unit."""
    lines: dict[str, int] = {}
    for row in result.rows:
        if row.parent_unit_code is not None and row.unit_code not in lines:
            lines[row.unit_code] = row.line
    return lines


# --------------------------------------------------------------------------------------------
# The plan: the diff of the file against the database
# --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _UnitTarget:
    code: str
    name: str
    parent: str | None
    head: str | None
    state: _UnitState | None
    changed: bool = False


@dataclass(slots=True)
class _Plan:
    units: dict[str, _UnitTarget]
    positions_new: dict[str, Assessment]
    positions_changed: dict[str, Assessment]
    positions_unchanged: int
    position_changes: list[PositionChange]
    employees_new: list[tuple[EmployeeRecord, tuple[Any, ...]]]
    employees_changed: list[tuple[EmployeeRecord, _EmployeeState, tuple[Any, ...], frozenset[str]]]
    employees_unchanged: int
    link_users: dict[str, int]  # NIP -> existing user id to link
    new_users: list[EmployeeRecord]
    changes: list[EmployeeChange]
    changes_total: int
    snapshot: _Snapshot

    def fill_report(self, report: ImportReport) -> None:
        created = sum(1 for u in self.units.values() if u.state is None)
        updated = sum(1 for u in self.units.values() if u.state is not None and u.changed)
        report.units_created = created
        report.units_updated = updated
        report.units_unchanged = len(self.units) - created - updated
        report.positions_created = len(self.positions_new)
        report.positions_updated = len(self.positions_changed)
        report.positions_unchanged = self.positions_unchanged
        report.position_changes = self.position_changes[:PREVIEW_LIMIT]
        report.employees_created = len(self.employees_new)
        report.employees_updated = len(self.employees_changed)
        report.employees_unchanged = self.employees_unchanged
        report.users_created = len(self.new_users)
        report.changes = self.changes
        report.changes_total = self.changes_total


def _show(value: Any) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


def _assessment_of(row: EmployeeRecord) -> Assessment:
    return (row.tasks_eligible, row.field_work, str(row.time_flexibility))


def _make_plan(result: EmployeesReadResult, snapshot: _Snapshot) -> _Plan:
    wanted_positions, positions_new, positions_changed, position_changes = _plan_positions(
        result.rows, snapshot
    )
    units = _plan_units(result, snapshot)
    assessments = {title: s.assessment for title, s in snapshot.positions.items()}
    assessments.update(wanted_positions)
    plan = _Plan(
        units=units,
        positions_new=positions_new,
        positions_changed=positions_changed,
        positions_unchanged=len(wanted_positions) - len(positions_new) - len(positions_changed),
        position_changes=position_changes,
        employees_new=[],
        employees_changed=[],
        employees_unchanged=0,
        link_users={},
        new_users=[],
        changes=[],
        changes_total=0,
        snapshot=snapshot,
    )
    _plan_employees(result.rows, snapshot, assessments, plan)
    return plan


def _plan_positions(
    rows: list[EmployeeRecord], snapshot: _Snapshot
) -> tuple[
    dict[str, Assessment], dict[str, Assessment], dict[str, Assessment], list[PositionChange]
]:
    """The assessment of a title is that of its first row in the file."""
    wanted: dict[str, Assessment] = {}
    for row in rows:
        if row.position not in wanted:
            wanted[row.position] = _assessment_of(row)
    created: dict[str, Assessment] = {}
    updated: dict[str, Assessment] = {}
    preview: list[PositionChange] = []
    names = ("tugas_memenuhi_kriteria", "tugas_luar_kantor", "waktu")
    for title, assessment in wanted.items():
        state = snapshot.positions.get(title)
        if state is None:
            created[title] = assessment
            preview.append(PositionChange(title, "created", ()))
        elif state.assessment != assessment:
            updated[title] = assessment
            old = state.assessment
            diffs = tuple(
                FieldChange(names[i], _show(old[i]), _show(assessment[i]))
                for i in range(3)
                if old[i] != assessment[i]
            )
            preview.append(PositionChange(title, "updated", diffs))
    return wanted, created, updated, preview


def _plan_units(result: EmployeesReadResult, snapshot: _Snapshot) -> dict[str, _UnitTarget]:
    """The file's units, plus every stored unit whose head or path the import changes."""
    file_nips = {r.nip for r in result.rows}
    heads_in_file = {code: u.head_nip for code, u in result.units.items() if u.head_nip}
    targets: dict[str, _UnitTarget] = {}
    for code, state in snapshot.units.items():
        head = state.head
        if code in heads_in_file:
            head = heads_in_file[code]
        elif head is not None and head in file_nips:
            head = None  # the file lists the head without marking them head of this unit
        targets[code] = _UnitTarget(code, state.name, state.parent, head, state)
    for code, unit in result.units.items():
        target = targets.get(code)
        if target is None:
            targets[code] = _UnitTarget(
                code, unit.name, unit.parent_code, unit.head_nip, None, changed=True
            )
            continue
        target.name = unit.name
        if unit.parent_code is not None:
            target.parent = unit.parent_code
    for target in targets.values():
        before = target.state
        if before is not None and (target.name, target.parent, target.head) != (
            before.name,
            before.parent,
            before.head,
        ):
            target.changed = True
    # Paths: a unit whose chain of ancestors changes (or was stored wrong) is rewritten.
    for code, target in targets.items():
        before = target.state
        if before is None or target.changed:
            continue
        path = _planned_path(code, targets)
        if path is None or path != before.path or path.count("/") - 2 != before.depth:
            target.changed = True
    return {code: t for code, t in targets.items() if code in result.units or t.changed}


def _plan_employees(
    rows: list[EmployeeRecord],
    snapshot: _Snapshot,
    assessments: dict[str, Assessment],
    plan: _Plan,
) -> None:
    changes = plan.changes
    for row in rows:
        state = snapshot.employees.get(row.nip)
        wanted = _wanted_values(row, assessments[row.position], state)
        needs_user = state is None or state.user_id is None
        if needs_user:
            existing_user = snapshot.users.get(row.nip)
            if existing_user is not None:
                plan.link_users[row.nip] = existing_user[0]
            else:
                plan.new_users.append(row)
        if state is None:
            plan.employees_new.append((row, wanted))
            if len(changes) < PREVIEW_LIMIT:
                created = (
                    FieldChange("unit_kode", "–", row.unit_code),
                    FieldChange("jabatan", "–", row.position),
                )
                changes.append(EmployeeChange(row.nip, row.name, "created", created))
            continue
        changed = {
            name for name, old, new in zip(_FIELDS, state.values, wanted, strict=True) if old != new
        }
        if needs_user:
            changed.add("user")
        if not changed:
            plan.employees_unchanged += 1
            continue
        plan.employees_changed.append((row, state, wanted, frozenset(changed)))
        if len(changes) < PREVIEW_LIMIT:
            diffs = [
                FieldChange(_LABELS[name], _show(old), _show(new))
                for name, old, new in zip(_FIELDS, state.values, wanted, strict=True)
                if name in changed
            ]
            if "user" in changed:
                diffs.append(FieldChange(_LABELS["user"], "–", row.nip))
            changes.append(EmployeeChange(row.nip, row.name, "updated", tuple(diffs)))
    plan.changes_total = len(plan.employees_new) + len(plan.employees_changed)


def _planned_path(code: str, targets: dict[str, _UnitTarget]) -> str | None:
    """The materialised path of a unit after the import; None if it contains a new unit."""
    ids: list[int] = []
    node: str | None = code
    seen: set[str] = set()
    while node is not None:
        target = targets.get(node)
        if target is None or target.state is None or node in seen:
            return None
        seen.add(node)
        ids.append(target.state.id)
        node = target.parent
    return "/" + "".join(f"{i}/" for i in reversed(ids))


def _wanted_values(
    row: EmployeeRecord, position: Assessment, state: _EmployeeState | None
) -> tuple[Any, ...]:
    tasks_override = row.tasks_eligible if row.tasks_eligible != position[0] else None
    field_override = row.field_work if row.field_work != position[1] else None
    time_value = str(row.time_flexibility)
    time_override = time_value if time_value != position[2] else ""
    overrides = (tasks_override, field_override, time_override)
    has_override = tasks_override is not None or field_override is not None or bool(time_override)
    reason = IMPORT_OVERRIDE_REASON if has_override else ""
    if has_override and state is not None and tuple(state.values[10:13]) == overrides:
        reason = state.values[13] or reason  # the same overrides: keep the reason on record
    return (
        row.name,
        str(row.kind),
        row.unit_code,
        row.position,
        row.supervisor_nip,
        row.position_start,
        row.email or "",
        row.domicile or "",
        row.disciplinary,
        row.excluded,
        tasks_override,
        field_override,
        time_override,
        reason,
        row.special_start,
        row.special_end,
        True,
    )


# --------------------------------------------------------------------------------------------
# Applying the plan (inside the caller's transaction)
# --------------------------------------------------------------------------------------------


def _batched(items: Sequence[Any], size: int = _BATCH) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _unusable_password() -> str:
    # Same shape as Django's make_password(None), without its slower random-string loop.
    return UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30)


def _apply(plan: _Plan, agency: Agency, say: _Say) -> None:
    snapshot = plan.snapshot
    now = timezone.now()

    # 1. New units (parents, paths and heads are set in step 5, once every id is known).
    unit_ids: dict[str, int] = {code: s.id for code, s in snapshot.units.items()}
    new_units = [
        OrgUnit(agency=agency, code=t.code, name=t.name, time_zone=agency.time_zone)
        for t in plan.units.values()
        if t.state is None
    ]
    if new_units:
        say("units", n=len(new_units))
        OrgUnit.objects.bulk_create(new_units, batch_size=_BATCH)
        for unit in new_units:
            unit_ids[unit.code] = unit.pk

    # 2. Positions.
    position_ids: dict[str, int] = {t: s.id for t, s in snapshot.positions.items()}
    if plan.positions_new:
        say("positions", n=len(plan.positions_new))
        created = [_position(agency, title, a) for title, a in plan.positions_new.items()]
        Position.objects.bulk_create(created, batch_size=_BATCH)
        position_ids.update((p.title, p.pk) for p in created)
    if plan.positions_changed:
        updated = []
        for title, a in plan.positions_changed.items():
            position = _position(agency, title, a)
            position.pk = position_ids[title]
            updated.append(position)
        Position.objects.bulk_update(
            updated,
            [
                "can_work_outside_office",
                "needs_no_special_equipment",
                "can_use_ict",
                "minimal_face_to_face",
                "no_continuous_supervision",
                "field_work",
                "time_flexibility",
            ],
            batch_size=_BATCH,
        )

    # 3. Accounts for new employees (username = NIP, no usable password until one is set).
    user_ids: dict[str, int] = dict(plan.link_users)
    if plan.new_users:
        say("users", n=len(plan.new_users))
        users = [
            User(username=row.nip, email=row.email or "", password=_unusable_password())
            for row in plan.new_users
        ]
        for batch in _batched(users):
            User.objects.bulk_create(batch)
        user_ids.update((u.username, u.pk) for u in users)

    # 4. Employees: new ones level by level along the supervisor chain (a supervisor before
    # the staff), so that each row is inserted once with its supervisor set.
    employee_ids: dict[str, int] = {nip: s.id for nip, s in snapshot.employees.items()}
    total_new = len(plan.employees_new)
    if total_new:
        say("employees", done=0, total=total_new)
    done = 0
    for level in _supervisor_levels(plan.employees_new, employee_ids):
        objs = [
            _employee(agency, row, wanted, unit_ids, position_ids, employee_ids, user_ids)
            for row, wanted in level
        ]
        for batch in _batched(objs):
            Employee.objects.bulk_create(batch)
            step = done // _PROGRESS_EVERY
            done += len(batch)
            if done // _PROGRESS_EVERY != step and done < total_new:
                say("employees", done=done, total=total_new)
        employee_ids.update((e.nip, e.pk) for e in objs)
    if total_new:
        say("employees_done", total=total_new)

    if plan.employees_changed:
        say("updating", n=len(plan.employees_changed))
        groups: dict[frozenset[str], list[Employee]] = defaultdict(list)
        for row, state, wanted, changed in plan.employees_changed:
            obj = _employee(agency, row, wanted, unit_ids, position_ids, employee_ids, user_ids)
            obj.pk = state.id
            obj.updated_at = now
            groups[changed].append(obj)
        for changed, objs in groups.items():
            names = [*sorted(_FK_ATTNAME.get(n, n) for n in changed), "updated_at"]
            _update_rows(Employee, names, objs)

    # 5. Units: names, parents, heads, then materialised paths for every changed subtree.
    changed_units = [t for t in plan.units.values() if t.changed]
    if changed_units:
        say("tree", n=len(changed_units))
        parents: dict[str, str | None] = {code: s.parent for code, s in snapshot.units.items()}
        parents.update((t.code, t.parent) for t in plan.units.values())
        unit_rows: list[OrgUnit] = []
        for target in changed_units:
            before = target.state
            path_ids = _path_ids(target.code, parents, unit_ids)
            if before is not None and target.parent == before.parent:
                parent_id = before.parent_id
            else:
                parent_id = unit_ids[target.parent] if target.parent else None
            if before is not None and target.head == before.head:
                head_id = before.head_id
            else:
                head_id = employee_ids[target.head] if target.head else None
            unit = OrgUnit(
                pk=unit_ids[target.code],
                name=target.name,
                parent_id=parent_id,
                head_id=head_id,
                path="/" + "".join(f"{i}/" for i in path_ids),
                depth=len(path_ids) - 1,
            )
            unit_rows.append(unit)
        OrgUnit.objects.bulk_update(
            unit_rows, ["name", "parent_id", "head_id", "path", "depth"], batch_size=200
        )


def _update_rows(model: type[Employee], attnames: list[str], objs: Sequence[Employee]) -> None:
    """Write ``attnames`` of ``objs`` (by primary key) in few statements.

    ``UPDATE … FROM (VALUES …)`` sends each value once; Django's ``bulk_update`` builds a
    ``CASE WHEN`` expression per object and field, which costs ~0.3 ms per value in Python
    (minutes for 50,000 rows of several changed fields). SQLite before 3.33 lacks
    ``UPDATE … FROM``: there ``bulk_update`` is used.
    """
    if not objs:
        return
    if connection.vendor not in ("postgresql", "sqlite") or (
        connection.vendor == "sqlite" and _sqlite_version() < (3, 33)
    ):
        model.objects.bulk_update(objs, attnames, batch_size=500)
        return
    meta = model._meta
    qn = connection.ops.quote_name
    by_attname = {field.attname: field for field in meta.concrete_fields}
    fields = [by_attname[name] for name in attnames]
    pk = meta.pk
    assert pk is not None
    postgres = connection.vendor == "postgresql"

    def value_of(alias: str, field: Any) -> str:
        # PostgreSQL types a VALUES column from its values; NULLs and text need the column type.
        return f"CAST(v.{alias} AS {field.db_type(connection)})" if postgres else f"v.{alias}"

    aliases = [f"c{i}" for i in range(len(fields) + 1)]
    table = qn(meta.db_table)
    assignments = ", ".join(
        f"{qn(field.column)} = {value_of(alias, field)}"
        for alias, field in zip(aliases[1:], fields, strict=True)
    )
    width = len(aliases)
    per_statement = max(1, min(1000, _max_query_params() // width))
    row_sql = "(" + ", ".join(["%s"] * width) + ")"
    with connection.cursor() as cursor:
        for batch in _batched(objs, per_statement):
            params: list[Any] = []
            for obj in batch:
                params.append(obj.pk)
                for field in fields:
                    params.append(field.get_db_prep_save(getattr(obj, field.attname), connection))
            cursor.execute(
                f"WITH v ({', '.join(aliases)}) AS (VALUES {', '.join([row_sql] * len(batch))}) "  # noqa: S608 - identifiers are quoted model names, values are parameters
                f"UPDATE {table} SET {assignments} FROM v WHERE {table}.{qn(pk.column)} = v.c0",
                params,
            )


def _sqlite_version() -> tuple[int, ...]:
    import sqlite3

    return tuple(int(part) for part in sqlite3.sqlite_version.split("."))


def _max_query_params() -> int:
    if connection.vendor == "sqlite":
        return 999  # the smallest limit SQLite builds are compiled with
    return 30_000  # PostgreSQL allows 65,535 parameters per statement


def _path_ids(code: str, parents: dict[str, str | None], unit_ids: dict[str, int]) -> list[int]:
    ids: list[int] = []
    node: str | None = code
    while node is not None:
        ids.append(unit_ids[node])
        node = parents.get(node)
    ids.reverse()
    return ids


def _position(agency: Agency, title: str, a: Assessment) -> Position:
    eligible, field_work, time_flexibility = a
    return Position(
        agency=agency,
        title=title,
        can_work_outside_office=eligible,
        needs_no_special_equipment=eligible,
        can_use_ict=eligible,
        minimal_face_to_face=eligible,
        no_continuous_supervision=eligible,
        field_work=field_work,
        time_flexibility=time_flexibility,
    )


def _employee(
    agency: Agency,
    row: EmployeeRecord,
    wanted: tuple[Any, ...],
    unit_ids: dict[str, int],
    position_ids: dict[str, int],
    employee_ids: dict[str, int],
    user_ids: dict[str, int],
) -> Employee:
    values = dict(zip(_FIELDS, wanted, strict=True))
    supervisor = values.pop("supervisor")
    values["unit_id"] = unit_ids[values.pop("unit")]
    values["position_id"] = position_ids[values.pop("position")]
    values["supervisor_id"] = employee_ids[supervisor] if supervisor else None
    return Employee(agency_id=agency.pk, nip=row.nip, user_id=user_ids.get(row.nip), **values)


def _supervisor_levels(
    new: list[tuple[EmployeeRecord, tuple[Any, ...]]], existing: dict[str, int]
) -> list[list[tuple[EmployeeRecord, tuple[Any, ...]]]]:
    """New employees grouped so that each one's supervisor is stored in an earlier group."""
    supervisor_of = {row.nip: row.supervisor_nip for row, _ in new}
    level: dict[str, int] = {}
    for nip in supervisor_of:
        chain: list[str] = []
        in_chain: set[str] = set()
        node: str | None = nip
        while (
            node is not None
            and node in supervisor_of
            and node not in level
            and node not in existing
            and node not in in_chain  # a loop cannot pass the checks; never spin on one
        ):
            chain.append(node)
            in_chain.add(node)
            node = supervisor_of[node]
        base = level.get(node, -1) if node is not None else -1
        for item in reversed(chain):
            base += 1
            level[item] = base
    groups: list[list[tuple[EmployeeRecord, tuple[Any, ...]]]] = []
    for entry in new:
        depth = level[entry[0].nip]
        while len(groups) <= depth:
            groups.append([])
        groups[depth].append(entry)
    return groups


# --------------------------------------------------------------------------------------------
# The command line: fleksi import employees FILE [--agency CODE] [--dry-run] [--lang id|en]
# --------------------------------------------------------------------------------------------

_CLI_TEXT = {
    "id": {
        "missing": "Berkas tidak ditemukan: {path}",
        "unreadable": "Berkas tidak dapat dibaca: {path} ({error})",
        "bad_code": "Kode instansi '{code}' tidak sah: gunakan huruf, angka, '-' atau '_'",
        "created": "Instansi '{code}' belum ada; dibuat dengan nama '{code}'.",
        "would_create": "Instansi '{code}' belum ada; akan dibuat dengan nama '{code}'.",
        "no_agency": "Belum ada instansi: sebutkan --agency KODE untuk membuatnya.",
        "many": "Ada {n} instansi; sebutkan --agency KODE (salah satu dari: {codes}).",
        "agency": "Instansi: {name} ({code})",
        "warning": "peringatan",
        "invalid": "Berkas tidak diimpor: {n} masalah. Tidak ada data yang diubah.",
        "dry": "Uji coba (--dry-run): tidak ada yang disimpan.",
        "done": "Impor selesai dalam {s:.1f} detik.",
        "nothing": "Tidak ada perubahan: data sudah sama dengan berkas.",
        "denied": "Ditolak: {message}",
    },
    "en": {
        "missing": "File not found: {path}",
        "unreadable": "The file cannot be read: {path} ({error})",
        "bad_code": "Invalid agency code '{code}': use letters, digits, '-' or '_'",
        "created": "Agency '{code}' did not exist; created with the name '{code}'.",
        "would_create": "Agency '{code}' does not exist; it would be created with the name '{code}'.",
        "no_agency": "There is no agency yet: pass --agency CODE to create one.",
        "many": "There are {n} agencies; pass --agency CODE (one of: {codes}).",
        "agency": "Agency: {name} ({code})",
        "warning": "warning",
        "invalid": "The file was not imported: {n} problems. Nothing was changed.",
        "dry": "Dry run (--dry-run): nothing was saved.",
        "done": "Import finished in {s:.1f} s.",
        "nothing": "No changes: the data already matches the file.",
        "denied": "Denied: {message}",
    },
}


class _DryRunRollback(Exception):
    """Rolls back a dry run that had to create the agency to look at it."""


def employees_import_cli(*, path: str, agency_code: str | None, dry_run: bool, lang: str) -> int:
    """``fleksi import employees``: 0 when imported (or checked, with ``--dry-run``), 2 when the
    input is invalid (every problem on stderr as ``FILE:LINE: COLUMN: message``)."""
    text = _CLI_TEXT["en" if lang == "en" else "id"]
    out, err = sys.stdout, sys.stderr

    def say(message: str) -> None:
        print(message, file=out, flush=True)

    file = Path(path)
    if not file.is_file():
        print(text["missing"].format(path=path), file=err)
        return 2
    try:
        data = file.read_bytes()
    except OSError as exc:
        print(text["unreadable"].format(path=path, error=exc.strerror or exc), file=err)
        return 2

    create_code: str | None = None
    agency: Agency | None
    if agency_code:
        try:
            validate_slug(agency_code)
        except ValidationError:
            print(text["bad_code"].format(code=agency_code), file=err)
            return 2
        agency = Agency.objects.filter(code=agency_code).first()
        if agency is None:
            create_code = agency_code
    else:
        agencies = list(Agency.objects.order_by("code")[:21])
        if not agencies:
            print(text["no_agency"], file=err)
            return 2
        if len(agencies) > 1:
            codes = ", ".join(a.code for a in agencies[:20]) + (", …" if len(agencies) > 20 else "")
            print(text["many"].format(n=Agency.objects.count(), codes=codes), file=err)
            return 2
        agency = agencies[0]

    report: ImportReport | None = None
    try:
        with transaction.atomic():
            if agency is None:
                assert create_code is not None
                agency = Agency.objects.create(code=create_code, name=create_code)
                say(text["would_create" if dry_run else "created"].format(code=create_code))
            say(text["agency"].format(name=agency.name, code=agency.code))
            report = employees_import(
                actor=None,
                agency=agency,
                data=data,
                filename=path,
                dry_run=dry_run,
                progress=say,
                lang=lang,
            )
            if dry_run and create_code is not None:
                raise _DryRunRollback
    except _DryRunRollback:
        pass
    except ImportInvalid as exc:
        for warning in exc.warnings:
            print(f"{warning.format(lang)} ({text['warning']})", file=err)
        for problem in exc.problems:
            print(problem.format(lang), file=err)
        print(text["invalid"].format(n=len(exc.problems)), file=err)
        return 2
    except ApplicationError as exc:
        print(text["denied"].format(message=exc.message), file=err)
        return 2 if exc.code != ErrorCode.CONFLICT else 1

    assert report is not None
    for warning in report.warnings:
        print(f"{warning.format(lang)} ({text['warning']})", file=err)
    say(report.summary(lang))
    if dry_run:
        for change in report.changes[:50]:
            details = "; ".join(f"{c.field}: {c.old} → {c.new}" for c in change.changes)
            marker = "+" if change.action == "created" else "~"
            say(f"  {marker} {change.nip} {change.name}: {details}")
        if report.changes_total > 50:
            say(f"  … (+{report.changes_total - 50})")
        say(text["dry"])
    elif report.writes == 0:
        say(text["nothing"])
    else:
        say(text["done"].format(s=report.seconds))
    return 0
