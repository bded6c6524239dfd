"""The e-Kinerja-ready export (issue 9): per employee or per unit and period, an XLSX in the
layout of e-Kinerja's daily progress (Rencana Aksi, Tanggal Kegiatan, Jam Mulai, Jam Selesai,
Kegiatan Harian, Realisasi, Satuan, Bukti Dukung) and a period sheet with the ratings.

NIP is always text (a number would lose its digits). e-Kinerja asks for a start and end time;
the log records minutes, so the times run from the standard start (07:30) in the order the
entries were written (docs/decisions/145). Reads go through the selectors.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch
from django.urls import reverse
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from fleksi.core import clock
from fleksi.notifications.services import absolute_url
from fleksi.organisation.models import Employee
from fleksi.organisation.scoping import scope_for
from fleksi.policy.rating import Expectation, Predikat

from .models import Assessment, AssessmentState, LogEntry, LogEvidence
from .periods import Period, parse_key
from .selectors import employee_in_scope, period_for, period_outputs, today_of, unit_get

DAILY_HEADER = [
    "NIP", "Nama", "Rencana Aksi", "Tanggal Kegiatan", "Jam Mulai", "Jam Selesai",
    "Kegiatan Harian", "Realisasi", "Satuan", "Bukti Dukung",
]
PERIOD_HEADER = ["NIP", "Nama", "Periode", "Hasil Kerja", "Perilaku Kerja", "Predikat", "Status", "Versi"]
DAY_START = dt.time(7, 30)
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _label(enum: Any, value: str) -> str:
    return enum(value).label_id if value else ""


def _sheet(ws: Worksheet, header: list[str]) -> None:
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"


def _text_cell(ws: Worksheet, row: int, col: int) -> None:
    ws.cell(row=row, column=col).number_format = "@"


def _daily_rows(employees: dict[int, Employee], entries: Iterable[LogEntry]) -> list[list[Any]]:
    rows: list[list[Any]] = []
    clock: dict[tuple[int, dt.date], dt.datetime] = {}
    for e in entries:
        employee = employees[e.employee_id]
        key = (e.employee_id, e.date)
        start = clock.get(key) or dt.datetime.combine(e.date, DAY_START)
        end = start + dt.timedelta(minutes=e.minutes)
        clock[key] = end
        links = [e.evidence_url] if e.evidence_url else []
        links += [absolute_url(reverse("performance:evidence", args=[x.pk])) for x in e.evidence.all()]
        output = e.planned_output
        rows.append([
            employee.nip, employee.name,
            (output.skp_text or output.description) if output else "",
            e.date, start.time(),
            end.time() if end.date() == e.date else dt.time(23, 59), e.description,
            float(e.quantity), output.unit if output else "", " ".join(links),
        ])
    return rows


def _period_rows(employees: list[Employee], assessments: dict[int, Assessment], period: str) -> list[list[Any]]:
    rows = []
    for employee in employees:
        a = assessments.get(employee.pk)
        rows.append([
            employee.nip, employee.name, period,
            _label(Expectation, a.work_result) if a else "",
            _label(Expectation, a.behaviour) if a else "",
            _label(Predikat, a.predikat) if a else "",
            ("Final" if a.state == AssessmentState.FINAL else "Draf") if a else "Belum dinilai",
            a.version if a else "",
        ])
    return rows


def _workbook(employees: list[Employee], p: Period) -> bytes:
    ids = [e.pk for e in employees]
    by_id = {e.pk: e for e in employees}
    start, end, period = p.start, p.end, p.key
    if employees:
        period_outputs(agency_id=employees[0].agency_id, employee_ids=ids, start=start, end=end)
    entries = (
        LogEntry.objects.filter(employee_id__in=ids, date__gte=start, date__lte=end)
        .select_related("planned_output")
        .prefetch_related(Prefetch("evidence", queryset=LogEvidence.objects.order_by("id")))
        .order_by("employee__name", "employee_id", "date", "id")
    )
    assessments: dict[int, Assessment] = {}
    for a in Assessment.objects.filter(employee_id__in=ids, period=start, cadence=p.cadence).order_by("employee_id", "-version"):
        assessments.setdefault(a.employee_id, a)
    book = Workbook()
    daily = book.active
    assert daily is not None
    daily.title = "Laporan Harian"
    _sheet(daily, DAILY_HEADER)
    for row in _daily_rows(by_id, entries):
        daily.append(row)
        r = daily.max_row
        _text_cell(daily, r, 1)
        daily.cell(row=r, column=4).number_format = "yyyy-mm-dd"
        daily.cell(row=r, column=5).number_format = "hh:mm"
        daily.cell(row=r, column=6).number_format = "hh:mm"
    sheet = book.create_sheet("Penilaian Periode")
    _sheet(sheet, PERIOD_HEADER)
    for row in _period_rows(employees, assessments, period):
        sheet.append(row)
        _text_cell(sheet, sheet.max_row, 1)
    for ws, widths in ((daily, [22, 28, 40, 14, 10, 10, 60, 10, 12, 50]), (sheet, [22, 28, 10, 22, 22, 20, 14, 8])):
        for i, width in enumerate(widths):
            ws.column_dimensions[chr(ord("A") + i)].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def employee_xlsx(*, actor: Any, employee_id: int, period: str) -> tuple[str, bytes]:
    parse_key(period)
    employee = employee_in_scope(scope_for(actor), employee_id)
    p = period_for(employee.agency, period, today=today_of(employee))
    return f"kinerja-{employee.nip}-{p.key}.xlsx", _workbook([employee], p)


def unit_xlsx(*, actor: Any, unit_id: int, period: str) -> tuple[str, bytes]:
    parse_key(period)
    unit = unit_get(scope_for(actor), unit_id)
    p = period_for(unit.agency, period, today=clock.today(unit.time_zone or unit.agency.time_zone))
    employees = list(
        Employee.objects.filter(agency_id=unit.agency_id, unit__path__startswith=unit.path, is_active=True)
        .order_by("name", "nip")
    )
    return f"kinerja-{unit.code}-{p.key}.xlsx", _workbook(employees, p)
