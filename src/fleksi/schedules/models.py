"""The approved days (one row per employee per date, the source every later app reads) and
the personal calendar feeds. Tables and constraints only."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fleksi import policy
from fleksi.core.choices import text_choices
from fleksi.organisation.models import Agency, Employee, OrgUnit

# PermenPANRB 4/2025 Pasal 12 ayat (1) and Pasal 17: the values and labels of fleksi.policy.
LocationKind = text_choices("LocationKind", policy.LocationKind)
TimeKind = text_choices("TimeKind", policy.TimeKind)


class PublishedSchedule(models.Model):
    """A unit's hybrid schedule as its head published it for a period (issue 11): the plan
    rows (plan.csv columns) and who published it when. Its days are ArrangementDay rows."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="published_schedules")
    start = models.DateField()
    end = models.DateField()
    rows = models.JSONField(default=list)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    published_at = models.DateTimeField()
    days_written = models.PositiveIntegerField(default=0)
    days_ended = models.PositiveIntegerField(default=0)
    # The agency's setting when it was published (docs/decisions/200): its parts wait for the
    # employees' confirmation (ScheduleConfirmation) before their days are written.
    needs_confirmation = models.BooleanField(default=False)

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["unit", "start"], name="pubsched_unit_start")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.start}..{self.end}"


class PlannerJobStatus(models.TextChoices):
    QUEUED = "queued", _("Dalam antrean")
    RUNNING = "running", _("Sedang mencari")
    DONE = "done", _("Selesai")
    INFEASIBLE = "infeasible", _("Tidak ada jadwal yang sah")
    FAILED = "failed", _("Gagal")


class PlannerJob(models.Model):
    """A proposal the head asked for on the planner page, solved in the background (the job
    queue): the inputs, the solver's progress the page polls, and the result (plan rows and
    summary, or the conflicts). Only its creator sees it (docs/decisions/206)."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=PlannerJobStatus.choices, default=PlannerJobStatus.QUEUED)
    params = models.JSONField(default=dict)
    time_limit = models.FloatField(default=10.0)  # seconds per unit
    units = models.PositiveSmallIntegerField(default=0)
    unit_index = models.PositiveSmallIntegerField(default=0)
    solutions = models.PositiveIntegerField(default=0)
    objective = models.FloatField(null=True, blank=True)
    bound = models.FloatField(null=True, blank=True)
    gap = models.FloatField(null=True, blank=True)
    elapsed = models.FloatField(default=0.0)  # seconds since the search started
    result = models.JSONField(default=dict, blank=True)
    error = models.CharField(max_length=500, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)  # last progress write (fleksi.core.jobs)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"usulan {self.pk} unit {self.unit_id} {self.status}"

    @property
    def finished(self) -> bool:
        return self.status not in (PlannerJobStatus.QUEUED, PlannerJobStatus.RUNNING)


class ServiceRole(models.Model):
    """A service role the head marks for an employee on the planner page (e.g. "loket",
    front desk), used by role coverage minimums (docs/decisions/205)."""

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="service_roles")
    role = models.CharField(max_length=30)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    marked_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["employee_id", "role"]
        constraints = [models.UniqueConstraint(fields=["employee", "role"], name="service_role_once")]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.role}"


class ArrangementDay(models.Model):
    """One employee's planned day from an approved request or a published unit schedule:
    the single source of "who works where", and of the cap and coverage checks. Ended days
    stay, marked inactive."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="arrangement_days")
    employee = models.ForeignKey(
        Employee, on_delete=models.CASCADE, related_name="arrangement_days"
    )
    request = models.ForeignKey(
        "requests.FlexRequest", on_delete=models.CASCADE, related_name="days", null=True, blank=True
    )
    schedule = models.ForeignKey(
        PublishedSchedule, on_delete=models.CASCADE, related_name="days", null=True, blank=True
    )
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
            # The agency's first approved day (the before/after default start) and the national
            # reads by agency and period (docs/decisions/197).
            models.Index(fields=["agency", "date"], name="arrday_agency_date"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "date"],
                condition=Q(active=True),
                name="arrday_one_active_per_day",
            ),
            models.CheckConstraint(
                condition=Q(request__isnull=False, schedule__isnull=True)
                | Q(request__isnull=True, schedule__isnull=False),
                name="arrday_from_request_or_schedule",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.date} {self.location_kind}"


class ConfirmationState(models.TextChoices):
    PENDING = "menunggu", _("Menunggu konfirmasi")
    CONFIRMED = "dikonfirmasi", _("Dikonfirmasi")
    SUPERSEDED = "digantikan", _("Digantikan jadwal yang lebih baru")


class ScheduleConfirmation(models.Model):
    """One employee's part of a published schedule that waits for the employee's
    confirmation (the agency setting, docs/decisions/200): the days to write (plan.csv rows)
    and the dates whose earlier published day ends. Not in force until confirmed."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    schedule = models.ForeignKey(
        PublishedSchedule, on_delete=models.CASCADE, related_name="confirmations"
    )
    employee = models.ForeignKey(
        Employee, on_delete=models.CASCADE, related_name="schedule_confirmations"
    )
    state = models.CharField(
        max_length=12, choices=ConfirmationState.choices, default=ConfirmationState.PENDING
    )
    rows = models.JSONField(default=list)
    ends = models.JSONField(default=list)
    created_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    days_written = models.PositiveIntegerField(default=0)
    superseded_by = models.ForeignKey(
        PublishedSchedule, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["schedule_id", "employee_id"]
        constraints = [
            models.UniqueConstraint(fields=["schedule", "employee"], name="schedconf_one_per_employee"),
        ]
        indexes = [models.Index(fields=["employee", "state"], name="schedconf_employee_state")]

    def __str__(self) -> str:
        return f"{self.schedule_id} {self.employee_id} {self.state}"


class ChangeState(models.TextChoices):
    SUBMITTED = "diajukan", _("Diajukan")
    APPROVED = "disetujui", _("Disetujui")
    REJECTED = "ditolak", _("Ditolak")
    CANCELLED = "dibatalkan", _("Dibatalkan")


class ScheduleChangeRequest(models.Model):
    """An employee's request to change days of a published schedule (issue 11): the dates,
    the wanted place and a reason; decided by the head of the schedule's unit (or a head
    above it, or a Plt/Plh for the dates). Approval writes the days."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    schedule = models.ForeignKey(
        PublishedSchedule, on_delete=models.CASCADE, related_name="change_requests"
    )
    employee = models.ForeignKey(
        Employee, on_delete=models.CASCADE, related_name="schedule_change_requests"
    )
    dates = models.JSONField(default=list)
    location_kind = models.CharField(max_length=12, choices=LocationKind.choices)
    reason = models.TextField()
    state = models.CharField(max_length=12, choices=ChangeState.choices, default=ChangeState.SUBMITTED)
    created_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["schedule", "state"], name="schedchange_schedule_state"),
            models.Index(fields=["employee", "state"], name="schedchange_employee_state"),
        ]

    def __str__(self) -> str:
        return f"{self.schedule_id} {self.employee_id} {self.state}"


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


class PlanDayRollup(models.Model):
    """The active approved days (``ArrangementDay``) of one unit and date counted per
    location and time kind (docs/decisions/201): what the monitoring dashboards read instead
    of the days themselves. Derived data, equal at all times to a GROUP BY of the active
    days: written only by ``fleksi.schedules.rollup`` in the transaction that wrote the days,
    and by ``fleksi schedules rollup --rebuild``. An employee has one active day per date, so
    ``days`` is also the row's distinct employees; ``few_ids``: their ids (comma-separated)
    when at most ``rollup.FEW``, so that a distinct count under 5 over a period stays exact."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    location_kind = models.CharField(max_length=12)
    time_kind = models.CharField(max_length=8)
    days = models.PositiveIntegerField(default=0)
    few_ids = models.TextField(blank=True, default="")

    class Meta:
        verbose_name = _("ringkasan harian rencana kerja per unit")
        verbose_name_plural = _("ringkasan harian rencana kerja per unit")
        indexes = [
            models.Index(fields=["agency", "date"], name="planroll_agency_date"),
            models.Index(fields=["unit", "date"], name="planroll_unit_date"),
            models.Index(fields=["date"], name="planroll_date"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.date} {self.location_kind}/{self.time_kind}: {self.days}"


class PlanMonthRollup(models.Model):
    """One employee's flexible approved days (active; away from the office or not at regular
    hours) of one month, unit and location kind as a bit mask of the days of the month (bit
    d-1: day d), for the dashboards' distinct employees with a flexible day over a period
    (docs/decisions/201): a period cuts a month by masking the days, so no count needs the
    days themselves. Derived data, written with ``PlanDayRollup`` by ``fleksi.schedules.rollup``."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="+", db_index=False)
    month = models.DateField()  # the first of the month
    location_kind = models.CharField(max_length=12)
    mask = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("ringkasan bulanan hari kerja fleksibel per pegawai")
        verbose_name_plural = _("ringkasan bulanan hari kerja fleksibel per pegawai")
        indexes = [
            models.Index(fields=["agency", "month"], name="planmonth_agency_month"),
            models.Index(fields=["employee", "month"], name="planmonth_employee_month"),
            models.Index(fields=["unit", "month"], name="planmonth_unit_month"),
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.month:%Y-%m} {self.location_kind}: {self.mask:b}"
