"""The monitoring app's own tables: the unit's public-service figures (IKM, complaints), the
employees' readiness self-reports and the evaluation reports. Tables and constraints only."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fleksi.organisation.models import Agency, Employee, OrgUnit


class ServiceIndex(models.Model):
    """A unit's public satisfaction index (IKM, 0-100) and complaints count for a month,
    entered or imported by HR (CSV ``unit_kode,periode,ikm,pengaduan``)."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    period = models.DateField(_("periode (bulan)"))  # the first day of the month
    ikm = models.DecimalField(
        _("IKM"), max_digits=5, decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    complaints = models.PositiveIntegerField(_("pengaduan"), default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("indeks layanan unit")
        verbose_name_plural = _("indeks layanan unit")
        ordering = ["period", "unit_id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "period"], name="service_one_per_month"),
            models.CheckConstraint(condition=Q(ikm__gte=0) & Q(ikm__lte=100), name="service_ikm_range"),
        ]
        indexes = [models.Index(fields=["agency", "period"], name="service_agency_period")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.period:%Y-%m} IKM {self.ikm}"


class ReadinessScore(models.IntegerChoices):
    POOR = 1, _("1 - kurang")
    FAIR = 2, _("2 - cukup")
    GOOD = 3, _("3 - baik")
    VERY_GOOD = 4, _("4 - sangat baik")


class ReadinessReport(models.Model):
    """An employee's periodic self-report of infrastructure readiness (1-4 each), one per
    month; ``unit`` is the employee's unit when reporting."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="+")
    period = models.DateField(_("periode (bulan)"))
    equipment = models.PositiveSmallIntegerField(_("peralatan kerja"), choices=ReadinessScore.choices)
    connection = models.PositiveSmallIntegerField(_("kualitas koneksi"), choices=ReadinessScore.choices)
    workspace = models.PositiveSmallIntegerField(_("ruang kerja"), choices=ReadinessScore.choices)
    comment = models.TextField(_("catatan"), blank=True, max_length=2000)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("laporan kesiapan")
        verbose_name_plural = _("laporan kesiapan")
        ordering = ["period", "employee_id"]
        constraints = [
            models.UniqueConstraint(fields=["employee", "period"], name="readiness_one_per_month"),
            models.CheckConstraint(
                condition=Q(equipment__gte=1, equipment__lte=4)
                & Q(connection__gte=1, connection__lte=4)
                & Q(workspace__gte=1, workspace__lte=4),
                name="readiness_scale",
            ),
        ]
        indexes = [models.Index(fields=["agency", "unit", "period"], name="readiness_agency_unit")]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.period:%Y-%m}"


class ReportFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    XLSX = "xlsx", "XLSX"


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("Dalam antrean")
    RUNNING = "running", _("Sedang dibuat")
    DONE = "done", _("Selesai")
    FAILED = "failed", _("Gagal")


class EvaluationReport(models.Model):
    """A laporan pemantauan dan evaluasi for the agency or a unit subtree and a period,
    generated in the background; kept with who generated it and when."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    start = models.DateField(_("mulai"))
    end = models.DateField(_("sampai"))
    format = models.CharField(_("format"), max_length=4, choices=ReportFormat.choices)
    conclusions = models.TextField(_("kesimpulan"), blank=True, max_length=10000)
    recommendations = models.TextField(_("rekomendasi"), blank=True, max_length=10000)
    status = models.CharField(max_length=8, choices=ReportStatus.choices, default=ReportStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)  # 0..100
    error = models.CharField(max_length=500, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    file = models.FileField(upload_to="reports/%Y/%m/", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)  # last progress write (fleksi.core.jobs)

    class Meta:
        verbose_name = _("laporan pemantauan dan evaluasi")
        verbose_name_plural = _("laporan pemantauan dan evaluasi")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["agency", "created_at"], name="report_agency_created")]

    def __str__(self) -> str:
        return f"laporan {self.pk} {self.start}–{self.end} {self.format}"
