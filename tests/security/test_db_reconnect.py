"""Issue 12, faults: PostgreSQL restarted under a running server. Django keeps connections
for 60 s (CONN_MAX_AGE); a connection whose backend is gone must be dropped and reopened by
the next request by itself, not answered with a 500 (docs/decisions/210). The restart itself
is bench/bench_pg_restart.py; here the backend is terminated with pg_terminate_backend."""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
import time

import psycopg
import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection

from fleksi.accounts.services import api_token_create
from tests.factories import EmployeeFactory


def _get(handler: WSGIHandler, path: str, token: str) -> int:
    """One request through the real WSGI handler (the test client disconnects Django's
    close_old_connections from the request signals; gunicorn's workers do not)."""
    environ = {
        "REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "", "SERVER_NAME": "testserver",
        "SERVER_PORT": "80", "HTTP_HOST": "testserver", "HTTP_AUTHORIZATION": f"Bearer {token}",
        "wsgi.input": io.BytesIO(b""), "wsgi.errors": io.StringIO(), "wsgi.url_scheme": "http",
        "wsgi.multithread": True, "wsgi.multiprocess": True, "wsgi.run_once": False, "wsgi.version": (1, 0),
    }
    statuses: list[str] = []
    body = handler(environ, lambda status, headers, exc_info=None: statuses.append(status))
    b"".join(body)
    getattr(body, "close", lambda: None)()  # request_finished
    return int(statuses[0].split()[0])


def _terminate(pid: int) -> None:
    db = connection.settings_dict
    with psycopg.connect(dbname=db["NAME"], user=db["USER"] or None, password=db["PASSWORD"] or None,
                         host=db["HOST"] or None, port=db["PORT"] or None, autocommit=True) as other:
        (done,) = other.execute("SELECT pg_terminate_backend(%s)", (pid,)).fetchone()
    assert done


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_next_request_after_the_backend_is_killed_succeeds():
    employee = EmployeeFactory()
    token = api_token_create(actor=employee.user, user=employee.user, name="uji").plaintext
    handler = WSGIHandler()
    assert connection.settings_dict["CONN_MAX_AGE"] > 0  # persistent, as in production
    assert _get(handler, "/api/v1/me", token) == 200
    assert connection.connection is not None  # kept open after the request
    pid = connection.connection.info.backend_pid
    _terminate(pid)

    assert _get(handler, "/api/v1/me", token) == 200  # no 500: the dead connection was replaced
    assert connection.connection.info.backend_pid != pid


def test_the_job_worker_waits_for_an_unreachable_database_instead_of_exiting(tmp_path):
    """django-tasks' worker loop ends on a connection error; `fleksi worker` starts it again
    (while PostgreSQL restarts, nothing listens on its port: the same error)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens there
    env = dict(os.environ, DATABASE_URL=f"postgres://nobody@127.0.0.1:{port}/nothing", FLEKSI_VAR=str(tmp_path),
               DJANGO_SETTINGS_MODULE="fleksi.config.settings")
    log = tmp_path / "worker.log"
    with log.open("wb") as out:
        worker = subprocess.Popen([sys.executable, "-m", "fleksi.cli", "worker", "--interval", "0.2"],
                                  env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while log.read_text().count("mencoba lagi") < 2 and worker.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
        assert worker.poll() is None, log.read_text()[-2000:]
        assert "mencoba lagi dalam 1 detik" in log.read_text()
        assert "mencoba lagi dalam 2 detik" in log.read_text()
    finally:
        worker.terminate()
        worker.wait(timeout=30)
