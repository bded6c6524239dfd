"""The employees' answers to a published schedule (issue 11, docs/decisions/200): the
confirmation of their part when the agency wants it, and the head's page of the answers
(the change requests are in ``change_requests``). Every write of days goes through
``services.arrangement_days_write`` after the policy core found no new error, under the
unit-then-employee locks publishing takes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext as _

from fleksi.audit.services import audit_record
from fleksi.core import clock
from fleksi.core.errors import ApplicationError, ErrorCode
from fleksi.notifications.services import Recipient, notify
from fleksi.organisation.models import Employee, OrgUnit
from fleksi.organisation.scoping import scope_for
from fleksi.policy.check import CheckResult, check_plan
from fleksi.policy.enums import LocationKind, Severity, TimeKind
from fleksi.policy.model import DayPlan
from fleksi.scheme.facts import agency_calendar, agency_policy

from .models import (
    ArrangementDay,
    ChangeState,
    ConfirmationState,
    PublishedSchedule,
    ScheduleChangeRequest,
    ScheduleConfirmation,
)
from .plans import _unit_people
from .services import arrangement_days_end, arrangement_days_write

MAX_REASON = 2000
MIN_REASON = 10


def _schedule_missing() -> ApplicationError:
    return ApplicationError(ErrorCode.NOT_FOUND, _("Jadwal tidak ditemukan."))


def _invalid(message: str, field_name: str) -> ApplicationError:
    return ApplicationError(ErrorCode.VALIDATION, message, {"fields": {field_name: message}})


def _me(actor: Any) -> Employee | None:
    if not getattr(actor, "is_authenticated", False):
        return None
    return (
        Employee.objects.filter(user=actor, is_active=True).select_related("user", "unit", "agency").first()
    )


def my_schedule_url(schedule_id: int) -> str:
    return reverse("schedules:my_schedule", args=[schedule_id])


def responses_url(schedule_id: int) -> str:
    return reverse("schedules:schedule_responses", args=[schedule_id])


# ---- the employee's part ----------------------------------------------------------------


@dataclass
class PartDay:
    date: dt.date
    location_kind: str
    time_kind: str
    start: dt.time | None
    end: dt.time | None
    in_force: str | None = None  # the location of the active day on that date, if any
    from_request: bool = False

    @property
    def location_label(self) -> str:
        return _location_label(self.location_kind)

    @property
    def in_force_label(self) -> str:
        return _location_label(self.in_force)


def _location_label(value: str | None) -> str:
    from .models import LocationKind as LocationChoices

    if not value:
        return ""
    return str(dict(LocationChoices.choices).get(value, value))


@dataclass
class MyPart:
    """An employee's part of a published schedule, as the employee's page shows it."""

    schedule: PublishedSchedule
    employee: Employee
    days: list[PartDay]
    ends: list[dt.date]
    confirmation: ScheduleConfirmation | None
    changes: list[ScheduleChangeRequest] = field(default_factory=list)

    @property
    def state(self) -> str:
        if self.confirmation is None:
            return "berlaku"
        return self.confirmation.state

    @property
    def pending(self) -> bool:
        return self.confirmation is not None and self.confirmation.state == ConfirmationState.PENDING

    @property
    def open_change(self) -> bool:
        return any(c.state == ChangeState.SUBMITTED for c in self.changes)

    @property
    def can_change(self) -> bool:
        return self.schedule.end >= clock.today() and not (
            self.confirmation is not None and self.confirmation.state == ConfirmationState.SUPERSEDED
        )

    def workdays(self) -> list[dt.date]:
        """The dates of the period from today that a change may name (Monday to Friday)."""
        today = clock.today()
        day, out = max(self.schedule.start, today), []
        while day <= self.schedule.end:
            if day.weekday() < 5:
                out.append(day)
            day += dt.timedelta(days=1)
        return out


def _rows_of(schedule: PublishedSchedule, nip: str) -> list[dict[str, Any]]:
    return [r for r in schedule.rows or [] if r.get("nip") == nip]


def _part(schedule: PublishedSchedule, employee: Employee) -> MyPart:
    confirmation = ScheduleConfirmation.objects.filter(schedule=schedule, employee=employee).first()
    active = {
        d.date: d
        for d in ArrangementDay.objects.filter(
            employee=employee, active=True, date__range=(schedule.start, schedule.end)
        )
    }
    rows = _rows_of(schedule, employee.nip)
    days = []
    for r in rows:
        date = dt.date.fromisoformat(r["tanggal"])
        current = active.get(date)
        days.append(
            PartDay(
                date=date,
                location_kind=r.get("lokasi") or "kantor",
                time_kind=r.get("waktu") or "reguler",
                start=dt.time.fromisoformat(r["jam_mulai"]) if r.get("jam_mulai") else None,
                end=dt.time.fromisoformat(r["jam_selesai"]) if r.get("jam_selesai") else None,
                in_force=current.location_kind if current is not None else None,
                from_request=current is not None and current.request_id is not None,
            )
        )
    ends = [dt.date.fromisoformat(d) for d in (confirmation.ends if confirmation else [])]
    changes = list(
        ScheduleChangeRequest.objects.filter(schedule=schedule, employee=employee).order_by("-created_at", "-id")
    )
    return MyPart(schedule, employee, days, ends, confirmation, changes)


def _ancestor_unit_paths(path: str) -> list[str]:
    from .publishing import _ancestor_paths

    return _ancestor_paths(path)


def my_schedules(*, actor: Any, limit: int = 20) -> list[MyPart]:
    """The actor's parts of the published schedules of their unit and the units above it
    (newest first; periods ending at most 60 days ago), the parts that name them."""
    me = _me(actor)
    if me is None:
        return []
    since = clock.today() - dt.timedelta(days=60)
    schedules = PublishedSchedule.objects.filter(
        unit__path__in=_ancestor_unit_paths(me.unit.path), end__gte=since, agency_id=me.agency_id
    ).select_related("unit", "published_by")
    confirmed_ids = set(
        ScheduleConfirmation.objects.filter(employee=me).values_list("schedule_id", flat=True)
    )
    out = []
    for schedule in schedules:
        if schedule.pk in confirmed_ids or _rows_of(schedule, me.nip):
            out.append(_part(schedule, me))
        if len(out) >= limit:
            break
    return out


def my_schedule_get(*, actor: Any, schedule_id: int) -> MyPart:
    """The actor's part of one published schedule; 404 for a schedule that is not of their
    unit (or a unit above it)."""
    me = _me(actor)
    schedule = (
        PublishedSchedule.objects.select_related("unit", "published_by").filter(pk=schedule_id).first()
    )
    if me is None or schedule is None or schedule.unit.path not in _ancestor_unit_paths(me.unit.path):
        raise _schedule_missing()
    return _part(schedule, me)


# ---- the policy core: no new error ------------------------------------------------------


def _key(finding: Any) -> tuple[Any, ...]:
    return (finding.code, finding.nip, finding.unit, finding.date, finding.week)


def _errors(result: CheckResult) -> dict[tuple[Any, ...], Any]:
    return {_key(f): f for f in result.findings if f.severity is Severity.ERROR}


def _finding_dict(f: Any) -> dict[str, Any]:
    from .publishing import finding_details

    return finding_details(f)


def _day_plan(nip: str, date: dt.date, location: str, time_kind: str, start: Any, end: Any) -> DayPlan:
    return DayPlan(
        nip=nip, date=date, location=LocationKind(location), start=start, end=end,
        time_kind=TimeKind(time_kind),
    )


def _new_errors(
    *, unit: OrgUnit, start: dt.date, end: dt.date, employee: Employee,
    write: Mapping[dt.date, DayPlan], remove: Iterable[dt.date],
) -> list[dict[str, Any]]:
    """The errors the policy core finds in the unit's plan of the period (its active days)
    after the employee's days change (``write`` replaces, ``remove`` ends) that it did not
    find before: a change is refused for what it breaks, not for what was already broken."""
    facts, names, units = _unit_people(unit)
    plan: dict[tuple[str, dt.date], DayPlan] = {}
    for d in ArrangementDay.objects.filter(
        employee__unit__path__startswith=unit.path, active=True, date__range=(start, end)
    ).select_related("employee"):
        if d.employee.nip in names:
            plan[(d.employee.nip, d.date)] = _day_plan(
                d.employee.nip, d.date, d.location_kind, d.time_kind, d.start_time, d.end_time
            )
    policy = agency_policy(unit.agency)
    calendar = agency_calendar(unit.agency, policy)
    before = _errors(check_plan(facts, list(plan.values()), policy, units=units, calendar=calendar))
    after_plan = dict(plan)
    for date in remove:
        after_plan.pop((employee.nip, date), None)
    for date, day in write.items():
        after_plan[(employee.nip, date)] = day
    after = _errors(check_plan(facts, list(after_plan.values()), policy, units=units, calendar=calendar))
    return [_finding_dict(f) for key, f in after.items() if key not in before]


def _lock(unit: OrgUnit, employee: Employee) -> None:
    """The lock order of every write of arrangement days: the unit, then the employee."""
    OrgUnit.objects.select_for_update().filter(pk=unit.pk).values_list("pk").first()
    Employee.objects.select_for_update().filter(pk=employee.pk).values_list("pk").first()


@dataclass(frozen=True)
class _Day:
    date: dt.date
    location_kind: str
    time_kind: str
    start: dt.time | None
    end: dt.time | None


def _heads(schedule: PublishedSchedule) -> list[Recipient]:
    """Who is told of the employees' answers: the head of the schedule's unit and whoever
    published it."""
    from fleksi.accounts.models import User

    unit_head = OrgUnit.objects.filter(pk=schedule.unit_id).values_list("head__user", flat=True).first()
    ids = {unit_head, schedule.published_by_id} - {None}
    return [
        Recipient(user=u, email=(u.email or "").strip())
        for u in User.objects.filter(pk__in=ids).order_by("pk")
    ]


# ---- confirmation -----------------------------------------------------------------------


def schedule_confirm(*, actor: Any, schedule_id: int) -> ScheduleConfirmation:
    """The actor confirms their pending part: its days (from today) are written, the earlier
    published days it leaves out end, unless the policy core now finds a new error (422
    ``policy_violation`` with the findings; the head is told). An approved request's day on
    a date of the part stays (approved requests win)."""
    me = _me(actor)
    schedule = PublishedSchedule.objects.select_related("unit", "unit__agency").filter(pk=schedule_id).first()
    if me is None or schedule is None:
        raise _schedule_missing()
    if not ScheduleConfirmation.objects.filter(schedule=schedule, employee=me).exists():
        raise _schedule_missing()
    try:
        with transaction.atomic():
            _lock(schedule.unit, me)
            confirmation = ScheduleConfirmation.objects.select_for_update().get(schedule=schedule, employee=me)
            if confirmation.state != ConfirmationState.PENDING:
                raise ApplicationError(
                    ErrorCode.INVALID_STATE,
                    _("Bagian jadwal ini tidak menunggu konfirmasi (%(state)s).")
                    % {"state": confirmation.get_state_display()},
                )
            return _confirm_locked(actor, schedule, me, confirmation)
    except ApplicationError as exc:
        if exc.code == ErrorCode.POLICY_VIOLATION:
            with transaction.atomic():
                audit_record(
                    actor=actor, action="schedule.confirm_refused", object_type="published_schedule",
                    object_id=schedule.pk, agency_id=schedule.agency_id,
                    data={"employee": me.nip, "findings": [f["code"] for f in exc.details.get("findings", [])]},
                )
                name, period = me.name, f"{schedule.start:%d-%m-%Y} - {schedule.end:%d-%m-%Y}"
                notify(
                    recipients=_heads(schedule),
                    kind="schedule_confirm_refused",
                    texts=lambda: (
                        _("Konfirmasi jadwal tertolak pemeriksaan"),
                        _("%(name)s mengonfirmasi jadwal %(period)s, tetapi hari-harinya kini melanggar ketentuan; tinjau dan terbitkan ulang.")
                        % {"name": name, "period": period},
                    ),
                    url=responses_url(schedule.pk),
                )
        raise


def _confirm_locked(
    actor: Any, schedule: PublishedSchedule, me: Employee, confirmation: ScheduleConfirmation
) -> ScheduleConfirmation:
    today, now = clock.today(), clock.now()
    existing = {
        d.date: d
        for d in ArrangementDay.objects.filter(
            employee=me, active=True, date__range=(schedule.start, schedule.end)
        )
    }
    write: dict[dt.date, DayPlan] = {}
    kept: list[str] = []
    for r in confirmation.rows:
        date = dt.date.fromisoformat(r["tanggal"])
        if date < today:
            continue
        day = _day_plan(
            me.nip, date, r.get("lokasi") or "kantor", r.get("waktu") or "reguler",
            dt.time.fromisoformat(r["jam_mulai"]) if r.get("jam_mulai") else None,
            dt.time.fromisoformat(r["jam_selesai"]) if r.get("jam_selesai") else None,
        )
        current = existing.get(date)
        if current is not None and current.request_id is not None:
            kept.append(date.isoformat())
            continue
        if current is not None and (
            current.location_kind, current.time_kind, current.start_time, current.end_time
        ) == (day.location.value, day.time_kind.value, day.start, day.end):
            continue
        write[date] = day
    remove = [
        date
        for date in (dt.date.fromisoformat(x) for x in confirmation.ends)
        if date >= today and date not in write and existing.get(date) is not None
        and existing[date].schedule_id is not None
    ]
    errors = _new_errors(
        unit=schedule.unit, start=schedule.start, end=schedule.end, employee=me, write=write, remove=remove
    )
    if errors:
        raise ApplicationError(
            ErrorCode.POLICY_VIOLATION,
            _("Konfirmasi ditolak: jadwal ini kini melanggar ketentuan (%(n)d temuan); pimpinan unit telah diberi tahu.")
            % {"n": len(errors)},
            {"findings": errors},
        )
    ended = arrangement_days_end(
        ArrangementDay.objects.filter(employee=me, date__in=remove, schedule__isnull=False), now=now
    )
    if write:
        arrangement_days_write(
            employee=me,
            days=[_Day(d.date, d.location.value, d.time_kind.value, d.start, d.end) for d in write.values()],
            now=now,
            schedule_id=schedule.pk,
        )
    confirmation.state = ConfirmationState.CONFIRMED
    confirmation.decided_at = now
    confirmation.days_written = len(write)
    confirmation.save(update_fields=["state", "decided_at", "days_written"])
    PublishedSchedule.objects.filter(pk=schedule.pk).update(
        days_written=F("days_written") + len(write), days_ended=F("days_ended") + ended
    )
    audit_record(
        actor=actor, action="schedule.confirm", object_type="schedule_confirmation",
        object_id=confirmation.pk, agency_id=schedule.agency_id,
        data={"schedule": schedule.pk, "employee": me.nip, "days_written": len(write),
              "days_ended": ended, "kept_request_days": kept},
    )
    return confirmation


def supersede_pending(*, schedule: PublishedSchedule, employee_ids: Iterable[int], actor: Any, now: dt.datetime) -> tuple[int, int]:
    """A new publication for the period (inside publishing's transaction and locks): the
    dates of its period leave the pending parts of earlier overlapping schedules of these
    employees (a part left with nothing is superseded), and their open change requests
    naming a date of the period are cancelled. Returns (parts superseded, changes cancelled)."""
    ids = list(employee_ids)
    start, end = schedule.start, schedule.end

    def inside(value: str) -> bool:
        return start <= dt.date.fromisoformat(value) <= end

    superseded = 0
    for conf in ScheduleConfirmation.objects.select_for_update().filter(
        employee_id__in=ids, state=ConfirmationState.PENDING, schedule__start__lte=end,
        schedule__end__gte=start,
    ).exclude(schedule=schedule):
        conf.rows = [r for r in conf.rows if not inside(r["tanggal"])]
        conf.ends = [d for d in conf.ends if not inside(d)]
        fields = ["rows", "ends"]
        if not conf.rows and not conf.ends:
            conf.state, conf.superseded_by, conf.decided_at = ConfirmationState.SUPERSEDED, schedule, now
            fields += ["state", "superseded_by", "decided_at"]
            superseded += 1
        conf.save(update_fields=fields)
    cancelled = 0
    for change in ScheduleChangeRequest.objects.select_for_update().filter(
        employee_id__in=ids, state=ChangeState.SUBMITTED
    ).exclude(schedule=schedule):
        if any(inside(d) for d in change.dates):
            change.state, change.decided_at = ChangeState.CANCELLED, now
            change.decision_note = _("Dibatalkan: jadwal baru diterbitkan untuk tanggal ini.")
            change.save(update_fields=["state", "decided_at", "decision_note"])
            audit_record(
                actor=actor, action="schedule_change.superseded", object_type="schedule_change",
                object_id=change.pk, agency_id=change.agency_id, data={"schedule": schedule.pk},
            )
            cancelled += 1
    return superseded, cancelled


# ---- the head's page --------------------------------------------------------------------


@dataclass
class ResponseRow:
    employee: Employee
    confirmation: ScheduleConfirmation | None
    changes: list[ScheduleChangeRequest]


@dataclass
class ScheduleResponses:
    schedule: PublishedSchedule
    rows: list[ResponseRow]
    can_decide: bool

    @property
    def pending_confirmations(self) -> int:
        return sum(1 for r in self.rows if r.confirmation and r.confirmation.state == ConfirmationState.PENDING)

    @property
    def open_changes(self) -> int:
        return sum(1 for r in self.rows for c in r.changes if c.state == ChangeState.SUBMITTED)


def schedule_responses(*, actor: Any, schedule_id: int) -> ScheduleResponses:
    """The confirmations and change requests of one published schedule, per employee, for
    whoever may read it (publishing.published_schedule_get's scope)."""
    from .publishing import publishable_unit, published_schedule_get

    schedule = published_schedule_get(actor=actor, schedule_id=schedule_id)
    try:
        publishable_unit(actor=actor, unit_id=schedule.unit_id, start=schedule.start, end=schedule.end)
        can_decide = True
    except ApplicationError:
        can_decide = False
    confirmations = {
        c.employee_id: c
        for c in ScheduleConfirmation.objects.filter(schedule=schedule).select_related("employee")
    }
    changes: dict[int, list[ScheduleChangeRequest]] = {}
    people: dict[int, Employee] = {c.employee_id: c.employee for c in confirmations.values()}
    for change in ScheduleChangeRequest.objects.filter(schedule=schedule).select_related("employee", "decided_by"):
        changes.setdefault(change.employee_id, []).append(change)
        people[change.employee_id] = change.employee
    rows = [
        ResponseRow(employee, confirmations.get(pk), changes.get(pk, []))
        for pk, employee in sorted(people.items(), key=lambda kv: (kv[1].name, kv[0]))
    ]
    return ScheduleResponses(schedule, rows, can_decide)


def open_responses_count(*, actor: Any) -> list[dict[str, Any]]:
    """For the head's inbox: the published schedules of the units the actor heads with open
    change requests or pending confirmations (newest first, at most 10)."""
    scope = scope_for(actor)
    if not scope.head_unit_paths:
        return []
    from django.db.models import Count, Q

    cond = Q()
    for path in scope.head_unit_paths:
        cond |= Q(unit__path__startswith=path)
    qs = (
        PublishedSchedule.objects.filter(cond, end__gte=clock.today())
        .annotate(
            open_changes=Count("change_requests", filter=Q(change_requests__state=ChangeState.SUBMITTED), distinct=True),
            pending=Count("confirmations", filter=Q(confirmations__state=ConfirmationState.PENDING), distinct=True),
        )
        .filter(Q(open_changes__gt=0) | Q(pending__gt=0))
        .select_related("unit")
        .order_by("-published_at", "-id")[:10]
    )
    return [
        {"schedule": s, "open_changes": s.open_changes, "pending": s.pending, "url": responses_url(s.pk)}
        for s in qs
    ]
