"""Reads of the agency's scheme for its settings pages (managers only)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from fleksi.organisation.models import (
    Agency,
    AgencyOffice,
    PermittedPlace,
)
from fleksi.organisation.selectors import agency_for_manager
from fleksi.policy.model import Policy

from .facts import agency_policy
from .models import AgencyFlexDay


@dataclass(frozen=True)
class AgencySettings:
    agency: Agency
    policy: Policy  # the effective policy (defaults filled in)
    policy_data: dict[str, Any]  # what the agency set (policy.json)
    offices: list[AgencyOffice]
    places: list[PermittedPlace]
    flex_days: list[AgencyFlexDay]


def agency_settings_get(*, actor: Any, agency_id: int) -> AgencySettings:
    agency = agency_for_manager(actor=actor, agency_id=agency_id)
    return AgencySettings(
        agency=agency,
        policy=agency_policy(agency),
        policy_data=dict(agency.policy or {}),
        offices=list(AgencyOffice.objects.filter(agency=agency).order_by("name")),
        places=list(PermittedPlace.objects.filter(agency=agency).order_by("name")),
        flex_days=list(AgencyFlexDay.objects.filter(agency=agency).order_by("date")),
    )


def population_flex_days(
    *, agency_ids: list[int] | None, start: dt.date, end: dt.date
) -> QuerySet[AgencyFlexDay]:
    """National flexible-work days the agencies apply between two dates (for monitoring)."""
    qs = AgencyFlexDay.objects.filter(date__gte=start, date__lte=end)
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=agency_ids)
    return qs
