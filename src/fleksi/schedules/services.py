"""Writes of the schedules app: the employee's secret iCalendar URL (rotate, revoke)."""

from __future__ import annotations

import secrets
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from fleksi.audit.services import audit_record
from fleksi.core import clock
from fleksi.core.errors import not_found
from fleksi.organisation.models import Employee
from fleksi.organisation.selectors import employee_for_user

from .models import CalendarFeed


def calendar_feed_rotate(*, actor: Any) -> CalendarFeed:
    """A new secret calendar URL for the actor; the old one stops working at once."""
    employee = employee_for_user(user=actor)
    if employee is None:
        raise not_found(_("Pegawai"))
    with transaction.atomic():
        Employee.objects.select_for_update().filter(pk=employee.pk).values_list("pk").first()
        now = clock.now()
        revoked = CalendarFeed.objects.filter(employee=employee, revoked_at__isnull=True).update(
            revoked_at=now
        )
        feed = CalendarFeed.objects.create(employee=employee, token=secrets.token_urlsafe(32))
        audit_record(
            actor=actor,
            action="calendar_feed.rotate",
            object_type="calendar_feed",
            object_id=feed.pk,
            agency_id=employee.agency_id,
            data={"revoked": revoked},
        )
    return feed


def calendar_feed_revoke(*, actor: Any) -> int:
    employee = employee_for_user(user=actor)
    if employee is None:
        raise not_found(_("Pegawai"))
    with transaction.atomic():
        revoked = CalendarFeed.objects.filter(employee=employee, revoked_at__isnull=True).update(
            revoked_at=clock.now()
        )
        audit_record(
            actor=actor,
            action="calendar_feed.revoke",
            object_type="calendar_feed",
            object_id="",
            agency_id=employee.agency_id,
            data={"revoked": revoked},
        )
    return revoked
