"""The approved days (one row per employee per date, the source every later app reads) and
the personal calendar feeds. Tables and constraints only."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

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

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["unit", "start"], name="pubsched_unit_start")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.start}..{self.end}"


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
