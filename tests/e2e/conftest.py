"""Browser tests: Playwright (sync API) driving Debian's Chromium against pytest-django's
live server. Without Chromium they are skipped on a developer's machine (see
tests/conftest.py) and fail loudly in CI (CI=true)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import IN_CI, chromium_path

# Playwright's sync API runs an event loop in the test thread; Django's ORM would refuse to
# run next to it. The tests themselves are synchronous, so this is safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 15_000


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    path = chromium_path()
    if path is None:
        message = "Chromium tidak ada: pasang dengan `apt-get install chromium` untuk uji peramban"
        if IN_CI:
            pytest.fail(f"{message} (CI=true: uji peramban wajib berjalan)", pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=path, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(
    browser: Any, live_server: Any, transactional_db: None, settings: Any, tmp_path: Any
) -> Iterator[Any]:
    """A fresh browser tab on the live server (its own cookies), Indonesian locale."""
    settings.MEDIA_ROOT = tmp_path / "private"
    # A wide desktop screen (the menu is spelled out above 1500 px; narrower screens fold it
    # behind its button, which the phone test drives).
    context = browser.new_context(base_url=live_server.url, locale="id-ID", viewport={"width": 1600, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    try:
        yield tab
    finally:
        context.close()
