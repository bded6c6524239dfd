"""The check-in as the device sends it: parsed and bounded before anything is read or stored.

One place for the rules of the body, so the API, the phone page and the demo refuse the same
inputs with the same messages (``ApplicationError`` VALIDATION, details per field).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from fleksi.core.errors import ApplicationError, ErrorCode

from .geo import round_coordinate
from .models import CheckInKind, LocationKind

MAX_BODY_BYTES = 4096
MAX_NOTE = 500
MAX_ACCURACY_M = 100_000
FUTURE_LIMIT = dt.timedelta(minutes=10)


@dataclass(frozen=True)
class CheckInInput:
    kind: str
    location: str
    client_time: dt.datetime  # aware
    idempotency_key: uuid.UUID
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    accuracy_m: int | None = None
    note: str = ""

    @property
    def body_hash(self) -> str:
        """The same body (after parsing) gives the same hash, however it was formatted."""
        canonical = json.dumps(
            {
                "kind": self.kind,
                "location": self.location,
                "client_time": self.client_time.astimezone(dt.UTC).isoformat(),
                "idempotency_key": str(self.idempotency_key),
                "latitude": str(self.latitude) if self.latitude is not None else None,
                "longitude": str(self.longitude) if self.longitude is not None else None,
                "accuracy_m": self.accuracy_m,
                "note": self.note,
            },
            sort_keys=True,
        )
        return hashlib.sha256(canonical.encode()).hexdigest()


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def parse_body(raw: bytes) -> Mapping[str, Any]:
    """The JSON object of a request body (at most 4 KB), or VALIDATION."""
    if len(raw) > MAX_BODY_BYTES:
        raise ApplicationError(
            ErrorCode.VALIDATION,
            _("Data presensi terlalu besar (paling banyak 4 KB)."),
            {"fields": {"body": _("Paling banyak 4 KB.")}},
        )
    try:
        data = json.loads(raw.decode("utf-8") or "null")
    except (UnicodeDecodeError, ValueError):
        data = None
    if not isinstance(data, dict):
        raise ApplicationError(
            ErrorCode.VALIDATION,
            _("Data presensi harus berupa objek JSON."),
            {"fields": {"body": _("Kirim objek JSON.")}},
        )
    return data


def parse_check_in(data: Mapping[str, Any], *, now: dt.datetime) -> CheckInInput:
    """Every problem of the body at once, or the parsed check-in."""
    errors: dict[str, str] = {}
    kind = data.get("kind")
    if kind not in CheckInKind.values:
        errors["kind"] = _("Pilih \"in\" (masuk) atau \"out\" (pulang).")
    location = data.get("location")
    if location not in LocationKind.values:
        errors["location"] = _("Tempat tidak dikenal: kantor, kantor_lain, rumah atau lokasi_lain.")

    client_time: dt.datetime | None = None
    raw_time = data.get("client_time")
    if not isinstance(raw_time, str) or not raw_time.strip() or len(raw_time) > 40:
        errors["client_time"] = _("Waktu presensi wajib diisi (ISO 8601 dengan zona waktu).")
    else:
        try:
            client_time = dt.datetime.fromisoformat(raw_time.strip())
        except ValueError:
            client_time = None
        if client_time is None or client_time.tzinfo is None or client_time.utcoffset() is None:
            errors["client_time"] = _(
                "Waktu presensi tidak sah: gunakan ISO 8601 dengan zona waktu, "
                "misalnya 2026-12-01T07:31:00+07:00."
            )
            client_time = None
        elif client_time - now > FUTURE_LIMIT:
            errors["client_time"] = _(
                "Waktu presensi lebih dari 10 menit di masa depan: periksa jam perangkat."
            )

    key: uuid.UUID | None = None
    raw_key = data.get("idempotency_key")
    if isinstance(raw_key, str) and len(raw_key) <= 40:
        try:
            key = uuid.UUID(raw_key)
        except ValueError:
            key = None
    if key is None:
        errors["idempotency_key"] = _("Kunci idempotensi wajib berupa UUID.")

    latitude = longitude = None
    raw_lat, raw_lon = data.get("latitude"), data.get("longitude")
    if raw_lat is not None or raw_lon is not None:
        lat, lon = _number(raw_lat), _number(raw_lon)
        if lat is None or not -90 <= lat <= 90:
            errors["latitude"] = _("Lintang harus angka antara -90 dan 90.")
        if lon is None or not -180 <= lon <= 180:
            errors["longitude"] = _("Bujur harus angka antara -180 dan 180.")
        if lat is not None and lon is not None and "latitude" not in errors and "longitude" not in errors:
            latitude, longitude = round_coordinate(lat), round_coordinate(lon)

    accuracy: int | None = None
    raw_accuracy = data.get("accuracy_m")
    if raw_accuracy is not None:
        number = _number(raw_accuracy)
        if number is None or not 0 <= number <= MAX_ACCURACY_M:
            errors["accuracy_m"] = _("Akurasi harus angka meter antara 0 dan 100000.")
        else:
            accuracy = round(number)

    note = data.get("note", "")
    if note is None:
        note = ""
    if not isinstance(note, str) or len(note) > MAX_NOTE:
        errors["note"] = _("Catatan berupa teks, paling banyak 500 karakter.")
        note = ""

    if errors:
        raise ApplicationError(
            ErrorCode.VALIDATION, _("Data presensi tidak valid."), {"fields": errors}
        )
    assert client_time is not None and key is not None
    return CheckInInput(
        kind=str(kind),
        location=str(location),
        client_time=client_time,
        idempotency_key=key,
        latitude=latitude,
        longitude=longitude,
        accuracy_m=accuracy,
        note=note.strip(),
    )
