"""Output-based performance (PermenPANRB 6/2022, issue 9): planned outputs of a period, the
daily output log (laporan harian) with its evidence and feedback, and the head's assessment.
Tables and constraints only: the rules live in ``services`` and ``fleksi.policy.rating``.

Every index leads with ``agency_id`` or ``employee_id`` (docs/decisions/110).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fleksi.core.choices import text_choices
from fleksi.organisation.models import Agency, Employee, OrgUnit
from fleksi.policy import rating

from .periods import Cadence, Schedule, assessment_period

Expectation = text_choices("Expectation", rating.Expectation)
Predikat = text_choices("Predikat", rating.Predikat)


class PerformanceSettings(models.Model):
    """The agency's performance settings (absent row: the defaults), edited by HR on
    /kinerja/sdm/ (docs/decisions/190)."""

    agency = models.OneToOneField(
        Agency, on_delete=models.CASCADE, related_name="performance_settings"
    )
    log_required_before_check_out = models.BooleanField(
        _("laporan harian wajib sebelum presensi pulang pada hari fleksibel"), default=True
    )
    # The cadence's changes, ascending: [{"from": "YYYY-MM-DD", "cadence": "monthly|quarterly"}];
    # monthly before the first. Each "from" is the first day of a quarter (periods.Schedule).
    cadence_history = models.JSONField(_("riwayat periode penilaian"), default=list, blank=True)

    class Meta:
        verbose_name = _("pengaturan kinerja")
        verbose_name_plural = _("pengaturan kinerja")

    def __str__(self) -> str:
        return f"kinerja {self.agency_id}"

    @property
    def schedule(self) -> Schedule:
        return Schedule.from_history(self.cadence_history)


class OutputSource(models.TextChoices):
    REQUEST = "request", _("Dari pengajuan yang disetujui")
    EMPLOYEE = "employee", _("Ditambahkan pegawai")


class OutputState(models.TextChoices):
    PROPOSED = "proposed", _("Menunggu persetujuan pimpinan")
    AGREED = "agreed", _("Disepakati")
    DECLINED = "declined", _("Tidak disepakati")


class PlannedOutput(models.Model):
    """An output of a period: mirrored from an approved request's planned output, or added by
    the employee and agreed by the head. Active from ``start_date`` to ``end_date``."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="planned_outputs")
    source = models.CharField(max_length=10, choices=OutputSource.choices)
    request_output_id = models.PositiveIntegerField(null=True, blank=True, unique=True)
    request_id = models.PositiveIntegerField(null=True, blank=True)
    state = models.CharField(max_length=10, choices=OutputState.choices, default=OutputState.AGREED)
    description = models.CharField(_("uraian keluaran"), max_length=500)
    target_quantity = models.DecimalField(_("target"), max_digits=10, decimal_places=2, default=1)
    unit = models.CharField(_("satuan"), max_length=50, default="dokumen")
    start_date = models.DateField(_("mulai"))
    end_date = models.DateField(_("sampai"))
    due_date = models.DateField(_("tenggat"), null=True, blank=True)
    skp_code = models.CharField(_("kode rencana hasil kerja SKP"), max_length=50, blank=True)
    skp_text = models.CharField(_("rencana hasil kerja SKP"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # Derived from the log entries (docs/decisions/199), never written by a form or by
    # ``save``: recomputed by ``output_sums.refresh_output_sums`` in every writer's
    # transaction. ``logged_quantity``: the sum of all its logs; ``logged_by_due``: of
    # those dated up to the due date (0 without a due date, as the GROUP BY it replaces).
    logged_quantity = models.DecimalField(max_digits=12, decimal_places=2, default=0, editable=False)
    logged_by_due = models.DecimalField(max_digits=12, decimal_places=2, default=0, editable=False)

    class Meta:
        verbose_name = _("keluaran rencana")
        verbose_name_plural = _("keluaran rencana")
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["employee", "start_date"], name="perf_output_emp_start")]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="perf_output_dates"),
            models.CheckConstraint(condition=Q(target_quantity__gt=0), name="perf_output_target_positive"),
        ]

    def __str__(self) -> str:
        return self.description

    def save(self, *args: Any, **kwargs: Any) -> None:
        """An update never writes the derived sums back: a row read before a concurrent log
        would otherwise overwrite the refreshed sums with its stale copy."""
        if not self._state.adding and kwargs.get("update_fields") is None and not kwargs.get("force_insert"):
            kwargs["update_fields"] = [
                f.name for f in self._meta.concrete_fields if not f.primary_key and f.name not in DERIVED_SUMS
            ]
        super().save(*args, **kwargs)


DERIVED_SUMS = ("logged_quantity", "logged_by_due")


class LogEntry(models.Model):
    """One line of the daily output log (laporan harian)."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="log_entries")
    date = models.DateField(_("tanggal"))
    # Indexed by (planned_output, date) below instead of the foreign key's own index: the
    # output sums read an output's logs after a date (docs/decisions/199).
    planned_output = models.ForeignKey(
        PlannedOutput, on_delete=models.PROTECT, null=True, blank=True, related_name="log_entries",
        db_index=False,
    )
    description = models.TextField(_("kegiatan"))
    quantity = models.DecimalField(_("realisasi"), max_digits=10, decimal_places=2, default=0)
    minutes = models.PositiveIntegerField(_("waktu (menit)"))
    evidence_url = models.URLField(_("tautan bukti dukung"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("laporan harian")
        verbose_name_plural = _("laporan harian")
        ordering = ["date", "id"]
        indexes = [
            models.Index(fields=["employee", "date"], name="perf_log_emp_date"),
            models.Index(fields=["planned_output", "date"], name="perf_log_output_date"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=0), name="perf_log_quantity_nonneg"),
            models.CheckConstraint(condition=Q(minutes__gt=0, minutes__lte=24 * 60), name="perf_log_minutes"),
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.date}"


class LogEvidence(models.Model):
    """A file of evidence (bukti dukung), stored outside the web root (MEDIA_ROOT)."""

    entry = models.ForeignKey(LogEntry, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to="performance/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("bukti dukung")
        verbose_name_plural = _("bukti dukung")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name


class LogComment(models.Model):
    """Continuous feedback on an entry: the head's comment or the employee's reply."""

    entry = models.ForeignKey(LogEntry, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    author_name = models.CharField(max_length=200)
    by_employee = models.BooleanField(default=False)
    body = models.TextField(_("umpan balik"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.body[:40]}"


class AssessmentState(models.TextChoices):
    DRAFT = "draft", _("Draf")
    FINAL = "final", _("Final")


class Assessment(models.Model):
    """The head's assessment of an employee's period (``period`` is its first day, ``cadence``
    says whether it is a month or a quarter). A finalised version is never changed: a
    correction is a new version."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="assessments")
    period = models.DateField()
    cadence = models.CharField(max_length=10, choices=Cadence.choices, default=Cadence.MONTHLY)
    version = models.PositiveIntegerField(default=1)
    state = models.CharField(max_length=8, choices=AssessmentState.choices, default=AssessmentState.DRAFT)
    # {"<planned_output_id>": "below|meets|above"} and {"<BerAKHLAK value>": "below|meets|above"}
    output_ratings = models.JSONField(default=dict, blank=True)
    behaviour_ratings = models.JSONField(default=dict, blank=True)
    work_result = models.CharField(max_length=8, choices=Expectation.choices, blank=True)
    behaviour = models.CharField(max_length=8, choices=Expectation.choices, blank=True)
    predikat = models.CharField(max_length=16, choices=Predikat.choices, blank=True)
    feedback = models.TextField(_("umpan balik"), blank=True)
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    assessor_name = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finalised_at = models.DateTimeField(null=True, blank=True)
    response = models.TextField(_("tanggapan pegawai"), blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("penilaian kinerja")
        verbose_name_plural = _("penilaian kinerja")
        ordering = ["employee_id", "period", "-version"]
        indexes = [models.Index(fields=["agency", "period"], name="perf_assess_agency_period")]
        constraints = [
            models.UniqueConstraint(fields=["employee", "period", "version"], name="perf_assess_version"),
            models.UniqueConstraint(
                fields=["employee", "period"],
                condition=Q(state="draft"),
                name="perf_assess_one_draft",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.period_key} v{self.version}"

    @property
    def period_key(self) -> str:
        return assessment_period(self.period, self.cadence).key


class LogDayRollup(models.Model):
    """The approved days (schedules' ``ArrangementDay``, active) of one unit and date that
    have at least one daily log of that employee and date, counted per location and time kind
    (docs/decisions/201): the dashboards' "flexible days with a daily log" without joining
    the days and the logs. Derived data, equal at all times to that count: recomputed by
    ``fleksi.performance.log_rollup`` when a log is written (its employee's day) and when the
    schedules rollup recomputes a unit-day (the signal ``plan_days_changed``). Rows of no
    logged day are not kept."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    location_kind = models.CharField(max_length=12)
    time_kind = models.CharField(max_length=8)
    logged = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("ringkasan harian laporan pada hari kerja yang disetujui")
        verbose_name_plural = _("ringkasan harian laporan pada hari kerja yang disetujui")
        indexes = [
            models.Index(fields=["agency", "date"], name="logroll_agency_date"),
            models.Index(fields=["unit", "date"], name="logroll_unit_date"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.date} {self.location_kind}/{self.time_kind}: {self.logged}"


class AssessmentRollup(models.Model):
    """The latest final version of each employee's assessment of a period, counted per unit
    (the employee's unit now, as ``selectors.population_assessments`` groups them), period,
    cadence and predikat. Derived data: written only by ``fleksi.performance.rollup`` (in
    the transaction of each writer of assessments or of an employee's unit) and
    ``fleksi performance rollup --rebuild``; equal at all times to a GROUP BY of the
    assessments (docs/decisions/198). ``n``: assessments, one per employee and period;
    ``few_ids``: the employees of a row of at most ``rollup.FEW`` (comma-separated), else
    empty."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("organisation.OrgUnit", on_delete=models.CASCADE, related_name="+")
    period = models.DateField()
    cadence = models.CharField(max_length=10, choices=Cadence.choices, default=Cadence.MONTHLY)
    predikat = models.CharField(max_length=16, choices=Predikat.choices)
    n = models.PositiveIntegerField(default=0)
    few_ids = models.TextField(blank=True, default="")

    class Meta:
        verbose_name = _("ringkasan penilaian kinerja per unit")
        verbose_name_plural = _("ringkasan penilaian kinerja per unit")
        indexes = [
            models.Index(fields=["agency", "period"], name="assessroll_agency_period"),
            models.Index(fields=["agency", "unit", "period"], name="assessroll_agency_unit_period"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.period} {self.predikat} {self.n}"
