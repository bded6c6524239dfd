"""Step 4: apply the plan inside the caller's transaction, with bulk writes (nothing per row).

New units first (their tree is set at the end, once every id is known), then positions,
accounts, employees level by level along the supervisor chain, changed employees in a few
``UPDATE … FROM (VALUES …)`` statements, and last the units' names, parents, heads and paths.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import Any

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import connection
from django.utils import timezone

from fleksi.accounts.models import User
from fleksi.policy.formats import EmployeeRecord

from ..models import Agency, Employee, OrgUnit, Position
from ..signals import employees_moved
from .plan import Plan
from .progress import Say
from .snapshot import FIELDS, Assessment

_PROGRESS_EVERY = 10_000
_BATCH = 1000  # rows per bulk statement where the database allows it (SQLite caps it lower)

# Fields whose value is a natural key, and the model attribute holding the id.
_FK_ATTNAME = {
    "unit": "unit_id",
    "position": "position_id",
    "supervisor": "supervisor_id",
    "user": "user_id",
}


def _batched(items: Sequence[Any], size: int = _BATCH) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _unusable_password() -> str:
    # Same shape as Django's make_password(None), without its slower random-string loop.
    return UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30)


def apply_plan(plan: Plan, agency: Agency, say: Say) -> None:
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
            stored = snapshot.positions[title]
            # The five criteria are rewritten only when the yes/no they give changes: a finer
            # assessment made in the admin survives a change of field work or time alone.
            keep = stored.criteria if stored.assessment[0] == a[0] else None
            position = _position(agency, title, a, criteria=keep)
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
        moves: list[tuple[int, int | None, int | None]] = []
        unit_at = FIELDS.index("unit")
        for row, state, wanted, changed in plan.employees_changed:
            obj = _employee(agency, row, wanted, unit_ids, position_ids, employee_ids, user_ids)
            obj.pk = state.id
            obj.updated_at = now
            groups[changed].append(obj)
            if "unit" in changed:
                before = state.values[unit_at]
                moves.append((state.id, unit_ids.get(before) if before else None, obj.unit_id))
        for changed, objs in groups.items():
            names = [*sorted(_FK_ATTNAME.get(n, n) for n in changed), "updated_at"]
            _update_rows(Employee, names, objs)
        if moves:  # the apps above recompute what they group by unit (docs/decisions/198)
            employees_moved.send(sender=Employee, agency_id=agency.pk, moves=moves)

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


def _position(
    agency: Agency,
    title: str,
    a: Assessment,
    criteria: tuple[bool, bool, bool, bool, bool] | None = None,
) -> Position:
    eligible, field_work, time_flexibility = a
    five = criteria if criteria is not None else (eligible,) * 5
    return Position(
        agency=agency,
        title=title,
        can_work_outside_office=five[0],
        needs_no_special_equipment=five[1],
        can_use_ict=five[2],
        minimal_face_to_face=five[3],
        no_continuous_supervision=five[4],
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
    values = dict(zip(FIELDS, wanted, strict=True))
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
