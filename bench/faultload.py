"""Shared by the fault benches (bench_checkin_kill.py, bench_pg_restart.py): clients that keep
one idempotency key until it is acknowledged, and the check that every acknowledged check-in
is in the database exactly once.

A client posts check-ins with a fresh key each; on a connection error or a 5xx it retries with
the SAME key and the same body until the server answers 201 or 200 (a replay), or until the
retry limit after the load. Every attempt is timed, so a bench can tell what happened after a
fault (the first 201 after PostgreSQL came back, the errors after it).
"""

from __future__ import annotations

import threading
import time
import uuid
from dataclasses import dataclass, field

import bench_checkin_load as common


@dataclass
class RetryingClients:
    port: int
    tokens: list[str]
    seconds: float
    max_requests: int
    retry_limit_s: float
    acked: list[dict[str, int]] = field(init=False)  # per client: key -> status of the ack
    ack_times: list[list[tuple[float, int]]] = field(init=False)  # (perf_counter, status) per ack
    failure_times: list[list[float]] = field(init=False)  # connection errors and 5xx
    sent: list[int] = field(init=False)
    other: dict[int, int] = field(default_factory=dict)  # statuses neither ack nor retried
    unacked: list[str] = field(default_factory=list)  # keys given up after the retry limit

    def __post_init__(self) -> None:
        n = len(self.tokens)
        self.acked = [{} for _ in range(n)]
        self.ack_times = [[] for _ in range(n)]
        self.failure_times = [[] for _ in range(n)]
        self.sent = [0] * n
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []

    def _worker(self, i: int) -> None:
        client = common.Client(self.port, self.tokens[i])
        n = 0
        while n < self.max_requests and time.perf_counter() < self.stop_new:
            key = str(uuid.uuid4())
            payload = common.body(key, n)  # the same body on every retry of this key
            while time.perf_counter() < self.give_up:
                status, _ms = client.post(payload)
                self.sent[i] += 1
                if status in (200, 201):
                    self.acked[i][key] = status
                    self.ack_times[i].append((time.perf_counter(), status))
                    break
                if status == 0 or status >= 500:
                    self.failure_times[i].append(time.perf_counter())
                    time.sleep(0.05)
                    continue
                with self._lock:
                    self.other[status] = self.other.get(status, 0) + 1
                break
            else:
                with self._lock:
                    self.unacked.append(key)
            n += 1
        client.close()

    def start(self) -> float:
        """Start the clients; returns the start time (perf_counter)."""
        self.started = time.perf_counter()
        self.stop_new = self.started + self.seconds
        self.give_up = self.stop_new + self.retry_limit_s
        self._threads = [threading.Thread(target=self._worker, args=(i,), daemon=True) for i in range(len(self.tokens))]
        for t in self._threads:
            t.start()
        return self.started

    def join(self) -> None:
        for t in self._threads:
            t.join(timeout=self.seconds + self.retry_limit_s + 30)

    def acknowledged(self) -> int:
        return sum(len(a) for a in self.acked)

    def failures(self) -> int:
        return sum(len(f) for f in self.failure_times)

    def first_201_after(self, moment: float) -> float | None:
        """Seconds from ``moment`` to the first fresh acknowledgement (201) after it."""
        times = [t for per in self.ack_times for t, status in per if status == 201 and t >= moment]
        return min(times) - moment if times else None

    def failures_after(self, moment: float) -> int:
        return sum(1 for per in self.failure_times for t in per if t >= moment)


def verify(load: RetryingClients, ids: list[int]) -> dict[str, int | bool]:
    """Look every acknowledged key up in the bench database (while it still exists)."""
    rows = common.sql(
        "SELECT employee_id, idempotency_key::text, count(*) FROM attendance_checkin "
        "GROUP BY employee_id, idempotency_key"
    )
    (partitioned,) = common.sql("SELECT relkind = 'p' FROM pg_class WHERE oid = 'attendance_checkin'::regclass")[0]
    (ledger_rows,) = common.sql("SELECT count(*) FROM attendance_checkinkey")[0]
    stored = {(int(e), k): int(c) for e, k, c in rows}
    acknowledged = load.acknowledged()
    stored_rows = sum(stored.values())
    acked_rows = sum(stored.get((ids[i], k), 0) for i, per in enumerate(load.acked) for k in per)
    result: dict[str, int | bool] = {
        "acknowledged": acknowledged,
        "replayed": sum(1 for a in load.acked for s in a.values() if s == 200),
        "lost": sum(1 for i, per in enumerate(load.acked) for key in per if (ids[i], key) not in stored),
        "duplicates": sum(1 for count in stored.values() if count > 1),  # any key stored twice
        "stored": stored_rows,
        "stored_not_acked": stored_rows - acked_rows,
        "ledger_rows": int(ledger_rows),
        "partitioned": bool(partitioned),
    }
    result["ok"] = (result["lost"] == 0 and result["duplicates"] == 0 and acknowledged > 0
                    and not load.unacked and ledger_rows == stored_rows)
    return result


def report_lines(load: RetryingClients, result: dict[str, int | bool]) -> list[str]:
    """The lines both fault benches print: requests, acknowledgements, the table, the verdict."""
    r = result
    return [
        f"- Requests sent {sum(load.sent)}, of which {load.failures()} met a connection error or 5xx and were "
        f"retried with the same key; other statuses {load.other or 'none'}; keys never acknowledged "
        f"{len(load.unacked)}",
        f"- **acknowledged {r['acknowledged']}** (201: {int(r['acknowledged']) - int(r['replayed'])}, 200 replay: "
        f"{r['replayed']}); **stored {r['stored']}**; **duplicates {r['duplicates']}**; **lost {r['lost']}**; "
        f"stored but not acknowledged {r['stored_not_acked']}",
        f"- Table: {'partitioned by month' if r['partitioned'] else 'plain'}; idempotency ledger rows "
        f"{r['ledger_rows']} (one per stored check-in: {'yes' if r['ledger_rows'] == r['stored'] else 'NO'})",
        f"- Result: {'PASS' if r['ok'] else 'FAIL'} (every acknowledged check-in in the database exactly once)",
    ]
