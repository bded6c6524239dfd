"""Locked months of presensi: HR closes a month for the agency (or a unit subtree) once the
recap is final; a locked month takes no more corrections. Unlocking is audited too."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from fleksi.audit.services import audit_record
from fleksi.core.errors import ApplicationError, ErrorCode, not_found, permission_denied
from fleksi.organisation.models import Employee, OrgUnit
from fleksi.organisation.scoping import scope_for

from .models import MonthLock

MONTH_LOCKED = "month_locked"  # details.reason of the VALIDATION error

MONTHS_ID = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
             "September", "Oktober", "November", "Desember")


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_text(month: dt.date) -> str:
    return f"{MONTHS_ID[month.month - 1]} {month.year}"


def _unit_ids_of_path(path: str) -> list[int]:
    return [int(p) for p in path.strip("/").split("/") if p.isdigit()]


def month_lock_for(*, employee: Employee, day: dt.date) -> MonthLock | None:
    """The lock covering this employee's day: the agency's or one of the units on the path."""
    return (
        MonthLock.objects.filter(agency_id=employee.agency_id, month=month_start(day))
        .filter(Q(unit__isnull=True) | Q(unit_id__in=_unit_ids_of_path(employee.unit.path)))
        .first()
    )


def ensure_month_open(*, employee: Employee, day: dt.date) -> None:
    if month_lock_for(employee=employee, day=day) is not None:
        raise ApplicationError(
            ErrorCode.VALIDATION,
            _("Presensi bulan %(month)s sudah dikunci oleh admin SDM: koreksi tidak dapat diajukan atau diputuskan lagi.")
            % {"month": month_text(month_start(day))},
            {"reason": MONTH_LOCKED, "month": month_start(day).strftime("%Y-%m")},
        )


def _managed(actor: Any, agency_id: int, unit_id: int | None) -> OrgUnit | None:
    scope = scope_for(actor)
    if not scope.can_manage_agency(agency_id):
        if agency_id in scope.member_agency_ids:
            raise permission_denied(_("Hanya admin SDM instansi yang dapat mengunci bulan presensi."))
        raise not_found(_("Instansi"))
    if unit_id is None:
        return None
    unit = OrgUnit.objects.filter(pk=unit_id, agency_id=agency_id).first()
    if unit is None:
        raise not_found(_("Unit organisasi"))
    return unit


def month_lock(*, actor: Any, agency_id: int, month: dt.date, unit_id: int | None = None) -> MonthLock:
    """Lock a month for the agency (or a unit subtree). Locking twice is a CONFLICT."""
    unit = _managed(actor, agency_id, unit_id)
    month = month_start(month)
    try:
        with transaction.atomic():
            lock = MonthLock.objects.create(
                agency_id=agency_id, unit=unit, month=month,
                locked_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
            audit_record(
                actor=actor, action="attendance.month_lock", object_type="attendance_month",
                object_id=month.strftime("%Y-%m"), agency_id=agency_id,
                data={"unit_id": unit.pk if unit else None},
            )
    except IntegrityError:
        raise ApplicationError(
            ErrorCode.CONFLICT, _("Bulan %(month)s sudah dikunci.") % {"month": month_text(month)}
        ) from None
    return lock


def month_unlock(*, actor: Any, agency_id: int, month: dt.date, unit_id: int | None = None) -> None:
    """Unlock a month (audited: who, when, which month and unit)."""
    unit = _managed(actor, agency_id, unit_id)
    month = month_start(month)
    with transaction.atomic():
        rows = MonthLock.objects.filter(agency_id=agency_id, month=month)
        rows = rows.filter(unit=unit) if unit is not None else rows.filter(unit__isnull=True)
        deleted, _rows = rows.delete()
        if not deleted:
            raise not_found(_("Kunci bulan"))
        audit_record(
            actor=actor, action="attendance.month_unlock", object_type="attendance_month",
            object_id=month.strftime("%Y-%m"), agency_id=agency_id,
            data={"unit_id": unit.pk if unit else None},
        )


def month_locks(*, actor: Any, agency_id: int) -> list[MonthLock]:
    _managed(actor, agency_id, None)
    return list(MonthLock.objects.filter(agency_id=agency_id).select_related("unit").order_by("-month", "unit_id"))
