"""A small known world for the monitoring figures: every number in the tests is counted by
hand from it (docs in the test names)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from django.utils import timezone

from fleksi.attendance import rollup
from fleksi.attendance.models import DailyRecord
from fleksi.requests.models import FlexRequest
from fleksi.schedules import rollup as plan_rollup
from fleksi.schedules.models import ArrangementDay
from tests.factories import EmployeeFactory, UnitFactory, UserFactory, make_agency_role, make_head

MON = dt.date(2026, 11, 2)  # ISO week 2026-W45
TUE, WED = MON + dt.timedelta(days=1), MON + dt.timedelta(days=2)
FROM, TO = dt.date(2026, 10, 1), dt.date(2026, 11, 30)


def flex_request(employee, *, hours: float, findings=()):
    submitted = timezone.make_aware(dt.datetime(2026, 10, 20, 8, 0))
    return FlexRequest.objects.create(
        agency=employee.agency, employee=employee, state="approved", location_kind="rumah",
        start_date=MON, end_date=WED, submitted_at=submitted,
        decided_at=submitted + dt.timedelta(hours=hours), findings=list(findings),
    )


def day(request, on, location="rumah", time_kind="reguler"):
    employee = request.employee
    saved = ArrangementDay.objects.create(
        agency=employee.agency, unit=employee.unit, employee=employee, request=request,
        date=on, location_kind=location, time_kind=time_kind,
    )
    plan_rollup.refresh([(saved.unit_id, on, saved.employee_id)])  # as every writer of days does (docs/decisions/201)
    return saved


def record(employee, on, *, status, location="", flags=(), minutes=0, planned="kantor"):
    saved = DailyRecord.objects.create(
        agency=employee.agency, unit=employee.unit, employee=employee, work_date=on,
        planned_location=planned, first_in_location=location, status=status,
        flags=list(flags), worked_minutes=minutes,
    )
    rollup.record_saved(saved)  # as every writer of records does (docs/decisions/196)
    return saved


def build_world() -> SimpleNamespace:
    """Agency A: root R (head HR) > unit C (head HC, employees E1..E6). 8 employees.
    E1: home Mon+Tue (request decided in 1 h, one WEEKLY finding), E2: home Mon (2 h),
    E3: office with dynamic hours Wed (10 h). Daily records on Monday: E1 present at home
    450 min, E2 absent (no_check_in), E4 at the office with deviation + outside_office, E5 at
    the office synced late. Agency B: unit B1 with 3 employees, 2 of them home on Monday."""
    root = UnitFactory(code="R", name="Sekretariat")
    agency = root.agency
    unit = UnitFactory(agency=agency, parent=root, code="C", name="Bidang Layanan")
    head_root = make_head(root)
    head = make_head(unit)
    staff = [EmployeeFactory(unit=unit) for _ in range(6)]
    finding = {"code": "LOCATION_MAX_DAYS_PER_WEEK", "severity": "warning", "basis": "x", "message_id": "m"}
    r1 = flex_request(staff[0], hours=1, findings=[finding])
    r2 = flex_request(staff[1], hours=2)
    r3 = flex_request(staff[2], hours=10)
    day(r1, MON), day(r1, TUE), day(r2, MON), day(r3, WED, location="kantor", time_kind="dinamis")
    record(staff[0], MON, status="present_flexible", location="rumah", minutes=450, planned="rumah")
    record(staff[1], MON, status="absent", flags=["no_check_in"], planned="rumah")
    record(staff[3], MON, status="present_office", location="kantor", flags=["deviation", "outside_office"], minutes=400)
    record(staff[4], MON, status="present_office", location="kantor", flags=["synced_late"], minutes=450)

    b_unit = UnitFactory(code="B1", name="Unit Kecil")
    other = b_unit.agency
    b_staff = [EmployeeFactory(unit=b_unit) for _ in range(3)]
    for person in b_staff[:2]:
        day(flex_request(person, hours=3), MON)
    monitor = UserFactory(is_national_monitor=True)
    return SimpleNamespace(
        agency=agency, root=root, unit=unit, head_root=head_root, head=head, staff=staff,
        hr=make_agency_role(agency), other=other, other_hr=make_agency_role(other),
        b_unit=b_unit, b_staff=b_staff, monitor=monitor,
        admin=UserFactory(is_superuser=True, is_staff=True),
        names=[e.name for e in [head_root, head, *staff, *b_staff]],
        nips=[e.nip for e in [head_root, head, *staff, *b_staff]],
    )
