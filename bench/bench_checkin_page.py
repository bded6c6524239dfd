"""Light page: /presensi/ in Chromium throttled to 400 kbps down/up with 400 ms latency.

Run: ``python bench/bench_checkin_page.py [--runs 3] [--no-append]`` (PYTHONPATH is set to
``src`` for the children; Chromium at /usr/bin/chromium or ``CHROMIUM``).

Loads the demo agency into a fresh SQLite database in a temporary directory (``fleksi demo
--no-serve``), starts ``fleksi serve`` (gunicorn, WhiteNoise's compressed static files) on
loopback, logs in as the demo employee (pegawai@lembahhijau.go.id) without throttling, then
for each run opens /presensi/ in a new tab with the HTTP cache disabled and service workers
blocked (a first visit), throttled through the DevTools protocol
(``Network.emulateNetworkConditions``: latency 400 ms, 50,000 bytes/s each way). It sums the
bytes over the wire (``encodedDataLength``, headers included) per resource type and measures
the time from navigation start until the check-in button is enabled (the script has loaded,
read the page's data and opened the offline queue). Prints the figures and appends a section
to docs/benchmarks.md. Targets (issue 8): at most 100 KB (HTML, CSS, JS, fonts), usable
within 3 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shlex
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
LOGIN = "pegawai@lembahhijau.go.id"
PASSWORD_ENV = "FLEKSI_DEMO_PASSWORD"
KBPS = 400
LATENCY_MS = 400
BUDGET_BYTES = 100 * 1024
BUDGET_S = 3.0
COUNTED = {"Document", "Stylesheet", "Script", "Font"}


def free_port(preferred: int) -> int:
    with socket.socket() as s:
        try:
            s.bind((HOST, preferred))
            return preferred
        except OSError:
            s.bind((HOST, 0))
            return int(s.getsockname()[1])


def child_env(var: str) -> dict[str, str]:
    return dict(os.environ, DATABASE_URL=f"sqlite:///{var}/fleksi.sqlite3", FLEKSI_VAR=var,
                PYTHONPATH=str(ROOT / "src"), DJANGO_SETTINGS_MODULE="fleksi.config.settings")


def demo_password() -> str:
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fleksi.config.settings")
    from fleksi.demo import PASSWORD  # a constant of the demo module (no Django needed)

    return os.environ.get(PASSWORD_ENV, PASSWORD)


def start_server(port: int, var: str) -> subprocess.Popen:
    log = open(Path(var) / "serve.log", "ab")  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen(
        [sys.executable, "-m", "fleksi.cli", "serve", "--host", HOST, "--port", str(port), "--workers", "2"],
        env=child_env(var), stdout=log, stderr=log, start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit((Path(var) / "serve.log").read_text()[-3000:])
        try:
            with socket.create_connection((HOST, port), timeout=1):
                return proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise SystemExit("server did not start")


def measure(browser: object, base: str, storage: dict, runs: int) -> list[dict[str, object]]:
    results = []
    for _ in range(runs):
        context = browser.new_context(  # type: ignore[attr-defined]
            base_url=base, storage_state=storage, service_workers="block", locale="id-ID",
            viewport={"width": 412, "height": 915},
        )
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        cdp.send("Network.emulateNetworkConditions", {
            "offline": False, "latency": LATENCY_MS,
            "downloadThroughput": KBPS * 1000 / 8, "uploadThroughput": KBPS * 1000 / 8,
        })
        kinds: dict[str, str] = {}
        urls: dict[str, str] = {}
        sizes: dict[str, float] = {}

        def received(e: dict, kinds: dict = kinds, urls: dict = urls) -> None:
            kinds[e["requestId"]] = e.get("type", "Other")
            urls[e["requestId"]] = e["response"]["url"]

        def finished(e: dict, sizes: dict = sizes) -> None:
            sizes[e["requestId"]] = e["encodedDataLength"]

        cdp.on("Network.responseReceived", received)
        cdp.on("Network.loadingFinished", finished)
        started = time.perf_counter()
        page.goto("/presensi/", wait_until="commit")
        page.wait_for_function("() => { const b = document.getElementById('presensi-tombol'); return b && !b.disabled; }",
                               polling="raf", timeout=60_000)
        usable_page_s = page.evaluate("performance.now()") / 1000
        usable_wall_s = time.perf_counter() - started
        page.wait_for_load_state("networkidle", timeout=60_000)
        by_type: dict[str, float] = {}
        for rid, size in sizes.items():
            by_type[kinds.get(rid, "Other")] = by_type.get(kinds.get(rid, "Other"), 0) + size
        counted = sum(v for k, v in by_type.items() if k in COUNTED)
        results.append({
            "usable_s": usable_page_s, "wall_s": usable_wall_s, "counted": counted,
            "total": sum(by_type.values()), "by_type": by_type,
            "files": sorted((urls.get(r, "?").replace(base, ""), int(s)) for r, s in sizes.items()),
        })
        context.close()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--port", type=int, default=8141)
    parser.add_argument("--no-append", action="store_true")
    args = parser.parse_args()
    chromium = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    var = tempfile.mkdtemp(prefix="att-page-")
    proc = None
    try:
        print("loading the demo agency…", flush=True)
        subprocess.run([sys.executable, "-m", "fleksi.cli", "demo", "--no-serve"], env=child_env(var),
                       check=True, capture_output=True, timeout=900)
        port = free_port(args.port)
        proc = start_server(port, var)
        base = f"http://{HOST}:{port}"
        from playwright.sync_api import sync_playwright

        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium, headless=True,
                                         args=["--no-sandbox", "--disable-gpu", "--disable-quic"])
            context = browser.new_context(base_url=base)
            page = context.new_page()
            page.goto("/akun/masuk/")
            page.fill("#id_username", LOGIN)
            page.fill("#id_password", demo_password())
            page.click("button[type=submit]")
            page.wait_for_load_state("load")
            storage = context.storage_state()
            context.close()
            results = measure(browser, base, storage, args.runs)
            browser.close()
    finally:
        if proc is not None and proc.poll() is None:
            os.killpg(proc.pid, 15)
            proc.wait(timeout=30)
        shutil.rmtree(var, ignore_errors=True)

    usable = statistics.median(r["usable_s"] for r in results)  # type: ignore[misc]
    counted = statistics.median(r["counted"] for r in results)  # type: ignore[misc]
    total = statistics.median(r["total"] for r in results)  # type: ignore[misc]
    first = results[0]
    types = ", ".join(f"{k} {v / 1024:.1f} KB" for k, v in sorted(first["by_type"].items()))  # type: ignore[union-attr]
    files = "; ".join(f"{u} {s / 1024:.1f} KB" for u, s in first["files"])  # type: ignore[union-attr]
    ok_bytes, ok_time = counted <= BUDGET_BYTES, usable <= BUDGET_S
    runs_text = ", ".join(f"{r['usable_s']:.2f}" for r in results)
    lines = [
        f"## Presensi page weight and time to usable, throttled, {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
        "",
        "Command: `python bench/bench_checkin_page.py" + (f" --runs {args.runs}" if args.runs != 3 else "") + "`",
        "",
        f"- Machine: {platform.system()} {platform.release()} {platform.machine()}; nproc {os.cpu_count()}; "
        f"load average {os.getloadavg()[0]:.1f}; Python {platform.python_version()}; Chromium at {chromium}",
        f"- Setup: demo agency on SQLite, `fleksi serve --workers 2` on loopback (WhiteNoise compressed files); "
        f"logged in as {LOGIN}; each run a new tab, HTTP cache disabled, service workers blocked (a first "
        f"visit); DevTools `Network.emulateNetworkConditions` latency {LATENCY_MS} ms, {KBPS} kbps down and up",
        f"- Over the wire (encodedDataLength, headers included), median of {len(results)} runs: "
        f"**{counted / 1024:.1f} KB** HTML+CSS+JS+fonts (budget 100 KB: {'met' if ok_bytes else 'NOT met'}); "
        f"all resources {total / 1024:.1f} KB; first run by type: {types}",
        f"- Files (first run): {files}",
        f"- Usable (check-in button enabled) after **{usable:.2f} s** from navigation start, median "
        f"(runs: {runs_text} s; budget 3 s: {'met' if ok_time else 'NOT met'})",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    if not args.no_append:
        path = ROOT / "docs" / "benchmarks.md"
        with path.open("a") as handle:
            handle.write("\n" + text)
        print(f"appended to {shlex.quote(str(path.relative_to(ROOT)))}")
    return 0 if ok_bytes and ok_time else 1


if __name__ == "__main__":
    raise SystemExit(main())
