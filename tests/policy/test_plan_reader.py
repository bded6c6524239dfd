from __future__ import annotations

import datetime as dt

import pytest

from fleksi.policy.formats import read_plan
from fleksi.policy.model import LocationKind, TimeKind

from .factories import NIP_A, NIP_B, csv_bytes, xlsx_bytes

KNOWN = {NIP_A, NIP_B}
COLUMNS = ["nip", "tanggal", "lokasi", "jam_mulai", "jam_selesai", "waktu"]


def row(**values: object) -> dict[str, object]:
    base: dict[str, object] = {"nip": NIP_A, "tanggal": "2026-05-04", "lokasi": "rumah"}
    base.update(values)
    return base


def read(fmt: str, rows: list[dict[str, object]]):  # type: ignore[no-untyped-def]
    data = csv_bytes(rows, COLUMNS) if fmt == "csv" else xlsx_bytes(rows, COLUMNS)
    return read_plan(data, f"rencana.{fmt}", KNOWN)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_valid_rows(fmt: str) -> None:
    rows = [
        row(),
        row(
            tanggal="2026-05-05",
            lokasi="Kantor",
            jam_mulai="22:00",
            jam_selesai="06:00",
            waktu="sif",
        ),
        row(nip=NIP_B, lokasi="kantor_lain", jam_mulai="7:30", jam_selesai="16:00"),
    ]
    result = read(fmt, rows)
    assert result.problems == []
    first, shift, other = result.rows
    assert (first.location, first.start, first.time_kind) == (
        LocationKind.HOME,
        None,
        TimeKind.REGULAR,
    )
    assert (shift.start, shift.end, shift.time_kind) == (dt.time(22), dt.time(6), TimeKind.SHIFT)
    assert other.start == dt.time(7, 30) and other.line == 4


def test_xlsx_date_and_time_cells() -> None:
    rows = [row(tanggal=dt.date(2026, 5, 4), jam_mulai=dt.time(8), jam_selesai=dt.time(16, 30))]
    result = read("xlsx", rows)
    assert result.problems == []
    assert (result.rows[0].date, result.rows[0].end) == (dt.date(2026, 5, 4), dt.time(16, 30))


@pytest.mark.parametrize(
    ("values", "column"),
    [
        ({"nip": "199001012015031999"}, "nip"),
        ({"nip": ""}, "nip"),
        ({"tanggal": "04-05-2026"}, "tanggal"),
        ({"tanggal": ""}, "tanggal"),
        ({"lokasi": "pantai"}, "lokasi"),
        ({"lokasi": ""}, "lokasi"),
        ({"waktu": "malam"}, "waktu"),
        ({"jam_mulai": "08:00"}, "jam_selesai"),
        ({"jam_selesai": "16:00"}, "jam_mulai"),
        ({"jam_mulai": "16:00", "jam_selesai": "08:00"}, "jam_selesai"),
        ({"jam_mulai": "08:00", "jam_selesai": "08:00"}, "jam_selesai"),
        ({"jam_mulai": "25:00", "jam_selesai": "26:00"}, "jam_mulai"),
    ],
)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_invalid_rows(fmt: str, values: dict[str, object], column: str) -> None:
    problems = read(fmt, [row(**values)]).problems
    assert column in {p.column for p in problems}, [p.format() for p in problems]
    assert all(p.line == 2 for p in problems)


def test_duplicate_day_names_both_lines() -> None:
    problems = read("csv", [row(), row(nip=NIP_B), row(lokasi="kantor")]).problems
    assert [(p.line, p.column) for p in problems] == [(4, "tanggal")]
    assert "baris 2" in problems[0].message_id


def test_unknown_nip_message_names_it() -> None:
    problems = read("csv", [row(nip="199001012015031999")]).problems
    assert problems[0].message_id == "NIP 199001012015031999 tidak ada di data pegawai"


def test_info_columns_are_not_warnings() -> None:
    data = csv_bytes([row(nama="Budi", hari="Senin")], [*COLUMNS, "nama", "hari"])
    assert read_plan(data, "p.csv", KNOWN).warnings == []
