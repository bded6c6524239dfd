"""``employees.csv`` (data pegawai): the reader and its file-level checks.

Checks that need the database (a supervisor or parent unit that is not in the file but may
already be known) are left to the caller: ``EmployeesReadResult.unknown_supervisor_nips``
and ``unknown_parent_units`` list what to look up.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from fleksi.policy.enums import EmployeeKind, TimeFlexibility
from fleksi.policy.formats.table import NO, CellReader, Limits, ReadResult, load_table
from fleksi.policy.nip import NipError, NipInfo, Sex, parse_nip
from fleksi.policy.problems import Problem

EMPLOYEE_COLUMNS: tuple[str, ...] = (
    "nip",
    "nama",
    "jenis",
    "unit_kode",
    "unit_nama",
    "unit_induk_kode",
    "jabatan",
    "kepala_unit",
    "atasan_nip",
    "tmt_jabatan",
    "email",
    "domisili",
    "tugas_memenuhi_kriteria",
    "tugas_luar_kantor",
    "waktu",
    "hukuman_disiplin",
    "dikecualikan",
    "keadaan_khusus_mulai",
    "keadaan_khusus_sampai",
)
REQUIRED_EMPLOYEE_COLUMNS: tuple[str, ...] = ("nip", "nama", "unit_kode", "unit_nama", "jabatan")
# With ``unit_names_required=False`` (the import, which knows the stored units) only a new unit
# needs ``unit_nama``: the caller checks ``EmployeesReadResult.unnamed_units``.
IMPORT_REQUIRED_EMPLOYEE_COLUMNS: tuple[str, ...] = ("nip", "nama", "unit_kode", "jabatan")

_KINDS = ("PNS", "PPPK")
_TIME_FLEX = tuple(t.value for t in TimeFlexibility)
_EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}$"
)


@dataclass(frozen=True, slots=True)
class EmployeeRecord:
    """One valid row of ``employees.csv``, normalised. ``line`` is its line in the file."""

    nip: str
    name: str
    kind: EmployeeKind
    unit_code: str
    unit_name: str | None
    parent_unit_code: str | None
    position: str
    is_unit_head: bool
    supervisor_nip: str | None
    position_start: dt.date | None
    email: str | None
    domicile: str | None
    tasks_eligible: bool
    field_work: bool
    time_flexibility: TimeFlexibility
    disciplinary: bool
    excluded: bool
    special_start: dt.date | None
    special_end: dt.date | None
    birth_date: dt.date
    sex: Sex | None
    appointment: tuple[int, int] | None
    line: int


@dataclass(frozen=True, slots=True)
class UnitRecord:
    """An organisational unit as described by the rows of ``employees.csv``; ``name`` is ""
    when no row of the unit names it (see ``EmployeesReadResult.unnamed_units``)."""

    code: str
    name: str
    parent_code: str | None
    head_nip: str | None
    line: int


@dataclass(slots=True)
class EmployeesReadResult(ReadResult[EmployeeRecord]):
    """``rows`` plus the units, and what the caller must look up in its database.

    ``columns`` holds the known columns present in the header: a column absent from the file
    says nothing, so an importer must leave the stored values of its field alone (the rows
    carry the format's defaults for it). ``unnamed_units`` maps each unit no row names to
    the line of its first row.
    """

    units: dict[str, UnitRecord] = field(default_factory=dict)
    columns: frozenset[str] = frozenset()
    unnamed_units: dict[str, int] = field(default_factory=dict)
    unknown_supervisor_nips: set[str] = field(default_factory=set)
    unknown_parent_units: set[str] = field(default_factory=set)


def find_cycles(edges: Mapping[str, str | None]) -> list[list[str]]:
    """Cycles of a functional graph (each node has at most one successor), each once."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    cycles: list[list[str]] = []
    for start in edges:
        if start in state:
            continue
        path: list[str] = []
        node: str | None = start
        while node is not None and node not in state:
            state[node] = 1
            path.append(node)
            node = edges.get(node)
        if node is not None and state[node] == 1:
            cycles.append(path[path.index(node) :])
        for visited in path:
            state[visited] = 2
    return cycles


def read_employees(
    data: bytes,
    filename: str,
    *,
    today: dt.date,
    unit_names_required: bool = True,
    limits: Limits | None = None,
) -> EmployeesReadResult:
    """Read and check ``employees.csv`` / ``.xlsx`` (see FORMATS.md).

    ``unit_names_required=False``: the ``unit_nama`` column is optional and a unit no row
    names is reported in ``unnamed_units`` instead of being a problem (the importer refuses
    only the units that do not exist yet). ``today`` (the caller's date: the core never
    reads the clock) refuses NIPs whose birth or appointment lies in the future. ``limits``
    bound an upload (size, columns, rows) before it is parsed.
    """
    return _read_employees(data, filename, unit_names_required, today, limits)


def _read_employees(
    data: bytes,
    filename: str,
    unit_names_required: bool,
    today: dt.date,
    limits: Limits | None,
) -> EmployeesReadResult:
    required = (
        REQUIRED_EMPLOYEE_COLUMNS if unit_names_required else IMPORT_REQUIRED_EMPLOYEE_COLUMNS
    )
    table, problems, warnings = load_table(
        data, filename, known=EMPLOYEE_COLUMNS, required=required, limits=limits
    )
    result = EmployeesReadResult(problems=problems, warnings=warnings)
    if table is None:
        return result
    result.columns = frozenset(name for name in EMPLOYEE_COLUMNS if table.col(name) is not None)
    cells = CellReader(filename, problems)
    problem = cells.problem
    text = cells.text
    yes_no = cells.yes_no
    read_date = cells.date

    def column(name: str) -> int:
        index = table.col(name)
        return -1 if index is None else index

    i_nip, i_name, i_kind = column("nip"), column("nama"), column("jenis")
    i_unit, i_unit_name, i_parent = (
        column("unit_kode"),
        column("unit_nama"),
        column("unit_induk_kode"),
    )
    i_position, i_head, i_supervisor = (
        column("jabatan"),
        column("kepala_unit"),
        column("atasan_nip"),
    )
    i_start, i_email, i_domicile = column("tmt_jabatan"), column("email"), column("domisili")
    i_eligible, i_field = column("tugas_memenuhi_kriteria"), column("tugas_luar_kantor")
    i_time, i_discipline, i_excluded = (
        column("waktu"),
        column("hukuman_disiplin"),
        column("dikecualikan"),
    )
    i_special_start = column("keadaan_khusus_mulai")
    i_special_end = column("keadaan_khusus_sampai")

    rows = result.rows
    nip_lines: dict[str, int] = {}
    unit_first: dict[str, tuple[int, str, str | None]] = {}  # code -> (line, name, parent)
    unit_parent_line: dict[str, int] = {}
    unit_heads: dict[str, tuple[str, int]] = {}
    supervisors: dict[str, str] = {}
    supervisor_lines: dict[str, int] = {}

    for line, values in table.rows:
        before = len(problems)

        def cell(index: int, values: Sequence[object] = values) -> object:
            return None if index < 0 else values[index]

        # jenis first: it decides how the NIP is validated.
        kind_text = text(cell(i_kind)).upper() or "PNS"
        if kind_text not in _KINDS:
            problem(
                line,
                "jenis",
                f"jenis '{kind_text}' tidak dikenal; isi PNS atau PPPK",
                f"unknown jenis '{kind_text}'; use PNS or PPPK",
            )
            kind_text = "PNS"
        raw_nip = cell(i_nip)
        info: NipInfo | None = None
        if text(raw_nip) == "":
            problem(line, "nip", "nip wajib diisi", "nip is required")
        else:
            try:
                info = parse_nip(raw_nip, kind_text, today=today)
            except NipError as error:
                problem(line, "nip", error.message_id, error.message_en)
        if info is not None:
            seen = nip_lines.get(info.nip)
            if seen is not None:
                problem(
                    line,
                    "nip",
                    f"NIP {info.nip} ganda: sudah ada di baris {seen} (dan baris {line})",
                    f"duplicate NIP {info.nip}: already on line {seen} (and line {line})",
                )
            else:
                nip_lines[info.nip] = line

        name = cells.required_text(line, "nama", cell(i_name))
        position = cells.required_text(line, "jabatan", cell(i_position))
        unit_code = cells.required_text(line, "unit_kode", cell(i_unit))
        unit_name = text(cell(i_unit_name)) or None
        parent = text(cell(i_parent)) or None
        is_head = yes_no(line, "kepala_unit", cell(i_head))

        if unit_code:
            first = unit_first.get(unit_code)
            if first is None:
                if unit_name is None and unit_names_required:
                    problem(
                        line,
                        "unit_nama",
                        f"unit_nama wajib diisi pada baris pertama unit '{unit_code}'",
                        f"unit_nama is required on the first row of unit '{unit_code}'",
                    )
                unit_first[unit_code] = (line, unit_name or "", parent)
                if parent is not None:
                    unit_parent_line[unit_code] = line
            else:
                first_line, first_name, first_parent = first
                if unit_name is not None and not first_name:
                    first_name = unit_name  # named on a later row (unit_names_required=False)
                    unit_first[unit_code] = (first_line, first_name, first_parent)
                elif unit_name is not None and unit_name != first_name:
                    problem(
                        line,
                        "unit_nama",
                        f"unit '{unit_code}' bernama '{first_name}' di baris {first_line}, "
                        f"tetapi '{unit_name}' di baris ini",
                        f"unit '{unit_code}' is named '{first_name}' on line {first_line} "
                        f"but '{unit_name}' on this line",
                    )
                if parent is not None:
                    if first_parent is None:
                        unit_first[unit_code] = (first_line, first_name, parent)
                        unit_parent_line[unit_code] = line
                    elif parent != first_parent:
                        problem(
                            line,
                            "unit_induk_kode",
                            f"unit '{unit_code}' berinduk '{first_parent}' di baris "
                            f"{unit_parent_line[unit_code]}, tetapi '{parent}' di baris ini",
                            f"unit '{unit_code}' has parent '{first_parent}' on line "
                            f"{unit_parent_line[unit_code]} but '{parent}' on this line",
                        )
            if is_head and info is not None:
                head = unit_heads.get(unit_code)
                if head is not None:
                    problem(
                        line,
                        "kepala_unit",
                        f"unit '{unit_code}' sudah punya kepala: NIP {head[0]} di baris "
                        f"{head[1]}; satu unit hanya satu kepala",
                        f"unit '{unit_code}' already has a head: NIP {head[0]} on line "
                        f"{head[1]}; a unit has only one head",
                    )
                else:
                    unit_heads[unit_code] = (info.nip, line)

        supervisor: str | None = None
        raw_supervisor = cell(i_supervisor)
        if text(raw_supervisor):
            try:
                supervisor = parse_nip(raw_supervisor, "PPPK", today=today).nip
            except NipError as error:
                problem(
                    line,
                    "atasan_nip",
                    f"atasan_nip: {error.message_id}",
                    f"atasan_nip: {error.message_en}",
                )
        if supervisor is not None and info is not None:
            supervisors[info.nip] = supervisor
            supervisor_lines[info.nip] = line

        position_start = read_date(line, "tmt_jabatan", cell(i_start))

        email = text(cell(i_email)) or None
        if email is not None:
            email = email.lower()
            if not _EMAIL.match(email):
                problem(
                    line,
                    "email",
                    f"alamat email '{email}' tidak sah",
                    f"invalid email address '{email}'",
                )

        raw_time = text(cell(i_time))  # an XLSX number 0 reads as "0", like the CSV text
        if raw_time.lower() in NO:
            raw_time = "tidak"  # `tidak` accepts its variants (t, false, 0) as everywhere
        time_value = cells.choice(line, "waktu", raw_time, _TIME_FLEX, "tidak")
        special_start = read_date(line, "keadaan_khusus_mulai", cell(i_special_start))
        special_end = read_date(line, "keadaan_khusus_sampai", cell(i_special_end))
        if (special_start is None) != (special_end is None):
            missing = "keadaan_khusus_sampai" if special_end is None else "keadaan_khusus_mulai"
            if not text(cell(i_special_start if special_start is None else i_special_end)):
                problem(
                    line,
                    missing,
                    "keadaan khusus harus diisi lengkap: keadaan_khusus_mulai dan "
                    "keadaan_khusus_sampai keduanya diisi atau keduanya kosong",
                    "a keadaan khusus needs both keadaan_khusus_mulai and "
                    "keadaan_khusus_sampai, or neither",
                )
        elif special_start is not None and special_end is not None and special_end < special_start:
            problem(
                line,
                "keadaan_khusus_sampai",
                f"keadaan_khusus_sampai {special_end.isoformat()} sebelum keadaan_khusus_mulai "
                f"{special_start.isoformat()}",
                f"keadaan_khusus_sampai {special_end.isoformat()} is before "
                f"keadaan_khusus_mulai {special_start.isoformat()}",
            )

        tasks_eligible = yes_no(line, "tugas_memenuhi_kriteria", cell(i_eligible))
        field_work = yes_no(line, "tugas_luar_kantor", cell(i_field))
        disciplinary = yes_no(line, "hukuman_disiplin", cell(i_discipline))
        excluded = yes_no(line, "dikecualikan", cell(i_excluded))

        if len(problems) != before or info is None or time_value is None:
            continue
        rows.append(
            EmployeeRecord(
                nip=info.nip,
                name=name,
                kind=EmployeeKind(info.kind),
                unit_code=unit_code,
                unit_name=unit_name,
                parent_unit_code=parent,
                position=position,
                is_unit_head=is_head,
                supervisor_nip=supervisor,
                position_start=position_start,
                email=email,
                domicile=text(cell(i_domicile)) or None,
                tasks_eligible=tasks_eligible,
                field_work=field_work,
                time_flexibility=TimeFlexibility(time_value),
                disciplinary=disciplinary,
                excluded=excluded,
                special_start=special_start,
                special_end=special_end,
                birth_date=info.birth_date,
                sex=info.sex,
                appointment=info.appointment,
                line=line,
            )
        )

    # Units: the tree must not loop; parents outside the file are for the caller to check.
    parents = {code: first[2] for code, first in unit_first.items() if first[2] is not None}
    for cycle in find_cycles(parents):
        first_code = min(cycle, key=lambda code: unit_parent_line[code])
        start = cycle.index(first_code)
        ordered = cycle[start:] + cycle[:start]
        chain = " → ".join([*ordered, ordered[0]])
        problem(
            unit_parent_line[first_code],
            "unit_induk_kode",
            f"unit_induk_kode membentuk lingkaran: {chain}",
            f"unit_induk_kode forms a cycle: {chain}",
        )
    result.unknown_parent_units = {p for p in parents.values() if p not in unit_first}
    for code, (line, name, parent) in unit_first.items():
        head = unit_heads.get(code)
        result.units[code] = UnitRecord(code, name, parent, head[0] if head else None, line)
        if not name:
            result.unnamed_units[code] = line

    # Supervisors: the chain must not loop among the rows of the file.
    in_file = {nip: sup for nip, sup in supervisors.items() if sup in nip_lines}
    for cycle in find_cycles(in_file):
        first_nip = min(cycle, key=lambda nip: supervisor_lines[nip])
        start = cycle.index(first_nip)
        ordered = cycle[start:] + cycle[:start]
        chain = " → ".join([*ordered, ordered[0]])
        problem(
            supervisor_lines[first_nip],
            "atasan_nip",
            f"atasan_nip membentuk lingkaran: {chain}",
            f"atasan_nip forms a cycle: {chain}",
        )
    result.unknown_supervisor_nips = {sup for sup in supervisors.values() if sup not in nip_lines}
    problems.sort(key=Problem.sort_key)
    return result
