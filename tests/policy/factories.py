"""Small builders of input files for the policy tests (no database)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Mapping, Sequence

import openpyxl

NIP_A = "199001012015031001"  # born 1990-01-01, appointed 2015-03, male, serial 001
NIP_B = "198503152010012001"  # born 1985-03-15, appointed 2010-01, female, serial 001
NIP_C = "197712242003121002"
NIP_D = "199207172019032003"


def make_nip(index: int) -> str:
    """A valid PNS NIP, different for each ``index`` below 9_990_000."""
    year = 1960 + index % 40
    month = 1 + (index // 40) % 12
    day = 1 + (index // 480) % 28
    serial = 1 + (index // 13440) % 999
    sex = 1 + (index // 13440 // 999) % 2
    return f"{year:04d}{month:02d}{day:02d}{year + 25:04d}{month:02d}{sex}{serial:03d}"


def csv_bytes(
    rows: Sequence[Mapping[str, object]],
    columns: Sequence[str] | None = None,
    *,
    bom: bool = False,
) -> bytes:
    columns = list(columns or (rows[0].keys() if rows else []))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row.get(c) is None else row.get(c) for c in columns])
    data = out.getvalue().encode()
    return (b"\xef\xbb\xbf" + data) if bom else data


def xlsx_bytes(rows: Sequence[Mapping[str, object]], columns: Sequence[str] | None = None) -> bytes:
    columns = list(columns or (rows[0].keys() if rows else []))
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(columns)
    for row in rows:
        sheet.append([row.get(c) for c in columns])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def employee(nip: object = NIP_A, **fields: object) -> dict[str, object]:
    row: dict[str, object] = {
        "nip": nip,
        "nama": f"Pegawai {str(nip)[-3:]}",
        "unit_kode": "UNIT-A",
        "unit_nama": "Unit A",
        "jabatan": "Analis Kebijakan",
        "tugas_memenuhi_kriteria": "ya",
        "domisili": "Jl. Merdeka 1, Jakarta",
    }
    row.update(fields)
    return row


def employees_table(rows: Iterable[Mapping[str, object]]) -> list[dict[str, object]]:
    """Rows with ``unit_nama`` only on the first row of each unit (as in real files)."""
    seen: set[object] = set()
    out: list[dict[str, object]] = []
    for row in rows:
        copy = dict(row)
        if copy.get("unit_kode") in seen:
            copy["unit_nama"] = ""
        seen.add(copy.get("unit_kode"))
        out.append(copy)
    return out


def monday(week: int, year: int = 2026) -> dt.date:
    return dt.date.fromisocalendar(year, week, 1)
