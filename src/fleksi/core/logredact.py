"""Secrets in URLs never reach a log: the iCalendar feed's token and the password-reset link.

Used by the gunicorn access log (``fleksi serve`` passes ``--logger-class``) and by a filter on
Django's log handlers (``django.request`` logs "Not Found: <path>" for a wrong feed URL).
"""

from __future__ import annotations

import logging
import re
from typing import Any

HIDDEN = "[disembunyikan]"
_PATTERNS = (
    re.compile(r"(/ical/)[^/?#\s\"]+?(\.ics)"),  # /kerja-fleksibel/ical/<token>.ics
    re.compile(r"(/sandi/atur/)[^/?#\s\"]+/[^/?#\s\"]+(/)"),  # /akun/sandi/atur/<uidb64>/<token>/
)


def redact(text: str) -> str:
    for pattern in _PATTERNS:
        text = pattern.sub(lambda m: m.group(1) + HIDDEN + m.group(2), text)
    return text


class RedactSecretsFilter(logging.Filter):
    """Rewrites the record's message with the secrets replaced (the record is kept)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken record is the logging module's business, not ours
            return True
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, None
        return True


try:  # gunicorn is a dependency, but keep the import local to this optional piece
    from gunicorn.glogging import Logger as _GunicornLogger
except ImportError:  # pragma: no cover
    _GunicornLogger = object  # type: ignore[assignment,misc]


class GunicornLogger(_GunicornLogger):  # type: ignore[misc,valid-type]
    """gunicorn's logger with the request line, path, query and referer redacted."""

    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
        atoms: dict[str, Any] = super().atoms(resp, req, environ, request_time)
        for key in ("r", "U", "q", "f"):
            if isinstance(atoms.get(key), str):
                atoms[key] = redact(atoms[key])
        return atoms
