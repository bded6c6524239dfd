"""Journey (issue 11): the head opens the planner, adds an anchor day, a coverage minimum and
one for the front desk (a service role), gets a proposal from the job queue's worker while
the page shows its progress, edits one cell, publishes; the employee sees the days in their
calendar."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core.management import call_command

from fleksi.core import clock
from fleksi.policy.calendar import AgencyCalendar, week_label
from fleksi.schedules.models import ArrangementDay, PublishedSchedule
from tests.e2e.test_request_journey import log_in
from tests.factories import EmployeeFactory, UnitFactory, make_head

pytestmark = pytest.mark.e2e


def a_full_coming_week() -> dt.date:
    """The Monday of the first coming ISO week with five working days."""
    calendar = AgencyCalendar()
    monday = clock.today() + dt.timedelta(days=7 - clock.today().weekday())
    for _ in range(10):
        if len(calendar.working_days(week_label(monday))) == 5:
            return monday
        monday += dt.timedelta(days=7)
    raise AssertionError("no full working week in the next ten weeks")


def test_head_plans_edits_publishes_employee_sees_the_days(page: Any) -> None:
    from playwright.sync_api import expect

    unit = UnitFactory(name="Bidang Evaluasi")
    head = make_head(unit)
    eko = EmployeeFactory(unit=unit, supervisor=head, name="Eko Pegawai")
    dewi = EmployeeFactory(unit=unit, supervisor=head, name="Dewi Pegawai")
    fajar = EmployeeFactory(unit=unit, supervisor=head, name="Fajar Pegawai")
    monday = a_full_coming_week()
    tuesday, wednesday, friday = (monday + dt.timedelta(days=d) for d in (1, 2, 4))

    log_in(page, head.user.username)
    page.goto("/kerja-fleksibel/rencana-unit/")
    expect(page.get_by_role("heading", name="Jadwal hybrid unit")).to_be_visible()
    expect(page.locator("#preferences")).to_contain_text("Eko Pegawai")
    page.fill("#mulai", monday.isoformat())
    # An anchor day (Wednesday: everyone in), a coverage minimum (2 of 4 in every day) and
    # one for the front desk: Eko and Dewi serve there, one of them in on Friday.
    page.locator("input[name=jangkar][value=rabu]").check()
    page.fill("#cakupan-0-nilai", "2")
    for employee in (eko, dewi):
        page.fill(f'input[name="peran-{employee.nip}"]', "loket")
    page.fill("#cakupan-1-nilai", "1")
    page.fill("input[name=cakupan-1-peran]", "loket")
    page.locator("input[name=cakupan-1-hari][value=jumat]").check()
    for employee, day in ((eko, "senin"), (eko, "rabu"), (eko, "jumat"), (dewi, "jumat")):
        page.locator(f'input[name=pilihan][value="{employee.nip}|{day}"]').check()
    page.get_by_role("button", name="Minta usulan").click()
    # The job waits for the worker; the page shows its progress and polls it.
    expect(page.locator("#plan-job")).to_contain_text("Dalam antrean")
    call_command("db_worker", batch=True, reload=False, startup_delay=False, queue_name="*", verbosity=0)
    expect(page.locator(".msg.success")).to_contain_text("Usulan jadwal siap", timeout=30_000)
    expect(page.locator("#plan-job")).to_contain_text("jadwal ditemukan")
    expect(page.locator("#plan-job")).to_contain_text("gap")
    expect(page.locator(f'input[name="peran-{dewi.nip}"]')).to_have_value("loket")
    grid = page.locator("#plan-grid")
    expect(grid).to_contain_text("Fajar Pegawai")
    assert eko.nip not in page.locator("main").inner_text()  # names, not NIPs
    cell = lambda e, d: page.locator(f'select[data-cell="{e.nip}|{d.isoformat()}"]')  # noqa: E731
    expect(cell(eko, monday)).to_have_value("rumah")
    expect(cell(eko, wednesday)).to_have_value("kantor")  # the anchor day
    friday_home = [cell(e, friday).input_value() for e in (eko, dewi)]
    assert sorted(friday_home) == ["kantor", "rumah"]  # the front desk: only one of them away
    expect(page.locator("#board-errors")).to_contain_text("0 pelanggaran")

    # Edit one cell (htmx): Fajar at home on Tuesday; rechecked, still lawful.
    cell(fajar, tuesday).select_option("rumah")
    expect(page.locator(f"td.cell-changed select[data-cell='{fajar.nip}|{tuesday.isoformat()}']")).to_have_count(1)
    expect(cell(fajar, tuesday)).to_have_value("rumah")
    expect(page.locator("#board-errors")).to_contain_text("0 pelanggaran")

    page.get_by_role("button", name="Terbitkan jadwal").click()
    expect(page.locator(".msg.success")).to_contain_text("Jadwal diterbitkan")
    schedule = PublishedSchedule.objects.get(unit=unit)
    assert schedule.published_by_id == head.user_id
    assert ArrangementDay.objects.filter(schedule=schedule, employee=fajar, date=tuesday, active=True).exists()
    page.get_by_role("button", name=re.compile("Keluar")).click()

    # Fajar sees the day in the calendar.
    log_in(page, fajar.user.username)
    page.goto(f"/kerja-fleksibel/kalender/?minggu={week_label(monday)}")
    row = page.locator("table.calendar tbody tr", has_text="Fajar Pegawai")
    expect(row.locator("td.loc-rumah")).to_have_count(1)
    eko_row = page.locator("table.calendar tbody tr", has_text="Eko Pegawai")
    expect(eko_row.locator("td.loc-rumah")).to_have_count(2 if friday_home[0] == "rumah" else 1)
