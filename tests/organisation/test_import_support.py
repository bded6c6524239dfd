"""Builders shared by the import tests (no tests here): rows, CSV/XLSX bytes, DB snapshots."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from typing import Any

from fleksi.accounts.models import User
from fleksi.audit.models import AuditEvent
from fleksi.organisation.models import Employee, OrgUnit, Position
from fleksi.policy.formats.employees import EMPLOYEE_COLUMNS

COLUMNS = list(EMPLOYEE_COLUMNS)


def nip(i: int) -> str:
    """A valid PNS NIP, different for each i (0 <= i < 9000)."""
    birth = dt.date(1960, 1, 1) + dt.timedelta(days=i)
    return f"{birth:%Y%m%d}20{5 + i % 10:02d}{1 + i % 12:02d}{1 + i % 2}{1 + i % 999:03d}"


def row(n: str, **values: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "nip": n,
        "nama": f"Pegawai {str(n)[-6:]}",
        "unit_kode": "ROOT",
        "jabatan": "Analis Kebijakan",
        "tugas_memenuhi_kriteria": "ya",
        "waktu": "tidak",
    }
    base.update(values)
    return base


def small_org() -> list[dict[str, Any]]:
    """3 units (ROOT > DIT-A, ROOT > DIT-B), 8 employees, heads and supervisors."""
    return [
        row(
            nip(0),
            nama="Siti Rahmawati",
            unit_kode="ROOT",
            unit_nama="Sekretariat",
            kepala_unit="ya",
            jabatan="Sekretaris",
            tugas_memenuhi_kriteria="tidak",
            email="siti@instansi.go.id",
        ),
        row(
            nip(1),
            nama="Budi Santoso",
            unit_kode="DIT-A",
            unit_nama="Direktorat A",
            unit_induk_kode="ROOT",
            kepala_unit="ya",
            jabatan="Direktur",
            atasan_nip=nip(0),
            tugas_memenuhi_kriteria="tidak",
        ),
        row(
            nip(2),
            nama="Citra Lestari",
            unit_kode="DIT-A",
            atasan_nip=nip(1),
            tmt_jabatan="2020-01-06",
            email="citra@instansi.go.id",
            domisili="Jl. Merdeka 1",
            waktu="dinamis",
        ),
        row(
            nip(3),
            nama="Dedi Kurniawan",
            unit_kode="DIT-A",
            atasan_nip=nip(1),
            jabatan="Pranata Komputer",
            waktu="sif",
        ),
        row(
            nip(4),
            nama="Eka Putri",
            unit_kode="DIT-B",
            unit_nama="Direktorat B",
            unit_induk_kode="ROOT",
            kepala_unit="ya",
            jabatan="Direktur",
            atasan_nip=nip(0),
            tugas_memenuhi_kriteria="tidak",
        ),
        row(
            nip(5),
            nama="Fajar Nugroho",
            unit_kode="DIT-B",
            atasan_nip=nip(4),
            jabatan="Pengawas Lapangan",
            tugas_memenuhi_kriteria="tidak",
            tugas_luar_kantor="ya",
        ),
        row(
            nip(6),
            nama="Gita Permata",
            unit_kode="DIT-B",
            atasan_nip=nip(4),
            waktu="dinamis",
            hukuman_disiplin="ya",
        ),
        # Same position as Citra but another assessment: gets an employee-level override.
        row(
            nip(7),
            nama="Hadi Wijaya",
            unit_kode="DIT-B",
            atasan_nip=nip(4),
            tugas_memenuhi_kriteria="tidak",
            waktu="dinamis",
            keadaan_khusus_mulai="2026-03-02",
            keadaan_khusus_sampai="2026-03-31",
        ),
    ]


def many_rows(count: int, start: int = 100) -> list[dict[str, Any]]:
    """``count`` employees in two units with a head each and supervisors."""
    rows = [
        row(nip(start), unit_kode="ROOT", unit_nama="Sekretariat", kepala_unit="ya"),
        row(
            nip(start + 1),
            unit_kode="SUB",
            unit_nama="Subbagian",
            unit_induk_kode="ROOT",
            kepala_unit="ya",
            atasan_nip=nip(start),
        ),
    ]
    for i in range(start + 2, start + count):
        rows.append(
            row(
                nip(i),
                unit_kode="SUB" if i % 2 else "ROOT",
                atasan_nip=nip(start + 1) if i % 2 else nip(start),
                jabatan=f"Jabatan {i % 5}",
                email=f"p{i}@instansi.go.id",
            )
        )
    return rows


def csv_bytes(rows: Iterable[dict[str, Any]], columns: list[str] | None = None) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(
        out, fieldnames=columns or COLUMNS, lineterminator="\n", extrasaction="ignore"
    )
    writer.writeheader()
    for r in rows:
        writer.writerow(r)
    return out.getvalue().encode("utf-8")


def xlsx_bytes(rows: Iterable[dict[str, Any]], columns: list[str] | None = None) -> bytes:
    """An XLSX built with openpyxl; cell values are written as given (str, float, date...)."""
    from openpyxl import Workbook

    columns = columns or COLUMNS
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(columns)
    for r in rows:
        sheet.append([r.get(c) for c in columns])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def db_state() -> dict[str, Any]:
    """Everything an import may write, to prove that a rejected file changed nothing."""
    return {
        "units": list(OrgUnit.objects.order_by("pk").values()),
        "positions": list(Position.objects.order_by("pk").values()),
        "employees": list(Employee.objects.order_by("pk").values()),
        "users": list(User.objects.order_by("pk").values("pk", "username", "email", "password")),
        "audit": AuditEvent.objects.count(),
    }
