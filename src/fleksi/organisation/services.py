"""Writes of organisation data other than the import: Plt/Plh delegations."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from fleksi.audit.services import audit_record
from fleksi.core import clock
from fleksi.core.errors import ApplicationError, ErrorCode, not_found, validation_error
from fleksi.organisation.models import AgencyOffice, PermittedPlace

from .models import Delegation, DelegationKind, Employee, OrgUnit
from .scoping import scope_for
from .selectors import agency_for_manager


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


def _save_named(
    model: type[AgencyOffice] | type[PermittedPlace],
    *,
    actor: Any,
    agency_id: int,
    row_id: int | None,
    name: str,
    address: str,
    is_active: bool,
    what: str,
    action: str,
) -> Any:
    name = (name or "").strip()
    address = (address or "").strip()
    if not name:
        raise validation_error("name", _("Nama wajib diisi."))
    if len(name) > 200:
        raise validation_error("name", _("Nama paling banyak 200 karakter."))
    if len(address) > 500:
        raise validation_error("address", _("Alamat paling banyak 500 karakter."))
    with transaction.atomic():
        agency = agency_for_manager(actor=actor, agency_id=agency_id)
        row: Any = model(agency=agency)
        if row_id is not None:
            row = model.objects.select_for_update().filter(pk=row_id, agency=agency).first()
            if row is None:
                raise not_found(what)
        if model.objects.filter(agency=agency, name__iexact=name).exclude(pk=row.pk).exists():
            raise validation_error("name", _("Nama %(name)s sudah dipakai.") % {"name": name})
        row.name, row.address, row.is_active = name, address, bool(is_active)
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError:
            raise validation_error(
                "name", _("Nama %(name)s sudah dipakai.") % {"name": name}
            ) from None
        audit_record(
            actor=actor,
            action=action,
            object_type=model.__name__.lower(),
            object_id=row.pk,
            agency_id=agency.pk,
            data={
                "name": name,
                "address": address,
                "is_active": row.is_active,
                "new": row_id is None,
            },
        )
    return row


def office_save(
    *,
    actor: Any,
    agency_id: int,
    office_id: int | None = None,
    name: str,
    address: str = "",
    is_active: bool = True,
) -> AgencyOffice:
    """Create or change an office of the agency (another office an employee may work from)."""
    return _save_named(
        AgencyOffice,
        actor=actor,
        agency_id=agency_id,
        row_id=office_id,
        name=name,
        address=address,
        is_active=is_active,
        what=_("Kantor"),
        action="agency.office_save",
    )


def place_save(
    *,
    actor: Any,
    agency_id: int,
    place_id: int | None = None,
    name: str,
    address: str = "",
    is_active: bool = True,
) -> PermittedPlace:
    """Create or change a permitted "other location" (Pasal 12 ayat (1) huruf c)."""
    return _save_named(
        PermittedPlace,
        actor=actor,
        agency_id=agency_id,
        row_id=place_id,
        name=name,
        address=address,
        is_active=is_active,
        what=_("Lokasi"),
        action="agency.place_save",
    )


# ---- the office's geofence (presensi, issue 8) -------------------------------------------------


def office_geofence_save(
    *,
    actor: Any,
    agency_id: int,
    office_id: int,
    latitude: Any,
    longitude: Any,
    radius_m: int | None,
) -> AgencyOffice:
    """Set (or clear, all three empty) the coordinates and radius of an office, the geofence
    of presensi. The agency's HR only; another agency's office is NOT_FOUND."""
    from decimal import Decimal, InvalidOperation

    def number(value: Any, field: str, low: int, high: int) -> Decimal | None:
        if value in (None, ""):
            return None
        try:
            parsed = Decimal(str(value).strip().replace(",", "."))
        except InvalidOperation:
            raise validation_error(field, _("Isi angka desimal, mis. -6.175392.")) from None
        if not parsed.is_finite() or not (low <= parsed <= high):
            raise validation_error(field, _("Di luar rentang %(low)s sampai %(high)s.") % {"low": low, "high": high})
        return parsed.quantize(Decimal("0.000001"))

    lat = number(latitude, "latitude", -90, 90)
    lon = number(longitude, "longitude", -180, 180)
    if (lat is None) != (lon is None):
        raise validation_error("longitude" if lon is None else "latitude", _("Isi lintang dan bujur bersama-sama."))
    if radius_m is not None and not (10 <= int(radius_m) <= 5000):
        raise validation_error("radius_m", _("Radius antara 10 dan 5000 meter."))
    if lat is not None and radius_m is None:
        raise validation_error("radius_m", _("Isi radius dalam meter."))
    with transaction.atomic():
        agency = agency_for_manager(actor=actor, agency_id=agency_id)
        office = AgencyOffice.objects.select_for_update().filter(pk=office_id, agency=agency).first()
        if office is None:
            raise not_found(_("Kantor"))
        before = [str(office.latitude or ""), str(office.longitude or ""), office.radius_m]
        office.latitude, office.longitude = lat, lon
        office.radius_m = int(radius_m) if radius_m is not None and lat is not None else None
        office.save(update_fields=["latitude", "longitude", "radius_m"])
        audit_record(
            actor=actor, action="agency.office_geofence", object_type="agencyoffice",
            object_id=office.pk, agency_id=agency.pk,
            data={"before": before, "after": [str(lat or ""), str(lon or ""), office.radius_m]},
        )
    return office
