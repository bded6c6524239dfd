"""Parsing the dashboard's filters (page and API alike): scope, id, from, to, location."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from fleksi.core.errors import ApplicationError, ErrorCode
from fleksi.policy import LocationKind


@dataclass(frozen=True)
class Filters:
    scope: str
    target_id: int | None
    start: dt.date | None
    end: dt.date | None
    location: str | None
    weeks: int
    since: dt.date | None = None  # the before/after start (default: the first approved day)


def _date(value: str, name: str) -> dt.date | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ApplicationError(
            ErrorCode.VALIDATION,
            _("Tanggal tidak sah: gunakan TTTT-BB-HH."),
            {"fields": {name: _("Gunakan TTTT-BB-HH.")}},
        ) from None


def parse_filters(params: Mapping[str, Any], *, default_scope: str = "unit") -> Filters:
    raw_id = str(params.get("id") or "").strip()
    if raw_id and not (raw_id.isascii() and raw_id.isdigit() and len(raw_id) < 12):
        raise ApplicationError(ErrorCode.VALIDATION, _("id harus bilangan."), {"fields": {"id": _("Bukan bilangan.")}})
    location = str(params.get("location") or "").strip() or None
    if location is not None and location not in {k.value for k in LocationKind}:
        raise ApplicationError(
            ErrorCode.VALIDATION, _("Jenis lokasi tidak dikenal."), {"fields": {"location": _("Tidak dikenal.")}}
        )
    raw_weeks = str(params.get("weeks") or "4").strip()
    ok = raw_weeks.isascii() and raw_weeks.isdigit() and len(raw_weeks) < 4
    weeks = int(raw_weeks) if ok and 1 <= int(raw_weeks) <= 26 else 4
    return Filters(
        scope=str(params.get("scope") or default_scope).strip(),
        target_id=int(raw_id) if raw_id else None,
        start=_date(str(params.get("from") or ""), "from"),
        end=_date(str(params.get("to") or ""), "to"),
        location=location,
        weeks=weeks,
        since=_date(str(params.get("since") or ""), "since"),
    )
