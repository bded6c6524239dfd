#!/usr/bin/env python3
"""`make audit`: the pinned dependencies against the known vulnerabilities (pip-audit).

1. Every dependency in pyproject.toml (and its dev extra) is pinned with `==` (offline check).
2. pip-audit audits the installed environment (the pins and what they pull in) against PyPI's
   vulnerability data. A known vulnerability fails the check.
3. Offline, or when the index answers without vulnerability data (a mirror), nothing can be
   audited: that is reported loudly and, by default, does not fail; with
   FLEKSI_AUDIT_REQUIRED=1 it fails (docs/decisions/158-dependency-audit.md).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQUIRED = os.environ.get("FLEKSI_AUDIT_REQUIRED", "") in {"1", "true", "yes"}


def unpinned() -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    lines = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        lines.extend(extra)
    return [line for line in lines if not re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[A-Za-z0-9_.]+", line.strip())]


def main() -> int:
    loose = unpinned()
    if loose:
        print(f"audit: dependensi tanpa versi tetap (==): {', '.join(loose)}", file=sys.stderr)
        return 1
    print("audit: semua dependensi di pyproject.toml berversi tetap (==).")
    done = subprocess.run(
        [sys.executable, "-m", "pip_audit", "--format", "json", "--progress-spinner", "off", "--skip-editable"],
        capture_output=True, text=True, check=False,
    )
    try:
        report = json.loads(done.stdout or "{}")
    except ValueError:
        report = {}
    dependencies = report.get("dependencies") or []
    audited = [d for d in dependencies if "skip_reason" not in d]
    vulnerable = [d for d in audited if d.get("vulns")]
    for dep in vulnerable:
        for vuln in dep["vulns"]:
            fixes = ", ".join(vuln.get("fix_versions") or []) or "belum ada"
            print(f"audit: {dep['name']} {dep['version']}: {vuln['id']} (perbaikan: {fixes})", file=sys.stderr)
    if vulnerable:
        print(f"audit: GAGAL, {len(vulnerable)} paket dengan kerentanan yang diketahui.", file=sys.stderr)
        return 1
    if not audited:
        skip = next((d["skip_reason"] for d in dependencies if "skip_reason" in d), "")
        reason = skip or (done.stderr.strip().splitlines() or ["pip-audit tidak memberi laporan"])[-1]
        message = (
            f"audit: PERINGATAN, tidak satu pun dari {len(dependencies)} paket dapat diperiksa "
            f"(luring, atau indeks tanpa data kerentanan): {reason[:300]}"
        )
        print(message, file=sys.stderr)
        return 1 if REQUIRED else 0
    skipped = len(dependencies) - len(audited)
    print(f"audit: {len(audited)} paket diperiksa, tidak ada kerentanan yang diketahui ({skipped} dilewati).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
