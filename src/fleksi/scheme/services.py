"""Writes of the agency's scheme: policy (within the law), settings, national flexible days.
Each raises the scheme version so the cached Policy is rebuilt."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from fleksi.audit.services import audit_record
from fleksi.core.errors import ApplicationError, ErrorCode, not_found, validation_error
from fleksi.organisation.models import Agency
from fleksi.policy.model import Policy, PolicyError

from . import selectors
from .facts import scheme_changed
from .models import AgencyFlexDay


def _lang() -> str:
    from django.utils.translation import get_language

    return "en" if (get_language() or "id").startswith("en") else "id"


def agency_policy_update(*, actor: Any, agency_id: int, data: dict[str, Any]) -> Agency:
    """Set the agency's policy (policy.json keys). Anything looser than the regulation or
    malformed is refused with every problem in ``details["problems"]``."""
    with transaction.atomic():
        agency = selectors.agency_for_manager(actor=actor, agency_id=agency_id)
        if not isinstance(data, dict):
            raise validation_error("policy", _("Kebijakan harus berupa objek JSON."))
        try:
            Policy.from_dict(data)
        except PolicyError as error:
            problems = [{"key": p.column, "message": p.message(_lang())} for p in error.problems]
            raise ApplicationError(
                ErrorCode.VALIDATION,
                _("Kebijakan ditolak: %(first)s")
                % {"first": problems[0]["message"] if problems else ""},
                {
                    "problems": problems,
                    "fields": {"policy": "; ".join(p["message"] for p in problems)},
                },
            ) from None
        agency = Agency.objects.select_for_update().get(pk=agency.pk)
        old = agency.policy
        agency.policy = dict(data)
        agency.save(update_fields=["policy"])
        scheme_changed(agency)
        audit_record(
            actor=actor,
            action="agency.policy_update",
            object_type="agency",
            object_id=agency.pk,
            agency_id=agency.pk,
            data={"old": old, "new": agency.policy},
        )
    return agency


def agency_settings_update(
    *,
    actor: Any,
    agency_id: int,
    flexible_work_enabled: bool,
    approval_supervisor_first: bool,
    reminder_after_days: int,
    session_idle_minutes: int | None = None,
    schedule_needs_confirmation: bool | None = None,
) -> Agency:
    if session_idle_minutes is not None and (
        isinstance(session_idle_minutes, bool)
        or not isinstance(session_idle_minutes, int)
        or not 5 <= session_idle_minutes <= 480
    ):
        raise validation_error("session_idle_minutes", _("Batas tidak aktif harus 5 sampai 480 menit."))
    if (
        isinstance(reminder_after_days, bool)
        or not isinstance(reminder_after_days, int)
        or not 1 <= reminder_after_days <= 60
    ):
        raise validation_error("reminder_after_days", _("Pengingat harus 1 sampai 60 hari."))
    with transaction.atomic():
        selectors.agency_for_manager(actor=actor, agency_id=agency_id)
        agency = Agency.objects.select_for_update().get(pk=agency_id)
        old = {
            "flexible_work_enabled": agency.flexible_work_enabled,
            "approval_supervisor_first": agency.approval_supervisor_first,
            "reminder_after_days": agency.reminder_after_days,
            "session_idle_minutes": agency.session_idle_minutes,
            "schedule_needs_confirmation": agency.schedule_needs_confirmation,
        }
        agency.flexible_work_enabled = bool(flexible_work_enabled)
        agency.approval_supervisor_first = bool(approval_supervisor_first)
        agency.reminder_after_days = reminder_after_days
        if session_idle_minutes is not None:
            agency.session_idle_minutes = session_idle_minutes
        if schedule_needs_confirmation is not None:
            agency.schedule_needs_confirmation = bool(schedule_needs_confirmation)
        agency.save(update_fields=list(old))
        scheme_changed(agency)
        audit_record(
            actor=actor,
            action="agency.settings_update",
            object_type="agency",
            object_id=agency.pk,
            agency_id=agency.pk,
            data={"old": old, "new": {k: getattr(agency, k) for k in old}},
        )
    return agency


def flex_day_declare(
    *,
    actor: Any,
    agency_id: int,
    date: dt.date,
    circular: str,
    max_share: Decimal | float | str = 1,
) -> AgencyFlexDay:
    """Apply a national flexible-work day in the agency (one per date; declaring a date again
    changes it)."""
    circular = (circular or "").strip()
    if not circular:
        raise validation_error("circular", _("Dasar (surat edaran) wajib diisi."))
    if len(circular) > 200:
        raise validation_error("circular", _("Dasar paling banyak 200 karakter."))
    if not isinstance(date, dt.date):
        raise validation_error("date", _("Tanggal wajib diisi."))
    try:
        share = Decimal(str(max_share)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        share = Decimal(-1)
    if not Decimal(0) <= share <= Decimal(1):
        raise validation_error("max_share", _("Porsi pegawai harus 0 sampai 1."))
    with transaction.atomic():
        agency = selectors.agency_for_manager(actor=actor, agency_id=agency_id)
        day, created = AgencyFlexDay.objects.select_for_update().update_or_create(
            agency=agency, date=date, defaults={"circular": circular, "max_share": share}
        )
        scheme_changed(agency)
        audit_record(
            actor=actor,
            action="agency.flex_day_declare",
            object_type="agency_flex_day",
            object_id=day.pk,
            agency_id=agency.pk,
            data={
                "date": date.isoformat(),
                "circular": circular,
                "max_share": str(share),
                "new": created,
            },
        )
    return day


def flex_day_remove(*, actor: Any, flex_day_id: int) -> None:
    with transaction.atomic():
        day = AgencyFlexDay.objects.select_for_update().filter(pk=flex_day_id).first()
        if day is None:
            raise not_found(_("Hari kerja fleksibel"))
        try:
            selectors.agency_for_manager(actor=actor, agency_id=day.agency_id)
        except ApplicationError as error:
            if error.code == ErrorCode.NOT_FOUND:
                raise not_found(_("Hari kerja fleksibel")) from None
            raise
        audit_record(
            actor=actor,
            action="agency.flex_day_remove",
            object_type="agency_flex_day",
            object_id=day.pk,
            agency_id=day.agency_id,
            data={"date": day.date.isoformat(), "circular": day.circular},
        )
        day.delete()
        scheme_changed(day.agency)
