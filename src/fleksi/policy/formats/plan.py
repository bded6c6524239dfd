"""``plan.csv`` (rencana kerja fleksibel): the reader and its checks.

One row per employee per day that differs from the standard (office, standard hours).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Container, Sequence

from fleksi.policy.enums import LocationKind, TimeKind
from fleksi.policy.formats.table import CellReader, Limits, ReadResult, load_table
from fleksi.policy.model import DayPlan
from fleksi.policy.nip import NipError, parse_nip
from fleksi.policy.problems import Problem

PLAN_COLUMNS: tuple[str, ...] = ("nip", "tanggal", "lokasi", "jam_mulai", "jam_selesai", "waktu")
# Optional columns Fleksi writes into templates for people to read; ignored when reading.
PLAN_INFO_COLUMNS: tuple[str, ...] = ("nama", "unit_kode", "hari")
REQUIRED_PLAN_COLUMNS: tuple[str, ...] = ("nip", "tanggal", "lokasi")
# Plan dates the calendar (holidays, ISO weeks) can check; outside is a typo in the year.
FIRST_PLAN_YEAR, LAST_PLAN_YEAR = 1900, 2100

_LOCATIONS = tuple(k.value for k in LocationKind)
_TIMES = tuple(k.value for k in TimeKind)
_LOCATION_BY_VALUE = {k.value: k for k in LocationKind}
_TIME_BY_VALUE = {k.value: k for k in TimeKind}


def read_plan(
    data: bytes,
    filename: str,
    known_nips: Container[str] | None = None,
    *,
    today: dt.date | None = None,
    limits: Limits | None = None,
) -> ReadResult[DayPlan]:
    """Read and check ``plan.csv`` / ``.xlsx``.

    ``known_nips``: the employees a row may name (from the employees file or the database);
    ``None`` skips that check. Problems: unknown employee, two rows for one employee and
    date, invalid date, location or time kind, only one of jam_mulai/jam_selesai, an end
    equal to the start (for every kind), an end before the start (except ``sif``, which may
    end the next day). ``today`` (when given) also refuses unknown NIPs dated in the future;
    ``limits`` bound an upload before it is parsed.
    """
    table, problems, warnings = load_table(
        data,
        filename,
        known=PLAN_COLUMNS + PLAN_INFO_COLUMNS,
        required=REQUIRED_PLAN_COLUMNS,
        limits=limits,
    )
    result: ReadResult[DayPlan] = ReadResult(problems=problems, warnings=warnings)
    if table is None:
        return result
    cells = CellReader(filename, problems)
    problem = cells.problem
    text = cells.text

    def column(name: str) -> int:
        index = table.col(name)
        return -1 if index is None else index

    i_nip, i_date, i_location = column("nip"), column("tanggal"), column("lokasi")
    i_start, i_end, i_time = column("jam_mulai"), column("jam_selesai"), column("waktu")
    rows = result.rows
    seen: dict[tuple[str, object], int] = {}
    for line, values in table.rows:
        before = len(problems)

        def cell(index: int, values: Sequence[object] = values) -> object:
            return None if index < 0 else values[index]

        raw_nip = cell(i_nip)
        nip = text(raw_nip)
        if isinstance(raw_nip, int) and not isinstance(raw_nip, bool):
            nip = str(raw_nip)
        if not nip:
            problem(line, "nip", "nip wajib diisi", "nip is required")
        elif known_nips is None or nip not in known_nips or isinstance(raw_nip, float):
            # The shape of any NIP not known (18 digits with a birth date: PNS or PPPK), so
            # that a float from Excel gets the same message as in employees.csv, and a plan
            # read without the employees (their file was refused) still has its NIPs checked.
            try:
                parse_nip(raw_nip, "PPPK", today=today)
            except NipError as error:
                problem(line, "nip", error.message_id, error.message_en)
            else:
                if known_nips is not None and nip not in known_nips:
                    problem(
                        line,
                        "nip",
                        f"NIP {nip} tidak ada di data pegawai",
                        f"NIP {nip} is not a known employee",
                    )
        day = cells.date(line, "tanggal", cell(i_date))
        if day is None and not text(cell(i_date)):
            problem(line, "tanggal", "tanggal wajib diisi", "tanggal is required")
        elif day is not None and not FIRST_PLAN_YEAR <= day.year <= LAST_PLAN_YEAR:
            problem(
                line,
                "tanggal",
                f"tanggal {day.isoformat()} di luar rentang yang dapat diperiksa "
                f"({FIRST_PLAN_YEAR}-{LAST_PLAN_YEAR}); periksa tahunnya",
                f"date {day.isoformat()} is outside the range that can be checked "
                f"({FIRST_PLAN_YEAR}-{LAST_PLAN_YEAR}); check the year",
            )
            day = None
        location_raw = text(cell(i_location))
        location: str | None = None
        if not location_raw:
            problem(
                line,
                "lokasi",
                f"lokasi wajib diisi: {', '.join(_LOCATIONS)}",
                f"lokasi is required: {', '.join(_LOCATIONS)}",
            )
        else:
            location = cells.choice(line, "lokasi", location_raw, _LOCATIONS, "kantor")
        time_kind = cells.choice(line, "waktu", cell(i_time), _TIMES, "reguler")
        start = cells.time(line, "jam_mulai", cell(i_start))
        end = cells.time(line, "jam_selesai", cell(i_end))
        start_given, end_given = bool(text(cell(i_start))), bool(text(cell(i_end)))
        if start_given != end_given:
            problem(
                line,
                "jam_selesai" if start_given else "jam_mulai",
                "jam_mulai dan jam_selesai harus diisi keduanya atau dikosongkan keduanya",
                "jam_mulai and jam_selesai must both be given or both be empty",
            )
        elif start is not None and end is not None and end == start:
            problem(
                line,
                "jam_selesai",
                f"jam_selesai {end:%H:%M} sama dengan jam_mulai {start:%H:%M}; hari atau sif "
                "tanpa jam kerja tidak sah",
                f"jam_selesai {end:%H:%M} equals jam_mulai {start:%H:%M}; a day or shift "
                "without working time is invalid",
            )
        elif start is not None and end is not None and end < start and time_kind != "sif":
            problem(
                line,
                "jam_selesai",
                f"jam_selesai {end:%H:%M} harus setelah jam_mulai {start:%H:%M} (hanya sif "
                "boleh berakhir keesokan harinya)",
                f"jam_selesai {end:%H:%M} must be after jam_mulai {start:%H:%M} (only a "
                "shift (sif) may end the next day)",
            )
        if nip and day is not None:
            key = (nip, day)
            first = seen.get(key)
            if first is not None:
                problem(
                    line,
                    "tanggal",
                    f"NIP {nip} sudah punya baris untuk {day.isoformat()} di baris {first}; "
                    "satu baris per pegawai per hari",
                    f"NIP {nip} already has a row for {day.isoformat()} on line {first}; "
                    "one row per employee per day",
                )
            else:
                seen[key] = line
        if len(problems) != before or day is None or location is None or time_kind is None:
            continue
        rows.append(
            DayPlan(
                nip=nip,
                date=day,
                location=_LOCATION_BY_VALUE[location],
                start=start,
                end=end,
                time_kind=_TIME_BY_VALUE[time_kind],
                line=line,
            )
        )
    problems.sort(key=Problem.sort_key)
    return result
