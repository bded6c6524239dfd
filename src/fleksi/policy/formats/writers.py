"""Writers: the XLSX plan template, findings as CSV and JSON, facts from records."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Mapping, Sequence

from fleksi.policy.calendar import AgencyCalendar, week_label
from fleksi.policy.check import CheckResult
from fleksi.policy.enums import LocationKind, TimeKind
from fleksi.policy.formats.employees import EmployeeRecord, EmployeesReadResult
from fleksi.policy.model import EmployeeFacts, Finding, UnitFacts
from fleksi.policy.settings import Policy

TEMPLATE_COLUMNS = ("nip", "nama", "tanggal", "hari", "lokasi", "jam_mulai", "jam_selesai", "waktu")
FINDING_COLUMNS = ("code", "severity", "nip", "unit", "date", "week", "basis", "message")
# A text starting with one of these is a formula to Excel (or LibreOffice): written as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def as_text_cell(cell: object) -> None:
    """Make an openpyxl cell whose string value looks like a formula a plain text cell
    (formula injection: ``=HYPERLINK(...)`` in a name must never run in Excel)."""
    value = getattr(cell, "value", None)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell.data_type = "s"  # type: ignore[attr-defined]


def employee_facts(record: EmployeeRecord) -> EmployeeFacts:
    """The facts the rules need, from a row of ``employees.csv``."""
    periods: tuple[tuple[dt.date, dt.date], ...] = ()
    if record.special_start is not None and record.special_end is not None:
        periods = ((record.special_start, record.special_end),)
    return EmployeeFacts(
        nip=record.nip,
        unit=record.unit_code,
        kind=record.kind,
        tasks_eligible=record.tasks_eligible,
        field_work=record.field_work,
        time_flexibility=record.time_flexibility,
        disciplinary=record.disciplinary,
        excluded=record.excluded,
        position_start=record.position_start,
        special_periods=periods,
        domicile_registered=record.domicile is not None,
    )


def unit_facts(result: EmployeesReadResult) -> dict[str, UnitFacts]:
    """The unit tree described by ``employees.csv``."""
    return {code: UnitFacts(code=code, parent=u.parent_code) for code, u in result.units.items()}


def write_plan_template_xlsx(
    employees: Iterable[EmployeeRecord | EmployeeFacts],
    week_start: dt.date,
    *,
    policy: Policy | None = None,
    names: Mapping[str, str] | None = None,
) -> bytes:
    """A filled-in plan for one ISO week: one row per employee per working day, at the office.

    The NIP column is text (so Excel keeps all 18 digits), dates are real dates shown as
    ``YYYY-MM-DD``, and lokasi/waktu offer drop-down lists. ``nama`` and ``hari`` are
    for people and are ignored when the file is read back.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    calendar = AgencyCalendar(policy or Policy())
    days = calendar.working_days(week_label(week_start))
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = f"Rencana {week_label(week_start)}"
    sheet.append(list(TEMPLATE_COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        as_text_cell(cell)
    people = sorted(
        employees,
        key=lambda e: (e.unit_code if isinstance(e, EmployeeRecord) else e.unit, e.nip),
    )
    weekdays = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
    row = 1
    for person in people:
        name = person.name if isinstance(person, EmployeeRecord) else (names or {}).get(person.nip, "")
        for day in days:
            row += 1
            sheet.append(
                [person.nip, name, day.date, weekdays[day.weekday], "kantor", None, None, "reguler"]
            )
            for cell in sheet[row]:  # a name like =HYPERLINK(...) stays text
                as_text_cell(cell)
            sheet.cell(row=row, column=1).number_format = "@"
            sheet.cell(row=row, column=3).number_format = "yyyy-mm-dd"
            sheet.cell(row=row, column=6).number_format = "hh:mm"
            sheet.cell(row=row, column=7).number_format = "hh:mm"
    if row > 1:
        locations = DataValidation(
            type="list", formula1='"' + ",".join(k.value for k in LocationKind) + '"'
        )
        times = DataValidation(
            type="list", formula1='"' + ",".join(k.value for k in TimeKind) + '"'
        )
        sheet.add_data_validation(locations)
        sheet.add_data_validation(times)
        locations.add(f"E2:E{row}")
        times.add(f"H2:H{row}")
    for letter, width in zip("ABCDEFGH", (21, 28, 12, 9, 13, 10, 11, 10), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def findings_to_json(result: CheckResult, lang: str = "id") -> str:
    """The stdout of ``fleksi plan check --format json``."""
    return json.dumps(result.to_dict(lang), ensure_ascii=False, indent=2) + "\n"


def findings_to_csv(findings: Sequence[Finding], lang: str = "id") -> str:
    """Findings as CSV (one row each), the columns of the JSON objects."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(FINDING_COLUMNS)
    for finding in findings:
        data: Mapping[str, object] = finding.to_dict(lang)
        writer.writerow(["" if data[c] is None else data[c] for c in FINDING_COLUMNS])
    return out.getvalue()

