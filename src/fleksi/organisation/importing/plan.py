"""Step 3: the plan, the diff of the file against the database: what to create, update and
leave alone, per entity, with counts and the preview of each change.

A column absent from the file says nothing: the fields it decides keep their stored values
(a new row takes the format's defaults). docs/decisions/071-import-absent-columns.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fleksi.policy.formats import EmployeeRecord, EmployeesReadResult

from .report import (
    IMPORT_OVERRIDE_REASON,
    PREVIEW_LIMIT,
    EmployeeChange,
    FieldChange,
    ImportReport,
    PositionChange,
)
from .snapshot import (
    FIELDS,
    OVERRIDES,
    POSITION,
    REASON,
    Assessment,
    EmployeeState,
    Snapshot,
    UnitState,
)

LABELS: dict[str, str] = {
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

# The columns of a position's assessment (tasks eligible, field work, time flexibility), and
# the format's defaults for a new position when a column is absent.
ASSESSMENT_COLUMNS = ("tugas_memenuhi_kriteria", "tugas_luar_kantor", "waktu")
ASSESSMENT_DEFAULT: Assessment = (False, False, "tidak")
_NO_OVERRIDE: tuple[Any, Any, Any] = (None, None, "")

# The columns that decide each employee field (the overrides and their reason follow the
# assessment columns; ``is_active`` is set by the row being there).
_FIELD_COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("nama",),
    "kind": ("jenis",),
    "unit": ("unit_kode",),
    "position": ("jabatan",),
    "supervisor": ("atasan_nip",),
    "position_start": ("tmt_jabatan",),
    "email": ("email",),
    "domicile": ("domisili",),
    "disciplinary": ("hukuman_disiplin",),
    "excluded": ("dikecualikan",),
    # The keadaan khusus period is one value in two columns: either column decides both.
    "special_start": ("keadaan_khusus_mulai", "keadaan_khusus_sampai"),
    "special_end": ("keadaan_khusus_mulai", "keadaan_khusus_sampai"),
}


@dataclass(frozen=True, slots=True)
class Columns:
    """Which fields the file decides (its columns are present) and which it leaves alone."""

    kept: tuple[bool, ...]  # per FIELDS: True = column absent, keep the stored value
    assessment: tuple[bool, bool, bool]  # per assessment part: column present
    heads: bool  # kepala_unit present

    @classmethod
    def of(cls, present: frozenset[str]) -> Columns:
        assessment = tuple(c in present for c in ASSESSMENT_COLUMNS)
        kept: list[bool] = []
        for index, name in enumerate(FIELDS):
            if name in _FIELD_COLUMNS:
                kept.append(not any(c in present for c in _FIELD_COLUMNS[name]))
            elif OVERRIDES <= index < OVERRIDES + 3:
                kept.append(not assessment[index - OVERRIDES])
            elif index == REASON:
                kept.append(not any(assessment))
            else:
                kept.append(False)
        return cls(
            tuple(kept), (assessment[0], assessment[1], assessment[2]), "kepala_unit" in present
        )


@dataclass(slots=True)
class UnitTarget:
    code: str
    name: str
    parent: str | None
    head: str | None
    state: UnitState | None
    changed: bool = False


@dataclass(slots=True)
class Plan:
    units: dict[str, UnitTarget]
    positions_new: dict[str, Assessment]
    positions_changed: dict[str, Assessment]
    positions_unchanged: int
    position_changes: list[PositionChange]
    employees_new: list[tuple[EmployeeRecord, tuple[Any, ...]]]
    employees_changed: list[tuple[EmployeeRecord, EmployeeState, tuple[Any, ...], frozenset[str]]]
    employees_unchanged: int
    link_users: dict[str, int]  # NIP -> existing user id to link
    new_users: list[EmployeeRecord]
    changes: list[EmployeeChange]
    changes_total: int
    employees_affected_outside_file: int
    snapshot: Snapshot

    def fill_report(self, report: ImportReport) -> None:
        created = sum(1 for u in self.units.values() if u.state is None)
        updated = sum(1 for u in self.units.values() if u.state is not None and u.changed)
        report.units_created = created
        report.units_updated = updated
        report.units_unchanged = len(self.units) - created - updated
        report.positions_created = len(self.positions_new)
        report.positions_updated = len(self.positions_changed)
        report.positions_unchanged = self.positions_unchanged
        # Changes that reach employees outside the file first: they need a confirmation.
        ordered = sorted(self.position_changes, key=lambda c: -c.affected_outside_file)
        report.position_changes = ordered[:PREVIEW_LIMIT]
        report.employees_created = len(self.employees_new)
        report.employees_updated = len(self.employees_changed)
        report.employees_unchanged = self.employees_unchanged
        report.users_created = len(self.new_users)
        report.changes = self.changes
        report.changes_total = self.changes_total
        report.employees_affected_outside_file = self.employees_affected_outside_file


def show(value: Any) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


def make_plan(result: EmployeesReadResult, snapshot: Snapshot) -> Plan:
    columns = Columns.of(result.columns)
    wanted_positions, positions_new, positions_changed = _plan_positions(
        result.rows, snapshot, columns
    )
    units = _plan_units(result, snapshot, columns)
    assessments = {title: s.assessment for title, s in snapshot.positions.items()}
    assessments.update(wanted_positions)
    plan = Plan(
        units=units,
        positions_new=positions_new,
        positions_changed=positions_changed,
        positions_unchanged=len(wanted_positions) - len(positions_new) - len(positions_changed),
        position_changes=[],
        employees_new=[],
        employees_changed=[],
        employees_unchanged=0,
        link_users={},
        new_users=[],
        changes=[],
        changes_total=0,
        employees_affected_outside_file=0,
        snapshot=snapshot,
    )
    affected_in_file = _plan_employees(result.rows, snapshot, assessments, columns, plan)
    _preview_positions(result, snapshot, plan, affected_in_file)
    return plan


def _plan_positions(
    rows: list[EmployeeRecord], snapshot: Snapshot, columns: Columns
) -> tuple[dict[str, Assessment], dict[str, Assessment], dict[str, Assessment]]:
    """The assessment of a title is that of its first row in the file, part by part: a part
    whose column is absent keeps the stored value (a new position: the format's default)."""
    wanted: dict[str, Assessment] = {}
    present = columns.assessment
    for row in rows:
        if row.position in wanted:
            continue
        state = snapshot.positions.get(row.position)
        base = state.assessment if state is not None else ASSESSMENT_DEFAULT
        from_file = _assessment_of(row)
        wanted[row.position] = (
            from_file[0] if present[0] else base[0],
            from_file[1] if present[1] else base[1],
            from_file[2] if present[2] else base[2],
        )
    created: dict[str, Assessment] = {}
    updated: dict[str, Assessment] = {}
    for title, assessment in wanted.items():
        state = snapshot.positions.get(title)
        if state is None:
            created[title] = assessment
        elif state.assessment != assessment:
            updated[title] = assessment
    return wanted, created, updated


def _preview_positions(
    result: EmployeesReadResult, snapshot: Snapshot, plan: Plan, affected_in_file: dict[str, int]
) -> None:
    """The preview of each position change with the employees whose assessment it changes."""
    changed_parts = {
        title: [i for i in range(3) if snapshot.positions[title].assessment[i] != new[i]]
        for title, new in plan.positions_changed.items()
    }
    outside: dict[str, int] = dict.fromkeys(changed_parts, 0)
    if changed_parts:
        in_file = {r.nip for r in result.rows}
        for nip, state in snapshot.employees.items():
            title = state.values[POSITION]
            if nip in in_file or title not in changed_parts or not state.values[-1]:
                continue
            overrides = state.values[OVERRIDES : OVERRIDES + 3]
            # Without an own override the employee follows the position: the value changes.
            if any(overrides[i] in (None, "") for i in changed_parts[title]):
                outside[title] += 1
    for title in plan.positions_new:
        plan.position_changes.append(PositionChange(title, "created", ()))
    for title, new in plan.positions_changed.items():
        old = snapshot.positions[title].assessment
        diffs = tuple(
            FieldChange(ASSESSMENT_COLUMNS[i], show(old[i]), show(new[i]))
            for i in changed_parts[title]
        )
        count = affected_in_file.get(title, 0) + outside[title]
        plan.position_changes.append(PositionChange(title, "updated", diffs, count, outside[title]))
    plan.employees_affected_outside_file = sum(outside.values())


def _plan_units(
    result: EmployeesReadResult, snapshot: Snapshot, columns: Columns
) -> dict[str, UnitTarget]:
    """The file's units, plus every stored unit whose head or path the import changes."""
    file_nips = {r.nip for r in result.rows}
    heads_in_file = {code: u.head_nip for code, u in result.units.items() if u.head_nip}
    targets: dict[str, UnitTarget] = {}
    for code, state in snapshot.units.items():
        head = state.head
        if not columns.heads:
            pass  # without kepala_unit the file says nothing about heads
        elif code in heads_in_file:
            head = heads_in_file[code]
        elif head is not None and head in file_nips:
            head = None  # the file lists the head without marking them head of this unit
        targets[code] = UnitTarget(code, state.name, state.parent, head, state)
    for code, unit in result.units.items():
        target = targets.get(code)
        if target is None:
            targets[code] = UnitTarget(
                code, unit.name, unit.parent_code, unit.head_nip, None, changed=True
            )
            continue
        if unit.name:  # an existing unit the file does not name keeps its name
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
    snapshot: Snapshot,
    assessments: dict[str, Assessment],
    columns: Columns,
    plan: Plan,
) -> dict[str, int]:
    """Fills the employees of ``plan``; returns, per changed position, how many employees of
    the file who keep that position see their effective assessment change."""
    changes = plan.changes
    affected: dict[str, int] = {}
    for row in rows:
        state = snapshot.employees.get(row.nip)
        position = assessments[row.position]
        wanted = _wanted_values(row, position, state, columns)
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
        if row.position in plan.positions_changed and state.values[POSITION] == row.position:
            before = _effective(snapshot.positions[row.position].assessment, state.values)
            if before != _effective(position, wanted):
                affected[row.position] = affected.get(row.position, 0) + 1
        changed = {
            name for name, old, new in zip(FIELDS, state.values, wanted, strict=True) if old != new
        }
        if needs_user:
            changed.add("user")
        if not changed:
            plan.employees_unchanged += 1
            continue
        plan.employees_changed.append((row, state, wanted, frozenset(changed)))
        if len(changes) < PREVIEW_LIMIT:
            diffs = [
                FieldChange(LABELS[name], show(old), show(new))
                for name, old, new in zip(FIELDS, state.values, wanted, strict=True)
                if name in changed
            ]
            if "user" in changed:
                diffs.append(FieldChange(LABELS["user"], "–", row.nip))
            changes.append(EmployeeChange(row.nip, row.name, "updated", tuple(diffs)))
    plan.changes_total = len(plan.employees_new) + len(plan.employees_changed)
    return affected


def _effective(position: Assessment, values: tuple[Any, ...]) -> Assessment:
    """What applies to an employee: their own override where set, else the position's."""
    tasks, field_work, time_value = values[OVERRIDES : OVERRIDES + 3]
    return (
        position[0] if tasks is None else tasks,
        position[1] if field_work is None else field_work,
        time_value or position[2],
    )


def _planned_path(code: str, targets: dict[str, UnitTarget]) -> str | None:
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


def _assessment_of(row: EmployeeRecord) -> Assessment:
    return (row.tasks_eligible, row.field_work, str(row.time_flexibility))


def _wanted_values(
    row: EmployeeRecord, position: Assessment, state: EmployeeState | None, columns: Columns
) -> tuple[Any, ...]:
    """The employee's values after the import, in the order of FIELDS."""
    stored = state.values[OVERRIDES : OVERRIDES + 3] if state is not None else _NO_OVERRIDE
    from_file = _assessment_of(row)
    overrides = tuple(
        (from_file[i] if from_file[i] != position[i] else _NO_OVERRIDE[i])
        if columns.assessment[i]
        else stored[i]  # absent column: the stored override (a new row: none)
        for i in range(3)
    )
    has_override = overrides[0] is not None or overrides[1] is not None or bool(overrides[2])
    reason = IMPORT_OVERRIDE_REASON if has_override else ""
    if has_override and state is not None and tuple(stored) == overrides:
        reason = state.values[REASON] or reason  # the same overrides: keep the reason on record
    values = (
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
        *overrides,
        reason,
        row.special_start,
        row.special_end,
        True,
    )
    if state is None or not any(columns.kept):
        return values  # a new row takes the defaults the reader gave absent columns
    return tuple(
        old if keep else new
        for old, new, keep in zip(state.values, values, columns.kept, strict=True)
    )
