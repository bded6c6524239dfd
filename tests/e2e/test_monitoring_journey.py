"""Journey (issue 10): HR opens the agency dashboard, changes a filter, opens the unit and
national dashboards (as their users), starts a PDF and an XLSX report, watches the progress
(htmx polling) while the real queue's worker runs, downloads both; the PDF shows the
agency's name and the period."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command

from tests.factories import PASSWORD
from tests.monitoring.world import FROM, TO, build_world

pytestmark = pytest.mark.e2e


def log_in(page: Any, username: str) -> None:
    page.goto("/akun/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url("**/")


def run_worker() -> None:
    call_command("db_worker", batch=True, reload=False, startup_delay=False, queue_name="*", verbosity=0)


def start_and_download(page: Any, fmt: str) -> bytes:
    from playwright.sync_api import expect

    page.select_option("#id_format", fmt)
    page.fill("#id_conclusions", "Layanan tetap baik selama kerja fleksibel.")
    page.get_by_role("button", name="Buat laporan").click()
    page.wait_for_url("**/pemantauan/laporan/*/")
    expect(page.locator("#report-status")).to_contain_text("Dalam antrean")
    run_worker()
    link = page.get_by_role("link", name="Unduh laporan")
    expect(link).to_be_visible(timeout=30_000)  # the page polls every 2 s (slow on a loaded machine)
    expect(page.locator("#report-status")).to_contain_text("100%")
    # The file is fetched with the page's own session and a bounded wait: a browser download
    # whose completion never arrives (Download.path() has no timeout) once hung CI.
    response = page.request.get(link.get_attribute("href"), timeout=30_000)
    assert response.status == 200
    assert response.headers["content-disposition"].startswith("attachment")
    return response.body()


def test_dashboards_filters_and_reports(page: Any, browser: Any, live_server: Any) -> None:
    from playwright.sync_api import expect
    from pypdf import PdfReader

    world = build_world()
    world.hr.username = "hr-a"
    world.hr.save(update_fields=["username"])
    log_in(page, "hr-a")
    page.goto(f"/pemantauan/?scope=agency&from={FROM}&to={TO}")
    expect(page.get_by_role("heading", name="Pemantauan dan evaluasi", exact=True)).to_be_visible()
    page.screenshot(path="/tmp/mon_dash.png", full_page=True)
    expect(page.locator("#t-adoption svg")).to_be_visible()
    expect(page.locator("#t-adoption table")).to_contain_text("37,5")
    page.select_option("#f-location", "rumah")
    page.get_by_role("button", name="Tampilkan").click()
    page.wait_for_url("**location=rumah**")
    expect(page.locator("#t-adoption table")).to_contain_text("25,0")

    page.goto(f"/pemantauan/?scope=agency&from={FROM}&to={TO}")
    pdf = start_and_download(page, "pdf")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert world.agency.name in text
    assert "Okt" in text and "2026" in text  # the period, as people read it
    page.goto(f"/pemantauan/?scope=agency&from={FROM}&to={TO}")
    xlsx = start_and_download(page, "xlsx")
    assert xlsx[:2] == b"PK"

    for user in (world.head.user, world.monitor):
        context = browser.new_context(base_url=live_server.url, locale="id-ID")
        other = context.new_page()
        log_in(other, user.username)
        other.goto(f"/pemantauan/?from={FROM}&to={TO}" + ("&scope=national" if user is world.monitor else ""))
        expect(other.locator("#t-attendance table")).to_be_visible()
        if user is world.monitor:
            expect(other.locator("#t-adoption table")).to_contain_text("< 5")
        context.close()
