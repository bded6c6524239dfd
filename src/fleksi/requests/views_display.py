"""What the request pages show beside the findings: which days the weekly cap counted and
how many flexible days are left in a week (read through the selectors; HTTP-free helpers)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fleksi.core import clock
from fleksi.core.humanize import short_day_text, week_label_text
from fleksi.policy.calendar import week_label, week_monday

from . import selectors
from .models import RequestState

CAP_CODE = "LOCATION_MAX_DAYS_PER_WEEK"

_STATE_WORDS = {
    RequestState.APPROVED.value: gettext_lazy("disetujui"),
    RequestState.SUBMITTED.value: gettext_lazy("menunggu persetujuan"),
}


def counted_text(week: selectors.WeekFlexDays) -> str:
    """ "Dihitung: Sen 23 Nov (pengajuan #12, disetujui), Rab 25 Nov (pengajuan ini)"."""
    parts = []
    for day in week.days:
        if day.request_id is None:
            source = _("pengajuan ini")
        else:
            source = _("pengajuan #%(id)s, %(state)s") % {
                "id": day.request_id,
                "state": _STATE_WORDS.get(day.state, day.state),
            }
        parts.append(f"{short_day_text(day.date)} ({source})")
    return _("Dihitung: %(days)s") % {"days": ", ".join(parts)} if parts else ""


def _weeks_of(findings: Iterable[Any]) -> list[str]:
    out = []
    for f in findings:
        code = f.get("code") if isinstance(f, dict) else getattr(f, "code", "")
        week = f.get("week") if isinstance(f, dict) else getattr(f, "week", None)
        if code == CAP_CODE and week and week not in out:
            out.append(str(week))
    return out


def cap_counted(
    *,
    actor: Any,
    findings: Iterable[Any],
    employee_id: int | None = None,
    request_id: int | None = None,
    this_request: Any = None,
    dates: Iterable[dt.date] = (),
    location_kind: str = "",
) -> dict[str, str]:
    """For each week the cap finding names: the counted days, each with its source."""
    out: dict[str, str] = {}
    extra = [(d, location_kind) for d in dates]
    for label in _weeks_of(findings):
        try:
            monday = week_monday(label)
        except ValueError:
            continue
        week = selectors.week_flex_days(
            actor=actor,
            week_start=monday,
            employee_id=employee_id,
            exclude_request_id=request_id,
            extra=extra,
            this_request=this_request,
        )
        if week is not None:
            out[label] = counted_text(week)
    return out


def allowance(*, actor: Any, employee_id: int | None = None) -> list[dict[str, Any]]:
    """This week's and next week's flexible days: used, allowed, left (approved + pending)."""
    today = clock.today()
    monday = today - dt.timedelta(days=today.weekday())
    out = []
    for start in (monday, monday + dt.timedelta(days=7)):
        week = selectors.week_flex_days(actor=actor, week_start=start, employee_id=employee_id)
        if week is None:
            return []
        out.append(
            {
                "week_start": week.week_start,
                "week_end": week.week_start + dt.timedelta(days=4),
                "week": week_label(week.week_start),
                "week_text": week_label_text(week_label(week.week_start)),
                "limit": week.limit,
                "left": week.left,
                "used": week.used,
                "days": week.days,
                "text": counted_text(week),
            }
        )
    return out
