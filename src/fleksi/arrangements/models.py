"""Flexible-work requests, their approval, the approved arrangement days, notifications.

Tables and constraints only; the workflow lives in services.py, the rules in fleksi.policy.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fleksi.organisation.models import Agency, Employee, OrgUnit


class LocationKind(models.TextChoices):
    """The values of fleksi.policy LocationKind (PermenPANRB 4/2025 Pasal 12 ayat (1))."""

    OFFICE = "kantor", _("Kantor penempatan")
    OTHER_OFFICE = "kantor_lain", _("Kantor lain")
    HOME = "rumah", _("Rumah / domisili terdaftar")
    OTHER_LOCATION = "lokasi_lain", _("Lokasi lain")


class TimeKind(models.TextChoices):
    """The values of fleksi.policy TimeKind (Perpres 21/2023; PermenPANRB 4/2025 Pasal 17)."""

    REGULAR = "reguler", _("Jam kerja reguler")
    DYNAMIC = "dinamis", _("Kerja dinamis")
    SHIFT = "sif", _("Sif")


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


class AgencyOffice(models.Model):
    """An office of the agency (head office, vertical office, UPT) an employee may work from."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="offices")
    name = models.CharField(_("nama kantor"), max_length=200)
    address = models.CharField(_("alamat"), max_length=500, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("kantor instansi")
        verbose_name_plural = _("kantor instansi")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="office_unique_name")]

    def __str__(self) -> str:
        return self.name


class PermittedPlace(models.Model):
    """Another location the PPK or agency head permits (Pasal 12 ayat (1) huruf c)."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="permitted_places")
    name = models.CharField(_("nama tempat"), max_length=200)
    address = models.CharField(_("alamat"), max_length=500, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("lokasi lain yang diizinkan")
        verbose_name_plural = _("lokasi lain yang diizinkan")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="place_unique_name")]

    def __str__(self) -> str:
        return self.name


class AgencyFlexDay(models.Model):
    """A national flexible-work day (declared by circular) that the agency applies."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="flex_days")
    date = models.DateField(_("tanggal"))
    circular = models.CharField(_("dasar (surat edaran)"), max_length=200)
    max_share = models.DecimalField(
        _("porsi pegawai paling banyak"), max_digits=3, decimal_places=2, default=1,
        help_text=_("Ditetapkan pimpinan instansi; layanan esensial tetap buka."),
    )

    class Meta:
        verbose_name = _("hari kerja fleksibel nasional")
        verbose_name_plural = _("hari kerja fleksibel nasional")
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["agency", "date"], name="flexday_unique_date")]

    def __str__(self) -> str:
        return f"{self.date} ({self.circular})"


class FlexRequest(models.Model):
    """Pengajuan fleksibilitas kerja (PermenPANRB 4/2025 Pasal 30)."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="flex_requests")
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="flex_requests")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    state = models.CharField(_("status"), max_length=12, choices=RequestState.choices, default=RequestState.DRAFT)
    approval_step = models.CharField(max_length=12, choices=ApprovalStep.choices, blank=True, default="")

    # Location flexibility (blank location_kind = no location flexibility, office days).
    location_kind = models.CharField(_("lokasi"), max_length=12, choices=LocationKind.choices, default=LocationKind.OFFICE)
    office = models.ForeignKey(AgencyOffice, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    place = models.ForeignKey(PermittedPlace, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    place_description = models.CharField(_("uraian lokasi lain"), max_length=500, blank=True)

    # When: a weekly pattern between two dates, or specific dates.
    schedule_mode = models.CharField(max_length=8, choices=ScheduleMode.choices, default=ScheduleMode.DATES)
    start_date = models.DateField(_("mulai"))
    end_date = models.DateField(_("sampai"))
    weekdays = models.JSONField(_("hari dalam pola (0=Senin)"), default=list, blank=True)
    dates = models.JSONField(_("tanggal tertentu"), default=list, blank=True)

    # Time flexibility: per weekday "HH:MM" start/end, e.g. {"0": ["06:30", "15:00"]}.
    time_kind = models.CharField(_("waktu"), max_length=8, choices=TimeKind.choices, default=TimeKind.REGULAR)
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
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
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
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="request_dates_ordered"),
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
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
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
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    from_state = models.CharField(max_length=12, choices=RequestState.choices, blank=True)
    to_state = models.CharField(max_length=12, choices=RequestState.choices)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.from_state} -> {self.to_state}"


class ArrangementDay(models.Model):
    """One employee's planned day from an approved request: the single source of "who works
    where", and of the cap and coverage checks. Ended days stay, marked inactive."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="arrangement_days")
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="arrangement_days")
    request = models.ForeignKey(FlexRequest, on_delete=models.CASCADE, related_name="days")
    date = models.DateField()
    location_kind = models.CharField(max_length=12, choices=LocationKind.choices)
    time_kind = models.CharField(max_length=8, choices=TimeKind.choices, default=TimeKind.REGULAR)
    start_time = models.TimeField(null=True, blank=True)
    end_time = models.TimeField(null=True, blank=True)
    is_special = models.BooleanField(default=False)
    active = models.BooleanField(default=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["date", "employee_id"]
        indexes = [
            models.Index(fields=["unit", "date"], name="arrday_unit_date"),
            models.Index(fields=["employee", "date"], name="arrday_employee_date"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "date"], condition=Q(active=True), name="arrday_one_active_per_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.date} {self.location_kind}"


class Notification(models.Model):
    """An in-app notification (the bell); email goes out after commit as well."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # A notification that must be sent at most once (e.g. "remind:<request>:<date>"); "" = any.
    key = models.CharField(max_length=100, blank=True, default="")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notif_user_unread")]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], condition=~Q(key=""), name="notif_unique_key"),
        ]

    def __str__(self) -> str:
        return self.title


class CalendarFeed(models.Model):
    """A secret, revocable URL to an employee's own calendar as iCalendar."""

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="calendar_feeds")
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["employee"], condition=Q(revoked_at__isnull=True), name="feed_one_active"
            ),
        ]

    def __str__(self) -> str:
        return f"feed {self.employee_id}"
