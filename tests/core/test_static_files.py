"""Static files as `fleksi serve` serves them: compressed, hashed names, cached for years
(docs/decisions/084). Tests elsewhere use the plain storage (tests/conftest.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.test import Client, override_settings

PRODUCTION_STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "fleksi.core.storage.StaticFilesStorage"},
}
TEN_YEARS = 10 * 365 * 24 * 60 * 60


def test_the_settings_use_the_compressed_manifest_storage() -> None:
    """What settings.py says (the test run swaps it for the plain storage)."""
    source = (Path(settings.BASE_DIR) / "config" / "settings.py").read_text()
    assert '"staticfiles": {"BACKEND": "fleksi.core.storage.StaticFilesStorage"}' in source
    from whitenoise.storage import CompressedManifestStaticFilesStorage

    from fleksi.core.storage import StaticFilesStorage

    assert issubclass(StaticFilesStorage, CompressedManifestStaticFilesStorage)


def test_the_tests_use_the_plain_storage() -> None:
    backend = settings.STORAGES["staticfiles"]["BACKEND"]
    assert backend == "django.contrib.staticfiles.storage.StaticFilesStorage"
    assert staticfiles_storage.url("fleksi/fleksi.css") == "/static/fleksi/fleksi.css"


@pytest.fixture
def collected(tmp_path: Path):
    with override_settings(
        STATIC_ROOT=tmp_path,
        STORAGES=PRODUCTION_STORAGES,
        WHITENOISE_USE_FINDERS=False,
        WHITENOISE_AUTOREFRESH=False,
    ):
        call_command("collectstatic", interactive=False, verbosity=0)
        yield tmp_path


@pytest.mark.django_db
def test_a_served_static_file_has_a_hashed_name_and_a_far_future_lifetime(collected: Path) -> None:
    url = staticfiles_storage.url("fleksi/fleksi.css")
    assert re.fullmatch(r"/static/fleksi/fleksi\.[0-9a-f]{12}\.css", url), url
    assert url in Client().get("/akun/masuk/").content.decode()  # pages link the hashed name

    response = Client().get(url, HTTP_ACCEPT_ENCODING="gzip, br")
    assert response.status_code == 200
    cache = response["Cache-Control"]
    max_age = int(re.search(r"max-age=(\d+)", cache).group(1))  # type: ignore[union-attr]
    assert max_age >= TEN_YEARS
    assert "immutable" in cache and "public" in cache
    assert response["Content-Encoding"] in ("gzip", "br")  # compressed at collectstatic
    assert (collected / url.removeprefix("/static/")).with_suffix(".css.gz").exists()


@pytest.mark.django_db
def test_a_plain_name_is_cached_briefly(collected: Path) -> None:
    response = Client().get("/static/fleksi/fleksi.css")
    assert response.status_code == 200
    assert response["Cache-Control"] == f"max-age={settings.WHITENOISE_MAX_AGE}, public"
    assert 0 < settings.WHITENOISE_MAX_AGE < TEN_YEARS


def test_without_collectstatic_the_plain_name_is_used(tmp_path: Path) -> None:
    """`fleksi demo` does not collect: pages still render, with unhashed names."""
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=PRODUCTION_STORAGES):
        assert staticfiles_storage.url("fleksi/fleksi.css") == "/static/fleksi/fleksi.css"
