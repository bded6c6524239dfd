"""The unit plan check: read a plan for a unit, run the rules, show and export the findings;
and the filled-in plan template, with the unit's approved days already in it."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from fleksi.core.errors import ApplicationError, ErrorCode
from fleksi.core.humanize import WEEKDAY_NAMES, day_text, week_text
from fleksi.core.uploads import upload_limits
from fleksi.organisation.models import Employee, OrgUnit
from fleksi.organisation.scoping import scope_for
from fleksi.policy.calendar import week_label
from fleksi.policy.check import CheckResult, check_plan
from fleksi.policy.formats import read_plan, write_plan_template_xlsx
from fleksi.policy.model import DayPlan, EmployeeFacts, Finding, UnitFacts
from fleksi.policy.problems import Problem
from fleksi.scheme.facts import agency_policy, employee_facts, unit_facts

from .models import ArrangementDay

MAX_PLAN_BYTES = 20 * 1024 * 1024


@dataclass
class PlanCheck:
    unit: OrgUnit
    result: CheckResult
    names: dict[str, str]
    warnings: list[Problem] = field(default_factory=list)

    def by_employee(self) -> list[tuple[str, str, list[tuple[Finding, str, str]]]]:
        """(nip, name, [(finding, day or week as people read it, ISO code)]) for employees
        with findings; unit findings last under ""."""
        groups: dict[str, list[Finding]] = defaultdict(list)
        for finding in self.result.findings:
            groups[finding.nip or ""].append(finding)
        ordered = sorted(
            groups.items(), key=lambda item: (item[0] == "", self.names.get(item[0], ""), item[0])
        )
        return [
            (nip, self.names.get(nip, ""), [(f, *finding_when(f)) for f in items])
            for nip, items in ordered
        ]

    def by_day(self) -> list[dict[str, Any]]:
        """Findings per date (week findings under their week), in date order: the day or the
        week as people read it ("Senin 2 Nov 2026", "2-6 Nov 2026"), the ISO code beside, and
        each finding with the employee's name."""
        groups: dict[str, list[Finding]] = defaultdict(list)
        for finding in self.result.findings:
            key = finding.date.isoformat() if finding.date else (finding.week or "")
            groups[key].append(finding)
        out = []
        for key, items in sorted(groups.items()):
            label, code = _when_text(key)
            out.append(
                {
                    "key": key,
                    "label": label,
                    "code": code,
                    "items": [(f, self.names.get(f.nip or "", "")) for f in items],
                }
            )
        return out


def _when_text(key: str) -> tuple[str, str]:
    """("Senin 2 Nov 2026", "2026-W45") for "2026-11-02"; ("2-6 Nov 2026", "2026-W45") for a
    week; the key itself when it is neither."""
    try:
        if "-W" in key:
            year, week = key.split("-W", 1)
            return week_text(dt.date.fromisocalendar(int(year), int(week), 1)), key
        day = dt.date.fromisoformat(key)
    except ValueError:
        return key, ""
    return f"{WEEKDAY_NAMES[day.weekday()]} {day_text(day)}", week_label(day)


def finding_when(finding: Finding) -> tuple[str, str]:
    """The finding's day or week as people read it, and the ISO code beside it."""
    return _when_text(finding.date.isoformat() if finding.date else (finding.week or ""))


def _plannable_unit(actor: Any, unit_id: int) -> OrgUnit:
    """The unit if the actor may plan for it: its head (or Plt/Plh), HR admin/PPK, system admin."""
    scope = scope_for(actor)
    unit = OrgUnit.objects.select_related("agency").filter(pk=unit_id).first()
    if unit is None:
        raise ApplicationError(ErrorCode.NOT_FOUND, _("Unit organisasi tidak ditemukan."))
    allowed = scope.can_manage_agency(unit.agency_id) or any(
        unit.path.startswith(path) for path in scope.head_unit_paths
    )
    if not allowed:
        raise ApplicationError(ErrorCode.NOT_FOUND, _("Unit organisasi tidak ditemukan."))
    return unit


def plannable_units(*, actor: Any) -> list[OrgUnit]:
    """Units the actor may check plans for, in tree order (one query)."""
    scope = scope_for(actor)
    qs = OrgUnit.objects.select_related("agency")
    if scope.is_system_admin:
        return list(qs.order_by("agency__name", "path"))
    from django.db.models import Q

    cond = Q(agency_id__in=scope.admin_agency_ids)
    for path in scope.head_unit_paths:
        cond |= Q(path__startswith=path)
    if not scope.admin_agency_ids and not scope.head_unit_paths:
        return []
    return list(qs.filter(cond).order_by("agency__name", "path"))


def _unit_people(unit: OrgUnit) -> tuple[list[EmployeeFacts], dict[str, str], dict[str, UnitFacts]]:
    employees = list(
        Employee.objects.filter(unit__path__startswith=unit.path, is_active=True).select_related(
            "unit", "position", "agency"
        )
    )
    units = unit_facts(unit, subtree=True)
    return [employee_facts(e) for e in employees], {e.nip: e.name for e in employees}, units


def plan_check_for_unit(*, actor: Any, unit_id: int, data: bytes, filename: str) -> PlanCheck:
    """Read a plan for the unit (and its sub-units) and run every rule over it."""
    unit = _plannable_unit(actor, unit_id)
    if not data:
        raise ApplicationError(ErrorCode.VALIDATION, _("Berkas rencana kosong."))
    if len(data) > MAX_PLAN_BYTES:
        raise ApplicationError(
            ErrorCode.VALIDATION, _("Berkas rencana terlalu besar (paling besar 20 MB).")
        )
    facts, names, units = _unit_people(unit)
    read = read_plan(data, filename, known_nips=set(names), limits=upload_limits())
    if read.problems:
        raise ApplicationError(
            ErrorCode.IMPORT_INVALID,
            _("Berkas rencana ditolak: %(n)d masalah. Perbaiki semuanya lalu unggah lagi.")
            % {"n": len(read.problems)},
            details={
                "problems": [
                    {
                        "file": p.file,
                        "line": p.line,
                        "column": p.column,
                        "message": p.message("id"),
                        "message_en": p.message("en"),
                    }
                    for p in read.problems
                ]
            },
        )
    result = check_plan(facts, read.rows, agency_policy(unit.agency), units=units)
    return PlanCheck(unit=unit, result=result, names=names, warnings=list(read.warnings))


@dataclass(frozen=True)
class ApprovedDay:
    location_kind: str
    time_kind: str
    start: dt.time | None
    end: dt.time | None


def approved_days_for_week(*, unit: OrgUnit, monday: dt.date) -> dict[tuple[str, dt.date], ApprovedDay]:
    """The active approved days (ArrangementDay) of the unit's and its sub-units' active
    employees during the ISO week of ``monday``, by (nip, date). One query."""
    rows = ArrangementDay.objects.filter(
        employee__unit__path__startswith=unit.path,
        employee__is_active=True,
        active=True,
        date__gte=monday,
        date__lte=monday + dt.timedelta(days=6),
    ).values_list("employee__nip", "date", "location_kind", "time_kind", "start_time", "end_time")
    return {
        (nip, day): ApprovedDay(kind, time_kind or "reguler", start, end)
        for nip, day, kind, time_kind, start, end in rows
    }


def _fill_template(
    data: bytes, approved: dict[tuple[str, dt.date], ApprovedDay], names: dict[str, str]
) -> bytes:
    """Write the approved days into the template's rows (lokasi, hours, waktu); an approved
    day without a row (a shift on a Saturday) gets a row of its own."""
    if not approved:
        return data
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook.active
    assert sheet is not None
    header = [str(c.value or "") for c in sheet[1]]
    col = {name: header.index(name) + 1 for name in header if name}
    seen: set[tuple[str, dt.date]] = set()
    for row in range(2, sheet.max_row + 1):
        nip = str(sheet.cell(row=row, column=col["nip"]).value or "")
        value = sheet.cell(row=row, column=col["tanggal"]).value
        day = value.date() if isinstance(value, dt.datetime) else value
        if not isinstance(day, dt.date) or (nip, day) not in approved:
            continue
        seen.add((nip, day))
        _write_day(sheet, row, col, approved[(nip, day)])
    for (nip, day), planned in sorted(approved.items()):
        if (nip, day) in seen or nip not in names:
            continue
        row = sheet.max_row + 1
        sheet.cell(row=row, column=col["nip"], value=nip).number_format = "@"
        sheet.cell(row=row, column=col["nama"], value=names[nip])
        sheet.cell(row=row, column=col["tanggal"], value=day).number_format = "yyyy-mm-dd"
        if "hari" in col:
            sheet.cell(row=row, column=col["hari"], value=str(WEEKDAY_NAMES[day.weekday()]))
        _write_day(sheet, row, col, planned)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _write_day(sheet: Any, row: int, col: dict[str, int], planned: ApprovedDay) -> None:
    sheet.cell(row=row, column=col["lokasi"], value=planned.location_kind)
    sheet.cell(row=row, column=col["waktu"], value=planned.time_kind)
    if planned.start is not None and planned.end is not None:
        sheet.cell(row=row, column=col["jam_mulai"], value=planned.start).number_format = "hh:mm"
        sheet.cell(row=row, column=col["jam_selesai"], value=planned.end).number_format = "hh:mm"


def safe_filename_part(text: str) -> str:
    """A unit code fit for a file name: letters, digits, '-' and '_' only."""
    cleaned = re.sub(r"[^A-Za-z0-9_-]+", "-", text or "").strip("-")[:40]
    return cleaned or "unit"


def plan_template_for_unit(*, actor: Any, unit_id: int, week_start: dt.date) -> tuple[str, bytes]:
    """A filled-in XLSX plan for the unit's employees for the ISO week of `week_start`: every
    working day at the office, except the approved days, which are written as approved."""
    unit = _plannable_unit(actor, unit_id)
    facts, names, _units = _unit_people(unit)
    monday = week_start - dt.timedelta(days=week_start.weekday())
    data = write_plan_template_xlsx(facts, monday, policy=agency_policy(unit.agency), names=names)
    data = _fill_template(data, approved_days_for_week(unit=unit, monday=monday), names)
    return f"rencana-{safe_filename_part(unit.code)}-{week_label(monday)}.xlsx", data


# ---- the findings as a spreadsheet -------------------------------------------------------

EXPORT_MAX_FINDINGS = 50_000
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def findings_rows(check: PlanCheck, lang: str = "id") -> list[list[str]]:
    """The findings as table rows (header first), for the XLSX and CSV downloads."""
    rows = [
        [
            _("Tanggal/minggu"),
            _("Minggu"),
            _("NIP"),
            _("Nama"),
            _("Unit"),
            _("Kode"),
            _("Tingkat"),
            _("Pesan"),
            _("Dasar hukum"),
        ]
    ]
    for f in check.result.findings[:EXPORT_MAX_FINDINGS]:
        label, _code = finding_when(f)
        rows.append(
            [
                f.date.isoformat() if f.date else label,
                f.week or "",
                f.nip or "",
                check.names.get(f.nip or "", ""),
                f.unit or "",
                f.code.value,
                f.severity.value,
                f.message(lang),
                f.basis,
            ]
        )
    return [[str(v) for v in row] for row in rows]


def _is_formula_like(value: str) -> bool:
    return value.startswith(_FORMULA_START)


def findings_xlsx(rows: list[list[str]]) -> bytes:
    """Every cell is a text cell: a value starting with =, +, -, @, tab or CR is never a
    formula (CWE-1236)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = str(_("Temuan"))[:31]
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=c)
            cell.value = value
            cell.data_type = "s"  # openpyxl would otherwise take "=..." as a formula
            if _is_formula_like(value):
                cell.quotePrefix = True
            if r == 1:
                cell.font = Font(bold=True)
    for letter, width in zip("ABCDEFGHI", (12, 10, 21, 28, 12, 28, 9, 60, 36), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def findings_csv(rows: list[list[str]]) -> bytes:
    """UTF-8 with a BOM (Excel reads the accents); a value that a spreadsheet would take as a
    formula is prefixed with an apostrophe."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["'" + v if _is_formula_like(v) else v for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def findings_filename(*, unit_code: str, extension: str) -> str:
    return f"temuan-rencana-{safe_filename_part(unit_code)}.{extension}"


def max_upload_bytes() -> int:
    return int(getattr(settings, "FLEKSI_IMPORT_MAX_BYTES", MAX_PLAN_BYTES))


def plan_import(
    *, actor: Any, unit_id: int, data: bytes, filename: str, start: dt.date, end: dt.date
) -> list[DayPlan]:
    """A plan.csv / .xlsx (FORMATS.md) for the unit's draft of ``start``..``end``: read with
    the bounded readers, every row checked: the employee must be of the unit (or a
    sub-unit), the date inside the period and not past. Any problem: 422
    ``import_invalid`` with ``details.problems`` (line, column, message), nothing read.
    The rows are not checked against the rules here (the page's board does that)."""
    from fleksi.core import clock

    unit = _plannable_unit(actor, unit_id)
    if not data:
        raise ApplicationError(ErrorCode.VALIDATION, _("Berkas rencana kosong."))
    if len(data) > MAX_PLAN_BYTES:
        raise ApplicationError(
            ErrorCode.VALIDATION, _("Berkas rencana terlalu besar (paling besar 20 MB).")
        )
    names = _unit_people(unit)[1]
    read = read_plan(data, filename, known_nips=None, limits=upload_limits())
    problems = list(read.problems)
    today = clock.today()
    for row in read.rows:
        line = row.line or 0
        if row.nip not in names:
            problems.append(
                Problem(
                    filename, line, "nip",
                    f"NIP {row.nip} bukan pegawai unit {unit.name} atau sub-unitnya",
                    f"NIP {row.nip} is not an employee of unit {unit.name} or its sub-units",
                )
            )
        if not start <= row.date <= end:
            problems.append(
                Problem(
                    filename, line, "tanggal",
                    f"tanggal {row.date.isoformat()} di luar periode draf "
                    f"({start.isoformat()} s.d. {end.isoformat()})",
                    f"date {row.date.isoformat()} is outside the draft's period "
                    f"({start.isoformat()} to {end.isoformat()})",
                )
            )
        elif row.date < today:
            problems.append(
                Problem(
                    filename, line, "tanggal",
                    f"tanggal {row.date.isoformat()} sudah lewat",
                    f"date {row.date.isoformat()} is in the past",
                )
            )
    if problems:
        problems.sort(key=Problem.sort_key)
        raise ApplicationError(
            ErrorCode.IMPORT_INVALID,
            _("Berkas rencana ditolak: %(n)d masalah. Perbaiki semuanya lalu unggah lagi.")
            % {"n": len(problems)},
            details={
                "problems": [
                    {
                        "file": p.file,
                        "line": p.line,
                        "column": p.column,
                        "message": p.message("id"),
                        "message_en": p.message("en"),
                    }
                    for p in problems[:200]
                ]
            },
        )
    return list(read.rows)
