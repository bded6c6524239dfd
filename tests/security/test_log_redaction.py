"""The iCalendar feed's secret URL (and a password-reset link) never reaches a log line:
gunicorn's access log under `fleksi serve` and Django's request log."""

from __future__ import annotations

import io
import logging
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from fleksi import cli
from fleksi.core.logredact import HIDDEN, RedactSecretsFilter, redact

SECRET = "Zk3p9QmXv_rahasia-sekali-0123456789"


def test_redact_the_feed_token_and_the_reset_link():
    assert redact(f'"GET /kerja-fleksibel/ical/{SECRET}.ics HTTP/1.1" 200') == f'"GET /kerja-fleksibel/ical/{HIDDEN}.ics HTTP/1.1" 200'
    assert SECRET not in redact(f"/akun/sandi/atur/MTI/{SECRET}/")
    assert redact("/kerja-fleksibel/kalender-saya/") == "/kerja-fleksibel/kalender-saya/"


@pytest.mark.django_db
def test_django_request_log_is_redacted(client):
    # the handler configured by settings.LOGGING, as in production (not pytest's capture)
    handler = logging.getLogger("django").handlers[0]
    assert any(isinstance(f, RedactSecretsFilter) for f in handler.filters)
    stream = io.StringIO()
    old, handler.stream = handler.stream, stream  # not setStream: it flushes the old stream,
    try:  # which an earlier test's capture may have closed
        response = client.get(f"/kerja-fleksibel/ical/{SECRET}.ics")
    finally:
        handler.stream = old
    assert response.status_code == 404
    assert stream.getvalue() == f"Not Found: /kerja-fleksibel/ical/{HIDDEN}.ics\n"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_gunicorn_access_log_under_fleksi_serve_is_redacted(tmp_path: Path):
    env = {**os.environ, "FLEKSI_VAR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
           "DJANGO_SETTINGS_MODULE": "fleksi.config.settings", "PYTHONPATH": os.pathsep.join(sys.path)}
    subprocess.run([sys.executable, "-m", "fleksi.cli", "manage", "migrate", "-v0"], env=env, check=True, timeout=300)
    port = free_port()
    log = (tmp_path / "server.log").open("w+")
    server = subprocess.Popen(cli.gunicorn_argv("127.0.0.1", port, 1), env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}/kerja-fleksibel/ical/{SECRET}.ics"
        for _ in range(300):
            try:
                urllib.request.urlopen(url, timeout=5)
            except urllib.error.HTTPError as error:
                assert error.code == 404
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("gunicorn did not answer")
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.flush()
    text = (tmp_path / "server.log").read_text()
    assert f"/kerja-fleksibel/ical/{HIDDEN}.ics" in text, text
    assert SECRET not in text, text
