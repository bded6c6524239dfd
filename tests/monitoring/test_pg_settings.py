"""PostgreSQL session settings Fleksi's connections carry (docs/decisions/197)."""

from __future__ import annotations

import pytest
from django.db import connection


@pytest.mark.postgres
@pytest.mark.django_db
def test_jit_is_off_on_fleksi_connections():
    """The JIT compiled each dashboard aggregate anew (about 0.4 s per query at 50,000
    employees); the connection turns it off whatever the server's default."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


def test_jit_setting_can_be_kept(monkeypatch):
    """FLEKSI_PG_JIT=on leaves the server's setting (a pooler that refuses startup options)."""
    import importlib

    from fleksi.config import settings as fleksi_settings

    monkeypatch.setenv("DATABASE_URL", "postgres://u@127.0.0.1:5432/db")
    monkeypatch.setenv("FLEKSI_PG_JIT", "on")
    try:
        assert "options" not in importlib.reload(fleksi_settings).DATABASES["default"]["OPTIONS"]
        monkeypatch.delenv("FLEKSI_PG_JIT")
        assert importlib.reload(fleksi_settings).DATABASES["default"]["OPTIONS"]["options"] == "-c jit=off"
    finally:
        monkeypatch.undo()
        importlib.reload(fleksi_settings)
