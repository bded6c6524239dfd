"""Logging out clears the site's cache always, and its storage only when the phone page said
the offline queue is empty (an unsent check-in is never wiped by a logout)."""

from __future__ import annotations

import pytest

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def login(client, user) -> None:
    assert client.login(username=user.username, password=PASSWORD)


def test_logout_with_an_empty_queue_clears_cache_and_storage(client, world):
    login(client, world.e1.user)
    response = client.post(_logout_url(), {"device_queue": "empty"})
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert "_auth_user_id" not in client.session


def test_logout_without_the_word_keeps_storage(client, world):
    login(client, world.e1.user)
    response = client.post(_logout_url())
    assert response["Clear-Site-Data"] == '"cache"'
    login(client, world.e1.user)
    assert client.post(_logout_url(), {"device_queue": "penuh"})["Clear-Site-Data"] == '"cache"'


def test_the_phone_page_knows_the_logout_url_and_sends_the_sent_at_header(client, world):
    from pathlib import Path

    from django.conf import settings  # noqa: F401
    from django.urls import reverse

    login(client, world.e1.user)
    html = client.get("/presensi/").content.decode()
    assert f'"logout_url": "{reverse("accounts:logout")}"' in html
    js = (Path(__file__).resolve().parents[2] / "src/fleksi/static/fleksi/attendance/presensi.js").read_text()
    assert '"X-Fleksi-Sent-At": isoLocal(new Date())' in js and 'flag.value = "empty"' in js


def _logout_url() -> str:
    from django.urls import reverse

    return reverse("accounts:logout")
