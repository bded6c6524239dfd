"""Four weeks of plausible presensi for the demo agency (issue 8).

The check-ins go through ``attendance.history.checkin_history_load`` (the live check-in's
fold into daily records, one bulk insert: a transaction per check-in would take minutes
for 300 people), the days are closed by ``attendance_close_day``, and the corrections go
through the correction services: for the demo employee one forgotten check-out has a
correction waiting for the head, an older one was approved. A few days deviate from the
plan, a few were synced late, a few have no check-out, a few check-ins are outside the office.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from fleksi.attendance import corrections, services
from fleksi.attendance.history import PastCheckIn, checkin_history_load
from fleksi.core import clock
from fleksi.organisation import services as org_services
from fleksi.schedules.selectors import employees_days
from fleksi.scheme.facts import agency_calendar

from .requests import _as_of

Say = Callable[[str], None]
DAYS = 28
HEAD_OFFICE = (Decimal("-6.914744"), Decimal("107.609810"), 150)  # the demo's Kantor Bupati
PLACES = ("kantor", "kantor_lain", "rumah", "lokasi_lain")


def load_demo_attendance(agency: Any, today: dt.date, say: Say) -> None:
    from fleksi.accounts.models import User
    from fleksi.organisation.models import AgencyOffice, AgencyRoleKind, Employee

    rng = random.Random(2027)  # noqa: S311 - demo data, not secrets
    hr = User.objects.filter(agency_roles__agency=agency, agency_roles__role=AgencyRoleKind.HR_ADMIN).first()
    zone = ZoneInfo(agency.time_zone or "Asia/Jakarta")
    office = AgencyOffice.objects.filter(agency=agency).order_by("pk").first()
    if office is not None and hr is not None:
        org_services.office_geofence_save(
            actor=hr, agency_id=agency.pk, office_id=office.pk,
            latitude=HEAD_OFFICE[0], longitude=HEAD_OFFICE[1], radius_m=HEAD_OFFICE[2],
        )
        # The placement office of everyone (organisation data the employee import lacks).
        Employee.objects.filter(agency=agency, office__isnull=True).update(office=office)
    say("Menyusun presensi empat minggu terakhir…")
    employees = list(
        Employee.objects.filter(agency=agency, is_active=True, user__isnull=False)
        .select_related("user", "unit")
        .order_by("pk")
    )
    demo = next((e for e in employees if e.email == "pegawai@lembahhijau.go.id"), None)
    calendar = agency_calendar(agency)
    first = today - dt.timedelta(days=DAYS)
    days = [first + dt.timedelta(days=n) for n in range(DAYS + 1)]
    arranged = employees_days(employee_ids=[e.pk for e in employees], start=first, end=today)
    now = clock.now().astimezone(zone)
    forgot_days: list[dt.date] = []
    if demo is not None:
        past = [d for d in days if d < today and calendar.day(d).working]
        forgot_days = [past[-3], past[-8]] if len(past) >= 8 else []

    def at(day: dt.date, hour: int, minute: int) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(hour, minute), zone)

    def coordinates(place: str) -> tuple[Decimal, Decimal]:
        if place == "kantor":
            spread = 0.004 if rng.random() < 0.02 else 0.0006  # now and then outside the fence
            return (HEAD_OFFICE[0] + Decimal(str(round(rng.uniform(-spread, spread), 6))),
                    HEAD_OFFICE[1] + Decimal(str(round(rng.uniform(-spread, spread), 6))))
        return (HEAD_OFFICE[0] + Decimal(str(round(rng.uniform(-0.08, 0.08), 6))),
                HEAD_OFFICE[1] + Decimal(str(round(rng.uniform(-0.08, 0.08), 6))))

    rows: list[PastCheckIn] = []
    for employee in employees:
        for day in days:
            info = calendar.day(day)
            plan = arranged.get((employee.pk, day))
            if not info.working and plan is None:
                continue
            is_demo_today = day == today and employee == demo
            if day == today and (is_demo_today or now.hour < 8):
                continue  # today: the demo employee checks in themself; the rest after 08.00
            if rng.random() < 0.03:
                continue  # absent
            planned = plan.location_kind if plan is not None else "kantor"
            place = planned
            if rng.random() < 0.04:
                place = rng.choice([p for p in PLACES if p != planned])  # a deviation
            start = at(day, 7, rng.randint(0, 55))
            lat, lon = coordinates(place)
            late = rng.random() < 0.03
            sent = start + (dt.timedelta(hours=rng.randint(2, 30)) if late else dt.timedelta(seconds=rng.randint(1, 20)))
            rows.append(PastCheckIn(employee.pk, "in", place, start, sent, lat, lon, rng.randint(8, 40)))
            forgot = (employee == demo and day in forgot_days) or rng.random() < 0.015
            end = at(day, 16, 0) + dt.timedelta(minutes=(30 if info.weekday == 4 else 0) + rng.randint(0, 75))
            if forgot or (day == today and end > now):
                continue
            rows.append(PastCheckIn(employee.pk, "out", place, end, end + dt.timedelta(seconds=rng.randint(1, 20)),
                                    lat, lon, rng.randint(8, 40)))
    stored = checkin_history_load(actor=None, agency_id=agency.pk, rows=rows)
    for day in days:
        if day < today:
            with _as_of(at(day + dt.timedelta(days=1), 1, 0)):
                services.attendance_close_day(actor=None, day=day, agency_id=agency.pk)
    say(f"{stored} presensi dalam {DAYS} hari dimuat.")

    if demo is None or len(forgot_days) < 2:
        return
    deciders = corrections.correction_deciders(employee=demo)
    pending_day, approved_day = forgot_days
    with _as_of(at(approved_day + dt.timedelta(days=1), 8, 5)):
        old = corrections.correction_submit(
            actor=demo.user, work_date=approved_day, kind="missing_check_out",
            at=at(approved_day, 16, 10), reason="Lupa menekan tombol pulang karena rapat sampai sore.",
        )
    if deciders and deciders[0].user is not None:
        with _as_of(at(approved_day + dt.timedelta(days=1), 10, 30)):
            corrections.correction_approve(actor=deciders[0].user, correction_id=old.pk, note="Sesuai daftar hadir rapat.")
    with _as_of(at(pending_day + dt.timedelta(days=1), 7, 50)):
        corrections.correction_submit(
            actor=demo.user, work_date=pending_day, kind="missing_check_out",
            at=at(pending_day, 16, 5), reason="Baterai ponsel habis sebelum presensi pulang.",
        )
    say("Dua koreksi presensi dibuat (satu disetujui, satu menunggu pimpinan).")
