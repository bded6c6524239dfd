"""Step 2: the checks that need the database.

Supervisors and parent units outside the file, loops formed together with stored data, NIPs
of another agency, usernames taken, values longer than their columns, and what only a new
unit needs: a name (``unit_nama``) and a code of safe characters.
"""

from __future__ import annotations

import re

from fleksi.policy.formats import EmployeesReadResult, Problem
from fleksi.policy.formats.employees import find_cycles

from ..models import Employee, OrgUnit, Position
from .snapshot import SUPERVISOR, Snapshot

# Letters, digits, '-', '_' and '.': a unit code ends up in URLs, file names and headers.
UNIT_CODE = re.compile(r"^[A-Za-z0-9._-]+$")
_CODE_RULE_ID = "gunakan hanya huruf, angka, '-', '_' atau '.'"
_CODE_RULE_EN = "use only letters, digits, '-', '_' or '.'"


def database_problems(
    result: EmployeesReadResult, snapshot: Snapshot, filename: str
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

    # What only a new unit needs: a name and a code of safe characters.
    parent_lines = _parent_lines(result)
    for code, unit in result.units.items():
        if code in snapshot.units:
            continue  # stored units keep their code and, when the file gives none, their name
        if not UNIT_CODE.match(code):
            problem(
                unit.line,
                "unit_kode",
                f"kode unit '{code}' tidak sah: {_CODE_RULE_ID} (tanpa spasi, tanda kutip, "
                "garis miring atau titik koma)",
                f"invalid unit code '{code}': {_CODE_RULE_EN} (no spaces, quotes, slashes "
                "or semicolons)",
            )
        if code in result.unnamed_units:
            problem(
                result.unnamed_units[code],
                "unit_nama",
                f"unit_nama wajib diisi untuk unit baru '{code}' (unit ini belum ada di "
                "instansi); isi pada baris pertama unit itu",
                f"unit_nama is required for the new unit '{code}' (it does not exist in this "
                "agency yet); fill it in on the unit's first row",
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
    for code, unit in result.units.items():
        parent = unit.parent_code
        if parent is None or parent in result.units or parent in snapshot.units:
            continue
        line = parent_lines.get(code, unit.line)
        if not UNIT_CODE.match(parent):
            problem(
                line,
                "unit_induk_kode",
                f"kode unit induk '{parent}' tidak sah: {_CODE_RULE_ID}",
                f"invalid parent unit code '{parent}': {_CODE_RULE_EN}",
            )
        else:
            problem(
                line,
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
    if "atasan_nip" in result.columns:
        supervisors: dict[str, str | None] = {
            nip: state.values[SUPERVISOR] for nip, state in snapshot.employees.items()
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


_MAX_LENGTHS: tuple[tuple[str, str, int], ...] = (
    ("name", "nama", Employee._meta.get_field("name").max_length or 200),
    ("unit_code", "unit_kode", OrgUnit._meta.get_field("code").max_length or 60),
    ("unit_name", "unit_nama", OrgUnit._meta.get_field("name").max_length or 200),
    ("position", "jabatan", Position._meta.get_field("title").max_length or 200),
    ("domicile", "domisili", Employee._meta.get_field("domicile").max_length or 500),
    ("email", "email", Employee._meta.get_field("email").max_length or 254),
)


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
