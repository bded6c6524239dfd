"""Test setup: SQLite unless DATABASE_URL is set; PostgreSQL-only and browser tests skip on a
user's machine without them (and say how to enable them) but fail in CI (CI=true)."""

from __future__ import annotations

import os
import shutil

import pytest
from django.conf import settings
from django.db import connection

# Tests run without collectstatic: the plain storage instead of the manifest one `fleksi serve`
# uses (tests/core/test_static_files.py checks that one on purpose). Not under `-p no:django`.
if os.environ.get("DJANGO_SETTINGS_MODULE"):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }

IN_CI = os.environ.get("CI", "").lower() == "true"
_skipped_reasons: set[str] = set()


def chromium_path() -> str | None:
    return os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    has_chromium = chromium_path() is not None
    for item in items:
        if "e2e" in item.keywords and not has_chromium:
            if IN_CI:
                continue  # the browser fixture fails loudly: in CI every test runs
            reason = "Chromium tidak ada: pasang dengan `apt-get install chromium` untuk uji peramban"
            _skipped_reasons.add(reason)
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(autouse=True)
def _postgres_only(request: pytest.FixtureRequest) -> None:
    if request.node.get_closest_marker("postgres") is None:
        return
    request.getfixturevalue("django_db_blocker")
    if connection.vendor != "postgresql":
        reason = (
            "uji PostgreSQL dilewati: jalankan `DATABASE_URL=postgres://USER@HOST:5432/DB make test`"
        )
        _skipped_reasons.add(reason)
        pytest.skip(reason)


@pytest.fixture(autouse=True)
def fast_passwords(request: pytest.FixtureRequest) -> None:
    """PBKDF2 costs ~0.3 s per user; tests make many users. Hashing itself is Django's.
    (The policy core's tests also run without the Django plugin: `-p no:django`.)"""
    if not request.config.pluginmanager.hasplugin("django"):
        return
    settings = request.getfixturevalue("settings")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_scheme_cache(request: pytest.FixtureRequest) -> None:
    """Each test starts with no cached agency Policy (ids repeat across test databases)."""
    if not request.config.pluginmanager.hasplugin("django"):
        return
    from fleksi.scheme.facts import scheme_cache_clear

    scheme_cache_clear()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _skipped_reasons:
        terminalreporter.write_line("")
        for reason in sorted(_skipped_reasons):
            terminalreporter.write_line(f"CATATAN: {reason}")


@pytest.fixture(autouse=True)
def second_factor_optional(request: pytest.FixtureRequest) -> None:
    """2FA is required for admins by default (FLEKSI_REQUIRE_2FA); the tests of other apps
    log admins in with force_login, so it is off here. tests/accounts/test_twofactor.py turns
    it on."""
    if not request.config.pluginmanager.hasplugin("django"):
        return
    settings = request.getfixturevalue("settings")
    settings.FLEKSI_REQUIRE_2FA = False


@pytest.fixture(autouse=True)
def _check_out_log_rule(request: pytest.FixtureRequest) -> object:
    """Performance adds a check to attendance's check-out ("a daily log first on a flexible
    day", docs/decisions/143). Tests of other apps check out on flexible days without logs,
    so the rule runs only in tests/performance/ and test files named *performance*."""
    if request.node.path.parent.name == "performance" or "performance" in request.node.path.stem:
        yield
        return
    from fleksi.attendance import hooks
    from fleksi.performance.checks import log_before_check_out

    hooks.unregister_check_out_check(log_before_check_out)
    try:
        yield
    finally:
        hooks.register_check_out_check(log_before_check_out)


ROLLUP_CHECKED = {"schedules", "requests", "workflow", "monitoring", "performance"}


@pytest.fixture(autouse=True)
def _plan_rollup_matches_the_days(request: pytest.FixtureRequest) -> object:
    """After every database test of the apps that write approved days: the schedules rollup
    equals a GROUP BY of the active days (docs/decisions/201), so each writer those tests
    drive is checked for keeping it (a writer that forgets fails its own tests)."""
    uses_db = request.node.get_closest_marker("django_db") is not None or bool(
        {"db", "transactional_db"} & set(request.fixturenames)
    )
    if (
        not uses_db or request.node.get_closest_marker("e2e") is not None
        or request.node.path.parent.name not in ROLLUP_CHECKED
        or not request.config.pluginmanager.hasplugin("django")
    ):
        yield
        return
    request.getfixturevalue("_django_db_helper")  # set up first, so torn down after the check
    yield
    from tests.rollups import log_rollup_mismatch, month_rollup_mismatch, plan_rollup_mismatch

    problem = plan_rollup_mismatch() or month_rollup_mismatch() or log_rollup_mismatch()
    assert not problem, problem
