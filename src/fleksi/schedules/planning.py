"""The head's planner behind the API and the page: propose a unit's hybrid schedule (no
write of days).

The same solver as ``fleksi plan propose`` (``fleksi.planner``): the unit's employees (and
its sub-units') as the policy core sees them, with the service roles the head marked
(``ServiceRole``), their approved arrangement days as fixed days, the head's anchors and
the employees' preferred days and the head's minimums at the office (per role too).
The API waits for the solver (``schedule_propose``); the page runs it as a background job
on the queue (``proposal_job_create``, ``proposal_job_run``) and polls its progress.
Publishing: ``publishing``.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import threading
import time
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fleksi.core import clock, jobs
from fleksi.core.errors import ApplicationError, ErrorCode
from fleksi.planner import (
    WEEKDAY_KEYS,
    CoverageMinimum,
    FixedDay,
    PlanEmployee,
    PlanningInput,
    Preference,
    Proposal,
    SolveProgress,
    SolverSettings,
    propose,
)
from fleksi.planner.formats import plan_row
from fleksi.policy.enums import LocationKind, TimeKind
from fleksi.policy.model import DayPlan
from fleksi.scheme.facts import agency_policy

from .models import ArrangementDay, PlannerJob, PlannerJobStatus, ServiceRole
from .plans import _plannable_unit, _unit_people

logger = logging.getLogger(__name__)

MAX_WEEKS = 8
MAX_ROLES = 5  # per employee
ROLE_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,29}$")
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
        role = str(row.get("role") or "").strip().lower() or None
        if role is not None and not ROLE_RE.match(role):
            raise _invalid(_("Peran layanan tidak sah: %(role)s.") % {"role": role}, "coverage")
        out.append(
            CoverageMinimum(share=share, headcount=headcount, role=role)
            if weekdays is None
            else CoverageMinimum(share=share, headcount=headcount, role=role, weekdays=weekdays)
        )
    return tuple(out)


def unit_service_roles(unit: Any) -> dict[str, frozenset[str]]:
    """The service roles marked for the unit's (and its sub-units') active employees, by
    NIP (one query)."""
    out: dict[str, set[str]] = {}
    for nip, role in ServiceRole.objects.filter(
        employee__unit__path__startswith=unit.path, employee__is_active=True
    ).values_list("employee__nip", "role"):
        out.setdefault(nip, set()).add(role)
    return {nip: frozenset(roles) for nip, roles in out.items()}


def parse_roles(text: str) -> set[str]:
    """"loket, arsip" as {"loket", "arsip"}; a 422 naming a role that is not a short word."""
    roles = {r.strip().lower() for r in re.split(r"[,;]", text or "") if r.strip()}
    for role in roles:
        if not ROLE_RE.match(role):
            raise _invalid(
                _("Peran layanan tidak sah: %(role)s (huruf kecil, angka, - atau _; paling panjang 30).")
                % {"role": role},
                "roles",
            )
    if len(roles) > MAX_ROLES:
        raise _invalid(_("Paling banyak %(n)d peran layanan per pegawai.") % {"n": MAX_ROLES}, "roles")
    return roles


@transaction.atomic
def service_roles_set(*, actor: Any, unit_id: int, roles: Mapping[str, set[str]]) -> int:
    """Replace the service roles of the unit's employees named in ``roles`` (by NIP) with
    the given ones; employees not named keep theirs. Returns the number of changes."""
    from fleksi.organisation.models import Employee

    unit = _plannable_unit(actor, unit_id)
    employees = {
        e.nip: e
        for e in Employee.objects.filter(unit__path__startswith=unit.path, is_active=True, nip__in=list(roles))
    }
    current = unit_service_roles(unit)
    changes = 0
    for nip, wanted in roles.items():
        employee = employees.get(nip)
        if employee is None:
            raise _invalid(_("Pegawai %(nip)s bukan pegawai unit ini.") % {"nip": nip}, "roles")
        have = set(current.get(nip, frozenset()))
        gone, new = have - wanted, wanted - have
        if gone:
            ServiceRole.objects.filter(employee=employee, role__in=gone).delete()
        ServiceRole.objects.bulk_create(ServiceRole(employee=employee, role=r, marked_by=actor) for r in sorted(new))
        changes += len(gone) + len(new)
    return changes


def _time_limit(requested: float | None) -> float:
    limit_max = float(getattr(settings, "FLEKSI_PLANNER_TIME_LIMIT", 10.0))
    return min(limit_max, requested) if requested and requested > 0 else limit_max


def _planning_input(
    unit: Any,
    *,
    start: dt.date,
    weeks: int,
    anchors: Iterable[str],
    preferences: Iterable[Mapping[str, Any]],
    coverage: Iterable[Mapping[str, Any]],
) -> PlanningInput:
    """The solver's input for the unit, every argument checked (422 naming the field)."""
    if not 1 <= weeks <= MAX_WEEKS:
        raise _invalid(_("Jumlah minggu harus 1 sampai %(n)d.") % {"n": MAX_WEEKS}, "weeks")
    anchor_days = set()
    for name in anchors:
        if name not in WEEKDAY_KEYS[:5]:
            raise _invalid(_("Hari jangkar tidak dikenal: %(day)s.") % {"day": name}, "anchors")
        anchor_days.add(WEEKDAY_KEYS.index(name))
    minimums = _coverage(coverage)
    facts, names, units = _unit_people(unit)
    roles = unit_service_roles(unit)
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
    return PlanningInput(
        employees=tuple(
            PlanEmployee(f, names.get(f.nip, ""), roles.get(f.nip, frozenset())) for f in facts
        ),
        start=monday,
        weeks=weeks,
        policy=agency_policy(unit.agency),
        units=units,
        fixed=fixed,
        preferences=_preferences(preferences, set(names)),
        anchors={"*": frozenset(anchor_days)} if anchor_days else {},
        coverage=_coverage_by_unit(minimums, facts, roles, unit.code),
    )


def _coverage_by_unit(
    minimums: tuple[CoverageMinimum, ...], facts: Iterable[Any], roles: Mapping[str, frozenset[str]], top: str
) -> dict[str, tuple[CoverageMinimum, ...]]:
    """The head's minimums per unit of the subtree: a row without a role holds in every
    unit; a row with a role in every unit with someone marked for it (a sub-unit without a
    front desk has no "loket" to staff), or in the planned unit ``top`` when nobody has the
    role (a demand nobody can meet: a conflict naming the role; docs/decisions/205)."""
    out: dict[str, list[CoverageMinimum]] = {}
    unit_roles: dict[str, set[str]] = {}
    for f in facts:
        unit_roles.setdefault(f.unit, set()).update(roles.get(f.nip, frozenset()))
    for minimum in minimums:
        if minimum.role is None:
            out.setdefault("*", []).append(minimum)
            continue
        where = [u for u, present in unit_roles.items() if minimum.role in present] or [top]
        for unit in where:
            out.setdefault(unit, []).append(minimum)
    return {unit: tuple(rows) for unit, rows in out.items()}


def _conflicts(proposal: Proposal) -> list[dict[str, Any]]:
    return [
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
    """(unit, proposal) for the unit the actor may plan, waiting for the solver; 422
    ``policy_violation`` with the conflicts (Indonesian and English) when no lawful
    schedule exists."""
    unit = _plannable_unit(actor, unit_id)
    data = _planning_input(
        unit, start=start, weeks=weeks, anchors=anchors, preferences=preferences, coverage=coverage
    )
    proposal = propose(data, SolverSettings(time_limit=_time_limit(time_limit)))
    if not proposal.ok:
        raise ApplicationError(
            ErrorCode.POLICY_VIOLATION,
            _("Tidak ada jadwal yang sah: batasan saling bertentangan."),
            {"conflicts": _conflicts(proposal)},
        )
    return unit, proposal


# The background proposal of the planner page (docs/decisions/206).

PROGRESS_EVERY = 0.5  # seconds between progress writes
HEARTBEAT_EVERY = 30.0  # seconds between heartbeats when the solver has nothing new


def proposal_job_create(
    *,
    actor: Any,
    unit_id: int,
    start: dt.date,
    weeks: int,
    anchors: Iterable[str] = (),
    preferences: Iterable[Mapping[str, Any]] = (),
    coverage: Iterable[Mapping[str, Any]] = (),
    form: Mapping[str, Any] | None = None,
) -> PlannerJob:
    """Check the inputs now (422 as ``schedule_propose``), store the job and enqueue it on
    commit; the worker solves it (``proposal_job_run``). ``form`` is the page's state, kept
    with the job for the draft."""
    unit = _plannable_unit(actor, unit_id)
    params: dict[str, Any] = {
        "start": (start - dt.timedelta(days=start.weekday())).isoformat(),
        "weeks": weeks,
        "anchors": list(anchors),
        "preferences": [dict(p) for p in preferences],
        "coverage": [dict(c) for c in coverage],
        "form": dict(form or {}),
    }
    _planning_input(
        unit,
        start=start,
        weeks=weeks,
        anchors=params["anchors"],
        preferences=params["preferences"],
        coverage=params["coverage"],
    )
    job = PlannerJob.objects.create(unit=unit, created_by=actor, params=params, time_limit=_time_limit(None))
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    from .tasks import propose_schedule

    result = propose_schedule.enqueue(job_id)
    PlannerJob.objects.filter(pk=job_id).update(task_id=str(result.id))


def proposal_job_get(*, actor: Any, job_id: int) -> PlannerJob:
    """The job if the actor created it and may still plan its unit; else 404. A running job
    whose worker stopped is failed first (fleksi.core.jobs)."""
    jobs.fail_stale(PlannerJob.objects.filter(pk=job_id))
    job = PlannerJob.objects.select_related("unit").filter(pk=job_id, created_by_id=actor.pk).first()
    if job is None:
        raise ApplicationError(ErrorCode.NOT_FOUND, _("Usulan tidak ditemukan."))
    _plannable_unit(actor, job.unit_id)
    return job


def proposal_job_run(job_id: int) -> str:
    """Solve the job's proposal, writing the solver's progress to the row every half second
    (CP-SAT runs in a thread of its own; only this thread touches the database)."""
    job = PlannerJob.objects.select_related("unit__agency").get(pk=job_id)
    if job.finished:
        return job.status
    p = job.params
    started = time.monotonic()
    PlannerJob.objects.filter(pk=job_id).update(status=PlannerJobStatus.RUNNING, heartbeat_at=clock.now())
    try:
        data = _planning_input(
            job.unit,
            start=dt.date.fromisoformat(p["start"]),
            weeks=int(p["weeks"]),
            anchors=p.get("anchors", []),
            preferences=p.get("preferences", []),
            coverage=p.get("coverage", []),
        )
        latest: list[SolveProgress] = []
        outcome: dict[str, Any] = {}

        def solve() -> None:
            try:
                outcome["proposal"] = propose(data, SolverSettings(time_limit=job.time_limit), latest.append)
            except BaseException as error:  # re-raised in the job's thread
                outcome["error"] = error

        worker = threading.Thread(target=solve, name=f"planner-job-{job_id}", daemon=True)
        worker.start()
        written = 0
        beat = time.monotonic()
        while worker.is_alive():
            worker.join(PROGRESS_EVERY)
            if len(latest) != written:
                written = len(latest)
                beat = time.monotonic()
                _write_progress(job_id, latest[-1], time.monotonic() - started)
            elif time.monotonic() - beat > HEARTBEAT_EVERY:  # a long search without news
                beat = time.monotonic()
                PlannerJob.objects.filter(pk=job_id).update(heartbeat_at=clock.now())
        if "error" in outcome:
            raise outcome["error"]
        proposal: Proposal = outcome["proposal"]
    except Exception as error:
        logger.exception("planner job %s failed", job_id)
        message = error.message if isinstance(error, ApplicationError) else _("Pencarian jadwal gagal.")
        PlannerJob.objects.filter(pk=job_id).update(
            status=PlannerJobStatus.FAILED, error=str(message)[:500], finished_at=timezone.now(),
            elapsed=time.monotonic() - started,
        )
        return PlannerJobStatus.FAILED
    last = latest[-1] if latest else None
    fields: dict[str, Any] = {
        "elapsed": time.monotonic() - started,
        "finished_at": timezone.now(),
        "units": last.units if last else 0,
        "unit_index": last.unit_index if last else 0,
        "solutions": max((e.solutions for e in latest), default=0),
    }
    if proposal.ok:
        fields.update(
            status=PlannerJobStatus.DONE,
            gap=proposal.gap,
            objective=sum(u.objective for u in proposal.units),
            bound=sum(u.bound for u in proposal.units),
            result={"rows": [plan_row(r) for r in proposal.rows], "summary": proposal.summary()},
        )
    else:
        fields.update(status=PlannerJobStatus.INFEASIBLE, result={"conflicts": _conflicts(proposal)})
    PlannerJob.objects.filter(pk=job_id).update(**fields)
    return str(fields["status"])


def _write_progress(job_id: int, event: SolveProgress, elapsed: float) -> None:
    PlannerJob.objects.filter(pk=job_id).update(
        units=event.units,
        unit_index=event.unit_index,
        solutions=max(event.solutions, 0),
        objective=event.objective,
        bound=event.bound,
        gap=event.gap,
        elapsed=elapsed,
        heartbeat_at=clock.now(),
    )
