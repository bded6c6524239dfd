"""The head's planner behind the API: propose a unit's hybrid schedule (no write).

The same solver as ``fleksi plan propose`` (``fleksi.planner``): the unit's employees (and
its sub-units') as the policy core sees them, their approved arrangement days as fixed
days, the head's anchors and the employees' preferred days and the head's minimums at the office. Publishing: ``publishing``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from fleksi.core.errors import ApplicationError, ErrorCode
from fleksi.planner import (
    WEEKDAY_KEYS,
    CoverageMinimum,
    FixedDay,
    PlanEmployee,
    PlanningInput,
    Preference,
    Proposal,
    SolverSettings,
    propose,
)
from fleksi.policy.enums import LocationKind, TimeKind
from fleksi.policy.model import DayPlan
from fleksi.scheme.facts import agency_policy

from .models import ArrangementDay
from .plans import _plannable_unit, _unit_people

MAX_WEEKS = 8
_PREF_LOCATIONS = {"rumah", "kantor_lain", "lokasi_lain"}


def _invalid(message: str, field: str) -> ApplicationError:
    return ApplicationError(ErrorCode.VALIDATION, message, {"fields": {field: message}})


def _preferences(rows: Iterable[Mapping[str, Any]], known: set[str]) -> tuple[Preference, ...]:
    out = []
    for row in rows:
        nip, day = str(row.get("nip", "")), str(row.get("hari", "")).lower()
        location = str(row.get("lokasi") or "rumah")
        weight = row.get("bobot") or 1
        if (
            nip not in known
            or day not in WEEKDAY_KEYS
            or location not in _PREF_LOCATIONS
            or weight not in (1, 2, 3)
        ):
            raise _invalid(_("Hari pilihan tidak sah: %(row)s.") % {"row": dict(row)}, "preferences")
        out.append(Preference(nip, WEEKDAY_KEYS.index(day), LocationKind(location), int(weight)))
    return tuple(out)


def _coverage(rows: Iterable[Mapping[str, Any]]) -> tuple[CoverageMinimum, ...]:
    """The head's minimums at the office: ``headcount`` (people) and/or ``share`` (0-1) on
    the weekdays ``hari`` (senin..jumat; all when empty)."""
    out = []
    for row in rows:
        try:
            headcount = int(row.get("headcount") or 0)
            share = float(row.get("share") or 0)
            days = [str(d).lower() for d in (row.get("hari") or [])]
        except (TypeError, ValueError):
            headcount, share, days = -1, 0.0, []
        if headcount < 0 or not 0 <= share <= 1 or any(d not in WEEKDAY_KEYS[:5] for d in days):
            raise _invalid(_("Batas minimum di kantor tidak sah: %(row)s.") % {"row": dict(row)}, "coverage")
        weekdays = frozenset(WEEKDAY_KEYS.index(d) for d in days) if days else None
        out.append(
            CoverageMinimum(share=share, headcount=headcount, role=row.get("role") or None)
            if weekdays is None
            else CoverageMinimum(share=share, headcount=headcount, role=row.get("role") or None, weekdays=weekdays)
        )
    return tuple(out)


def schedule_propose(
    *,
    actor: Any,
    unit_id: int,
    start: dt.date,
    weeks: int,
    anchors: Iterable[str] = (),
    preferences: Iterable[Mapping[str, Any]] = (),
    time_limit: float | None = None,
    coverage: Iterable[Mapping[str, Any]] = (),
) -> tuple[Any, Proposal]:
    """(unit, proposal) for the unit the actor may plan; 422 ``policy_violation`` with the
    conflicts (Indonesian and English) when no lawful schedule exists."""
    unit = _plannable_unit(actor, unit_id)
    if not 1 <= weeks <= MAX_WEEKS:
        raise _invalid(_("Jumlah minggu harus 1 sampai %(n)d.") % {"n": MAX_WEEKS}, "weeks")
    anchor_days = set()
    for name in anchors:
        if name not in WEEKDAY_KEYS[:5]:
            raise _invalid(_("Hari jangkar tidak dikenal: %(day)s.") % {"day": name}, "anchors")
        anchor_days.add(WEEKDAY_KEYS.index(name))
    minimums = _coverage(coverage)
    limit_max = float(getattr(settings, "FLEKSI_PLANNER_TIME_LIMIT", 10.0))
    limit = min(limit_max, time_limit) if time_limit and time_limit > 0 else limit_max
    facts, names, units = _unit_people(unit)
    monday = start - dt.timedelta(days=start.weekday())
    end = monday + dt.timedelta(days=7 * weeks - 1)
    days = ArrangementDay.objects.filter(
        unit__path__startswith=unit.path, active=True, date__range=(monday, end)
    ).select_related("employee")
    fixed = tuple(
        FixedDay(
            d.employee.nip,
            d.date,
            row=DayPlan(
                nip=d.employee.nip,
                date=d.date,
                location=LocationKind(d.location_kind),
                start=d.start_time,
                end=d.end_time,
                time_kind=TimeKind(d.time_kind),
            ),
            reason=_("keadaan khusus") if d.is_special else _("pengajuan disetujui"),
        )
        for d in days
    )
    data = PlanningInput(
        employees=tuple(PlanEmployee(f, names.get(f.nip, "")) for f in facts),
        start=monday,
        weeks=weeks,
        policy=agency_policy(unit.agency),
        units=units,
        fixed=fixed,
        preferences=_preferences(preferences, set(names)),
        anchors={"*": frozenset(anchor_days)} if anchor_days else {},
        coverage={"*": minimums} if minimums else {},
    )
    proposal = propose(data, SolverSettings(time_limit=limit))
    if not proposal.ok:
        raise ApplicationError(
            ErrorCode.POLICY_VIOLATION,
            _("Tidak ada jadwal yang sah: batasan saling bertentangan."),
            {
                "conflicts": [
                    {
                        "kind": c.kind,
                        "unit": c.unit,
                        "nip": c.nip,
                        "date": c.date.isoformat() if c.date else None,
                        "week": c.week,
                        "message": c.message("id"),
                        "message_en": c.message("en"),
                    }
                    for c in proposal.conflicts
                ]
            },
        )
    return unit, proposal
