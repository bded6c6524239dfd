"""Activate the logged-in user's chosen language (Indonesian by default)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import translation


class UserLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # The session middleware runs before us; auth resolves lazily, so read the session.
        language = request.session.get("fleksi_language") if hasattr(request, "session") else None
        if language in ("id", "en"):
            request.META["HTTP_ACCEPT_LANGUAGE"] = language
        else:
            request.META["HTTP_ACCEPT_LANGUAGE"] = "id"
        response = self.get_response(request)
        translation.deactivate()
        return response
