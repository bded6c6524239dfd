"""The assessment period: a calendar month ``YYYY-MM`` (the default) or a quarter (triwulan)
``YYYY-TWn``, as the agency's cadence decides (docs/decisions/141, 190).

A ``Schedule`` is the agency's cadence over time: monthly before its first change, then the
cadence of each change from its date on (a change always starts on the first day of a
quarter, where both cadences have a period boundary). The schedule decides which keys are
valid: ``2026-11`` of a month that was assessed quarterly is a VALIDATION error that names
the key to use instead (``details.reason = "period_cadence"``, ``details.period``).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fleksi.core.errors import ApplicationError, ErrorCode

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-TW([1-4])$")
ROMAN = ("I", "II", "III", "IV")
PERIOD_CADENCE = "period_cadence"


class Cadence(models.TextChoices):
    MONTHLY = "monthly", gettext_lazy("Bulanan")
    QUARTERLY = "quarterly", gettext_lazy("Triwulanan")


def quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def next_quarter_start(day: dt.date) -> dt.date:
    start = quarter_start(day)
    return dt.date(start.year + 1, 1, 1) if start.month == 10 else dt.date(start.year, start.month + 3, 1)


@dataclass(frozen=True)
class Period:
    cadence: str
    start: dt.date
    end: dt.date

    @property
    def key(self) -> str:
        if self.cadence == Cadence.QUARTERLY:
            return f"{self.start.year}-TW{(self.start.month - 1) // 3 + 1}"
        return f"{self.start:%Y-%m}"

    @property
    def short_label(self) -> str:
        """``12/2026`` or ``TW IV/2026`` (notifications, spreadsheets)."""
        if self.cadence == Cadence.QUARTERLY:
            return f"TW {ROMAN[(self.start.month - 1) // 3]}/{self.start.year}"
        return f"{self.start:%m/%Y}"

    @property
    def is_quarter(self) -> bool:
        return self.cadence == Cadence.QUARTERLY

    @property
    def quarter_roman(self) -> str:
        return ROMAN[(self.start.month - 1) // 3]

    def __str__(self) -> str:
        return self.key


def month_period(day: dt.date) -> Period:
    return Period(Cadence.MONTHLY, day.replace(day=1), day.replace(day=calendar.monthrange(day.year, day.month)[1]))


def quarter_period(day: dt.date) -> Period:
    return Period(Cadence.QUARTERLY, quarter_start(day), next_quarter_start(day) - dt.timedelta(days=1))


def _invalid(field: str) -> ApplicationError:
    message = _("Periode tidak sah: gunakan TTTT-BB untuk bulan (misalnya 2026-12) atau TTTT-TWn untuk triwulan (misalnya 2026-TW4).")
    return ApplicationError(ErrorCode.VALIDATION, message, {"fields": {field: message}})


def parse_key(value: str, field: str = "period") -> Period:
    """The period a key names, whatever the agency's cadence (VALIDATION when not a key)."""
    text = str(value or "").strip()
    month, quarter = _MONTH.match(text), _QUARTER.match(text)
    if month is not None and 1 <= int(month.group(2)) <= 12 and int(month.group(1)) >= 2000:
        return month_period(dt.date(int(month.group(1)), int(month.group(2)), 1))
    if quarter is not None and int(quarter.group(1)) >= 2000:
        return quarter_period(dt.date(int(quarter.group(1)), 3 * int(quarter.group(2)) - 2, 1))
    raise _invalid(field)


@dataclass(frozen=True)
class Schedule:
    """The agency's cadence over time: ``changes`` are ``(first day, cadence)``, ascending."""

    changes: tuple[tuple[dt.date, str], ...] = ()

    @classmethod
    def from_history(cls, history: Any) -> Schedule:
        changes = []
        for item in history or []:
            try:
                changes.append((dt.date.fromisoformat(str(item["from"])), Cadence(item["cadence"]).value))
            except (KeyError, TypeError, ValueError):
                continue
        return cls(tuple(sorted(changes)))

    def cadence_on(self, day: dt.date) -> str:
        cadence: str = Cadence.MONTHLY
        for start, value in self.changes:
            if start <= day:
                cadence = value
        return cadence

    @property
    def latest(self) -> str:
        return self.changes[-1][1] if self.changes else Cadence.MONTHLY

    def period_of(self, day: dt.date) -> Period:
        return quarter_period(day) if self.cadence_on(day) == Cadence.QUARTERLY else month_period(day)

    def previous(self, period: Period) -> Period:
        return self.period_of(period.start - dt.timedelta(days=1))

    def following(self, period: Period) -> Period:
        return self.period_of(period.end + dt.timedelta(days=1))

    def check(self, period: Period, field: str = "period") -> Period:
        """The period when the schedule assesses it so; VALIDATION naming the right key else."""
        expected = self.period_of(period.start)
        if expected == period:
            return period
        if expected.cadence == Cadence.QUARTERLY:
            message = _("Instansi ini menilai kinerja per triwulan pada periode ini: gunakan %(key)s.") % {"key": expected.key}
        else:
            message = _("Instansi ini menilai kinerja per bulan pada periode ini: gunakan %(key)s.") % {"key": expected.key}
        raise ApplicationError(
            ErrorCode.VALIDATION, message,
            {"fields": {field: message}, "reason": PERIOD_CADENCE, "period": expected.key, "cadence": expected.cadence},
        )

    def parse(self, value: str, field: str = "period") -> Period:
        return self.check(parse_key(value, field), field)


MONTHLY = Schedule()


def parse_period(value: str, schedule: Schedule = MONTHLY, field: str = "period") -> Period:
    """The period of a key valid under the agency's schedule (monthly by default)."""
    return schedule.parse(value, field)


def period_of(day: dt.date, schedule: Schedule = MONTHLY) -> Period:
    return schedule.period_of(day)


def assessment_period(start: dt.date, cadence: str) -> Period:
    """The period of a stored assessment (its first day and cadence)."""
    return quarter_period(start) if cadence == Cadence.QUARTERLY else month_period(start)
