"""Load test of presensi: 32 concurrent clients posting check-ins to ``fleksi serve`` on PostgreSQL.

Run: ``/work/main/.venv/bin/python bench/bench_checkin_load.py [--seconds 20] [--big] [--no-append]``
(``make bench`` style; PYTHONPATH is set to ``src`` for the children).

Creates its own database on ``BENCH_POSTGRES_URL`` (default postgres://root@127.0.0.1:5432/postgres,
database ``fleksi_bench_att``, dropped at the end), seeds an agency with ``--clients`` + 2
employees, each with its own API token, starts ``fleksi serve`` (gunicorn) on loopback and runs
``--clients`` threads, each posting ``POST /api/v1/attendance/check-ins`` with a fresh key for
``--seconds``. In the same run it measures raw PostgreSQL with ``pgbench`` (one-row insert into
a copy of the check-in table, same columns and indexes, same client count) and the latency of
an employee with 0 prior check-ins against one with 5,000 (and, with ``--big``, with 1 million
rows in the table). Prints the figures and appends a section to docs/benchmarks.md.
Targets (issue 8): at least 20% of the pgbench rate, p99 under 50 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import platform
import re
import resource
import shlex
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_POSTGRES = "postgres://root@127.0.0.1:5432/postgres"
# One database per checkout: benches of parallel worktrees on one server do not drop each other's.
DB_NAME = "fleksi_bench_att_" + re.sub(r"[^a-z0-9]", "_", ROOT.name.lower())[:30]
HOST = "127.0.0.1"
PATH = "/api/v1/attendance/check-ins"
WIB = dt.timezone(dt.timedelta(hours=7))
HISTORY = 5000
BIG_ROWS = 1_000_000
TARGET_RATIO = 0.20
TARGET_P99_MS = 50.0


# --------------------------------------------------------------------------- helpers


def base_url() -> str:
    return os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES)


def db_url(name: str = DB_NAME) -> str:
    return base_url().rsplit("/", 1)[0] + "/" + name


def postgres_database(name: str, create: bool) -> None:
    import psycopg

    with psycopg.connect(base_url().replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if create:
            conn.execute(f'CREATE DATABASE "{name}"')


def sql(statement: str, params: tuple = (), timeout_s: float = 0) -> list[tuple]:
    """One statement on the bench database (autocommit); optional statement timeout."""
    import psycopg

    with psycopg.connect(db_url().replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
        if timeout_s:
            conn.execute(f"SET statement_timeout = {int(timeout_s * 1000)}")
        cur = conn.execute(statement, params)
        return cur.fetchall() if cur.description else []


def child_env(var: str) -> dict[str, str]:
    return dict(os.environ, DATABASE_URL=db_url(), FLEKSI_VAR=var, PYTHONPATH=str(ROOT / "src"),
                DJANGO_SETTINGS_MODULE="fleksi.config.settings")


def seed(employees: int, var: str) -> dict[str, object]:
    """Migrate and seed in a child process; returns tokens and employee ids."""
    out = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--seed-child", str(employees)],
                         env=child_env(var), capture_output=True, text=True, check=False, timeout=300)
    if out.returncode != 0:
        raise SystemExit(f"seeding failed:\n{out.stderr[-4000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def seed_child(employees: int) -> dict[str, object]:
    import django

    django.setup()
    from django.core.management import call_command

    from fleksi.accounts.models import User
    from fleksi.accounts.services import api_token_create
    from fleksi.organisation.models import Agency, Employee, OrgUnit, Position

    call_command("migrate", interactive=False, verbosity=0)
    agency = Agency.objects.create(code="bench-att", name="Instansi Bench Presensi")
    unit = OrgUnit.objects.create(agency=agency, code="BENCH", name="Unit Bench")
    unit.path = f"/{unit.pk}/"
    unit.save(update_fields=["path"])
    position = Position.objects.create(agency=agency, title="Analis")
    users = User.objects.bulk_create([User(username=f"bench-att-{i:03d}") for i in range(employees)])
    Employee.objects.bulk_create([
        Employee(agency=agency, unit=unit, position=position, user=u, name=f"Pegawai {i:03d}",
                 nip=f"1980010120050{i:05d}")
        for i, u in enumerate(users)
    ])
    people = {e.user_id: e.pk for e in Employee.objects.filter(agency=agency)}
    tokens, ids = [], []
    for u in users:
        tokens.append(api_token_create(actor=u, user=u, name="bench").plaintext)
        ids.append(people[u.pk])
    return {"agency": agency.pk, "tokens": tokens, "employees": ids}


class Server:
    """``fleksi serve`` in its own process group (so SIGKILL takes the master and workers)."""

    def __init__(self, port: int, workers: int, var: str, threads: int = 4) -> None:
        self.port, self.workers, self.var, self.threads = port, workers, var, threads
        self.proc: subprocess.Popen | None = None
        self.log = Path(var) / "serve.log"

    def start(self, wait_s: float = 90) -> float:
        started = time.perf_counter()
        log = self.log.open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "fleksi.cli", "serve", "--host", HOST, "--port", str(self.port),
             "--workers", str(self.workers), "--threads", str(self.threads)],
            env=child_env(self.var), stdout=log, stderr=log, start_new_session=True,
        )
        log.close()
        deadline = time.monotonic() + wait_s
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"server exited: {self.log.read_text()[-3000:]}")
            try:
                conn = http.client.HTTPConnection(HOST, self.port, timeout=2)
                conn.request("GET", "/api/v1/attendance/days?from=2026-12-01&to=2026-12-01")
                conn.getresponse().read()
                conn.close()
                return time.perf_counter() - started
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise SystemExit("server did not answer within the time limit")

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=30)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=30)


def free_port(preferred: int) -> int:
    with socket.socket() as s:
        try:
            s.bind((HOST, preferred))
            return preferred
        except OSError:
            s.bind((HOST, 0))
            return int(s.getsockname()[1])


def body(key: str, n: int) -> bytes:
    return json.dumps({
        "kind": "in" if n % 2 == 0 else "out",
        "location": "kantor" if n % 3 else "rumah",
        "client_time": dt.datetime.now(WIB).isoformat(timespec="seconds"),
        "idempotency_key": key,
        "latitude": -6.2001, "longitude": 106.8167, "accuracy_m": 25,
    }).encode()


class Client:
    """One keep-alive-if-possible HTTP connection with one token."""

    def __init__(self, port: int, token: str) -> None:
        self.port = port
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        self.conn = http.client.HTTPConnection(HOST, port, timeout=10)

    def post(self, payload: bytes) -> tuple[int, float]:
        """Status (0 on a connection error) and latency in ms."""
        started = time.perf_counter()
        try:
            self.conn.request("POST", PATH, body=payload, headers=self.headers)
            response = self.conn.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = http.client.HTTPConnection(HOST, self.port, timeout=10)
            status = 0
        return status, (time.perf_counter() - started) * 1000

    def close(self) -> None:
        self.conn.close()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else float("nan")


def load(port: int, tokens: list[str], seconds: float, max_requests: int) -> dict[str, object]:
    """``len(tokens)`` threads posting fresh keys until ``seconds`` pass or ``max_requests`` each."""
    latencies: list[list[float]] = [[] for _ in tokens]
    statuses: list[dict[int, int]] = [{} for _ in tokens]
    barrier = threading.Barrier(len(tokens) + 1)
    deadline = [0.0]

    def worker(i: int) -> None:
        client = Client(port, tokens[i])
        barrier.wait()
        n = 0
        while n < max_requests and time.perf_counter() < deadline[0]:
            status, ms = client.post(body(str(uuid.uuid4()), n))
            statuses[i][status] = statuses[i].get(status, 0) + 1
            if status in (200, 201):
                latencies[i].append(ms)
            n += 1
        client.close()

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(len(tokens))]
    for t in threads:
        t.start()
    deadline[0] = time.perf_counter() + seconds
    started = time.perf_counter()
    barrier.wait()
    for t in threads:
        t.join(timeout=seconds + 30)
    elapsed = time.perf_counter() - started
    flat = [ms for per in latencies for ms in per]
    counts: dict[int, int] = {}
    for per in statuses:
        for k, v in per.items():
            counts[k] = counts.get(k, 0) + v
    return {"ok": len(flat), "elapsed_s": elapsed, "rps": len(flat) / elapsed, "statuses": counts,
            "p50": percentile(flat, 0.50), "p99": percentile(flat, 0.99), "median": statistics.median(flat) if flat else float("nan"),
            "client": f"{len(tokens)} Python threads (http.client, keep-alive), own token each"}


WRK_SCRIPT = r"""
-- One token per wrk thread (one connection each), a fresh UUID v4 key per request.
local tokens = {%TOKENS%}
local counter = 0
local statuses = {}
local threads = {}

function setup(thread)
  counter = counter + 1
  thread:set("token", tokens[counter])
  thread:set("seed", counter)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(os.time() * 1000 + seed)
  codes = {}
end

local function uuid4()
  local t = "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx"
  return (t:gsub("[xy]", function(c)
    local v = (c == "x") and math.random(0, 15) or math.random(8, 11)
    return string.format("%x", v)
  end))
end

local n = 0
function request()
  n = n + 1
  local kind = (n % 2 == 0) and "in" or "out"
  local loc = (n % 3 == 0) and "rumah" or "kantor"
  local body = string.format(
    '{"kind":"%s","location":"%s","client_time":"%s","idempotency_key":"%s",' ..
    '"latitude":-6.2001,"longitude":106.8167,"accuracy_m":25}',
    kind, loc, os.date("!%Y-%m-%dT%H:%M:%S+00:00"), uuid4())
  return wrk.format("POST", "%PATH%",
    {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"}, body)
end

function response(status, headers, body)
  codes[status] = (codes[status] or 0) + 1
end

function done(summary, latency, requests)
  local merged = {}
  for _, thread in ipairs(threads) do
    local c = thread:get("codes")
    for k, v in pairs(c) do merged[tostring(k)] = (merged[tostring(k)] or 0) + v end
  end
  local parts = {}
  for k, v in pairs(merged) do table.insert(parts, string.format('"%s": %d', k, v)) end
  io.write(string.format(
    'WRKJSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "mean_us": %f, ' ..
    '"connect_errors": %d, "read_errors": %d, "write_errors": %d, "timeouts": %d, "statuses": {%s}}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.mean,
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout,
    table.concat(parts, ", ")))
end
"""


def load_wrk(port: int, tokens: list[str], seconds: float, var: str) -> dict[str, object]:
    """The same load with wrk: one thread and one keep-alive connection per token."""
    script = Path(var) / "checkin.lua"
    script.write_text(WRK_SCRIPT.replace("%TOKENS%", ", ".join(json.dumps(t) for t in tokens))
                      .replace("%PATH%", PATH))
    n = len(tokens)
    out = subprocess.run(
        ["wrk", "-t", str(n), "-c", str(n), "-d", f"{max(1, round(seconds))}s", "--timeout", "10s",
         "-s", str(script), f"http://{HOST}:{port}{PATH}"],
        capture_output=True, text=True, check=False, timeout=seconds + 60,
    )
    line = next((x for x in out.stdout.splitlines() if x.startswith("WRKJSON ")), None)
    if line is None:
        raise SystemExit(f"wrk failed:\n{out.stdout[-2000:]}\n{out.stderr[-2000:]}")
    data = json.loads(line.removeprefix("WRKJSON "))
    statuses = {int(k): v for k, v in data["statuses"].items()}
    ok = statuses.get(200, 0) + statuses.get(201, 0)
    elapsed = data["duration_us"] / 1e6
    errors = {k: data[k] for k in ("connect_errors", "read_errors", "write_errors", "timeouts") if data[k]}
    return {"ok": ok, "elapsed_s": elapsed, "rps": ok / elapsed, "statuses": {**statuses, **errors},
            "p50": data["p50_us"] / 1000, "p99": data["p99_us"] / 1000, "median": data["p50_us"] / 1000,
            "client": f"wrk {n} threads x 1 connection (keep-alive), Lua script, own token each"}


HELLO_APP = """
BODY = b'{"id": 1, "kind": "in", "flags": []}'


def app(environ, start_response):
    environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    start_response("201 Created", [("Content-Type", "application/json"), ("Content-Length", str(len(BODY)))])
    return [BODY]
"""

FLOOR_SCRIPT = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"kind": "in", "location": "rumah", "client_time": "2026-12-01T07:31:00+07:00", "idempotency_key": "00000000-0000-4000-8000-000000000000"}'
"""


def wrk_rate(port: int, clients: int, seconds: int, var: str) -> dict[str, float]:
    """wrk with a fixed unauthenticated POST: requests/s and p99 (ms) of whatever answers."""
    script = Path(var) / "floor.lua"
    script.write_text(FLOOR_SCRIPT)
    out = subprocess.run(
        ["wrk", "-t", str(clients), "-c", str(clients), "-d", f"{seconds}s", "--timeout", "10s", "--latency",
         "-s", str(script), f"http://{HOST}:{port}{PATH}"],
        capture_output=True, text=True, check=False, timeout=seconds + 60,
    )
    rate = re.search(r"Requests/sec:\s+([0-9.]+)", out.stdout)
    p99 = re.search(r"^\s+99%\s+([0-9.]+)(us|ms|s)\b", out.stdout, re.M)
    if rate is None:
        raise SystemExit(f"wrk failed:\n{out.stdout[-2000:]}\n{out.stderr[-2000:]}")
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    return {"rps": float(rate.group(1)), "p99": float(p99.group(1)) * scale[p99.group(2)] if p99 else float("nan")}


def bare_wsgi_rate(workers: int, threads: int, clients: int, seconds: int, var: str) -> dict[str, float]:
    """The web server alone: gunicorn with the same workers and threads, a constant 201 answer."""
    Path(var, "bench_hello.py").write_text(HELLO_APP)
    port = free_port(8190)
    worker_args = ["--threads", str(threads), "-k", "gthread"] if threads > 1 else []
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", str(workers), *worker_args, "--keep-alive", "5",
         "--bind", f"{HOST}:{port}", "--chdir", var, "--log-level", "warning", "bench_hello:app"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection((HOST, port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        return wrk_rate(port, clients, seconds, var)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


def _cpu_of(pid: int) -> float:
    """User + system CPU seconds of one process (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def group_pids(pgid: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == pgid:
                pids.append(int(entry.name))
    return pids


def backend_pids() -> list[int]:
    """The PostgreSQL backends connected to the bench database (the server's connections)."""
    rows = sql("SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", (DB_NAME,))
    return [int(pid) for (pid,) in rows]


class CpuMeter:
    """CPU seconds spent by the server's processes, its PostgreSQL backends and the load
    generator during the load: robust to other work on the machine, unlike requests/s."""

    def __init__(self, server_pgid: int) -> None:
        self.pgid = server_pgid

    def start(self) -> None:
        self.server = {p: _cpu_of(p) for p in group_pids(self.pgid)}
        self.backends = {p: _cpu_of(p) for p in backend_pids()}
        self.children = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.own = time.process_time()

    def stop(self) -> dict[str, float]:
        server = sum(max(0.0, _cpu_of(p) - c) for p, c in self.server.items())
        server += sum(_cpu_of(p) for p in group_pids(self.pgid) if p not in self.server)
        backends = sum(max(0.0, _cpu_of(p) - c) for p, c in self.backends.items())
        backends += sum(_cpu_of(p) for p in backend_pids() if p not in self.backends)
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        client = (children.ru_utime - self.children.ru_utime + children.ru_stime - self.children.ru_stime
                  + time.process_time() - self.own)
        return {"server_s": server, "postgres_s": backends, "client_s": client}


def run_pgbench(script: str, clients: int, seconds: int) -> dict[str, float]:
    """pgbench with ``script`` (prepared statements) on the bench database: tps and mean latency."""
    if shutil.which("pgbench") is None:
        return {"tps": float("nan"), "latency_ms": float("nan")}
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as handle:
        handle.write(script)
    url = db_url().replace("postgres://", "postgresql://", 1)
    try:
        out = subprocess.run(
            ["pgbench", "-n", "-c", str(clients), "-j", str(min(clients, os.cpu_count() or 2)),
             "-T", str(seconds), "-M", "prepared", "-f", handle.name, url],
            capture_output=True, text=True, check=False, timeout=seconds + 60,
        )
    finally:
        os.unlink(handle.name)
    tps = re.search(r"tps = ([\d.]+) \(without initial", out.stdout)
    latency = re.search(r"latency average = ([\d.]+) ms", out.stdout)
    if tps is None:
        raise SystemExit(f"pgbench failed:\n{out.stdout[-2000:]}\n{out.stderr[-2000:]}")
    return {"tps": float(tps.group(1)), "latency_ms": float(latency.group(1)) if latency else float("nan")}


def pgbench(clients: int, seconds: int, employee_id: int, agency_id: int) -> dict[str, float]:
    """Raw PostgreSQL: one-row insert into a copy of the check-in table (same columns, indexes)."""
    sql("DROP TABLE IF EXISTS bench_pgbench_checkin")
    sql("CREATE TABLE bench_pgbench_checkin (LIKE attendance_checkin INCLUDING ALL)")
    script = (
        "INSERT INTO bench_pgbench_checkin (agency_id, employee_id, kind, location, client_time, "
        "server_time, work_date, idempotency_key, body_hash, latitude, longitude, accuracy_m, note, flags) "
        f"VALUES ({agency_id}, {employee_id}, 'in', 'kantor', now(), now(), current_date, gen_random_uuid(), "
        "md5(random()::text) || md5(random()::text), -6.2001, 106.8167, 25, '', '[]'::jsonb);\n"
    )
    try:
        return run_pgbench(script, clients, seconds)
    finally:
        sql("DROP TABLE IF EXISTS bench_pgbench_checkin")


def pgbench_check_in_transaction(clients: int, seconds: int, employee_ids: list[int]) -> dict[str, float]:
    """Raw PostgreSQL running the check-in's own SQL and nothing else (docs/decisions/181).

    The statements Django sends for one check-in (bench/profile_checkin.py prints them), in the
    same transaction, on the real tables (partitioned check-ins, ledger trigger): the token,
    BEGIN, the employee row locked with its agency, settings, unit and office, the day's
    records, the day's arrangement, the insert, the daily record's update, COMMIT. Each pgbench
    client plays one employee (its own token), like the load's clients.
    """
    rows = sql(
        "SELECT e.id, e.user_id, t.prefix FROM organisation_employee e "
        "JOIN accounts_apitoken t ON t.user_id = e.user_id AND t.revoked_at IS NULL "
        "WHERE e.id = ANY(%s) ORDER BY e.id", (employee_ids,),
    )
    if len(rows) < clients:
        raise SystemExit("pgbench: fewer seeded employees with tokens than clients")
    rows = rows[:clients]

    def pick(values: list[object]) -> str:
        return "(ARRAY[" + ", ".join(repr(v) for v in values) + "])[:client_id + 1]"

    employee, user, prefix = pick([r[0] for r in rows]), pick([r[1] for r in rows]), pick([str(r[2]) for r in rows])
    script = f"""
SELECT t.id, t.user_id, t.name, t.prefix, t.secret_hash, t.created_at, t.last_used_at, t.revoked_at, u.*
  FROM accounts_apitoken t JOIN accounts_user u ON t.user_id = u.id
 WHERE t.prefix = {prefix} AND t.revoked_at IS NULL ORDER BY t.created_at DESC LIMIT 1;
BEGIN;
SELECT e.*, a.*, s.*, o.*, f.*
  FROM organisation_employee e JOIN organisation_agency a ON e.agency_id = a.id
  LEFT JOIN attendance_attendancesettings s ON a.id = s.agency_id
  JOIN organisation_orgunit o ON e.unit_id = o.id
  LEFT JOIN organisation_agencyoffice f ON e.office_id = f.id
 WHERE e.is_active AND e.user_id = {user} ORDER BY e.name, e.nip LIMIT 1 FOR UPDATE OF e;
SELECT * FROM attendance_dailyrecord WHERE employee_id = {employee}
   AND work_date IN (current_date - 1, current_date) ORDER BY work_date, employee_id;
SELECT * FROM schedules_arrangementday WHERE active AND date = current_date AND employee_id IN ({employee})
 ORDER BY date, employee_id;
INSERT INTO attendance_checkin (agency_id, employee_id, kind, location, client_time, server_time, work_date,
       idempotency_key, body_hash, latitude, longitude, accuracy_m, note, flags)
SELECT agency_id, id, 'in', 'kantor', now(), now(), current_date, gen_random_uuid(),
       md5(random()::text) || md5(random()::text), -6.2001, 106.8167, 25, '', '[]'::jsonb
  FROM organisation_employee WHERE id = {employee};
UPDATE attendance_dailyrecord SET last_in = now(), check_in_count = check_in_count + 1, updated_at = now(),
       flags = '[]'::jsonb WHERE employee_id = {employee} AND work_date = current_date;
COMMIT;
"""
    return run_pgbench(script, clients, seconds)


def insert_history(agency_id: int, employee_id: int, rows: int, timeout_s: float, days_back: int) -> float:
    """``rows`` past check-ins for one employee straight into the table (generate_series)."""
    started = time.perf_counter()
    sql(
        "INSERT INTO attendance_checkin (agency_id, employee_id, kind, location, client_time, server_time, "
        "work_date, idempotency_key, body_hash, latitude, longitude, accuracy_m, note, flags) "
        "SELECT %s, %s, CASE WHEN g %% 2 = 0 THEN 'in' ELSE 'out' END, 'kantor', t, t, t::date, "
        "gen_random_uuid(), md5(g::text) || md5(g::text), NULL, NULL, NULL, '', '[]'::jsonb "
        "FROM generate_series(1, %s) AS g, "
        "LATERAL (SELECT now() - interval '3 days' - (g * (%s::float / %s)) * interval '1 day' AS t) AS x",
        (agency_id, employee_id, rows, days_back, rows), timeout_s=timeout_s,
    )
    sql("ANALYZE attendance_checkin", timeout_s=timeout_s)
    return time.perf_counter() - started


def history_latency(port: int, tokens: dict[str, str], requests: int) -> dict[str, list[float]]:
    """Sequential requests, interleaved across the employees (so noise hits all alike)."""
    clients = {name: Client(port, token) for name, token in tokens.items()}
    out: dict[str, list[float]] = {name: [] for name in tokens}
    for c in clients.values():  # warm-up (connection, first daily record of today)
        c.post(body(str(uuid.uuid4()), 0))
    for n in range(requests):
        for name, c in clients.items():
            status, ms = c.post(body(str(uuid.uuid4()), n + 1))
            if status in (200, 201):
                out[name].append(ms)
    for c in clients.values():
        c.close()
    return out


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine_line() -> str:
    return (f"- Machine: {platform.system()} {platform.release()} {platform.machine()}; CPU: {cpu_name()}; "
            f"nproc {os.cpu_count()}; load average {os.getloadavg()[0]:.1f} at the end; "
            f"Python {platform.python_version()}; "
            f"{subprocess.run(['pgbench', '--version'], capture_output=True, text=True, check=False).stdout.strip()}")


def append(text: str) -> None:
    path = ROOT / "docs" / "benchmarks.md"
    with path.open("a") as handle:
        handle.write("\n" + text)
    print(f"appended to {shlex.quote(str(path.relative_to(ROOT)))}")


def fmt(values: list[float]) -> str:
    if not values:
        return "no successful request"
    return (f"median {statistics.median(values):.1f} ms, p99 {percentile(values, 0.99):.1f} ms "
            f"(n={len(values)})")


# --------------------------------------------------------------------------- main


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=20.0, help="load duration")
    parser.add_argument("--max-requests", type=int, default=20000, help="per client, upper bound")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (processes)")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker (1: sync workers)")
    parser.add_argument("--client", choices=["auto", "wrk", "python"], default="auto",
                        help="load generator (auto: wrk when installed)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--port", type=int, default=8130)
    parser.add_argument("--pgbench-seconds", type=int, default=10)
    parser.add_argument("--floor-seconds", type=int, default=10, help="seconds per floor reference (wrk)")
    parser.add_argument("--history-requests", type=int, default=200)
    parser.add_argument("--big", action="store_true", help="also with 1 million rows in the table")
    parser.add_argument("--big-timeout", type=float, default=240.0, help="seconds allowed for the bulk insert")
    parser.add_argument("--no-append", action="store_true", help="do not write docs/benchmarks.md")
    parser.add_argument("--seed-child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.seed_child:
        print(json.dumps(seed_child(args.seed_child)))
        return 0

    load_before = os.getloadavg()
    var = tempfile.mkdtemp(prefix="att-bench-")
    postgres_database(DB_NAME, create=True)
    server = Server(free_port(args.port), args.workers, var, args.threads)
    use_wrk = args.client == "wrk" or (args.client == "auto" and shutil.which("wrk") is not None)
    try:
        started = time.perf_counter()
        info = seed(args.clients + 2, var)
        seed_s = time.perf_counter() - started
        tokens: list[str] = info["tokens"]  # type: ignore[assignment]
        ids: list[int] = info["employees"]  # type: ignore[assignment]
        agency = int(info["agency"])  # type: ignore[call-overload]
        load_tokens, (zero_token, hist_token) = tokens[: args.clients], tokens[args.clients:]
        history_s = insert_history(agency, ids[-1], HISTORY, 120, days_back=700)
        boot_s = server.start()
        print(f"seeded {len(tokens)} employees in {seed_s:.1f} s; server up in {boot_s:.1f} s on port {server.port}")
        load(server.port, load_tokens, min(3.0, args.seconds), 50)  # warm-up
        assert server.proc is not None
        meter = CpuMeter(server.proc.pid)
        meter.start()
        if use_wrk:
            result = load_wrk(server.port, load_tokens, args.seconds, var)
        else:
            result = load(server.port, load_tokens, args.seconds, args.max_requests)
        cpu = meter.stop()
        print(f"load: {result}")
        hist = history_latency(server.port, {"0": zero_token, "5000": hist_token}, args.history_requests)
        big: dict[str, list[float]] | None = None
        big_note = "not run (pass --big)"
        if args.big:
            (count,) = sql("SELECT count(*) FROM attendance_checkin")[0]
            missing = max(0, BIG_ROWS - int(count))
            try:
                spent = insert_history(agency, ids[0], missing, args.big_timeout, days_back=3000)
                (count,) = sql("SELECT count(*) FROM attendance_checkin")[0]
                big = history_latency(server.port, {"0": zero_token, "5000": hist_token}, args.history_requests)
                big_note = f"{count:,} rows in the table ({missing:,} bulk-inserted in {spent:.0f} s)"
            except Exception as exc:  # the statement timeout: skip, bounded
                big_note = f"skipped: bulk insert did not finish within {args.big_timeout:.0f} s ({type(exc).__name__})"
            print(big_note)
        floors: dict[str, dict[str, float]] = {}
        if use_wrk:
            # The stack's own floor, same run and same wrk setup: Django's whole stack answering
            # an unauthenticated POST with 401 (middleware, routing, django-ninja; no database),
            # then the web server alone with a constant answer (docs/decisions/181).
            floors["django"] = wrk_rate(server.port, args.clients, args.floor_seconds, var)
        server.stop()
        if use_wrk:
            floors["wsgi"] = bare_wsgi_rate(args.workers, args.threads, args.clients, args.floor_seconds, var)
        pg = pgbench(args.clients, args.pgbench_seconds, ids[0], agency)
        pg_txn = pgbench_check_in_transaction(args.clients, args.pgbench_seconds, ids[: args.clients])
        (rows,) = sql("SELECT count(*) FROM attendance_checkin")[0]
    finally:
        server.stop()
        postgres_database(DB_NAME, create=False)
        shutil.rmtree(var, ignore_errors=True)

    requests = max(1, int(result["ok"]))  # type: ignore[call-overload]
    per = {k: v * 1000 / requests for k, v in cpu.items()}
    app_ms = per["server_s"] + per["postgres_s"]
    ceiling = (os.cpu_count() or 1) * 1000 / app_ms if app_ms else float("nan")
    rps, p50, p99 = float(result["rps"]), float(result["p50"]), float(result["p99"])  # type: ignore[arg-type]
    ratio = rps / pg["tps"] if pg["tps"] else float("nan")
    met_ratio, met_p99 = ratio >= TARGET_RATIO, p99 < TARGET_P99_MS
    now = dt.datetime.now(dt.UTC)
    command = " ".join(["python bench/bench_checkin_load.py", *sys.argv[1:]])
    lines = [
        f"## Presensi check-in load, {args.clients} clients, PostgreSQL, {now:%Y-%m-%d %H:%M} UTC",
        "",
        f"Command: `{command}`",
        "",
        machine_line(),
        f"- Setup: `fleksi serve --workers {args.workers} --threads {args.threads}` (gunicorn "
        f"{'gthread' if args.threads > 1 else 'sync'} workers) on loopback; load generator: {result['client']}, "
        "fresh key per request; server, load generator and PostgreSQL share the same machine "
        f"(load average {load_before[0]:.1f} / {load_before[1]:.1f} (1 / 5 min) before the run, other engineers' work included); "
        f"{args.seconds:.0f} s of load after a 3 s warm-up; {rows:,} check-ins in the table at the end",
        f"- Load: {result['ok']} check-ins acknowledged in {float(result['elapsed_s']):.1f} s "  # type: ignore[arg-type]
        f"= **{rps:.0f} requests/s**; latency **p50 {p50:.1f} ms, p99 {p99:.1f} ms**; statuses {result['statuses']}",
        f"- pgbench, same run: {args.clients} clients, {args.pgbench_seconds} s, one-row insert into a copy of "
        f"`attendance_checkin` (same columns and indexes, prepared): **{pg['tps']:.0f} tps** "
        f"(latency average {pg['latency_ms']:.1f} ms)",
        f"- pgbench, same run, the check-in's own SQL and nothing else (the 8 statements Django sends, token to "
        f"COMMIT, on the real tables, one employee per client; docs/decisions/181): **{pg_txn['tps']:.0f} tps** "
        f"(latency average {pg_txn['latency_ms']:.1f} ms) = {pg_txn['tps'] / pg['tps'] if pg['tps'] else float('nan'):.0%} "
        "of the one-row insert",
        f"- CPU per acknowledged check-in during the load (from /proc, so other work on the machine does not "
        f"count): server (gunicorn + Django) {per['server_s']:.1f} ms, its PostgreSQL backends {per['postgres_s']:.1f} ms, "
        f"load generator {per['client_s']:.1f} ms; ceiling of this machine for server + PostgreSQL alone: "
        f"{os.cpu_count()} cores / {app_ms:.1f} ms = **about {ceiling:.0f} check-ins/s** (Little's law at {args.clients} clients: "
        f"{args.clients * 1000 / ceiling if ceiling else float('nan'):.0f} ms each)",
        *([
            f"- The stack's floor, same run, same wrk setup ({args.clients} connections, {args.floor_seconds} s each): "
            f"Django's whole stack answering an unauthenticated POST with 401 (middleware, URL routing, "
            f"django-ninja; no database): **{floors['django']['rps']:.0f} requests/s** (p99 {floors['django']['p99']:.1f} ms); "
            f"gunicorn alone with a constant 201 answer: **{floors['wsgi']['rps']:.0f} requests/s** "
            f"(p99 {floors['wsgi']['p99']:.1f} ms); 20% of pgbench is {TARGET_RATIO * pg['tps']:.0f} check-ins/s, a CPU budget "
            f"of {(os.cpu_count() or 1) * 1000 / (TARGET_RATIO * pg['tps']) if pg['tps'] else float('nan'):.2f} ms per check-in "
            "for server, PostgreSQL and load generator together"
        ] if floors else []),
        f"- Ratio: {ratio:.1%} of pgbench (target at least {TARGET_RATIO:.0%}): {'met' if met_ratio else 'NOT met'}; "
        f"p99 under {TARGET_P99_MS:.0f} ms: {'met' if met_p99 else 'NOT met'}",
        f"- History, sequential single requests interleaved ({args.history_requests} each; the "
        f"'0' employee had no check-ins before the run): 0 prior: {fmt(hist['0'])}; "
        f"{HISTORY:,} prior (seeded in {history_s:.1f} s): {fmt(hist['5000'])}",
        f"- 1 million rows: {big_note}"
        + (f"; 0 prior: {fmt(big['0'])}; {HISTORY:,} prior: {fmt(big['5000'])}" if big else ""),
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    if not args.no_append:
        append(text)
    if not (met_ratio and met_p99):
        print("target NOT MET (docs/decisions/112)" + ("" if args.strict else "; exit 0 without --strict"))
        return 1 if args.strict else 0
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
