"""Writes of the schedules app: the arrangement days (the one write path of approved
requests and published unit schedules), the employee's secret iCalendar URL (rotate,
revoke)."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from typing import Any, Protocol

from django.db import transaction
from django.utils.translation import gettext as _

from fleksi.audit.services import audit_record
from fleksi.core import clock
from fleksi.core.errors import not_found
from fleksi.organisation.models import Employee
from fleksi.organisation.selectors import employee_for_user

from . import rollup
from .models import ArrangementDay, CalendarFeed


class PlannedDayLike(Protocol):
    @property
    def date(self) -> dt.date: ...
    @property
    def location_kind(self) -> str: ...
    @property
    def time_kind(self) -> str: ...
    @property
    def start(self) -> dt.time | None: ...
    @property
    def end(self) -> dt.time | None: ...


def arrangement_days_write(
    *,
    employee: Employee,
    days: Iterable[PlannedDayLike],
    now: dt.datetime,
    request_id: int | None = None,
    schedule_id: int | None = None,
    is_special: bool = False,
    touched: list[rollup.Key] | None = None,
) -> int:
    """Write one active ArrangementDay per day for the employee, from an approved request
    or a published schedule (exactly one of them), ending the active day another source
    had on the same date (a change of arrangement). Inside the caller's transaction, under
    its locks. Returns the number of days replaced. The rollup of the unit-days touched
    (docs/decisions/201) is recomputed here, or, when ``touched`` is given, their keys are
    added to it and the caller recomputes them once for all its writes (``rollup.refresh``)."""
    if (request_id is None) == (schedule_id is None):
        raise ValueError("exactly one of request_id and schedule_id")
    days = list(days)
    old = ArrangementDay.objects.filter(employee=employee, active=True, date__in=[d.date for d in days])
    ending = rollup.keys_of(old)  # their units may differ from the employee's unit now
    replaced = old.update(active=False, ended_at=now) if ending else 0
    keys = ending + [(employee.unit_id, d.date, employee.pk) for d in days]
    ArrangementDay.objects.bulk_create(
        ArrangementDay(
            agency_id=employee.agency_id,
            unit_id=employee.unit_id,
            employee=employee,
            request_id=request_id,
            schedule_id=schedule_id,
            date=day.date,
            location_kind=day.location_kind,
            time_kind=day.time_kind,
            start_time=day.start,
            end_time=day.end,
            is_special=is_special,
        )
        for day in days
    )
    if touched is None:
        rollup.refresh(keys)
    else:
        touched.extend(keys)
    return replaced


def arrangement_days_end(days: Any, *, now: dt.datetime, touched: list[rollup.Key] | None = None) -> int:
    """End the active days of the queryset ``days`` (a withdrawal, a cancelled or replaced
    schedule): inside the caller's transaction; the rollup as ``arrangement_days_write``.
    Returns the number of days ended."""
    days = days.filter(active=True)
    keys = rollup.keys_of(days)
    if not keys:
        return 0
    ended = days.update(active=False, ended_at=now)
    if touched is None:
        rollup.refresh(keys)
    else:
        touched.extend(keys)
    return int(ended)


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
