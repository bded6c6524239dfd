"""The monthly recap of presensi (rekap presensi) per unit subtree, as XLSX.

Read in few queries (the unit, the lock, the pending corrections, one statement that sums each
employee's month in the database, and the day rows per chunk of 2,000 employees until the day
sheet's limit); written row by row with the streaming writer into a temporary file that the
view streams (docs/decisions/116, 183, 202). NIPs are text cells (18 digits would lose precision as numbers).
Coordinates are never in the recap: only the results (flags).
"""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
import json
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any, NamedTuple
from zoneinfo import ZoneInfo

from django.db import connection
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
COUNTED_STATUSES = (DayStatus.PRESENT_OFFICE, DayStatus.PRESENT_FLEXIBLE, DayStatus.ABSENT, DayStatus.LEAVE)


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
    """One employee's month: the counts of the summary and the day codes of the grid, summed
    in the database (one GROUP BY per employee, docs/decisions/202), and the day rows of the
    "Harian" sheet when they are still wanted (``records``, read per chunk of employees)."""

    employee_id: int
    nip: str
    name: str
    unit_name: str
    statuses: dict[str, int]
    worked_minutes: int
    flags: dict[str, int]
    day_status: list[str | None]  # per day of the month: the record's status, None without one
    records: list[RecapDay] = field(default_factory=list)
    pending_corrections: int = 0

    def count(self, status: str) -> int:
        return self.statuses.get(status, 0)

    def flag_count(self, flag: str) -> int:
        return self.flags.get(flag, 0)

    @property
    def has_records(self) -> bool:
        return any(status is not None for status in self.day_status)


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

    def employees(self, chunk: int = 2000, *, with_records: Callable[[], bool] = lambda: True) -> Iterator[RecapEmployee]:
        """The employees in the recap's order (unit path, name, NIP, id), each with their month
        summed in the database: one statement whatever the size, read ``chunk`` employees at
        a time (a server-side cursor on PostgreSQL), so neither the month's records nor the
        whole list of employees are in memory (docs/decisions/183, 211). While
        ``with_records()`` is true, each chunk's day rows are read too (one query per chunk,
        ordered by employee and date); the "Harian" sheet stops wanting them at its limit."""
        sql, params = self._month_sql()
        with connection.chunked_cursor() as cursor:
            cursor.execute(sql, params)
            while rows := cursor.fetchmany(chunk):
                people = [self._person(row) for row in rows]
                if with_records():
                    self._attach_records(people)
                yield from people

    def _month_sql(self) -> tuple[str, list[Any]]:
        """Per employee of the subtree (active, now): their records of the month whose unit is
        in the subtree, summed: counts per status and flag, worked minutes, and the status of
        each day (one record per employee and day, so MAX picks it)."""
        records, employees, units = (
            DailyRecord._meta.db_table, Employee._meta.db_table, OrgUnit._meta.db_table
        )
        postgres = connection.vendor == "postgresql"

        def has_flag(name: str) -> str:  # only fixed names are formatted in
            return f"(d.flags @> '[\"{name}\"]'::jsonb)" if postgres else f"(instr(d.flags, '\"{name}\"') > 0)"

        statuses = ["SUM(CASE WHEN d.status = %s THEN 1 ELSE 0 END)" for _ in COUNTED_STATUSES]
        flags = [f"SUM(CASE WHEN {has_flag(name)} THEN 1 ELSE 0 END)" for name in (*FLAG_COLUMNS, "corrected")]
        days = ["MAX(CASE WHEN d.work_date = %s THEN d.status END)" for _ in self.days]
        path = self.unit.path + "%"
        sql = (
            f"WITH m AS (SELECT d.employee_id AS eid, COALESCE(SUM(d.worked_minutes), 0) AS minutes, "  # noqa: S608
            f"{', '.join([*statuses, *flags, *days])} FROM {records} d "
            f"WHERE d.agency_id = %s AND d.work_date >= %s AND d.work_date <= %s "
            f"AND d.unit_id IN (SELECT id FROM {units} WHERE agency_id = %s AND path LIKE %s) "
            f"GROUP BY d.employee_id) "
            f"SELECT e.id, e.nip, e.name, u.name, m.* FROM {employees} e "
            f"JOIN {units} u ON u.id = e.unit_id LEFT JOIN m ON m.eid = e.id "
            f"WHERE e.agency_id = %s AND e.is_active AND u.path LIKE %s "
            f"ORDER BY u.path, e.name, e.nip, e.id"
        )
        agency = self.unit.agency_id
        params = [
            *COUNTED_STATUSES, *self.days, agency, self.days[0], self.days[-1], agency, path, agency, path,
        ]
        return sql, params

    def _person(self, row: tuple[Any, ...]) -> RecapEmployee:
        pk, nip, name, unit_name, _eid, minutes, *rest = row
        n_status, n_flags = len(COUNTED_STATUSES), len(FLAG_COLUMNS) + 1
        return RecapEmployee(
            pk, nip, name, unit_name,
            statuses=dict(zip(COUNTED_STATUSES, (int(v or 0) for v in rest[:n_status]), strict=True)),
            worked_minutes=int(minutes or 0),
            flags=dict(zip((*FLAG_COLUMNS, "corrected"), (int(v or 0) for v in rest[n_status:n_status + n_flags]),
                           strict=True)),
            day_status=list(rest[n_status + n_flags:]),
            pending_corrections=self.pending.get(pk, 0),
        )

    def _attach_records(self, people: list[RecapEmployee]) -> None:
        wanted = {person.employee_id: person for person in people if person.has_records}
        if not wanted:
            return
        for row in self.records_qs.filter(employee_id__in=list(wanted)).iterator(chunk_size=5000):
            wanted[row[0]].records.append(_recap_day(row))


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
    # A record counts when both the employee (now, active) and the record's unit are in the
    # subtree; Recap.employees reads the month per employee in one statement (decision 202).
    employees_qs = Employee.objects.filter(
        agency_id=unit.agency_id, unit__path__startswith=unit.path, is_active=True
    )  # counted by the page
    records_qs = (
        DailyRecord.objects.filter(
            agency_id=unit.agency_id, unit__path__startswith=unit.path,
            work_date__gte=first, work_date__lte=last,
        )
        .order_by("employee_id", "work_date")
        .annotate(flags_text=Cast("flags", TextField()))
        .values_list(*RECAP_DAY_FIELDS, "flags_text")
    )  # the day rows, read per chunk of employees (Recap.employees)
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


class _DayRows:
    """The rows of the "Harian" sheet counted against its limit."""

    def __init__(self, limit: int) -> None:
        self.limit, self.rows, self.cut = limit, 0, False

    def take(self) -> bool:
        if self.rows >= self.limit:
            self.cut = True
            return False
        self.rows += 1
        return True


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
    day_rows = _DayRows(detail_max_rows)
    # Each employee's rows are written as the employee comes (the sheets stream to their own
    # files), then the employee is dropped: memory does not grow with the rows. Past the
    # "Harian" limit no more day rows are read.
    for person in recap.employees(with_records=lambda: not day_rows.cut):
        summary.append([
            text(summary, person.nip), person.name, person.unit_name,
            person.count(DayStatus.PRESENT_OFFICE), person.count(DayStatus.PRESENT_FLEXIBLE),
            person.count(DayStatus.ABSENT), person.count(DayStatus.LEAVE), person.worked_minutes,
            recap.required_minutes, person.worked_minutes - recap.required_minutes,
            *[person.flag_count(f) for f in FLAG_COLUMNS], person.flag_count("corrected"),
            person.pending_corrections,
        ])
        grid.append([
            text(grid, person.nip), person.name, person.unit_name,
            *["" if status is None else DAY_CODES.get(status, "?") for status in person.day_status],
        ])
        for record in person.records:
            if not day_rows.take():
                break
            daily.append([
                text(daily, person.nip), person.name, record.work_date,
                statuses.get(record.status, record.status),
                places.get(record.planned_location, ""),
                places.get(record.first_in_location, ""),
                record.first_in.astimezone(zone).strftime("%H.%M") if record.first_in else "",
                record.last_out.astimezone(zone).strftime("%H.%M") if record.last_out else "",
                record.worked_minutes,
                ", ".join(flag_labels.get(f, f) for f in record.flags or []),
            ])
    if day_rows.cut:
        daily.append([])
        daily.append([_("Rincian harian berhenti setelah %(n)s baris. Unduh rekap unit yang lebih kecil untuk "
                        "rincian pegawai berikutnya; lembar Ringkasan dan Matriks memuat semua pegawai.")
                      % {"n": f"{detail_max_rows:,}".replace(",", ".")}])
    out = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (the response closes it)
    book.save(out)
    out.seek(0)
    return out
