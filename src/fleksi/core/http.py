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


def error_message(exc: ApplicationError) -> str:
    """The message a page shows for a service error."""
    from django.utils.translation import gettext as _

    return exc.message or _("Permintaan tidak dapat diproses.")


def error_fields(exc: ApplicationError) -> dict[str, Any]:
    details = exc.details if isinstance(exc.details, dict) else {}
    return dict(details.get("fields") or {})


def add_form_errors(
    form: Any, exc: ApplicationError, aliases: dict[str, str] | None = None
) -> None:
    """Put a service's field errors on the form's fields (the rest on the form itself)."""
    fields = error_fields(exc)
    if not fields:
        form.add_error(None, error_message(exc))
        return
    for name, message in fields.items():
        target = (aliases or {}).get(name, name)
        for text in message if isinstance(message, list | tuple) else [message]:
            form.add_error(target if target in form.fields else None, str(text))
