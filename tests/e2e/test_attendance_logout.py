"""Logging out from the phone page: with nothing waiting the page tells the server
(device_queue=empty) and the response clears cache and storage; with a check-in waiting in
the offline queue the page warns first, and logging out anyway keeps the queue on the device
(the response clears the cache only)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import EmployeeFactory

from .test_attendance_journey import device_keys, log_in

pytestmark = pytest.mark.e2e


def logout(page: Any) -> tuple[str, str]:
    """Press "Keluar" and return the POST body and the response's Clear-Site-Data header.
    The response is fetched through a route (bounded by a timeout) and handed to the page
    as it came: the browser's own response object hides Clear-Site-Data, and reading its raw
    headers (``all_headers()``) waits without a timeout, which once hung CI."""
    seen: dict[str, str] = {}

    def passthrough(route: Any) -> None:
        response = route.fetch(max_redirects=0, timeout=15_000)
        seen["body"] = route.request.post_data or ""
        seen["clear"] = response.headers.get("clear-site-data", "")
        route.fulfill(response=response)

    page.route("**/akun/keluar/", passthrough)
    try:
        page.locator("form[action='/akun/keluar/'] button").click()
        for _ in range(150):
            if "clear" in seen:
                break
            page.wait_for_timeout(100)
    finally:
        page.unroute("**/akun/keluar/")
    assert "clear" in seen, "the logout response did not come"
    return seen["body"], seen["clear"]


def test_logout_with_an_empty_queue_clears_storage(page: Any) -> None:
    from playwright.sync_api import expect

    employee = EmployeeFactory(name="Rina Pegawai")
    log_in(page, employee.user.username)
    page.goto("/presensi/")
    expect(page.locator("#presensi-tombol")).to_be_enabled()
    body, cleared = logout(page)
    assert "device_queue=empty" in body
    assert cleared == '"cache", "storage"'


def test_logout_with_an_unsent_check_in_warns_and_keeps_the_queue(page: Any) -> None:
    from playwright.sync_api import expect

    employee = EmployeeFactory(name="Dedi Pegawai")
    log_in(page, employee.user.username)
    page.goto("/presensi/")
    button = page.locator("#presensi-tombol")
    expect(button).to_be_enabled()
    page.context.set_offline(True)
    button.click()
    expect(page.locator("#presensi-daftar li").filter(has_text="menunggu")).to_have_count(1)
    # the route goes in before the page is back online: set the other way round, the page
    # could send the check-in in between and the queue would be empty at logout
    page.route("**/api/v1/attendance/check-ins", lambda route: route.abort())  # still unsent
    page.context.set_offline(False)
    dialogs: list[str] = []

    def answer(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss() if len(dialogs) == 1 else dialog.accept()

    page.on("dialog", answer)
    page.locator("form[action='/akun/keluar/'] button").click()  # dismissed: still logged in
    for _ in range(100):  # the page reads the queue (IndexedDB) before it asks: slow under load
        if dialogs:
            break
        page.wait_for_timeout(100)
    assert dialogs and "belum terkirim" in dialogs[0]
    assert page.url.endswith("/presensi/")
    body, cleared = logout(page)  # accepted: logged out, queue kept
    page.wait_for_url("**/akun/masuk/**")  # the redirect done before reading the device
    assert "device_queue" not in body and cleared == '"cache"'
    assert len(dialogs) == 2
    assert len(device_keys(page, "queue")) == 1
