"""Check-ins, daily records, leave days and the agency's attendance settings. Tables and
constraints only: the rules live in ``services`` and the policy core.

Every index leads with ``agency_id`` (docs/decisions/110): a national install can later
distribute these tables by agency without code changes.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fleksi.organisation.models import Agency, Employee, OrgUnit
from fleksi.schedules.models import LocationKind

__all__ = [
    "AttendanceSettings",
    "CheckIn",
    "CheckInKey",
    "CheckInKind",
    "Correction",
    "CorrectionKind",
    "CorrectionState",
    "DailyRecord",
    "DayRollup",
    "DayStatus",
    "Flag",
    "LeaveDay",
    "LocationKind",
    "MonthLock",
    "WeekRollup",
]


class CheckInKind(models.TextChoices):
    IN = "in", _("Masuk")
    OUT = "out", _("Pulang")


class DayStatus(models.TextChoices):
    PRESENT_OFFICE = "present_office", _("Hadir di kantor")
    PRESENT_FLEXIBLE = "present_flexible", _("Hadir (kerja fleksibel)")
    ABSENT = "absent", _("Tidak hadir")
    LEAVE = "leave", _("Cuti")
    HOLIDAY = "holiday", _("Hari libur")
    NON_WORKING = "non_working", _("Bukan hari kerja")


class Flag(models.TextChoices):
    """Flags of a check-in (and, gathered, of its day). Stable codes: the API returns them."""

    SYNCED_LATE = "synced_late", _("Terkirim terlambat")
    CLOCK_SKEW = "clock_skew", _("Jam perangkat tidak tepat")
    NO_LOCATION = "no_location", _("Tanpa lokasi")
    OUTSIDE_OFFICE = "outside_office", _("Di luar kantor")
    DEVIATION = "deviation", _("Tempat berbeda dari rencana")
    # Day-level flags, set when the day is closed.
    NO_CHECK_OUT = "no_check_out", _("Tidak presensi pulang")
    NO_CHECK_IN = "no_check_in", _("Tidak presensi (hari fleksibel)")


class AttendanceSettings(models.Model):
    """The agency's attendance settings (absent row: the defaults)."""

    agency = models.OneToOneField(
        Agency, on_delete=models.CASCADE, related_name="attendance_settings"
    )
    sync_window_hours = models.PositiveIntegerField(
        _("batas pengiriman terlambat (jam)"), default=72
    )
    location_retention_days = models.PositiveIntegerField(
        _("masa simpan koordinat (hari)"), default=90
    )

    class Meta:
        verbose_name = _("pengaturan presensi")
        verbose_name_plural = _("pengaturan presensi")

    def __str__(self) -> str:
        return f"presensi {self.agency_id}"


class CheckIn(models.Model):
    """One check-in or check-out as the device sent it, with the server's time and flags.
    Never edited (a correction is its own document); only the coordinates are purged."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="check_ins")
    kind = models.CharField(max_length=3, choices=CheckInKind.choices)
    location = models.CharField(max_length=12, choices=LocationKind.choices)
    client_time = models.DateTimeField()
    server_time = models.DateTimeField()
    work_date = models.DateField()
    idempotency_key = models.UUIDField()
    body_hash = models.CharField(max_length=64)
    # Rounded to 4 decimals (about 11 m), UU PDP 27/2022; nulled after the retention period.
    latitude = models.DecimalField(max_digits=7, decimal_places=4, null=True, blank=True)
    longitude = models.DecimalField(max_digits=8, decimal_places=4, null=True, blank=True)
    accuracy_m = models.PositiveIntegerField(null=True, blank=True)
    note = models.CharField(max_length=500, blank=True)
    flags = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("presensi")
        verbose_name_plural = _("presensi")
        ordering = ["server_time", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "idempotency_key"], name="checkin_one_per_key"
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "employee", "work_date"], name="checkin_agency_emp_date"),
            models.Index(fields=["agency", "server_time"], name="checkin_agency_time"),
            # The purge of coordinates reads only rows that still have some (docs/decisions/110).
            models.Index(
                fields=["agency", "server_time"], name="checkin_agency_time_located",
                condition=Q(latitude__isnull=False) | Q(longitude__isnull=False)
                | Q(accuracy_m__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.kind} {self.server_time:%Y-%m-%d %H:%M}"


class CheckInKey(models.Model):
    """The idempotency ledger: one row per (employee, idempotency key), ever, whatever the
    month. Written by a database trigger on every insert into ``attendance_checkin`` (so no
    insert path can bypass it, and a check-in stays one statement); a second insert of the
    same key fails on this primary key and rolls the check-in back. Unpartitioned: on
    PostgreSQL the partitioned check-in table cannot hold a unique key without the month
    (docs/decisions/110). ``checkin_id`` and ``server_time`` find the stored check-in in its
    month's partition. Rows go when their month is dropped by the retention command."""

    pk = models.CompositePrimaryKey("employee", "idempotency_key")
    # No separate index: the primary key leads with the employee.
    employee = models.ForeignKey(
        Employee, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    idempotency_key = models.UUIDField()
    # Kept for a distribution by agency (Citus); no foreign key: checked on the check-in.
    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )
    checkin_id = models.BigIntegerField()
    server_time = models.DateTimeField()

    class Meta:
        verbose_name = _("kunci idempotensi presensi")
        verbose_name_plural = _("kunci idempotensi presensi")

    def __str__(self) -> str:
        return f"{self.employee_id} {self.idempotency_key}"


class DailyRecord(models.Model):
    """One employee's working day as the check-ins made it, updated in the check-in's own
    transaction (never recomputed from history) and closed after the day by a command."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="daily_records")
    work_date = models.DateField()
    planned_location = models.CharField(max_length=12, choices=LocationKind.choices)
    planned_start = models.TimeField(null=True, blank=True)
    planned_end = models.TimeField(null=True, blank=True)
    first_in = models.DateTimeField(null=True, blank=True)
    first_in_location = models.CharField(max_length=12, blank=True)
    last_in = models.DateTimeField(null=True, blank=True)
    last_out = models.DateTimeField(null=True, blank=True)
    is_open = models.BooleanField(default=False)  # the last check-in was "in"
    worked_minutes = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=16, choices=DayStatus.choices)
    flags = models.JSONField(default=list, blank=True)
    check_in_count = models.PositiveIntegerField(default=0)
    closed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("rekap harian presensi")
        verbose_name_plural = _("rekap harian presensi")
        ordering = ["work_date", "employee_id"]
        constraints = [
            models.UniqueConstraint(fields=["employee", "work_date"], name="daily_one_per_day"),
        ]
        indexes = [
            models.Index(fields=["agency", "employee", "work_date"], name="daily_agency_emp_date"),
            models.Index(fields=["agency", "unit", "work_date"], name="daily_agency_unit_date"),
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.work_date} {self.status}"


class LeaveDay(models.Model):
    """Approved leave (cuti) from HR: such days are not counted as absent."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="leave_days")
    start = models.DateField(_("mulai"))
    end = models.DateField(_("sampai"))
    kind = models.CharField(_("jenis"), max_length=60)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cuti")
        verbose_name_plural = _("cuti")
        ordering = ["start", "employee_id"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="leave_dates_ordered"),
            models.UniqueConstraint(
                fields=["employee", "start", "end", "kind"], name="leave_unique"
            ),
        ]
        indexes = [models.Index(fields=["agency", "employee", "start"], name="leave_agency_emp_start")]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.start}–{self.end} {self.kind}"


# ---------------------------------------------------------------------------------------
# Corrections and locked months (docs/decisions/115-116)


class CorrectionKind(models.TextChoices):
    MISSING_CHECK_OUT = "missing_check_out", _("Lupa presensi pulang")
    MISSING_CHECK_IN = "missing_check_in", _("Lupa presensi masuk")
    WRONG_LOCATION = "wrong_location", _("Tempat presensi salah")


class CorrectionState(models.TextChoices):
    SUBMITTED = "submitted", _("Diajukan")
    APPROVED = "approved", _("Disetujui")
    REJECTED = "rejected", _("Ditolak")


class Correction(models.Model):
    """An employee's request to correct one working day (a forgotten check-out or check-in,
    a wrong place), decided by the head of the unit. Check-ins are never edited: an approved
    correction is folded into the day's record as a synthetic check-in (``kind`` and ``at``)
    or as the day's true place (``location``)."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="attendance_corrections")
    work_date = models.DateField(_("tanggal"))
    kind = models.CharField(_("yang dikoreksi"), max_length=20, choices=CorrectionKind.choices)
    at = models.DateTimeField(_("waktu"), null=True, blank=True)
    location = models.CharField(_("tempat"), max_length=12, choices=LocationKind.choices, blank=True)
    reason = models.TextField(_("alasan"), max_length=1000)
    state = models.CharField(
        max_length=10, choices=CorrectionState.choices, default=CorrectionState.SUBMITTED
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decider = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True, max_length=1000)

    class Meta:
        verbose_name = _("koreksi presensi")
        verbose_name_plural = _("koreksi presensi")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["agency", "employee", "work_date"], name="corr_agency_emp_date"),
            models.Index(fields=["agency", "state"], name="corr_agency_state"),
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.work_date} {self.kind} {self.state}"


class MonthLock(models.Model):
    """A month of presensi that HR closed for the agency (``unit`` empty) or a unit subtree:
    no more corrections are submitted or decided for its days."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    month = models.DateField()  # the first day of the month
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    locked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("bulan presensi terkunci")
        verbose_name_plural = _("bulan presensi terkunci")
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "month"], condition=Q(unit__isnull=True), name="monthlock_agency_once"
            ),
            models.UniqueConstraint(
                fields=["agency", "unit", "month"], condition=Q(unit__isnull=False), name="monthlock_unit_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.unit_id or '-'} {self.month:%Y-%m}"


# ---------------------------------------------------------------------------------------
# Rollups of the daily records for the monitoring dashboards (docs/decisions/196)


class DayRollup(models.Model):
    """The daily records of one unit and day counted per planned location, status, place of
    the first check-in and the flags the dashboards count. Derived data: written only by
    ``fleksi.attendance.rollup.refresh`` (in the transaction that wrote the records) and
    ``fleksi attendance rollup --rebuild``; equal at all times to a GROUP BY of the records.
    ``few_ids``: the employees of a row of at most ``rollup.FEW`` records (comma-separated),
    so that a distinct count of fewer than 5 employees over a period stays exact."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    work_date = models.DateField()
    planned_location = models.CharField(max_length=12, blank=True)
    status = models.CharField(max_length=16)
    first_in_location = models.CharField(max_length=12, blank=True)
    deviation = models.BooleanField(default=False)
    outside_office = models.BooleanField(default=False)
    synced_late = models.BooleanField(default=False)
    no_check_in = models.BooleanField(default=False)
    records = models.PositiveIntegerField(default=0)
    worked_minutes = models.BigIntegerField(default=0)
    few_ids = models.TextField(blank=True, default="")

    class Meta:
        verbose_name = _("ringkasan harian presensi per unit")
        verbose_name_plural = _("ringkasan harian presensi per unit")
        indexes = [
            models.Index(fields=["agency", "work_date"], name="dayroll_agency_date"),
            models.Index(fields=["agency", "unit", "work_date"], name="dayroll_agency_unit_date"),
            models.Index(fields=["work_date"], name="dayroll_date"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.work_date} {self.status} {self.records}"


class WeekRollup(models.Model):
    """One employee's week (Monday ``monday``): per ISO weekday 1-7 the unit, the planned
    location and the worked minutes of that day's record (``unit_N`` empty: no record that
    day). One row per employee-week, so the weekly-hours figure needs no GROUP BY, and a
    period that cuts a week, a unit subtree or a location filter pick their days in SQL.
    Written with ``DayRollup`` by the same function."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="+", db_index=False)
    monday = models.DateField()
    unit_1 = models.IntegerField(null=True, blank=True)
    unit_2 = models.IntegerField(null=True, blank=True)
    unit_3 = models.IntegerField(null=True, blank=True)
    unit_4 = models.IntegerField(null=True, blank=True)
    unit_5 = models.IntegerField(null=True, blank=True)
    unit_6 = models.IntegerField(null=True, blank=True)
    unit_7 = models.IntegerField(null=True, blank=True)
    location_1 = models.CharField(max_length=12, blank=True, default="")
    location_2 = models.CharField(max_length=12, blank=True, default="")
    location_3 = models.CharField(max_length=12, blank=True, default="")
    location_4 = models.CharField(max_length=12, blank=True, default="")
    location_5 = models.CharField(max_length=12, blank=True, default="")
    location_6 = models.CharField(max_length=12, blank=True, default="")
    location_7 = models.CharField(max_length=12, blank=True, default="")
    minutes_1 = models.IntegerField(default=0)
    minutes_2 = models.IntegerField(default=0)
    minutes_3 = models.IntegerField(default=0)
    minutes_4 = models.IntegerField(default=0)
    minutes_5 = models.IntegerField(default=0)
    minutes_6 = models.IntegerField(default=0)
    minutes_7 = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("ringkasan mingguan presensi per pegawai")
        verbose_name_plural = _("ringkasan mingguan presensi per pegawai")
        constraints = [
            models.UniqueConstraint(fields=["employee", "monday"], name="weekroll_one_per_week"),
        ]
        indexes = [
            models.Index(fields=["agency", "monday"], name="weekroll_agency_monday"),
            models.Index(fields=["monday"], name="weekroll_monday"),
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.monday}"
