"""Flexible-work requests (PermenPANRB 4/2025 Pasal 30), their planned outputs, evidence and
state transitions. Tables and constraints only; the workflow is in services and decisions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fleksi.organisation.models import Agency, AgencyOffice, Employee, PermittedPlace
from fleksi.schedules.models import LocationKind, TimeKind


class RequestState(models.TextChoices):
    DRAFT = "draft", _("Draf")
    SUBMITTED = "submitted", _("Diajukan")
    RETURNED = "returned", _("Dikembalikan untuk perbaikan")
    APPROVED = "approved", _("Disetujui")
    REJECTED = "rejected", _("Ditolak")
    CANCELLED = "cancelled", _("Dibatalkan pegawai")
    REVOKED = "revoked", _("Dicabut atasan")


class ScheduleMode(models.TextChoices):
    PATTERN = "pattern", _("Pola mingguan")
    DATES = "dates", _("Tanggal tertentu")


class ApprovalStep(models.TextChoices):
    SUPERVISOR = "supervisor", _("Atasan langsung")
    HEAD = "head", _("Pimpinan unit")


class FlexRequest(models.Model):
    """Pengajuan fleksibilitas kerja (PermenPANRB 4/2025 Pasal 30)."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="flex_requests")
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="flex_requests")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    state = models.CharField(
        _("status"), max_length=12, choices=RequestState.choices, default=RequestState.DRAFT
    )
    approval_step = models.CharField(
        max_length=12, choices=ApprovalStep.choices, blank=True, default=""
    )

    # Location flexibility (blank location_kind = no location flexibility, office days).
    location_kind = models.CharField(
        _("lokasi"), max_length=12, choices=LocationKind.choices, default=LocationKind.OFFICE
    )
    office = models.ForeignKey(
        AgencyOffice, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    place = models.ForeignKey(
        PermittedPlace, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    place_description = models.CharField(_("uraian lokasi lain"), max_length=500, blank=True)

    # When: a weekly pattern between two dates, or specific dates.
    schedule_mode = models.CharField(
        max_length=8, choices=ScheduleMode.choices, default=ScheduleMode.DATES
    )
    start_date = models.DateField(_("mulai"))
    end_date = models.DateField(_("sampai"))
    weekdays = models.JSONField(_("hari dalam pola (0=Senin)"), default=list, blank=True)
    dates = models.JSONField(_("tanggal tertentu"), default=list, blank=True)

    # Time flexibility: per weekday "HH:MM" start/end, e.g. {"0": ["06:30", "15:00"]}.
    time_kind = models.CharField(
        _("waktu"), max_length=8, choices=TimeKind.choices, default=TimeKind.REGULAR
    )
    hours = models.JSONField(_("jam rencana per hari"), default=dict, blank=True)

    # Keadaan khusus lifts the weekly cap for the approved period only.
    is_special = models.BooleanField(_("keadaan khusus"), default=False)
    special_description = models.TextField(_("uraian keadaan khusus"), blank=True)

    reason = models.TextField(_("alasan"), blank=True)
    work_plan = models.TextField(_("rencana kerja"), blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decision_note = models.TextField(_("catatan keputusan"), blank=True)
    findings = models.JSONField(default=list, blank=True, help_text="The last check's findings.")

    class Meta:
        verbose_name = _("pengajuan kerja fleksibel")
        verbose_name_plural = _("pengajuan kerja fleksibel")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["agency", "state"]),
            models.Index(fields=["employee", "state"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="request_dates_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.employee} {self.start_date}–{self.end_date} ({self.state})"


class PlannedOutput(models.Model):
    """An output planned in a request: later the unit of output-based assessment."""

    request = models.ForeignKey(FlexRequest, on_delete=models.CASCADE, related_name="outputs")
    description = models.CharField(_("uraian keluaran"), max_length=500)
    target_quantity = models.DecimalField(_("target"), max_digits=10, decimal_places=2, default=1)
    unit = models.CharField(_("satuan"), max_length=50, default="dokumen")
    due_date = models.DateField(_("tenggat"), null=True, blank=True)

    class Meta:
        verbose_name = _("keluaran rencana")
        verbose_name_plural = _("keluaran rencana")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.description


class Evidence(models.Model):
    """A supporting file for keadaan khusus, stored outside the web root (MEDIA_ROOT)."""

    request = models.ForeignKey(FlexRequest, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to="evidence/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("bukti keadaan khusus")
        verbose_name_plural = _("bukti keadaan khusus")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name


class RequestTransition(models.Model):
    """Every state change of a request: who, when, from, to, why."""

    request = models.ForeignKey(FlexRequest, on_delete=models.CASCADE, related_name="transitions")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    from_state = models.CharField(max_length=12, choices=RequestState.choices, blank=True)
    to_state = models.CharField(max_length=12, choices=RequestState.choices)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.from_state} -> {self.to_state}"
