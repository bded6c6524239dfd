"""Nothing lost, nothing doubled, no restart of the app: PostgreSQL restarted in the middle of the check-in load.

Run: ``/work/main/.venv/bin/python bench/bench_pg_restart.py [--seconds 20] [--down-seconds 2] [--no-append]``.

The machine's shared PostgreSQL (5432) is never touched: the script makes its own throwaway
cluster (``initdb`` into a temporary directory, ``pg_ctl`` on a free loopback port, as the
``postgres`` user when run as root; removed at the end), seeds the same agency as
bench_checkin_load.py into it, starts ``fleksi serve`` against it and runs ``--clients``
threads posting check-ins (faultload.py: one idempotency key until acknowledged, retried with
the SAME key on a connection error or a 5xx). Halfway through, that cluster is stopped with a
fast shutdown (every backend terminated, open transactions rolled back), kept down for
``--down-seconds`` and started again. The server is not restarted: its workers must notice
their dead connections and reconnect by themselves (CONN_HEALTH_CHECKS, docs/decisions/210).
At the end every acknowledged key is looked up: each must be there exactly once. Prints the
seconds from PostgreSQL's return to the first 201, the counts, appends a section to
docs/benchmarks.md and exits non-zero on any loss, duplicate, or a server that was restarted
or never answered again. A ``fleksi worker`` runs beside the server and must still be running.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import bench_checkin_load as common
import faultload

PG_BIN = Path(os.environ.get("BENCH_PG_BIN", "/usr/lib/postgresql/15/bin"))


class Cluster:
    """A throwaway PostgreSQL cluster on loopback (trust authentication, nothing else listens)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.root = Path(tempfile.mkdtemp(prefix="fleksi-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "postgres.log"
        self.as_postgres = os.geteuid() == 0  # initdb refuses root

    def _run(self, *argv: str, timeout: float = 120) -> None:
        cmd = [*(["runuser", "-u", "postgres", "--"] if self.as_postgres else []), *argv]
        out = subprocess.run(cmd, capture_output=True, text=True, check=False, timeout=timeout)
        if out.returncode != 0:
            log = self.log.read_text()[-2000:] if self.log.exists() else ""
            raise SystemExit(f"{' '.join(argv[:2])} failed:\n{out.stdout[-2000:]}\n{out.stderr[-2000:]}\n{log}")

    def init(self) -> None:
        if self.as_postgres:
            shutil.chown(self.root, "postgres", "postgres")
        self._run(str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust",
                  "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync")

    def start(self) -> float:
        """Start and wait until it accepts connections; seconds taken."""
        started = time.perf_counter()
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.root} -c max_connections=100 -c fsync=on"
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60",
                  "-o", options, "start")
        return time.perf_counter() - started

    def stop(self, mode: str = "fast") -> float:
        started = time.perf_counter()
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop")
        return time.perf_counter() - started

    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists()

    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def remove(self) -> None:
        if self.running():
            try:
                self.stop("immediate")
            except SystemExit as error:
                print(f"warning: {error}", file=sys.stderr)
        shutil.rmtree(self.root, ignore_errors=True)


def start_job_worker(var: str) -> subprocess.Popen:
    """`fleksi worker` against the same database: it must outlive the restart too."""
    with (Path(var) / "worker.log").open("ab") as log:
        return subprocess.Popen([sys.executable, "-m", "fleksi.cli", "worker"], env=common.child_env(var),
                                stdout=log, stderr=log, start_new_session=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=20.0, help="load duration (restart at half)")
    parser.add_argument("--down-seconds", type=float, default=2.0, help="how long PostgreSQL stays down")
    parser.add_argument("--max-requests", type=int, default=5000, help="per client, upper bound")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4, help="threads per worker (1: sync workers)")
    parser.add_argument("--port", type=int, default=8132)
    parser.add_argument("--pg-port", type=int, default=55432, help="the throwaway cluster's port (or a free one)")
    parser.add_argument("--retry-limit-s", type=float, default=120.0,
                        help="after the load, how long a client may keep retrying its last key")
    parser.add_argument("--no-append", action="store_true", help="do not write docs/benchmarks.md")
    args = parser.parse_args()

    cluster = Cluster(common.free_port(args.pg_port))
    os.environ["BENCH_POSTGRES_URL"] = cluster.url()  # common.sql, seed and the server use it
    var = tempfile.mkdtemp(prefix="att-pgrestart-")
    server = common.Server(common.free_port(args.port), args.workers, var, args.threads)
    worker: subprocess.Popen | None = None
    try:
        cluster.init()
        cluster.start()
        common.postgres_database(common.DB_NAME, create=True)
        info = common.seed(args.clients, var)
        tokens: list[str] = info["tokens"]  # type: ignore[assignment]
        ids: list[int] = info["employees"]  # type: ignore[assignment]
        server.start()
        worker = start_job_worker(var)
        assert server.proc is not None
        server_pid = server.proc.pid
        workers_before = sorted(common.group_pids(server_pid))
        load = faultload.RetryingClients(server.port, tokens, args.seconds, args.max_requests, args.retry_limit_s)
        began = load.start()
        time.sleep(args.seconds / 2)
        before = load.acknowledged()
        stop_at = time.perf_counter() - began
        stop_s = cluster.stop("fast")
        time.sleep(args.down_seconds)
        start_s = cluster.start()
        back_at = time.perf_counter()
        down_s = back_at - began - stop_at
        print(f"PostgreSQL stopped at {stop_at:.1f} s after {before} acks (fast shutdown {stop_s:.1f} s), "
              f"back after {down_s:.1f} s (start {start_s:.1f} s)")
        load.join()
        first_201 = load.first_201_after(back_at)
        failures_after = load.failures_after(back_at)
        same_server = server.proc.poll() is None and server.proc.pid == server_pid
        workers_after = sorted(common.group_pids(server_pid))
        worker_alive = worker.poll() is None
        retries = (Path(var) / "worker.log").read_text().count("mencoba lagi")
        server.stop()
        result = faultload.verify(load, ids)
    finally:
        server.stop()
        if worker is not None and worker.poll() is None:
            worker.terminate()
            worker.wait(timeout=30)
        cluster.remove()
        shutil.rmtree(var, ignore_errors=True)

    recovered = first_201 is not None and same_server and worker_alive
    ok = bool(result["ok"]) and recovered
    when = dt.datetime.now(dt.UTC)
    workers_note = ("the same gunicorn workers" if workers_after == workers_before
                    else f"gunicorn replaced workers ({len(set(workers_before) - set(workers_after))} gone)")
    lines = [
        f"## Presensi PostgreSQL restart mid-load, {args.clients} clients, {when:%Y-%m-%d %H:%M} UTC",
        "",
        "Command: `" + " ".join(["python bench/bench_pg_restart.py", *sys.argv[1:]]) + "`",
        "",
        common.machine_line(),
        f"- Load: {args.clients} clients (Python threads, keep-alive), {args.seconds:.0f} s, "
        f"`fleksi serve --workers {args.workers} --threads {args.threads}` on a throwaway PostgreSQL 15 cluster "
        f"(initdb, loopback port {cluster.port}; the shared server untouched); `pg_ctl stop -m fast` at "
        f"{stop_at:.1f} s (after {before} acks, shutdown {stop_s:.1f} s), down {args.down_seconds:.0f} s, "
        f"`pg_ctl start` ({start_s:.1f} s): PostgreSQL away {down_s:.1f} s in all",
        f"- App not restarted: {'yes' if same_server else 'NO'} (same master process; {workers_note}); "
        + (f"**first 201 {first_201:.2f} s after PostgreSQL was back**" if first_201 is not None
           else "**no 201 after PostgreSQL was back**"),
        f"- `fleksi worker` (the job queue) beside it: {'still running' if worker_alive else 'EXITED'} "
        f"({retries} reconnection wait(s) in its log)",
        f"- Connection errors or 5xx after PostgreSQL was back: {failures_after} (before: "
        f"{load.failures() - failures_after}, during the shutdown and the {args.down_seconds:.0f} s down)",
        *faultload.report_lines(load, result),
    ]
    if not recovered:
        lines[-1] = "- Result: FAIL (the app or its job worker did not come back by itself)"
    text = "\n".join(lines) + "\n"
    print(text)
    if not args.no_append:
        common.append(text)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
