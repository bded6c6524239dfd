"""A request's input validated and expanded into working dates (``PlannedRequest``).
Reads only: nothing here writes to the database."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from fleksi.core.errors import ApplicationError, ErrorCode
from fleksi.organisation.models import AgencyOffice, Employee, PermittedPlace
from fleksi.policy.calendar import AgencyCalendar
from fleksi.policy.model import (
    Policy,
    RuleCode,
    Severity,
    TimeFlexibility,
)
from fleksi.schedules.models import LocationKind, TimeKind
from fleksi.scheme.facts import agency_policy, employee_today

from .inputs import OutputInput, RequestInput
from .models import FlexRequest, ScheduleMode

MAX_PERIOD_DAYS = 366  # one request covers at most a year


MAX_AHEAD_DAYS = 2 * 366  # a request is planned at most two years ahead


MIN_PLACE_DESCRIPTION = 10  # a described "lokasi lain" says at least where


MAX_OUTPUTS = 50


_HHMM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


@dataclass(frozen=True)
class PlannedDay:
    date: dt.date
    location_kind: str
    time_kind: str
    start: dt.time | None = None
    end: dt.time | None = None


@dataclass(frozen=True)
class PlannedRequest:
    """A validated request: the employee, the normalised fields, the working dates."""

    employee: Employee
    data: RequestInput
    office: AgencyOffice | None
    place: PermittedPlace | None
    days: tuple[PlannedDay, ...]
    evidence_count: int = 0

    @property
    def dates(self) -> list[dt.date]:
        return [d.date for d in self.days]

    def only_from(self, first: dt.date) -> PlannedRequest:
        """The same request without the days before ``first`` (days already passed)."""
        return replace(self, days=tuple(d for d in self.days if d.date >= first))


def week_bounds(dates: Iterable[dt.date]) -> tuple[dt.date, dt.date] | None:
    dates = list(dates)
    if not dates:
        return None
    first, last = min(dates), max(dates)
    return first - dt.timedelta(days=first.weekday()), last + dt.timedelta(days=6 - last.weekday())


class _Fields:
    def __init__(self) -> None:
        self.errors: dict[str, str] = {}

    def add(self, name: str, message: str) -> None:
        self.errors.setdefault(name, message)

    def raise_if_any(self) -> None:
        if self.errors:
            first = next(iter(self.errors.values()))
            raise ApplicationError(
                ErrorCode.VALIDATION,
                _("Pengajuan belum benar: %(first)s") % {"first": first},
                {"fields": dict(self.errors)},
            )


def parse_hhmm(value: object) -> dt.time | None:
    if isinstance(value, dt.time):
        return value
    if not isinstance(value, str):
        return None
    match = _HHMM.match(value.strip())
    return dt.time(int(match[1]), int(match[2])) if match else None


def expand_dates(
    calendar: AgencyCalendar,
    *,
    mode: str,
    start: dt.date,
    end: dt.date,
    weekdays: Iterable[int],
    dates: Iterable[dt.date],
    time_kind: str,
) -> list[dt.date]:
    """The dates a request covers: a weekly pattern keeps only working days (a shift keeps
    every chosen weekday); specific dates are kept as given (the policy judges them)."""
    if mode == ScheduleMode.DATES:
        return sorted(set(dates))
    chosen = set(weekdays)
    out = []
    day = start
    while day <= end:
        if day.weekday() in chosen and (
            time_kind == TimeKind.SHIFT or calendar.is_working_day(day)
        ):
            out.append(day)
        day += dt.timedelta(days=1)
    return out


def _time_allowed(employee: Employee, time_kind: str, policy: Policy) -> bool:
    """Time flexibility the position (or the employee's override) allows; when the agency has
    lowered the rule below an error, the check reports it instead of the form refusing it."""
    flex = employee.time_flexibility
    if time_kind == TimeKind.DYNAMIC:
        return (
            flex == TimeFlexibility.DYNAMIC.value
            or policy.severity_of(RuleCode.DYNAMIC_NOT_ELIGIBLE) is not Severity.ERROR
        )
    if time_kind == TimeKind.SHIFT:
        return (
            flex == TimeFlexibility.SHIFT.value
            or policy.severity_of(RuleCode.SHIFT_NOT_ELIGIBLE) is not Severity.ERROR
        )
    return True


def _clean_outputs(outputs: Sequence[OutputInput], errors: _Fields) -> tuple[OutputInput, ...]:
    clean = []
    if len(outputs) > MAX_OUTPUTS:
        errors.add("outputs", _("Paling banyak %(n)d keluaran.") % {"n": MAX_OUTPUTS})
    for index, output in enumerate(outputs[:MAX_OUTPUTS], start=1):
        description = (output.description or "").strip()
        if not description:
            errors.add("outputs", _("Uraian keluaran ke-%(n)d kosong.") % {"n": index})
            continue
        if len(description) > 500:
            errors.add(
                "outputs", _("Uraian keluaran ke-%(n)d lebih dari 500 karakter.") % {"n": index}
            )
        try:
            quantity = Decimal(str(output.target_quantity))
        except (InvalidOperation, ValueError):
            quantity = Decimal(0)
        if not quantity.is_finite() or quantity <= 0 or quantity >= Decimal("100000000"):
            errors.add("outputs", _("Target keluaran ke-%(n)d harus lebih dari 0.") % {"n": index})
        unit = (output.unit or "dokumen").strip()[:50] or "dokumen"
        clean.append(
            OutputInput(
                description=description[:500],
                target_quantity=quantity,
                unit=unit,
                due_date=output.due_date,
            )
        )
    return tuple(clean)


def plan_request(
    *,
    employee: Employee,
    data: RequestInput,
    today: dt.date | None = None,
    policy: Policy | None = None,
    calendar: AgencyCalendar | None = None,
    evidence_count: int = 0,
) -> PlannedRequest:
    """Validate a request's input and expand it into working dates.

    Raises ``ApplicationError(VALIDATION)`` with every field problem in
    ``details["fields"]`` (Indonesian messages); nothing is written.
    """
    agency = employee.agency
    policy = policy or agency_policy(agency)
    calendar = calendar or AgencyCalendar(policy)
    today = today or employee_today(employee)
    errors = _Fields()

    location = data.location_kind
    if location not in LocationKind.values:
        errors.add("location_kind", _("Jenis lokasi tidak dikenal."))
    time_kind = data.time_kind
    if time_kind not in TimeKind.values:
        errors.add("time_kind", _("Jenis pengaturan waktu tidak dikenal."))
    mode = data.schedule_mode
    if mode not in ScheduleMode.values:
        errors.add("schedule_mode", _("Cara penjadwalan tidak dikenal."))
    if location == LocationKind.OFFICE and time_kind == TimeKind.REGULAR:
        errors.add(
            "location_kind", _("Pilih lokasi di luar kantor atau pengaturan waktu yang fleksibel.")
        )

    office = place = None
    if location == LocationKind.OTHER_OFFICE:
        office = (
            AgencyOffice.objects.filter(
                pk=data.office_id, agency_id=agency.pk, is_active=True
            ).first()
            if data.office_id
            else None
        )
        if office is None:
            errors.add("office_id", _("Pilih kantor lain milik instansi Anda."))
    elif data.office_id:
        errors.add("office_id", _("Kantor hanya diisi untuk lokasi kantor lain."))
    if location == LocationKind.OTHER_LOCATION:
        place = (
            PermittedPlace.objects.filter(
                pk=data.place_id, agency_id=agency.pk, is_active=True
            ).first()
            if data.place_id
            else None
        )
        described = len((data.place_description or "").strip()) >= MIN_PLACE_DESCRIPTION
        if place is None and (data.place_id or not described):
            # A listed place, or a described place the approver accepts by approving it
            # (PermenPANRB 4/2025 Pasal 12 ayat (1) huruf c).
            errors.add(
                "place_id",
                _(
                    "Pilih lokasi lain dari daftar yang ditetapkan instansi Anda, atau uraikan lokasinya "
                    "(paling sedikit %(n)d karakter) agar dinilai atasan."
                )
                % {"n": MIN_PLACE_DESCRIPTION},
            )
    elif data.place_id:
        errors.add("place_id", _("Lokasi lain hanya diisi untuk jenis lokasi lain."))
    if len(data.place_description or "") > 500:
        errors.add("place_description", _("Uraian lokasi paling banyak 500 karakter."))

    start, end = data.start_date, data.end_date
    if not isinstance(start, dt.date) or not isinstance(end, dt.date):
        errors.add("start_date", _("Tanggal mulai dan sampai wajib diisi."))
        errors.raise_if_any()
    if end < start:
        errors.add("end_date", _("Tanggal sampai tidak boleh sebelum tanggal mulai."))
    if start < today:
        errors.add(
            "start_date", _("Tanggal mulai %(date)s sudah lewat.") % {"date": start.isoformat()}
        )
    if (end - start).days >= MAX_PERIOD_DAYS:
        errors.add("end_date", _("Satu pengajuan paling lama %(n)d hari.") % {"n": MAX_PERIOD_DAYS})
    horizon = today + dt.timedelta(days=MAX_AHEAD_DAYS)
    if start > horizon or end > horizon:
        errors.add(
            "start_date" if start > horizon else "end_date",
            _("Pengajuan hanya untuk tanggal sampai %(date)s (paling jauh dua tahun ke depan).")
            % {"date": horizon.isoformat()},
        )
        errors.raise_if_any()

    weekdays = tuple(sorted(set(data.weekdays)))
    dates = tuple(sorted(set(data.dates)))
    if mode == ScheduleMode.PATTERN:
        if not weekdays:
            errors.add("weekdays", _("Pilih paling sedikit satu hari dalam pola mingguan."))
        elif any(not isinstance(w, int) or not 0 <= w <= 6 for w in weekdays):
            errors.add("weekdays", _("Hari dalam pola harus 0 (Senin) sampai 6 (Minggu)."))
        dates = ()
    elif mode == ScheduleMode.DATES:
        weekdays = ()
        if not dates:
            errors.add("dates", _("Pilih paling sedikit satu tanggal."))
        past = [d for d in dates if d < today]
        if past:
            errors.add("dates", _("Tanggal %(date)s sudah lewat.") % {"date": past[0].isoformat()})
        outside = [d for d in dates if not start <= d <= end]
        if outside:
            errors.add(
                "dates",
                _("Tanggal %(date)s di luar periode %(start)s sampai %(end)s.")
                % {
                    "date": outside[0].isoformat(),
                    "start": start.isoformat(),
                    "end": end.isoformat(),
                },
            )

    hours: dict[str, tuple[str, str]] = {}
    if time_kind in (TimeKind.DYNAMIC, TimeKind.SHIFT) and not _time_allowed(
        employee, time_kind, policy
    ):
        errors.add(
            "time_kind",
            _("Jabatan Anda tidak ditetapkan untuk %(kind)s.")
            % {"kind": TimeKind(time_kind).label},
        )
    errors.raise_if_any()

    expanded = expand_dates(
        calendar,
        mode=mode,
        start=start,
        end=end,
        weekdays=weekdays,
        dates=dates,
        time_kind=time_kind,
    )
    if mode == ScheduleMode.PATTERN and not expanded:
        errors.add(
            "weekdays", _("Pola mingguan ini tidak mengenai satu pun hari kerja dalam periode.")
        )
        errors.raise_if_any()

    times: dict[int, tuple[dt.time, dt.time]] = {}
    if time_kind in (TimeKind.DYNAMIC, TimeKind.SHIFT):
        for weekday in sorted({d.weekday() for d in expanded}):
            raw = (data.hours or {}).get(str(weekday))
            if not raw or len(raw) != 2:
                errors.add("hours", _("Isi jam mulai dan selesai untuk setiap hari yang dipilih."))
                continue
            begin, finish = parse_hhmm(raw[0]), parse_hhmm(raw[1])
            if begin is None or finish is None:
                errors.add("hours", _("Jam harus berformat JJ:MM, misalnya 07:30."))
                continue
            if time_kind == TimeKind.DYNAMIC and finish <= begin:
                errors.add("hours", _("Jam selesai harus setelah jam mulai."))
                continue
            if begin == finish:
                errors.add("hours", _("Jam selesai harus berbeda dari jam mulai."))
                continue
            times[weekday] = (begin, finish)
            hours[str(weekday)] = (f"{begin:%H:%M}", f"{finish:%H:%M}")
    outputs = _clean_outputs(data.outputs, errors)
    errors.raise_if_any()

    days = tuple(
        PlannedDay(
            date=d,
            location_kind=location,
            time_kind=time_kind,
            start=times[d.weekday()][0] if d.weekday() in times else None,
            end=times[d.weekday()][1] if d.weekday() in times else None,
        )
        for d in expanded
    )
    clean = replace(
        data,
        weekdays=weekdays,
        dates=dates,
        hours=hours,
        outputs=outputs,
        office_id=office.pk if office else None,
        place_id=place.pk if place else None,
        place_description=(data.place_description or "").strip(),
        reason=(data.reason or "").strip(),
        work_plan=(data.work_plan or "").strip(),
        special_description=(data.special_description or "").strip() if data.is_special else "",
    )
    return PlannedRequest(
        employee=employee,
        data=clean,
        office=office,
        place=place,
        days=days,
        evidence_count=evidence_count,
    )


def input_from_request(request: FlexRequest) -> RequestInput:
    """A stored request as service input (to re-validate it at submission)."""
    return RequestInput(
        start_date=request.start_date,
        end_date=request.end_date,
        location_kind=request.location_kind,
        office_id=request.office_id,
        place_id=request.place_id,
        place_description=request.place_description,
        schedule_mode=request.schedule_mode,
        weekdays=tuple(request.weekdays or ()),
        dates=tuple(dt.date.fromisoformat(d) for d in request.dates or ()),
        time_kind=request.time_kind,
        hours={k: (v[0], v[1]) for k, v in (request.hours or {}).items()},
        is_special=request.is_special,
        special_description=request.special_description,
        reason=request.reason,
        work_plan=request.work_plan,
        outputs=tuple(
            OutputInput(
                description=o.description,
                target_quantity=o.target_quantity,
                unit=o.unit,
                due_date=o.due_date,
            )
            for o in request.outputs.all()
        ),
    )


def stored_days(request: FlexRequest, calendar: AgencyCalendar) -> list[PlannedDay]:
    """The days of a stored (e.g. pending) request, without re-validating it."""
    dates = expand_dates(
        calendar,
        mode=request.schedule_mode,
        start=request.start_date,
        end=request.end_date,
        weekdays=request.weekdays or (),
        dates=[dt.date.fromisoformat(d) for d in request.dates or ()],
        time_kind=request.time_kind,
    )
    hours = request.hours or {}
    out = []
    for d in dates:
        pair = hours.get(str(d.weekday()))
        out.append(
            PlannedDay(
                date=d,
                location_kind=request.location_kind,
                time_kind=request.time_kind,
                start=parse_hhmm(pair[0]) if pair else None,
                end=parse_hhmm(pair[1]) if pair else None,
            )
        )
    return out


def planned_from_request(
    request: FlexRequest, *, calendar: AgencyCalendar, evidence_count: int = 0
) -> PlannedRequest:
    """A stored request as a ``PlannedRequest`` without re-validating it (for an approval
    after its first day: the days already passed are then dropped with ``only_from``)."""
    return PlannedRequest(
        employee=request.employee,
        data=input_from_request(request),
        office=request.office,
        place=request.place,
        days=tuple(stored_days(request, calendar)),
        evidence_count=evidence_count,
    )
