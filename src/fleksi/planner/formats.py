"""``preferences.csv`` (hari pilihan) and the proposal as plan.csv / JSON (FORMATS.md)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping

from fleksi.planner.model import WEEKDAY_KEYS, Preference, Proposal
from fleksi.policy.enums import LocationKind, TimeFlexibility, TimeKind
from fleksi.policy.formats.table import CellReader, ReadResult, load_table
from fleksi.policy.model import DayPlan

PREFERENCE_COLUMNS = ("nip", "hari", "lokasi", "bobot")
PLAN_OUT_COLUMNS = ("nip", "tanggal", "lokasi", "jam_mulai", "jam_selesai", "waktu")
_PREF_LOCATIONS = ("rumah", "kantor_lain", "lokasi_lain")


def read_preferences(
    data: bytes,
    filename: str,
    time_flexibility: Mapping[str, TimeFlexibility],
) -> ReadResult[Preference]:
    """Read and check ``preferences.csv`` / ``.xlsx``; ``time_flexibility``: every known
    employee's (a Saturday or Sunday is a preferred day only for shift workers)."""
    table, problems, warnings = load_table(
        data, filename, known=PREFERENCE_COLUMNS, required=("nip", "hari")
    )
    result: ReadResult[Preference] = ReadResult(problems=problems, warnings=warnings)
    if table is None:
        return result
    cells = CellReader(filename, problems)
    columns = {name: table.col(name) for name in PREFERENCE_COLUMNS}
    seen: dict[tuple[str, int], int] = {}
    for line, values in table.rows:
        before = len(problems)

        def cell(name: str, values: object = values) -> object:
            index = columns[name]
            return None if index is None else values[index]  # type: ignore[index]

        nip = cells.required_text(line, "nip", cell("nip"))
        if nip and nip not in time_flexibility:
            cells.problem(
                line, "nip", f"NIP {nip} tidak ada di data pegawai", f"NIP {nip} is not a known employee"
            )
        day_key = cells.text(cell("hari")).lower()
        weekday = WEEKDAY_KEYS.index(day_key) if day_key in WEEKDAY_KEYS else None
        if not day_key:
            cells.problem(line, "hari", "hari wajib diisi", "hari is required")
        elif weekday is None:
            cells.problem(
                line,
                "hari",
                f"nilai '{day_key}' tidak dikenal; pilih salah satu: {', '.join(WEEKDAY_KEYS)}",
                f"unknown value '{day_key}'; use one of: {', '.join(WEEKDAY_KEYS)}",
            )
        elif weekday >= 5 and time_flexibility.get(nip, TimeFlexibility.SHIFT) is not TimeFlexibility.SHIFT:
            cells.problem(
                line,
                "hari",
                f"{day_key} hanya dapat dipilih pegawai yang bekerja dalam sif",
                f"{day_key} can only be chosen by employees who work shifts",
            )
        location = cells.choice(line, "lokasi", cell("lokasi"), _PREF_LOCATIONS, "rumah")
        weight_raw = cells.text(cell("bobot"))
        weight = 1
        if weight_raw:
            if weight_raw in ("1", "2", "3"):
                weight = int(weight_raw)
            else:
                cells.problem(
                    line,
                    "bobot",
                    f"bobot '{weight_raw}' tidak sah: 1, 2 atau 3",
                    f"bobot '{weight_raw}' is invalid: 1, 2 or 3",
                )
        if nip and weekday is not None:
            first = seen.get((nip, weekday))
            if first is not None:
                cells.problem(
                    line,
                    "hari",
                    f"NIP {nip} sudah memilih {day_key} di baris {first}; satu baris per "
                    "pegawai per hari",
                    f"NIP {nip} already chose {day_key} on line {first}; one row per "
                    "employee per day",
                )
            else:
                seen[(nip, weekday)] = line
        if len(problems) != before or weekday is None or location is None:
            continue
        result.rows.append(Preference(nip, weekday, LocationKind(location), weight))
    problems.sort(key=lambda p: p.sort_key())
    return result


def plan_row(row: DayPlan) -> dict[str, str | None]:
    return {
        "nip": row.nip,
        "tanggal": row.date.isoformat(),
        "lokasi": row.location.value,
        "jam_mulai": f"{row.start:%H:%M}" if row.start is not None else None,
        "jam_selesai": f"{row.end:%H:%M}" if row.end is not None else None,
        "waktu": row.time_kind.value if row.time_kind is not TimeKind.REGULAR else "reguler",
    }


def plan_csv(rows: Iterable[DayPlan]) -> str:
    """The rows as a plan.csv of FORMATS.md."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(PLAN_OUT_COLUMNS)
    for row in rows:
        values = plan_row(row)
        writer.writerow(["" if values[c] is None else values[c] for c in PLAN_OUT_COLUMNS])
    return out.getvalue()


def proposal_json(proposal: Proposal) -> str:
    """``{"plan": [rows], "summary": {...}}`` of ``fleksi plan propose --format json``."""
    data = {"plan": [plan_row(r) for r in proposal.rows], "summary": proposal.summary()}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
