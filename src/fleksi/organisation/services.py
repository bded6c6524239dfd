"""Writes of organisation data other than the import: Plt/Plh delegations."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from fleksi.audit.services import audit_record
from fleksi.core import clock
from fleksi.core.errors import ApplicationError, ErrorCode

from .models import Delegation, DelegationKind, Employee, OrgUnit
from .scoping import scope_for


def _managed_unit(actor: Any, unit_id: int) -> OrgUnit:
    unit = OrgUnit.objects.select_related("agency", "head").filter(pk=unit_id).first()
    if unit is None or not scope_for(actor).can_manage_agency(unit.agency_id):
        raise ApplicationError(ErrorCode.NOT_FOUND, _("Unit organisasi tidak ditemukan."))
    return unit


@transaction.atomic
def delegation_create(
    *,
    actor: Any,
    unit_id: int,
    delegate_nip: str,
    kind: str,
    start: dt.date,
    end: dt.date,
    reason: str = "",
) -> Delegation:
    """Appoint a Plt/Plh who holds the unit head's approval rights from `start` to `end`."""
    unit = _managed_unit(actor, unit_id)
    fields: dict[str, str] = {}
    delegate = Employee.objects.filter(nip=(delegate_nip or "").strip(), agency_id=unit.agency_id, is_active=True).first()
    if delegate is None:
        fields["delegate_nip"] = _("Tidak ada pegawai aktif dengan NIP ini di instansi Anda.")
    elif unit.head_id == delegate.pk:
        fields["delegate_nip"] = _("Pegawai ini sudah kepala unit tersebut.")
    if kind not in DelegationKind.values:
        fields["kind"] = _("Pilih Plt atau Plh.")
    if end < start:
        fields["end"] = _("Tanggal selesai tidak boleh sebelum tanggal mulai.")
    elif end < clock.today(unit.time_zone):
        fields["end"] = _("Pelimpahan yang sudah berakhir tidak dapat dibuat.")
    if fields:
        raise ApplicationError(ErrorCode.VALIDATION, _("Periksa kembali isian pelimpahan."), {"fields": fields})
    assert delegate is not None
    delegation = Delegation.objects.create(
        unit=unit, delegate=delegate, kind=kind, start=start, end=end,
        reason=(reason or "").strip()[:300], created_by=actor,
    )
    audit_record(
        actor=actor, action="delegation.create", object_type="delegation", object_id=delegation.pk,
        agency_id=unit.agency_id,
        data={"unit": unit.code, "delegate": delegate.nip, "kind": kind, "start": start, "end": end},
    )
    return delegation


@transaction.atomic
def delegation_revoke(*, actor: Any, delegation_id: int) -> Delegation:
    delegation = (
        Delegation.objects.select_for_update().select_related("unit").filter(pk=delegation_id).first()
    )
    if delegation is None or not scope_for(actor).can_manage_agency(delegation.unit.agency_id):
        raise ApplicationError(ErrorCode.NOT_FOUND, _("Pelimpahan tidak ditemukan."))
    if delegation.revoked_at is None:
        delegation.revoked_at = clock.now()
        delegation.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor, action="delegation.revoke", object_type="delegation", object_id=delegation.pk,
            agency_id=delegation.unit.agency_id,
        )
    return delegation
