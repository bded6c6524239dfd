"""The monthly recap of presensi (rekap presensi) per unit subtree, as XLSX.

Read in a fixed number of queries whatever the unit's size (the unit, its employees, their
daily records of the month, the locks, the pending corrections); written row by row with
openpyxl's write-only workbook into a temporary file that the view streams
(docs/decisions/116). NIPs are text cells (18 digits would lose precision as numbers).
Coordinates are never in the recap: only the results (flags).
"""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
import json
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any, NamedTuple
from zoneinfo import ZoneInfo

from django.db.models import Count, Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from fleksi.core import xlsx_stream
from fleksi.core.errors import not_found
from fleksi.organisation.models import Employee, OrgUnit
from fleksi.organisation.scoping import scope_for
from fleksi.scheme.facts import agency_calendar

from .locks import month_start, month_text
from .models import Correction, CorrectionState, DailyRecord, DayStatus, Flag, MonthLock

FLAG_COLUMNS = (
    Flag.DEVIATION, Flag.OUTSIDE_OFFICE, Flag.SYNCED_LATE, Flag.NO_CHECK_OUT, Flag.NO_LOCATION,
)


class RecapDay(NamedTuple):
    """The fields of a daily record the recap writes (a tuple: a month of a large agency is a
    million of them, read as values, not model instances)."""

    employee_id: int
    work_date: dt.date
    status: str
    planned_location: str
    first_in_location: str
    first_in: dt.datetime | None
    last_out: dt.datetime | None
    worked_minutes: int
    flags: list[str]


# The flags are read as JSON text and parsed only when there are any: most days have none, and
# a JSON decode per record is a good part of a million-record month (docs/decisions/183).
RECAP_DAY_FIELDS = RecapDay._fields[:-1]
_NO_FLAGS: list[str] = []


def _recap_day(row: tuple[Any, ...]) -> RecapDay:
    flags = row[-1]
    return RecapDay._make((*row[:-1], json.loads(flags) if flags and flags != "[]" else _NO_FLAGS))
# Short codes of the month grid ("Matriks"), explained on the sheet "Keterangan".
DAY_CODES: dict[str, str] = {
    DayStatus.PRESENT_OFFICE: "K",
    DayStatus.PRESENT_FLEXIBLE: "F",
    DayStatus.ABSENT: "TH",
    DayStatus.LEAVE: "C",
    DayStatus.HOLIDAY: "L",
    DayStatus.NON_WORKING: "-",
}


@dataclass
class RecapEmployee:
    employee_id: int
    nip: str
    name: str
    unit_name: str
    records: dict[dt.date, RecapDay] = field(default_factory=dict)
    pending_corrections: int = 0

    def count(self, status: str) -> int:
        return sum(1 for r in self.records.values() if r.status == status)

    @property
    def worked_minutes(self) -> int:
        return sum(r.worked_minutes for r in self.records.values())

    def flag_count(self, flag: str) -> int:
        return sum(1 for r in self.records.values() if flag in (r.flags or []))


@dataclass
class Recap:
    unit: OrgUnit
    month: dt.date
    days: list[dt.date]
    working_days: int
    required_minutes: int
    locked: bool
    zone: ZoneInfo
    employees_qs: QuerySet[Any]
    records_qs: QuerySet[Any]
    pending: dict[int, int]

    @property
    def employee_count(self) -> int:
        """One COUNT query (the page shows the number, never the whole list)."""
        return self.employees_qs.count()

    def employees(self, chunk: int = 2000) -> Iterator[RecapEmployee]:
        """The employees in the recap's order, each with its records of the month, read as two
        streams in the same order and merged: memory holds one employee at a time, not the
        month of the whole unit (docs/decisions/183). Two queries, whatever the size."""
        records = (_recap_day(row) for row in self.records_qs.iterator(chunk_size=chunk))
        record = next(records, None)
        for pk, nip, name, unit_name in self.employees_qs.iterator(chunk_size=chunk):
            person = RecapEmployee(pk, nip, name, unit_name, pending_corrections=self.pending.get(pk, 0))
            while record is not None and record.employee_id == pk:
                person.records[record.work_date] = record
                record = next(records, None)
            yield person


def recap_units(*, actor: Any) -> list[OrgUnit]:
    """Units whose recap the actor may download: a head's subtrees, HR's whole agency."""
    scope = scope_for(actor)
    qs = OrgUnit.objects.select_related("agency").order_by("agency_id", "path")
    if scope.is_system_admin:
        return list(qs)
    units = list(qs.filter(agency_id__in=scope.member_agency_ids))
    return [
        u for u in units
        if u.agency_id in scope.admin_agency_ids or any(u.path.startswith(p) for p in scope.head_unit_paths)
    ]


def recap_month(*, actor: Any, unit_id: int, month: dt.date) -> Recap:
    """The month of a unit subtree for its head (and Plt/Plh) or the agency's HR; else
    NOT_FOUND. Three queries here (the unit, the lock, the pending corrections) and two
    streamed ones when the employees are read, whatever the number of employees or days."""
    scope = scope_for(actor)
    unit = OrgUnit.objects.select_related("agency").filter(pk=unit_id).first()  # 1
    if unit is None or not (
        scope.is_system_admin
        or scope.can_manage_agency(unit.agency_id)
        or any(unit.path.startswith(p) for p in scope.head_unit_paths)
    ):
        raise not_found(_("Unit organisasi"))
    first = month_start(month)
    last = first.replace(day=pycalendar.monthrange(first.year, first.month)[1])
    days = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
    # The employees and their records in one order (unit path, name, NIP, id), so the two
    # streams merge without holding the month in memory. A record counts when both the
    # employee (now) and the record's unit are in the subtree.
    in_subtree = {"agency_id": unit.agency_id, "unit__path__startswith": unit.path, "is_active": True}
    employees_qs = (
        Employee.objects.filter(**in_subtree)
        .order_by("unit__path", "name", "nip", "pk")
        .values_list("pk", "nip", "name", "unit__name")
    )  # 2 (streamed by the writer)
    records_qs = (
        DailyRecord.objects.filter(
            agency_id=unit.agency_id, unit__path__startswith=unit.path,
            work_date__gte=first, work_date__lte=last,
            **{f"employee__{k}": v for k, v in in_subtree.items()},
        )
        .order_by("employee__unit__path", "employee__name", "employee__nip", "employee_id", "work_date")
        .annotate(flags_text=Cast("flags", TextField()))
        .values_list(*RECAP_DAY_FIELDS, "flags_text")
    )  # 3 (streamed by the writer)
    ids = [int(p) for p in unit.path.strip("/").split("/") if p.isdigit()]
    locked = (
        MonthLock.objects.filter(agency_id=unit.agency_id, month=first)
        .filter(Q(unit__isnull=True) | Q(unit_id__in=ids))
        .exists()
    )  # 4: the agency's lock or one on the unit's path (a lock of a subunit shows per row)
    pending = Counter(
        dict(
            Correction.objects.filter(
                agency_id=unit.agency_id, employee__unit__path__startswith=unit.path,
                work_date__gte=first, work_date__lte=last, state=CorrectionState.SUBMITTED,
            )
            .values_list("employee_id")
            .annotate(n=Count("id"))
            .values_list("employee_id", "n")
        )
    )  # 5
    cal = agency_calendar(unit.agency)
    infos = [cal.day(d) for d in days]
    return Recap(
        unit=unit,
        month=first,
        days=days,
        working_days=sum(1 for i in infos if i.working),
        required_minutes=sum(i.standard_minutes for i in infos if i.working),
        locked=locked,
        zone=ZoneInfo(unit.time_zone or unit.agency.time_zone or "Asia/Jakarta"),
        employees_qs=employees_qs,
        records_qs=records_qs,
        pending=dict(pending),
    )


def recap_filename(recap: Recap) -> str:
    return f"rekap-presensi-{recap.unit.code or recap.unit.pk}-{recap.month:%Y-%m}.xlsx"


def _labels() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    statuses: dict[str, str] = {
        DayStatus.PRESENT_OFFICE: _("hadir di kantor"),
        DayStatus.PRESENT_FLEXIBLE: _("hadir (kerja fleksibel)"),
        DayStatus.ABSENT: _("tidak hadir"),
        DayStatus.LEAVE: _("cuti"),
        DayStatus.HOLIDAY: _("hari libur"),
        DayStatus.NON_WORKING: _("bukan hari kerja"),
    }
    places = {
        "kantor": _("Kantor penempatan"),
        "kantor_lain": _("Kantor lain"),
        "rumah": _("Rumah / domisili terdaftar"),
        "lokasi_lain": _("Lokasi lain"),
    }
    flags: dict[str, str] = {
        Flag.SYNCED_LATE: _("terkirim terlambat"),
        Flag.CLOCK_SKEW: _("jam perangkat tidak tepat"),
        Flag.NO_LOCATION: _("tanpa lokasi"),
        Flag.OUTSIDE_OFFICE: _("di luar kantor"),
        Flag.DEVIATION: _("tempat berbeda dari rencana"),
        Flag.NO_CHECK_OUT: _("tidak presensi pulang"),
        Flag.NO_CHECK_IN: _("tidak presensi (hari fleksibel)"),
        "corrected": _("dikoreksi"),
    }
    return statuses, places, flags


def recap_xlsx(recap: Recap, detail_max_rows: int | None = None) -> IO[bytes]:
    """The recap as an XLSX in a temporary file (rewound), written with the streaming writer
    (``fleksi.core.xlsx_stream``) in one pass over the streamed employees (docs/decisions/183):

    - "Ringkasan": one row per employee (counts, minutes, flags, corrections);
    - "Matriks": one row per employee, one column per day of the month with a short code;
    - "Harian": one row per employee and day with a record (times, places, flags), cut after
      ``detail_max_rows`` rows (``FLEKSI_RECAP_DETAIL_MAX_ROWS``) with a note to download a
      smaller unit; a month of a whole large agency would pass Excel's 1,048,576 rows;
    - "Keterangan": what the codes mean.
    """
    from django.conf import settings

    if detail_max_rows is None:
        detail_max_rows = int(getattr(settings, "FLEKSI_RECAP_DETAIL_MAX_ROWS", 250_000))
    detail_max_rows = min(detail_max_rows, xlsx_stream.MAX_ROWS - 3)  # header, blank, note
    statuses, places, flag_labels = _labels()
    book = xlsx_stream.Workbook()
    summary = book.sheet(_("Ringkasan"))
    grid = book.sheet(_("Matriks"))
    daily = book.sheet(_("Harian"))
    legend = book.sheet(_("Keterangan"))

    def text(_sheet: Any, value: str) -> Any:
        return xlsx_stream.Text(value)

    title = _("Rekap presensi %(unit)s, %(month)s") % {"unit": recap.unit.name, "month": month_text(recap.month)}
    summary.append([title])
    summary.append([
        _("Hari kerja: %(n)s; jam wajib: %(h)s jam %(m)s menit") % {
            "n": recap.working_days, "h": recap.required_minutes // 60, "m": recap.required_minutes % 60},
        _("Bulan dikunci") if recap.locked else _("Bulan belum dikunci"),
    ])
    summary.append([])
    summary.append([
        _("NIP"), _("Nama"), _("Unit"), _("Hadir di kantor"), _("Hadir fleksibel"), _("Tidak hadir"),
        _("Cuti"), _("Menit kerja"), _("Menit wajib"), _("Selisih menit"),
        *[flag_labels[f] for f in FLAG_COLUMNS], _("Dikoreksi"), _("Koreksi menunggu"),
    ], bold=True)
    grid.append([_("NIP"), _("Nama"), _("Unit"), *[d.day for d in recap.days]], bold=True)
    daily.append([
        _("NIP"), _("Nama"), _("Tanggal"), _("Status"), _("Rencana"), _("Tempat"), _("Masuk"),
        _("Pulang"), _("Menit kerja"), _("Tanda"),
    ], bold=True)
    legend.append([_("Kode"), _("Arti")], bold=True)
    for status, code in DAY_CODES.items():
        legend.append([code, statuses[status]])
    legend.append(["", _("belum ada catatan hari itu")])
    zone = recap.zone
    detail_rows, detail_cut = 0, False
    # Each employee's rows are written as the employee comes (write-only sheets stream to
    # their own files), then the employee is dropped: memory does not grow with the rows.
    for person in recap.employees():
        leave = person.count(DayStatus.LEAVE)
        summary.append([
            text(summary, person.nip), person.name, person.unit_name,
            person.count(DayStatus.PRESENT_OFFICE), person.count(DayStatus.PRESENT_FLEXIBLE),
            person.count(DayStatus.ABSENT), leave, person.worked_minutes, recap.required_minutes,
            person.worked_minutes - recap.required_minutes,
            *[person.flag_count(f) for f in FLAG_COLUMNS], person.flag_count("corrected"),
            person.pending_corrections,
        ])
        records = person.records
        grid.append([
            text(grid, person.nip), person.name, person.unit_name,
            *[DAY_CODES.get(records[d].status, "?") if d in records else "" for d in recap.days],
        ])
        if detail_cut:
            continue
        for day in recap.days:
            record = records.get(day)
            if record is None:
                continue
            if detail_rows >= detail_max_rows:
                detail_cut = True
                break
            detail_rows += 1
            daily.append([
                text(daily, person.nip), person.name, day,
                statuses.get(record.status, record.status),
                places.get(record.planned_location, ""),
                places.get(record.first_in_location, ""),
                record.first_in.astimezone(zone).strftime("%H.%M") if record.first_in else "",
                record.last_out.astimezone(zone).strftime("%H.%M") if record.last_out else "",
                record.worked_minutes,
                ", ".join(flag_labels.get(f, f) for f in record.flags or []),
            ])
    if detail_cut:
        daily.append([])
        daily.append([_("Rincian harian berhenti setelah %(n)s baris. Unduh rekap unit yang lebih kecil untuk "
                        "rincian pegawai berikutnya; lembar Ringkasan dan Matriks memuat semua pegawai.")
                      % {"n": f"{detail_max_rows:,}".replace(",", ".")}])
    out = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (the response closes it)
    book.save(out)
    out.seek(0)
    return out
