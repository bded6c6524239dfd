"""Shared HTTP helpers: turn ApplicationError into a 404 or a message for web views."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse

from .errors import ApplicationError, ErrorCode


def web_errors(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """NOT_FOUND and PERMISSION_DENIED become 404 (never reveal another agency's data)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except ApplicationError as exc:
            if exc.code in (ErrorCode.NOT_FOUND, ErrorCode.PERMISSION_DENIED):
                raise Http404(exc.message) from exc
            raise

    return wrapper


def parse_id(value: object) -> int | None:
    """A database id written in ASCII digits, else None. ``str.isdigit`` alone also accepts
    "²" or "٣", which ``int()`` then refuses (a 500)."""
    text = str(value or "").strip()
    return int(text) if text.isascii() and text.isdigit() else None


def int_param(request: HttpRequest, name: str) -> int | None:
    return parse_id(request.GET.get(name, ""))
