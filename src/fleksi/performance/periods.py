"""The assessment period: a calendar month, written ``YYYY-MM`` (docs/decisions/141)."""

from __future__ import annotations

import calendar
import datetime as dt
import re

from django.utils.translation import gettext as _

from fleksi.core.errors import validation_error

_PERIOD = re.compile(r"^(\d{4})-(\d{2})$")


def parse_period(value: str, field: str = "period") -> tuple[dt.date, dt.date]:
    """The first and last day of a ``YYYY-MM`` period; VALIDATION otherwise."""
    match = _PERIOD.match(str(value or "").strip())
    if match is None or not (1 <= int(match.group(2)) <= 12) or int(match.group(1)) < 2000:
        raise validation_error(field, _("Periode tidak sah: gunakan TTTT-BB, misalnya 2026-12."))
    year, month = int(match.group(1)), int(match.group(2))
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def period_of(day: dt.date) -> str:
    return f"{day:%Y-%m}"
