"""Journey (issue 8): an employee forgot to check out yesterday; they submit a correction from
their days list; the unit head sees it on the board and approves; the day's record now has
the check-out, the check-in itself is unchanged, and the employee sees "Disetujui"."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from fleksi.attendance import services
from fleksi.attendance.models import CheckIn, DailyRecord
from fleksi.core import clock
from tests.factories import EmployeeFactory, UnitFactory, make_head

from .test_attendance_journey import PHONE, log_in

pytestmark = pytest.mark.e2e
WIB = ZoneInfo("Asia/Jakarta")


def test_forgotten_check_out_corrected_and_approved(page: Any, live_server: Any) -> None:
    from playwright.sync_api import expect

    unit = UnitFactory(name="Bidang Data")
    head = make_head(unit)
    employee = EmployeeFactory(unit=unit, name="Sari Pegawai")
    yesterday = clock.today("Asia/Jakarta") - dt.timedelta(days=1)
    morning = dt.datetime.combine(yesterday, dt.time(7, 30), WIB)
    services.checkin_record(actor=employee.user, data={
        "kind": "in", "location": "kantor", "client_time": morning.isoformat(),
        "idempotency_key": str(uuid.uuid4()),
    })
    page.set_viewport_size(PHONE)
    log_in(page, employee.user.username)
    page.goto("/presensi/")
    page.get_by_role("link", name="Hari-hari saya dan koreksi presensi").click()
    page.locator(f"a[href$='tanggal={yesterday.isoformat()}']").click()
    page.select_option("#id_kind", "missing_check_out")
    page.fill("#id_time", "16:30")
    page.fill("#id_reason", "Lupa menekan tombol pulang.")
    page.get_by_role("button", name="Ajukan koreksi").click()
    expect(page.get_by_text("Koreksi diajukan kepada pimpinan unit.")).to_be_visible()
    expect(page.get_by_text("Diajukan", exact=True)).to_be_visible()

    page.context.clear_cookies()
    log_in(page, head.user.username)
    page.goto(f"/presensi/unit/?unit={unit.pk}&tanggal={yesterday.isoformat()}")
    section = page.locator("#koreksi")
    expect(section.get_by_text("Sari Pegawai")).to_be_visible()
    section.get_by_role("button", name="Setujui").click()
    expect(page.get_by_text("Koreksi disetujui; rekap hari itu diperbarui.")).to_be_visible()

    record = DailyRecord.objects.get(employee=employee, work_date=yesterday)
    assert record.last_out == dt.datetime.combine(yesterday, dt.time(16, 30), WIB)
    assert "corrected" in record.flags and not record.is_open
    assert CheckIn.objects.filter(employee=employee).count() == 1  # the check-in is unchanged

    page.context.clear_cookies()
    log_in(page, employee.user.username)
    page.goto("/presensi/koreksi/")
    expect(page.get_by_text("Disetujui", exact=True)).to_be_visible()
