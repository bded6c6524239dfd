"""A large synthetic agency for benchmarks: ``fleksi demo --employees N --weeks W`` (issue 10).

Everything is bulk-inserted (``bulk_create`` in batches), so 50,000 employees x 13 weeks
(about 3.25 million daily records) load in minutes: units, positions, employees with valid
NIPs, approved requests with their arrangement days (40% of the staff away two days a week),
daily attendance records for every working day, planned outputs with daily logs on most
flexible days, and a final assessment per employee and month. The agency's HR admin can log
in to see its dashboards (docs/decisions/182).

Check-ins themselves are not generated: the dashboards, reports and recaps read the daily
records, and the check-in path has its own benchmark (bench/bench_checkin_load.py).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

BATCH = 10_000
FLUSH_ROWS = 50_000
POSITIONS = [
    # (title, may work away from the office)
    ("Analis Kebijakan", True),
    ("Pranata Komputer", True),
    ("Arsiparis", True),
    ("Pengelola Keuangan", True),
    ("Petugas Layanan Publik", False),
]
PREDIKATS = ["sangat_baik", "baik", "baik", "baik", "butuh_perbaikan"]


@dataclass
class ScaleAgency:
    agency: object
    hr: object
    monitor: object
    start: dt.date
    end: dt.date
    employees: int
    units: int
    records: int
    days: int
    logs: int
    assessments: int
    rollup_s: float = 0.0


def number(value: int) -> str:
    """A count the Indonesian way: 50.000."""
    return f"{value:,}".replace(",", ".")


def agency_code(employees: int) -> str:
    return f"skala-{employees}"


def hr_username(employees: int) -> str:
    return f"sdm@{agency_code(employees)}.go.id"


def default_start(weeks: int, today: dt.date) -> dt.date:
    """The Monday ``weeks`` whole weeks before the current week: the data ends last Sunday."""
    this_monday = today - dt.timedelta(days=today.weekday())
    return this_monday - dt.timedelta(weeks=weeks)


def _nips(count: int, rng: random.Random, taken: set[str]) -> list[str]:
    """``count`` distinct NIPs of the 18-digit form (birth date, TMT year and month, sex,
    number) that are not in ``taken`` (NIPs are unique across agencies)."""
    used = set(taken)
    out: list[str] = []
    while len(out) < count:
        birth = dt.date(rng.randint(1968, 1998), rng.randint(1, 12), rng.randint(1, 28))
        year = rng.randint(birth.year + 20, min(birth.year + 35, 2024))
        nip = f"{birth:%Y%m%d}{year:04d}{rng.randint(1, 12):02d}{rng.randint(1, 2)}{rng.randint(1, 999):03d}"
        if nip not in used:
            used.add(nip)
            out.append(nip)
    return out


def load_scale(
    employees: int,
    weeks: int,
    *,
    start: dt.date | None = None,
    units: int | None = None,
    code: str | None = None,
    name: str | None = None,
    password: str | None = None,
    progress: Callable[[str], None] | None = None,
    seed: int | str | None = None,
) -> ScaleAgency:
    """Create the synthetic agency. ``start`` is a Monday (default: ``weeks`` weeks back from
    this week); ``units`` defaults to one unit per 100 employees (at least 2, at most 500)."""
    from fleksi.accounts.models import User
    from fleksi.attendance.models import DailyRecord
    from fleksi.core import clock
    from fleksi.organisation.models import (
        Agency,
        AgencyRole,
        AgencyRoleKind,
        Employee,
        OrgUnit,
        Position,
    )
    from fleksi.performance.models import Assessment, LogEntry, PlannedOutput
    from fleksi.performance.output_sums import refresh_agency_output_sums
    from fleksi.requests.models import FlexRequest
    from fleksi.schedules.models import ArrangementDay

    if employees < 1 or weeks < 1:
        raise ValueError("employees and weeks must be at least 1")
    say = progress or (lambda _msg: None)
    start = start or default_start(weeks, clock.today())
    if start.weekday() != 0:
        raise ValueError("start must be a Monday")
    end = start + dt.timedelta(weeks=weeks) - dt.timedelta(days=1)
    n_units = units or max(2, min(500, employees // 100))
    code = code or agency_code(employees)
    rng = random.Random(code if seed is None else seed)  # noqa: S311 - synthetic data, not security

    with transaction.atomic():
        agency = Agency.objects.create(code=code, name=name or f"Instansi Skala {number(employees)}")
        positions = [
            Position.objects.create(
                agency=agency, title=title, can_work_outside_office=away, needs_no_special_equipment=away,
                can_use_ict=away, minimal_face_to_face=away, no_continuous_supervision=away,
            )
            for title, away in POSITIONS
        ]
        root = OrgUnit.objects.create(agency=agency, code="ROOT", name="Sekretariat")
        root.path = f"/{root.pk}/"
        root.save(update_fields=["path"])
        children = OrgUnit.objects.bulk_create(
            [OrgUnit(agency=agency, code=f"U{i:03d}", name=f"Unit {i + 1:03d}", parent=root, depth=1)
             for i in range(n_units - 1)]
        )
        children = list(OrgUnit.objects.filter(agency=agency, parent=root).order_by("code"))
        for unit in children:
            unit.path = f"{root.path}{unit.pk}/"
        OrgUnit.objects.bulk_update(children, ["path"], batch_size=BATCH)
        all_units = [root, *children]
        say(f"{len(all_units)} unit dibuat; membuat {number(employees)} pegawai…")
        nips = _nips(employees, rng, set(Employee.objects.values_list("nip", flat=True)))
        Employee.objects.bulk_create(
            [Employee(agency=agency, unit=all_units[n % len(all_units)], position=positions[n % len(positions)],
                      name=f"Pegawai {n + 1:05d}", nip=nips[n]) for n in range(employees)],
            batch_size=BATCH,
        )
        people = list(Employee.objects.filter(agency=agency).order_by("pk").only("pk", "unit_id", "position_id"))
        hr = User.objects.create(username=hr_username(employees), email=hr_username(employees),
                                 password=make_password(password) if password else "!")
        AgencyRole.objects.create(user=hr, agency=agency, role=AgencyRoleKind.HR_ADMIN)
        monitor, _ = User.objects.get_or_create(username=f"pemantau-{code}", defaults={"is_national_monitor": True})

        may_be_away = {p.pk for p in positions if p.can_work_outside_office}
        away = [p for i, p in enumerate(people) if i % 5 < 2 and p.position_id in may_be_away]
        submitted = timezone.make_aware(dt.datetime.combine(start - dt.timedelta(days=14), dt.time(8)))
        requests = FlexRequest.objects.bulk_create(
            [FlexRequest(agency=agency, employee_id=p.pk, state="approved", location_kind="rumah",
                         start_date=start, end_date=end, submitted_at=submitted,
                         decided_at=submitted + dt.timedelta(hours=1 + i % 48)) for i, p in enumerate(away)],
            batch_size=BATCH,
        )
        request_of = {r.employee_id: r.pk for r in requests}
        outputs = PlannedOutput.objects.bulk_create(
            [PlannedOutput(agency=agency, employee_id=p.pk, source="employee", state="agreed", description="Keluaran",
                           target_quantity=10 + i % 20, start_date=start, end_date=end,
                           due_date=start + dt.timedelta(weeks=max(1, weeks // 2))) for i, p in enumerate(away)],
            batch_size=BATCH,
        )
        output_of = {o.employee_id: o.pk for o in outputs}
        # Every month the data touches has its assessment (final), as if the heads kept up.
        months = sorted({dt.date(d.year, d.month, 1) for d in (start + dt.timedelta(days=k) for k in range(weeks * 7))})
        assessments = Assessment.objects.bulk_create(
            [Assessment(agency=agency, employee_id=p.pk, period=month, state="final", predikat=PREDIKATS[i % 5])
             for month in months for i, p in enumerate(people)],
            batch_size=BATCH,
        )
        say(f"{number(len(requests))} pengajuan disetujui, {number(len(assessments))} penilaian; "
            f"membuat presensi {weeks} minggu…")

        logs: list = []
        days: list = []
        records: list = []
        n_days = n_records = n_logs = 0

        def flush() -> None:
            nonlocal n_days, n_records, n_logs, logs, days, records
            DailyRecord.objects.bulk_create(records, batch_size=BATCH)
            ArrangementDay.objects.bulk_create(days, batch_size=BATCH)
            LogEntry.objects.bulk_create(logs, batch_size=BATCH)
            n_records, n_days, n_logs = n_records + len(records), n_days + len(days), n_logs + len(logs)
            records, days, logs = [], [], []

        for week in range(weeks):
            monday = start + dt.timedelta(weeks=week)
            for offset in range(5):
                date = monday + dt.timedelta(days=offset)
                for i, p in enumerate(people):
                    is_away = p.pk in request_of and offset in (i % 5, (i + 2) % 5)
                    if is_away:
                        days.append(ArrangementDay(agency=agency, unit_id=p.unit_id, employee_id=p.pk,
                                                   request_id=request_of[p.pk], date=date, location_kind="rumah"))
                        if (i + week) % 4:  # three flexible days in four have a daily log
                            logs.append(LogEntry(agency=agency, employee_id=p.pk, date=date, minutes=420,
                                                 planned_output_id=output_of[p.pk], description="Kegiatan",
                                                 quantity=1))
                    if (i + offset + week) % 50 == 0:
                        status = "absent"
                    else:
                        status = "present_flexible" if is_away else "present_office"
                    records.append(DailyRecord(
                        agency=agency, unit_id=p.unit_id, employee_id=p.pk, work_date=date,
                        planned_location="rumah" if is_away else "kantor",
                        first_in_location="" if status == "absent" else ("rumah" if is_away else "kantor"),
                        status=status, flags=["deviation"] if (i + offset) % 40 == 0 else [],
                        worked_minutes=0 if status == "absent" else 450,
                    ))
                if len(records) >= FLUSH_ROWS:
                    flush()
            say(f"  minggu {week + 1} dari {weeks}: {number(n_records + len(records))} catatan harian")
        flush()
        # The logs were bulk-inserted: their outputs' sums in one UPDATE (docs/decisions/199).
        refresh_agency_output_sums(agency.pk)
    # The dashboards read the rollups of the records (docs/decisions/196); the records above
    # were bulk-inserted, so they are built once here, a week per transaction.
    import time

    from fleksi.attendance import rollup
    from fleksi.performance import rollup as assessment_rollup

    started = time.perf_counter()
    rollup.rebuild(agency_id=agency.pk, progress=lambda monday, _sunday: say(f"  ringkasan minggu {monday:%d-%m-%Y}"))
    from fleksi.schedules import rollup as plan_rollup  # the approved days' (docs/decisions/201)

    plan_rollup.rebuild(agency_id=agency.pk, progress=lambda first, _last: say(f"  ringkasan rencana {first:%m-%Y}"))
    # The assessments too were bulk-inserted: their rollup (docs/decisions/198), a period per transaction.
    assessment_rollup.rebuild(agency_id=agency.pk)
    rollup_s = time.perf_counter() - started
    return ScaleAgency(agency=agency, hr=hr, monitor=monitor, start=start, end=end, employees=employees,
                       units=len(all_units), records=n_records, days=n_days, logs=n_logs,
                       assessments=len(assessments), rollup_s=rollup_s)
