"""Journey (issue 8): an employee checks in on the phone page online; the network goes; two
check-ins wait in the device's queue (the page shows them waiting, and still opens offline);
the network comes back; both are sent, and the database holds each check-in exactly once
(by its idempotency key). Also: a location that never comes does not block a check-in, a
second press while one is in flight does nothing, and the page stays under 100 KB."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from fleksi.attendance.models import CheckIn
from tests.factories import PASSWORD, EmployeeFactory, UnitFactory

pytestmark = pytest.mark.e2e
PHONE = {"width": 390, "height": 844}
PAGE_BUDGET = 100_000  # bytes of HTML, CSS and JS (issue 8, "Light")


def log_in(page: Any, username: str) -> None:
    page.goto("/akun/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url("**/")


def device_keys(page: Any, store: str) -> list[str]:
    return page.evaluate(
        """store => new Promise((resolve, reject) => {
            const open = indexedDB.open("fleksi-presensi", 1);
            open.onsuccess = () => {
                const req = open.result.transaction(store).objectStore(store).getAll();
                req.onsuccess = () => resolve(req.result.map(i => i.key));
                req.onerror = () => reject(req.error);
            };
        })""",
        store,
    )


def test_check_in_online_queue_two_offline_then_synced_exactly_once(page: Any, live_server: Any) -> None:
    from playwright.sync_api import expect

    employee = EmployeeFactory(unit=UnitFactory(name="Bidang Data"), name="Sari Pegawai")
    context = page.context
    context.grant_permissions(["geolocation"], origin=live_server.url)
    context.set_geolocation({"latitude": -6.2001, "longitude": 106.8167, "accuracy": 20})
    page.set_viewport_size(PHONE)
    log_in(page, employee.user.username)

    # The page, as a phone loads it: HTML, CSS and JS within the budget.
    weights: dict[str, int] = {}

    def weigh(response: Any) -> None:
        if response.request.resource_type in ("document", "stylesheet", "script"):
            weights[response.url] = len(response.body())

    page.on("response", weigh)
    page.locator(".nav-burger").click()  # the menu folds behind its button on a phone
    page.get_by_role("link", name="Presensi", exact=True).click()
    button = page.locator("#presensi-tombol")
    expect(button).to_be_enabled()
    page.remove_listener("response", weigh)
    assert sum(weights.values()) <= PAGE_BUDGET, weights
    print("presensi page weight (uncompressed bytes):", sum(weights.values()), weights)
    expect(page.get_by_role("heading", name="Presensi", exact=True)).to_be_visible()
    expect(page.locator("#presensi-tempat")).to_have_value("kantor")
    rows = page.locator("#presensi-daftar li")

    # Online: check in; it is sent at once.
    expect(button).to_have_text("Presensi masuk")
    button.click()
    expect(rows.filter(has_text="terkirim")).to_have_count(1)
    expect(button).to_have_text("Presensi pulang")
    assert CheckIn.objects.count() == 1
    first = CheckIn.objects.get()
    assert first.kind == "in" and first.latitude is not None and first.employee_id == employee.pk

    # The service worker holds the page shell now.
    page.wait_for_function("navigator.serviceWorker && navigator.serviceWorker.controller !== null")

    # Offline: two check-ins wait on the device.
    context.set_offline(True)
    expect(page.locator("#presensi-jaringan")).to_be_visible()
    button.click()
    expect(rows.filter(has_text="menunggu")).to_have_count(1)
    expect(button).to_have_text("Presensi masuk")
    button.click()
    expect(rows.filter(has_text="menunggu")).to_have_count(2)
    expect(page.locator("#presensi-menunggu")).to_contain_text("2 presensi menunggu dikirim")
    assert CheckIn.objects.count() == 1
    assert len(device_keys(page, "queue")) == 2

    # The page opens offline (the service worker's copy); the queue is still there.
    reloaded = page.reload()
    assert reloaded is not None and reloaded.from_service_worker
    expect(page.get_by_role("heading", name="Presensi", exact=True)).to_be_visible()
    expect(rows.filter(has_text="menunggu")).to_have_count(2)
    assert CheckIn.objects.count() == 1

    # The network returns: both are sent, once.
    context.set_offline(False)
    # Sent on the "online" event, or by the page's 30-second retry when the first attempt
    # meets a network that is not back yet.
    expect(rows.filter(has_text="menunggu")).to_have_count(0, timeout=40_000)
    expect(rows.filter(has_text="terkirim")).to_have_count(3)
    # More triggers (visibility, online again) send nothing twice.
    page.evaluate("document.dispatchEvent(new Event('visibilitychange')); window.dispatchEvent(new Event('online'))")
    page.wait_for_timeout(500)
    assert device_keys(page, "queue") == []
    stored = Counter(str(k) for k in CheckIn.objects.values_list("idempotency_key", flat=True))
    assert len(stored) == 3 and set(stored.values()) == {1}, stored
    sent = device_keys(page, "sent")
    assert set(sent) == set(stored)
    assert [c.kind for c in CheckIn.objects.order_by("client_time", "id")] == ["in", "out", "in"]


def test_a_location_that_never_comes_does_not_block_and_a_second_press_does_nothing(page: Any) -> None:
    from playwright.sync_api import expect

    employee = EmployeeFactory(name="Budi Pegawai")
    # A device whose location never answers (not even with an error).
    page.add_init_script(
        "navigator.geolocation.getCurrentPosition = function () {};"
    )
    page.set_viewport_size(PHONE)
    log_in(page, employee.user.username)
    page.goto("/presensi/")
    button = page.locator("#presensi-tombol")
    expect(button).to_be_enabled()
    page.evaluate("() => { const b = document.getElementById('presensi-tombol'); b.click(); b.click(); b.click(); }")
    expect(page.locator("#presensi-status")).to_contain_text("Mencari lokasi")
    rows = page.locator("#presensi-daftar li")
    expect(rows).to_have_count(1)
    # Sent without a location once the 10 s bound passes.
    expect(rows.filter(has_text="terkirim")).to_have_count(1, timeout=20_000)
    check_in = CheckIn.objects.get()
    assert check_in.latitude is None and "no_location" in check_in.flags
    expect(rows.first).to_contain_text("tanpa lokasi")
