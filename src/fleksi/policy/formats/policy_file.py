"""``policy.json`` (kebijakan instansi): the reader."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from fleksi.policy.model import Policy
from fleksi.policy.policy_json import policy_kwargs
from fleksi.policy.problems import PolicyError, Problem

_KEY = re.compile(r'"((?:[^"\\]|\\.)*)"\s*:')


def _key_lines(text: str) -> dict[str, int]:
    """The line of the first occurrence of each ``"key":`` (for messages)."""
    lines: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        for key in re.findall(r'"([^"\\]+)"\s*:', line):
            lines.setdefault(key, number)
    return lines


class _Object(dict[str, object]):
    """A JSON object that remembers the keys it was given more than once."""

    __slots__ = ("repeated",)

    def __init__(self, pairs: list[tuple[str, object]]) -> None:
        super().__init__()
        self.repeated: list[str] = []
        for key, value in pairs:
            if key in self:
                self.repeated.append(key)
            self[key] = value


def _nested_repeats(value: object) -> Iterator[str]:
    """Keys repeated anywhere inside ``value`` (objects in objects and lists)."""
    if isinstance(value, _Object):
        yield from value.repeated
        for item in value.values():
            yield from _nested_repeats(item)
    elif isinstance(value, list):
        for item in value:
            yield from _nested_repeats(item)


def _second_line(text: str, key: str, after: int = 1) -> int:
    """The line of the second ``"key":`` at or after line ``after`` (1 if not found)."""
    seen = 0
    for match in _KEY.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        if line >= after and match.group(1) == key:
            seen += 1
            if seen == 2:
                return line
    return 1


def _repeated_keys(raw: object, text: str, filename: str) -> list[Problem]:
    """A key given twice: ``json.loads`` would silently keep the last value, which may hide
    a looser one (``"max_location_days_per_week": 3`` then ``1``, or the other way round)."""
    if not isinstance(raw, _Object):
        return []
    problems = [
        Problem(
            filename,
            _second_line(text, key),
            key,
            f"kunci '{key}' ditulis dua kali; tulis setiap kunci sekali saja",
            f"key '{key}' is given twice; give every key once",
        )
        for key in dict.fromkeys(raw.repeated)
    ]
    lines = _key_lines(text)
    for top, value in raw.items():
        for key in dict.fromkeys(_nested_repeats(value)):
            problems.append(
                Problem(
                    filename,
                    _second_line(text, key, lines.get(top, 1)),
                    top,
                    f"{top}: kunci '{key}' ditulis dua kali; tulis setiap kunci sekali saja",
                    f"{top}: key '{key}' is given twice; give every key once",
                )
            )
    return problems


def read_policy(data: bytes, filename: str) -> tuple[Policy | None, list[Problem]]:
    """Read ``policy.json``; absent keys take the regulation's defaults.

    Returns ``(policy, [])`` or ``(None, problems)``: invalid JSON, unknown or repeated keys,
    wrong types and values looser than the regulation (e.g. ``max_location_days_per_week: 3``).
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, [
            Problem(filename, 1, "", "file bukan teks UTF-8", "the file is not UTF-8 text")
        ]
    try:
        raw = json.loads(text, object_pairs_hook=_Object) if text.strip() else {}
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
    except (ValueError, RecursionError) as exc:
        # A number too long to convert, or nesting deeper than the parser allows.
        kind = "angka terlalu panjang" if isinstance(exc, ValueError) else "bersarang terlalu dalam"
        kind_en = "a number is too long" if isinstance(exc, ValueError) else "nested too deeply"
        return None, [
            Problem(filename, 1, "", f"JSON tidak sah: {kind}", f"invalid JSON: {kind_en}")
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
    located += _repeated_keys(raw, text, filename)
    located.sort(key=Problem.sort_key)
    return (None if located else policy), located
