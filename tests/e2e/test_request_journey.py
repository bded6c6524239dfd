"""Journey: an employee files a flexible-work request, sees the weekly cap finding live with
its legal basis, fixes it and submits; the head approves it from the inbox; the team
calendar shows the employee at home on those days."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from fleksi.core import clock
from fleksi.core.humanize import week_text
from fleksi.policy.calendar import AgencyCalendar, week_label, week_monday
from fleksi.requests.models import FlexRequest, RequestState
from tests.factories import PASSWORD, EmployeeFactory, UnitFactory, make_head

pytestmark = pytest.mark.e2e


def three_working_days_of_a_coming_week() -> tuple[str, list[dt.date]]:
    """The first ISO week after this one with at least three working days (no weekend,
    holiday or cuti bersama), and its first three working days."""
    calendar = AgencyCalendar()
    monday = clock.today() + dt.timedelta(days=7 - clock.today().weekday())
    for _ in range(8):
        label = week_label(monday)
        days = [d.date for d in calendar.working_days(label)]
        if len(days) >= 3:
            return label, days[:3]
        monday += dt.timedelta(days=7)
    raise AssertionError("no week with three working days in the next two months")


def log_in(page: Any, username: str) -> None:
    page.goto("/akun/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Masuk").click()


def test_employee_files_fixes_and_submits_head_approves_calendar_shows_it(page: Any) -> None:
    from playwright.sync_api import expect

    unit = UnitFactory(name="Bidang Evaluasi")
    head = make_head(unit)
    head.name = "Hana Kepala"
    head.save(update_fields=["name"])
    employee = EmployeeFactory(
        unit=unit, supervisor=head, name="Eko Pegawai", domicile="Jl. Kenanga 7, Depok"
    )
    week, days = three_working_days_of_a_coming_week()

    # The employee opens the form from the home page.
    log_in(page, employee.user.username)
    page.get_by_role("link", name="Ajukan kerja fleksibel").first.click()
    expect(page.get_by_role("heading", name="Ajukan kerja fleksibel")).to_be_visible()
    page.get_by_label("Rumah / domisili terdaftar").check()
    expect(page.locator("main")).to_contain_text("Jl. Kenanga 7, Depok")
    page.get_by_label("Tanggal tertentu").check()
    page.get_by_label("Alasan pengajuan").fill(
        "Menyusun laporan evaluasi triwulan yang butuh waktu fokus."
    )
    page.get_by_label("Rencana kerja").fill("Senin: analisis data. Selasa: bab 2. Rabu: bab 3.")
    page.get_by_label("Uraian keluaran").first.fill("Draf laporan evaluasi triwulan")
    dates = page.locator("[data-date-list] input[type=date]")
    for i, day in enumerate(days):
        dates.nth(i).fill(day.isoformat())

    # Three home days in one week: the live check shows the cap with its legal basis.
    findings = page.locator("#findings")
    expect(findings).to_contain_text("LOCATION_MAX_DAYS_PER_WEEK")
    expect(findings).to_contain_text("PermenPANRB 4/2025 Pasal 13 ayat (1)")
    # Issue 7: the week as a date range, its ISO label small beside it.
    expect(findings).to_contain_text(
        f"3 hari kerja di luar kantor pada minggu {week_text(week_monday(week))}"
    )
    expect(findings).to_contain_text(f"({week})")
    assert FlexRequest.objects.count() == 0  # checking saves nothing

    # Fix it: two days. The finding goes away; submit.
    dates.nth(2).fill("")
    expect(findings).not_to_contain_text("LOCATION_MAX_DAYS_PER_WEEK")
    expect(findings).to_contain_text("Tidak ada temuan")
    page.get_by_role("button", name="Ajukan", exact=True).click()
    expect(page.locator(".msg.success")).to_contain_text("diajukan untuk persetujuan")
    request = FlexRequest.objects.get(employee=employee)
    assert request.state == RequestState.SUBMITTED
    assert request.dates == [days[0].isoformat(), days[1].isoformat()]
    page.get_by_role("button", name=re.compile("Keluar")).click()

    # The head approves it from the inbox.
    log_in(page, head.user.username)
    page.get_by_role("link", name="Persetujuan", exact=True).click()
    expect(page.get_by_role("heading", name="Kotak masuk persetujuan")).to_be_visible()
    row = page.locator("tbody tr", has_text="Eko Pegawai")
    expect(row).to_contain_text("Rumah / domisili terdaftar")
    row.get_by_role("checkbox").check()
    page.get_by_role("button", name="Setujui terpilih").click()
    expect(page.locator("#bulk-results")).to_contain_text("disetujui")
    expect(page.locator(".msg.success")).to_contain_text("1 pengajuan disetujui")
    request.refresh_from_db()
    assert request.state == RequestState.APPROVED

    # The team calendar shows the employee at home on those two days.
    page.get_by_role("link", name="Kalender tim", exact=True).first.click()
    page.goto(f"/kerja-fleksibel/kalender/?unit={unit.pk}&minggu={week}")
    # The week reads as its dates, the ISO code small beside them.
    expect(page.locator(".week-range")).to_contain_text(week)
    expect(page.locator(".week-range")).to_contain_text("Des 2026")
    calendar_row = page.locator("table.calendar tbody tr", has_text="Eko Pegawai")
    expect(calendar_row.locator("td.loc-rumah")).to_have_count(2)
    expect(calendar_row).to_contain_text("Rumah / domisili terdaftar")


def test_pages_fit_a_phone_tables_scroll_in_focusable_regions_menu_targets_are_44px(
    page: Any,
) -> None:
    """An axe-like check without axe-core (not available offline): at 390px no page scrolls
    sideways, each table wrapper is a focusable labelled region (scrollable-region-focusable),
    the menu button and menu items are at least 44x44 px (target-size), and the shift hours
    stay hidden while regular hours are chosen ([hidden] beats .row2)."""
    from playwright.sync_api import expect

    unit = UnitFactory(name="Bidang Evaluasi")
    head = make_head(unit)
    employee = EmployeeFactory(unit=unit, supervisor=head, name="Eko Pegawai")
    employee.position.time_flexibility = "sif"
    employee.position.save(update_fields=["time_flexibility"])
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, employee.user.username)
    for path in ("/", "/kerja-fleksibel/", "/kerja-fleksibel/pengajuan/baru/", "/akun/saya/"):
        page.goto(path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"
        for wrap in page.locator(".table-wrap").all():
            assert wrap.get_attribute("tabindex") == "0"
            assert wrap.get_attribute("role") == "region"
            assert wrap.get_attribute("aria-label") or wrap.get_attribute("aria-labelledby")
    page.goto("/kerja-fleksibel/pengajuan/baru/")
    expect(page.get_by_label("Sif mulai")).to_be_hidden()
    page.get_by_label("Sif", exact=True).check()
    expect(page.get_by_label("Sif mulai")).to_be_visible()
    burger = page.locator(".nav-burger")
    box = burger.bounding_box()
    assert box and box["width"] >= 44 and box["height"] >= 44
    burger.click()
    items = page.locator("#main-nav a, #main-nav button")
    assert items.count() >= 3
    for item in items.all():
        item_box = item.bounding_box()
        assert item_box and item_box["height"] >= 44, item.inner_text()
