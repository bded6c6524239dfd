"""The one place that reads the clock, so tests can move time (mock at the edge of the world)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone


def now() -> dt.datetime:
    return timezone.now()


def today(tz: str | None = None) -> dt.date:
    current = now()
    if tz:
        return current.astimezone(ZoneInfo(tz)).date()
    return timezone.localdate(current)
