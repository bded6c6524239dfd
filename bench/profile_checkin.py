"""Where the time of one check-in goes: CPU per request in-process, and a pyinstrument profile.

Run: ``DATABASE_URL=postgres://root@127.0.0.1:5432/DB .venv/bin/python bench/profile_checkin.py [--requests 400]``
(PYTHONPATH=src). Migrates DB (use your own, it adds a bench agency), seeds one employee with a
token, then posts ``--requests`` check-ins through Django's full WSGI stack (middleware, the
API, the service) with a fresh key each, in one thread, and prints wall and CPU time per
request, the SQL statements per request, and (with pyinstrument installed) the call tree of the
slowest part. Not part of ``make bench``: a tool for docs/decisions/112.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import sys
import time
import uuid

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fleksi.config.settings")
WIB = dt.timezone(dt.timedelta(hours=7))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--no-profile", action="store_true")
    parser.add_argument("--cprofile", action="store_true", help="cProfile by own time instead")
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.management import call_command
    from django.db import connection, reset_queries

    from fleksi.accounts.models import User
    from fleksi.accounts.services import api_token_create
    from fleksi.organisation.models import Agency, Employee, OrgUnit, Position

    call_command("migrate", interactive=False, verbosity=0)
    code = f"prof-{uuid.uuid4().hex[:6]}"
    agency = Agency.objects.create(code=code, name="Instansi Profil")
    unit = OrgUnit.objects.create(agency=agency, code="PROF", name="Unit Profil")
    unit.path = f"/{unit.pk}/"
    unit.save(update_fields=["path"])
    position = Position.objects.create(agency=agency, title="Analis")
    user = User.objects.create(username=code)
    Employee.objects.create(agency=agency, unit=unit, position=position, user=user, name="Pegawai",
                            nip=str(uuid.uuid4().int)[:18])
    token = api_token_create(actor=user, user=user, name="prof").plaintext
    app = WSGIHandler()

    def post(n: int) -> int:
        payload = json.dumps({
            "kind": "in" if n % 2 == 0 else "out", "location": "kantor",
            "client_time": dt.datetime.now(WIB).isoformat(timespec="seconds"),
            "idempotency_key": str(uuid.uuid4()), "latitude": -6.2001, "longitude": 106.8167,
            "accuracy_m": 25,
        }).encode()
        environ = {
            "REQUEST_METHOD": "POST", "PATH_INFO": "/api/v1/attendance/check-ins", "SCRIPT_NAME": "",
            "QUERY_STRING": "", "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000",
            "SERVER_PROTOCOL": "HTTP/1.1", "CONTENT_TYPE": "application/json",
            "CONTENT_LENGTH": str(len(payload)), "HTTP_HOST": "127.0.0.1",
            "HTTP_AUTHORIZATION": f"Bearer {token}", "wsgi.input": io.BytesIO(payload),
            "wsgi.url_scheme": "http", "wsgi.errors": sys.stderr, "wsgi.multithread": False,
            "wsgi.multiprocess": True, "wsgi.run_once": False, "wsgi.version": (1, 0),
        }
        status: list[str] = []
        body = b"".join(app(environ, lambda s, h, *a: status.append(s)))
        if not status[0].startswith(("200", "201")):
            raise SystemExit(f"{status[0]} {body[:300]!r}")
        return int(status[0][:3])

    for n in range(20):  # warm-up: imports, the scheme cache, the connection
        post(n)
    connection.force_debug_cursor = True
    reset_queries()
    post(0)
    statements = [q["sql"] for q in connection.queries]
    connection.force_debug_cursor = False

    wall, cpu = time.perf_counter(), time.process_time()
    for n in range(args.requests):
        post(n)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"{args.requests} requests in one thread: wall {wall / args.requests * 1000:.2f} ms, "
          f"CPU of this process {cpu / args.requests * 1000:.2f} ms per request")
    print(f"SQL statements per request: {len(statements)}")
    for s in statements:
        print("   ", s if os.environ.get("FULL_SQL") else s[:160])
    if args.cprofile:
        import cProfile
        import pstats

        prof = cProfile.Profile()
        prof.enable()
        for n in range(200):
            post(n)
        prof.disable()
        pstats.Stats(prof).sort_stats("tottime").print_stats(35)
        pstats.Stats(prof).sort_stats("cumulative").print_stats(60)
    elif not args.no_profile:
        try:
            from pyinstrument import Profiler
        except ImportError:
            print("pyinstrument not installed: no call tree")
            return 0
        profiler = Profiler(interval=0.0002)
        profiler.start()
        for n in range(200):
            post(n)
        profiler.stop()
        print(profiler.output_text(unicode=False, color=False, show_all=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
