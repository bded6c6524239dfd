"""Nothing lost, nothing doubled: SIGKILL ``fleksi serve`` in the middle of the check-in load.

Run: ``/work/main/.venv/bin/python bench/bench_checkin_kill.py [--seconds 20] [--no-append]``.

Seeds the same agency as bench_checkin_load.py (own database ``fleksi_bench_att``, dropped at the
end), starts ``fleksi serve`` and runs ``--clients`` threads, each with its own token, posting
check-ins. A client keeps one idempotency key until the server acknowledges it (201 or 200) and
retries with the SAME key (and the same body) on a connection error or a 5xx. Halfway through,
the server's process group (gunicorn master and workers) gets SIGKILL; the script restarts it and
the clients carry on. At the end every acknowledged key is looked up in the database: each must be
there exactly once. Prints the counts, appends a section to docs/benchmarks.md and exits non-zero
on any loss or duplicate.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
import tempfile
import time

import bench_checkin_load as common
import faultload


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=20.0, help="load duration (kill at half)")
    parser.add_argument("--max-requests", type=int, default=5000, help="per client, upper bound")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4, help="threads per worker (1: sync workers)")
    parser.add_argument("--port", type=int, default=8131)
    parser.add_argument("--retry-limit-s", type=float, default=120.0,
                        help="after the load, how long a client may keep retrying its last key")
    parser.add_argument("--no-append", action="store_true", help="do not write docs/benchmarks.md")
    args = parser.parse_args()

    var = tempfile.mkdtemp(prefix="att-kill-")
    common.postgres_database(common.DB_NAME, create=True)
    server = common.Server(common.free_port(args.port), args.workers, var, args.threads)
    try:
        info = common.seed(args.clients, var)
        tokens: list[str] = info["tokens"]  # type: ignore[assignment]
        ids: list[int] = info["employees"]  # type: ignore[assignment]
        server.start()
        load = faultload.RetryingClients(server.port, tokens, args.seconds, args.max_requests, args.retry_limit_s)
        now = load.start()
        time.sleep(args.seconds / 2)
        before_kill = load.acknowledged()
        server.kill()
        killed_at = time.perf_counter() - now
        down_started = time.perf_counter()
        boot_s = server.start()
        down_s = time.perf_counter() - down_started
        print(f"SIGKILL at {killed_at:.1f} s after {before_kill} acks; back up in {down_s:.1f} s")
        load.join()
        server.stop()
        result = faultload.verify(load, ids)
    finally:
        server.stop()
        common.postgres_database(common.DB_NAME, create=False)
        shutil.rmtree(var, ignore_errors=True)

    when = dt.datetime.now(dt.UTC)
    lines = [
        f"## Presensi kill test (SIGKILL mid-load), {args.clients} clients, PostgreSQL, {when:%Y-%m-%d %H:%M} UTC",
        "",
        "Command: `" + " ".join(["python bench/bench_checkin_kill.py", *sys.argv[1:]]) + "`",
        "",
        common.machine_line(),
        f"- Load: {args.clients} clients (Python threads, keep-alive), {args.seconds:.0f} s, "
        f"`fleksi serve --workers {args.workers} --threads {args.threads}`; "
        f"SIGKILL of the server's process group at {killed_at:.1f} s (after {before_kill} acks), "
        f"restarted (migrate + gunicorn) and answering again {down_s:.1f} s later (boot {boot_s:.1f} s)",
        *faultload.report_lines(load, result),
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    if not args.no_append:
        common.append(text)
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
