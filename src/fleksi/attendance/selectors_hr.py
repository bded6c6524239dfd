"""Reads of HR's presensi page: the agency's offices (with their geofence) and the latest
leave days. The views check the actor manages the agency first."""

from __future__ import annotations

from fleksi.organisation.models import AgencyOffice

from .models import LeaveDay


def offices_of(*, agency_id: int) -> list[AgencyOffice]:
    return list(AgencyOffice.objects.filter(agency_id=agency_id).order_by("name"))


def leave_recent(*, agency_id: int, limit: int = 30) -> list[LeaveDay]:
    return list(
        LeaveDay.objects.filter(agency_id=agency_id)
        .select_related("employee")
        .order_by("-created_at", "-id")[:limit]
    )
