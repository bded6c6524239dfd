"""The employees' answers to a published schedule (issue 11, docs/decisions/200): the
confirmation of their part when the agency wants it, and the change request (its own
document, decided by the head of the schedule's unit). Every write of days goes through
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
from fleksi.core.errors import ApplicationError, ErrorCode, permission_denied
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
from .plans import _plannable_unit, _unit_people
from .services import arrangement_days_write

MAX_REASON = 2000
MIN_REASON = 10


def _schedule_missing() -> ApplicationError:
    return ApplicationError(ErrorCode.NOT_FOUND, _("Jadwal tidak ditemukan."))


def _change_missing() -> ApplicationError:
    return ApplicationError(ErrorCode.NOT_FOUND, _("Permintaan perubahan jadwal tidak ditemukan."))


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


def _employee_recipient(employee: Employee) -> list[Recipient]:
    if employee.user is None:
        return []
    return [Recipient(user=employee.user, email=((employee.user.email or employee.email or "").strip()))]


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
    ended = ArrangementDay.objects.filter(
        employee=me, active=True, date__in=remove, schedule__isnull=False
    ).update(active=False, ended_at=now)
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


# ---- change requests --------------------------------------------------------------------


@dataclass(frozen=True)
class ChangeInput:
    dates: tuple[dt.date, ...]
    location_kind: str
    reason: str


def _clean_change(part: MyPart, data: ChangeInput) -> tuple[list[dt.date], str, str]:
    allowed = set(part.workdays())
    dates = sorted(set(data.dates))
    if not dates:
        raise _invalid(_("Pilih paling sedikit satu tanggal."), "dates")
    for date in dates:
        if date not in allowed:
            raise _invalid(
                _("Tanggal %(d)s bukan hari kerja periode jadwal ini yang belum lewat.") % {"d": date.isoformat()},
                "dates",
            )
    try:
        location = LocationKind(str(data.location_kind)).value
    except ValueError:
        raise _invalid(_("Pilih tempat kerja yang diinginkan."), "location_kind") from None
    reason = (data.reason or "").strip()
    if len(reason) < MIN_REASON:
        raise _invalid(_("Tuliskan alasan paling sedikit %(n)d karakter.") % {"n": MIN_REASON}, "reason")
    if len(reason) > MAX_REASON:
        raise _invalid(_("Alasan paling banyak %(n)d karakter.") % {"n": MAX_REASON}, "reason")
    return dates, location, reason


def change_request_create(*, actor: Any, schedule_id: int, data: ChangeInput) -> ScheduleChangeRequest:
    """The employee asks for a change of days of a published schedule; the heads are told."""
    part = my_schedule_get(actor=actor, schedule_id=schedule_id)
    if not part.can_change:
        raise ApplicationError(ErrorCode.INVALID_STATE, _("Jadwal ini tidak dapat diubah lagi."))
    dates, location, reason = _clean_change(part, data)
    schedule, me = part.schedule, part.employee
    with transaction.atomic():
        Employee.objects.select_for_update().filter(pk=me.pk).values_list("pk").first()
        if ScheduleChangeRequest.objects.filter(
            schedule=schedule, employee=me, state=ChangeState.SUBMITTED
        ).exists():
            raise ApplicationError(
                ErrorCode.CONFLICT,
                _("Masih ada permintaan perubahan jadwal ini yang menunggu keputusan."),
            )
        change = ScheduleChangeRequest.objects.create(
            agency_id=schedule.agency_id, unit_id=schedule.unit_id, schedule=schedule, employee=me,
            dates=[d.isoformat() for d in dates], location_kind=location, reason=reason,
            created_at=clock.now(),
        )
        audit_record(
            actor=actor, action="schedule_change.submit", object_type="schedule_change",
            object_id=change.pk, agency_id=schedule.agency_id,
            data={"schedule": schedule.pk, "dates": change.dates, "location": location},
        )
        name = me.name
        notify(
            recipients=_heads(schedule),
            kind="schedule_change_submitted",
            texts=lambda: (
                _("Permintaan perubahan jadwal"),
                _("%(name)s meminta perubahan jadwal hybrid pada %(n)d tanggal.") % {"name": name, "n": len(dates)},
            ),
            url=responses_url(schedule.pk),
            key=f"schedule_change:{change.pk}:submitted",
            subject=f"schedule_change:{change.pk}",
        )
    return change


def _may_decide(actor: Any, change: ScheduleChangeRequest) -> None:
    from .publishing import publishable_unit

    dates = [dt.date.fromisoformat(d) for d in change.dates]
    try:
        publishable_unit(actor=actor, unit_id=change.unit_id, start=min(dates), end=max(dates))
    except ApplicationError:
        raise _change_missing() from None


def _decidable(actor: Any, change: ScheduleChangeRequest) -> None:
    """The head of the schedule's unit (or of a unit above it), or a Plt/Plh whose
    delegation covers every date of the change; never the employee who asked."""
    _may_decide(actor, change)
    me = _me(actor)
    if me is not None and me.pk == change.employee_id:
        raise permission_denied(_("Anda tidak dapat memutus permintaan Anda sendiri."))


def change_request_get(*, actor: Any, change_id: int) -> ScheduleChangeRequest:
    """The employee who asked, or whoever may read the schedule's unit plans (head, Plt/Plh,
    HR admin, PPK); others 404."""
    change = (
        ScheduleChangeRequest.objects.select_related("schedule", "employee", "unit", "decided_by")
        .filter(pk=change_id)
        .first()
    )
    if change is None:
        raise _change_missing()
    me = _me(actor)
    if me is not None and me.pk == change.employee_id:
        return change
    try:
        _plannable_unit(actor, change.unit_id)
    except ApplicationError:
        _may_decide(actor, change)  # a Plt/Plh for the dates of the change
    return change


def _locked_change(change_id: int) -> ScheduleChangeRequest:
    change = ScheduleChangeRequest.objects.select_for_update(of=("self",)).select_related(
        "schedule", "employee", "employee__user", "unit", "unit__agency"
    ).get(pk=change_id)
    if change.state != ChangeState.SUBMITTED:
        raise ApplicationError(
            ErrorCode.INVALID_STATE,
            _("Permintaan ini sudah %(state)s.") % {"state": change.get_state_display().lower()},
        )
    return change


def _tell_employee(change: ScheduleChangeRequest, approved: bool) -> None:
    period = ", ".join(dt.date.fromisoformat(d).strftime("%d-%m-%Y") for d in change.dates)
    note = change.decision_note
    notify(
        recipients=_employee_recipient(change.employee),
        kind="schedule_change_decided",
        texts=lambda: (
            _("Permintaan perubahan jadwal disetujui") if approved else _("Permintaan perubahan jadwal ditolak"),
            (_("Perubahan jadwal Anda untuk %(dates)s disetujui.") if approved
             else _("Perubahan jadwal Anda untuk %(dates)s ditolak: %(note)s")) % {"dates": period, "note": note},
        ),
        url=my_schedule_url(change.schedule_id),
        key=f"schedule_change:{change.pk}:decided",
        subject=f"schedule_change:{change.pk}",
    )


def change_request_approve(*, actor: Any, change_id: int, note: str = "") -> ScheduleChangeRequest:
    """Approve: the dates get the wanted place (written through ``arrangement_days_write``,
    the schedule as their source) unless the policy core finds a new error (cap, the unit's
    coverage on those days): 422 ``policy_violation`` with the findings, nothing changes.
    A date with an approved request's day is refused (the request wins). The dates leave the
    employee's pending part, if any: they are in force now."""
    change = change_request_get(actor=actor, change_id=change_id)
    _decidable(actor, change)
    with transaction.atomic():
        _lock(change.unit, change.employee)
        change = _locked_change(change.pk)
        today, now = clock.today(), clock.now()
        dates = [dt.date.fromisoformat(d) for d in change.dates]
        if any(d < today for d in dates):
            raise ApplicationError(
                ErrorCode.INVALID_STATE, _("Sebagian tanggal permintaan ini sudah lewat; tolak permintaan ini.")
            )
        existing = {
            d.date: d for d in ArrangementDay.objects.filter(employee=change.employee, active=True, date__in=dates)
        }
        for date in dates:
            if existing.get(date) is not None and existing[date].request_id is not None:
                raise ApplicationError(
                    ErrorCode.VALIDATION,
                    _("%(name)s sudah punya hari yang disetujui lewat pengajuan pada %(d)s; cabut pengajuan itu dahulu.")
                    % {"name": change.employee.name, "d": date.isoformat()},
                    {"fields": {"dates": date.isoformat()}},
                )
        write = {
            date: _day_plan(change.employee.nip, date, change.location_kind, "reguler", None, None) for date in dates
        }
        schedule = change.schedule
        errors = _new_errors(
            unit=change.unit, start=min(schedule.start, min(dates)), end=max(schedule.end, max(dates)),
            employee=change.employee, write=write, remove=(),
        )
        if errors:
            raise ApplicationError(
                ErrorCode.POLICY_VIOLATION,
                _("Perubahan tidak dapat disetujui: %(n)d temuan melanggar ketentuan.") % {"n": len(errors)},
                {"findings": errors},
            )
        arrangement_days_write(
            employee=change.employee,
            days=[_Day(d, change.location_kind, "reguler", None, None) for d in dates],
            now=now,
            schedule_id=schedule.pk,
        )
        conf = ScheduleConfirmation.objects.select_for_update().filter(
            schedule=schedule, employee=change.employee, state=ConfirmationState.PENDING
        ).first()
        if conf is not None:
            conf.rows = [r for r in conf.rows if r["tanggal"] not in change.dates]
            conf.ends = [d for d in conf.ends if d not in change.dates]
            conf.save(update_fields=["rows", "ends"])
        change.state, change.decided_at, change.decided_by = ChangeState.APPROVED, now, actor
        change.decision_note = (note or "").strip()[:MAX_REASON]
        change.save(update_fields=["state", "decided_at", "decided_by", "decision_note"])
        audit_record(
            actor=actor, action="schedule_change.approve", object_type="schedule_change",
            object_id=change.pk, agency_id=change.agency_id,
            data={"schedule": schedule.pk, "employee": change.employee.nip, "dates": change.dates,
                  "location": change.location_kind},
        )
        _tell_employee(change, approved=True)
    return change


def change_request_reject(*, actor: Any, change_id: int, note: str) -> ScheduleChangeRequest:
    change = change_request_get(actor=actor, change_id=change_id)
    _decidable(actor, change)
    note = (note or "").strip()
    if len(note) < 5:
        raise _invalid(_("Tuliskan alasan penolakan."), "note")
    with transaction.atomic():
        _lock(change.unit, change.employee)
        change = _locked_change(change.pk)
        change.state, change.decided_at, change.decided_by = ChangeState.REJECTED, clock.now(), actor
        change.decision_note = note[:MAX_REASON]
        change.save(update_fields=["state", "decided_at", "decided_by", "decision_note"])
        audit_record(
            actor=actor, action="schedule_change.reject", object_type="schedule_change",
            object_id=change.pk, agency_id=change.agency_id,
            data={"schedule": change.schedule_id, "employee": change.employee.nip, "note": change.decision_note},
        )
        _tell_employee(change, approved=False)
    return change


def change_request_cancel(*, actor: Any, change_id: int) -> ScheduleChangeRequest:
    """The employee withdraws their own open change request."""
    me = _me(actor)
    change = ScheduleChangeRequest.objects.filter(pk=change_id).first()
    if me is None or change is None or change.employee_id != me.pk:
        raise _change_missing()
    with transaction.atomic():
        Employee.objects.select_for_update().filter(pk=me.pk).values_list("pk").first()
        change = _locked_change(change.pk)
        change.state, change.decided_at = ChangeState.CANCELLED, clock.now()
        change.save(update_fields=["state", "decided_at"])
        audit_record(
            actor=actor, action="schedule_change.cancel", object_type="schedule_change",
            object_id=change.pk, agency_id=change.agency_id, data={"schedule": change.schedule_id},
        )
    return change


def change_requests_for(*, actor: Any, schedule_id: int | None = None, state: str = "") -> list[ScheduleChangeRequest]:
    """Change requests the actor sees: their own, and those of the units they may read plans
    of (head, Plt/Plh, HR admin, PPK); one schedule's or all."""
    scope = scope_for(actor)
    me = _me(actor)
    qs = ScheduleChangeRequest.objects.select_related("employee", "schedule", "unit", "decided_by")
    if not scope.is_system_admin:
        from django.db.models import Q

        cond = Q(agency_id__in=scope.admin_agency_ids)
        for path in scope.head_unit_paths:
            cond |= Q(unit__path__startswith=path)
        if me is not None:
            cond |= Q(employee=me)
        if not scope.admin_agency_ids and not scope.head_unit_paths and me is None:
            return []
        qs = qs.filter(cond)
    if schedule_id is not None:
        qs = qs.filter(schedule_id=schedule_id)
    if state:
        qs = qs.filter(state=state)
    return list(qs.order_by("-created_at", "-id")[:200])


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
