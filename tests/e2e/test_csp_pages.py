"""The strict Content-Security-Policy breaks nothing the pages need (ASVS V14.4.3).

Visits the main pages of an employee, a head, an HR admin and the system admin in Chromium,
waits for their htmx parts (the bell, the allowance, the live check, the search) and scripts
(the check-in page and its service worker), and fails on any CSP violation: a
``securitypolicyviolation`` event in the page or a console message about the policy.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import (
    PASSWORD,
    EmployeeFactory,
    UnitFactory,
    UserFactory,
    make_agency_role,
    make_head,
)

pytestmark = pytest.mark.e2e

RECORD = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " at " + e.sourceFile + ":" + e.lineNumber);
});
"""

PAGES = {
    "employee": ["/", "/kerja-fleksibel/pengajuan/baru/", "/kerja-fleksibel/", "/presensi/",
                 "/kerja-fleksibel/kalender-saya/", "/kerja-fleksibel/notifikasi/", "/akun/saya/", "/akun/token/"],
    "head": ["/", "/kerja-fleksibel/persetujuan/", "/kerja-fleksibel/kalender/", "/organisasi/pegawai/",
             "/organisasi/unit/", "/rencana/", "/presensi/unit/",
             "/kerja-fleksibel/rencana-unit/"],
    "hr": ["/", "/kerja-fleksibel/pengaturan/", "/organisasi/impor/", "/organisasi/pegawai/"],
    "admin": ["/", "/admin/", "/admin/accounts/user/", "/api/v1/docs"],
}


def log_in(page: Any, username: str) -> None:
    page.goto("/akun/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_load_state("networkidle")


def test_the_main_pages_log_no_csp_violation(page: Any) -> None:
    unit = UnitFactory(name="Bidang Evaluasi")
    head = make_head(unit)
    employee = EmployeeFactory(unit=unit, supervisor=head, domicile="Jl. Kenanga 7, Depok")
    hr = make_agency_role(unit.agency)
    admin = UserFactory(is_superuser=True, is_staff=True)
    users = {"employee": employee.user, "head": head.user, "hr": hr, "admin": admin}

    messages: list[str] = []
    page.on("console", lambda m: messages.append(f"{page.url}: {m.text}") if "Content Security Policy" in m.text else None)
    page.context.add_init_script(RECORD)
    violations: list[str] = []
    visited = 0

    page.goto("/akun/masuk/")
    for role, urls in PAGES.items():
        page.context.clear_cookies()
        log_in(page, users[role].username)
        for url in urls:
            response = page.goto(url)
            assert response is not None and response.status < 400, (role, url, response and response.status)
            assert "script-src 'self'" in (response.headers.get("content-security-policy") or ""), url
            page.wait_for_load_state("networkidle")
            if url == "/kerja-fleksibel/pengajuan/baru/":
                page.get_by_label("Rumah / domisili terdaftar").check()  # the live check (htmx)
                page.wait_for_load_state("networkidle")
            if url == "/organisasi/pegawai/":
                page.fill("#q", "a")  # the search as you type (htmx)
                page.wait_for_timeout(600)
                page.wait_for_load_state("networkidle")
            violations += [f"{role} {url}: {v}" for v in page.evaluate("window.__csp || []")]
            visited += 1

    assert visited == sum(len(u) for u in PAGES.values())
    assert violations == [] and messages == [], "\n".join(violations + messages)
