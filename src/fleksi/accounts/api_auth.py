"""API authentication: a personal Bearer token, or the browser session (with CSRF)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        from fleksi.accounts.services import api_token_authenticate

        user = api_token_authenticate(token)
        if user is not None:
            request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """Django's session; unsafe methods need the CSRF token, as in the web UI.

    The CSRF check runs only for a request that *is* logged in through the session: a request
    without a session (or a token) is unauthenticated (401), not a CSRF failure (403)."""

    param_name = "sessionid"

    def __init__(self) -> None:
        super().__init__(csrf=True)

    def __call__(self, request: HttpRequest) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            from django.utils.translation import gettext as _

            from fleksi.core.errors import ApplicationError, ErrorCode

            raise ApplicationError(
                ErrorCode.PERMISSION_DENIED,
                _("Pemeriksaan CSRF gagal: kirim header X-CSRFToken dari sesi ini, atau pakai token Bearer."),
            )
        return user

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return user
        return None
