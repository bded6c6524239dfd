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
import threading
import time
import uuid

import bench_checkin_load as common


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
    acked: list[dict[str, int]] = [{} for _ in range(args.clients)]  # key -> status of the ack
    sent = [0] * args.clients
    failed = [0] * args.clients  # attempts answered by a connection error or 5xx
    other: dict[int, int] = {}
    unacked: list[str] = []
    lock = threading.Lock()
    try:
        info = common.seed(args.clients, var)
        tokens: list[str] = info["tokens"]  # type: ignore[assignment]
        ids: list[int] = info["employees"]  # type: ignore[assignment]
        server.start()
        stop_new = [0.0]
        give_up = [0.0]

        def worker(i: int) -> None:
            client = common.Client(server.port, tokens[i])
            n = 0
            while n < args.max_requests and time.perf_counter() < stop_new[0]:
                key = str(uuid.uuid4())
                payload = common.body(key, n)  # the same body on every retry of this key
                while time.perf_counter() < give_up[0]:
                    status, _ms = client.post(payload)
                    sent[i] += 1
                    if status in (200, 201):
                        acked[i][key] = status
                        break
                    if status == 0 or status >= 500:
                        failed[i] += 1
                        time.sleep(0.05)
                        continue
                    with lock:
                        other[status] = other.get(status, 0) + 1
                    break
                else:
                    with lock:
                        unacked.append(key)
                n += 1
            client.close()

        now = time.perf_counter()
        stop_new[0] = now + args.seconds
        give_up[0] = stop_new[0] + args.retry_limit_s
        threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(args.clients)]
        for t in threads:
            t.start()
        time.sleep(args.seconds / 2)
        before_kill = sum(len(a) for a in acked)
        server.kill()
        killed_at = time.perf_counter() - now
        down_started = time.perf_counter()
        boot_s = server.start()
        down_s = time.perf_counter() - down_started
        print(f"SIGKILL at {killed_at:.1f} s after {before_kill} acks; back up in {down_s:.1f} s")
        for t in threads:
            t.join(timeout=args.seconds + args.retry_limit_s + 30)
        server.stop()
        rows = common.sql(
            "SELECT employee_id, idempotency_key::text, count(*) FROM attendance_checkin "
            "GROUP BY employee_id, idempotency_key"
        )
        (partitioned,) = common.sql(
            "SELECT relkind = 'p' FROM pg_class WHERE oid = 'attendance_checkin'::regclass"
        )[0]
        (ledger_rows,) = common.sql("SELECT count(*) FROM attendance_checkinkey")[0]
    finally:
        server.stop()
        common.postgres_database(common.DB_NAME, create=False)
        shutil.rmtree(var, ignore_errors=True)

    stored = {(int(e), k): int(c) for e, k, c in rows}
    acknowledged = sum(len(a) for a in acked)
    replayed = sum(1 for a in acked for s in a.values() if s == 200)
    lost = sum(1 for i, per in enumerate(acked) for key in per if (ids[i], key) not in stored)
    duplicates = sum(1 for count in stored.values() if count > 1)  # any key stored twice
    stored_rows = sum(stored.values())
    stored_not_acked = stored_rows - sum(stored.get((ids[i], k), 0) for i, per in enumerate(acked) for k in per)
    ok = lost == 0 and duplicates == 0 and acknowledged > 0 and not unacked and ledger_rows == stored_rows
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
        f"- Requests sent {sum(sent)}, of which {sum(failed)} met a connection error or 5xx and were retried "
        f"with the same key; other statuses {other or 'none'}; keys never acknowledged {len(unacked)}",
        f"- **acknowledged {acknowledged}** (201: {acknowledged - replayed}, 200 replay: {replayed}); "
        f"**stored {stored_rows}**; **duplicates {duplicates}**; **lost {lost}**; stored but not acknowledged "
        f"{stored_not_acked}",
        f"- Table: {'partitioned by month' if partitioned else 'plain'}; idempotency ledger rows {ledger_rows} "
        f"(one per stored check-in: {'yes' if ledger_rows == stored_rows else 'NO'})",
        f"- Result: {'PASS' if ok else 'FAIL'} (every acknowledged check-in in the database exactly once)",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    if not args.no_append:
        common.append(text)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
