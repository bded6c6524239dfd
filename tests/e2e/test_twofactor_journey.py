"""Journey: an HR admin (2FA required) logs in, is sent to enrol, scans the QR code (here:
types the key shown under it into an authenticator, computed by the test), keeps the
recovery codes, reaches the home page; the next login asks for the code after the password."""

from __future__ import annotations

import base64
import time
from typing import Any

import pytest
from django_otp.oath import TOTP

from tests.factories import PASSWORD, EmployeeFactory, make_agency_role

pytestmark = pytest.mark.e2e


def authenticator(secret_text: str, step: int = 0) -> str:
    """What an authenticator app shows for the key typed by hand."""
    raw = secret_text.replace(" ", "")
    key = base64.b32decode(raw + "=" * (-len(raw) % 8))
    totp = TOTP(key, 30, 0, 6, 0)
    totp.time = time.time() + step * 30
    return str(totp.token()).zfill(6)


def log_in(page: Any, username: str) -> None:
    page.goto("/akun/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Masuk").click()


def test_hr_admin_enrols_an_authenticator_and_is_asked_for_the_code_next_time(page: Any, settings: Any) -> None:
    from playwright.sync_api import expect

    settings.FLEKSI_REQUIRE_2FA = True
    hr = make_agency_role(EmployeeFactory().agency)

    log_in(page, hr.username)
    expect(page.get_by_role("heading", name="Daftarkan aplikasi autentikator")).to_be_visible()
    expect(page.locator(".otp-qr svg")).to_be_visible()
    secret = page.locator(".otp-secret").inner_text()
    page.fill("#id_otp_token", authenticator(secret))
    page.get_by_role("button", name="Aktifkan").click()
    expect(page.get_by_role("heading", name="Kode pemulihan")).to_be_visible()
    assert page.locator(".recovery-codes li").count() == 10
    page.get_by_role("link", name="Saya sudah menyimpannya").click()
    expect(page.get_by_role("link", name="Keamanan akun")).to_be_visible()

    page.get_by_role("button", name="Keluar").first.click()
    log_in(page, hr.username)
    expect(page.get_by_role("heading", name="Verifikasi dua langkah")).to_be_visible()
    page.fill("#id_otp_token", authenticator(secret, step=1))
    page.get_by_role("button", name="Lanjutkan").click()
    expect(page.get_by_role("link", name="Keamanan akun")).to_be_visible()
