"""The agency's data as it is now, loaded in a few queries (the checks and the plan read it)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection

from fleksi.accounts.models import User
from fleksi.policy.formats import EmployeesReadResult

from ..models import Agency, Employee, OrgUnit, Position

# Employee fields the file decides, in this order (foreign keys by their natural keys:
# unit code, position title, supervisor NIP).
FIELDS: tuple[str, ...] = (
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
# Positions in FIELDS of the values the plan needs by index.
SUPERVISOR = FIELDS.index("supervisor")
POSITION = FIELDS.index("position")
OVERRIDES = FIELDS.index("tasks_eligible_override")  # three: tasks, field work, time
REASON = FIELDS.index("override_reason")

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
class UnitState:
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
class PositionState:
    id: int
    title: str
    criteria: tuple[bool, bool, bool, bool, bool]
    field_work: bool
    time_flexibility: str

    @property
    def assessment(self) -> Assessment:
        return (all(self.criteria), self.field_work, self.time_flexibility)


@dataclass(slots=True)
class EmployeeState:
    id: int
    user_id: int | None
    values: tuple[Any, ...]  # in the order of FIELDS


def chunks(items: Sequence[str], size: int) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def in_chunk_size() -> int:
    # SQLite builds may allow as few as 999 variables per statement.
    return 900 if connection.vendor == "sqlite" else 10_000


@dataclass(slots=True)
class Snapshot:
    units: dict[str, UnitState]
    unit_ids: dict[int, str]
    positions: dict[str, PositionState]
    employees: dict[str, EmployeeState]  # this agency's, by NIP
    foreign_nips: set[str]  # NIPs of the file that belong to another agency
    users: dict[str, tuple[int, int | None]]  # username (NIP) -> (user id, linked employee id)

    @classmethod
    def load(cls, agency: Agency, result: EmployeesReadResult) -> Snapshot:
        units: dict[str, UnitState] = {}
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
            units[row[1]] = UnitState(*row)
            unit_ids[row[0]] = row[1]
        positions = {
            title: PositionState(pid, title, (a, b, c, d, e), fw, tf)
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
        employees: dict[str, EmployeeState] = {}
        for row in Employee.objects.filter(agency=agency).values_list(*_EMPLOYEE_VALUES):
            employees[row[1]] = EmployeeState(row[0], row[2], row[3:])
        file_nips = [r.nip for r in result.rows]
        outside = [nip for nip in file_nips if nip not in employees]
        foreign: set[str] = set()
        size = in_chunk_size()
        for chunk in chunks(outside, size):
            foreign.update(
                Employee.objects.filter(nip__in=chunk)
                .exclude(agency=agency)
                .values_list("nip", flat=True)
            )
        needing_user = [
            nip for nip in file_nips if nip not in employees or employees[nip].user_id is None
        ]
        users: dict[str, tuple[int, int | None]] = {}
        for chunk in chunks(needing_user, size):
            for username, uid, employee_id in User.objects.filter(username__in=chunk).values_list(
                "username", "id", "employee__id"
            ):
                users[username] = (uid, employee_id)
        return cls(units, unit_ids, positions, employees, foreign, users)
