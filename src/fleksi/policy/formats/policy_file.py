"""``policy.json`` (kebijakan instansi): the reader."""

from __future__ import annotations

import json
import re

from fleksi.policy.model import Policy
from fleksi.policy.policy_json import policy_kwargs
from fleksi.policy.problems import PolicyError, Problem


def _key_lines(text: str) -> dict[str, int]:
    """The line of the first occurrence of each ``"key":`` (for messages)."""
    lines: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        for key in re.findall(r'"([^"\\]+)"\s*:', line):
            lines.setdefault(key, number)
    return lines


def read_policy(data: bytes, filename: str) -> tuple[Policy | None, list[Problem]]:
    """Read ``policy.json``; absent keys take the regulation's defaults.

    Returns ``(policy, [])`` or ``(None, problems)``: invalid JSON, unknown keys, wrong
    types and values looser than the regulation (e.g. ``max_location_days_per_week: 3``).
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, [
            Problem(filename, 1, "", "file bukan teks UTF-8", "the file is not UTF-8 text")
        ]
    try:
        raw = json.loads(text) if text.strip() else {}
    except json.JSONDecodeError as exc:
        return None, [
            Problem(
                filename,
                exc.lineno,
                "",
                f"JSON tidak sah: {exc.msg} (kolom {exc.colno})",
                f"invalid JSON: {exc.msg} (column {exc.colno})",
            )
        ]
    kwargs, problems = policy_kwargs(raw)
    if isinstance(raw, dict):
        problems += Policy.unchecked(kwargs).problems()
    policy: Policy | None = None
    if not problems:
        try:
            policy = Policy(**kwargs)  # type: ignore[arg-type]
        except PolicyError as error:
            problems = error.problems
    lines = _key_lines(text)
    located = [
        Problem(filename, lines.get(p.column, 1), p.column, p.message_id, p.message_en)
        for p in problems
    ]
    located.sort(key=Problem.sort_key)
    return (None if located else policy), located
