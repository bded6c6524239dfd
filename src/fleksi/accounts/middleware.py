"""Activate the logged-in user's chosen language (Indonesian by default); django-otp's
middleware with the session's device check cached (docs/decisions/215)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.functional import SimpleLazyObject
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.middleware import OTPMiddleware as BaseOTPMiddleware

from . import sessions


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


class OTPMiddleware(BaseOTPMiddleware):
    """django-otp's middleware (``request.user.otp_device``, ``is_verified()``) without its
    device query on every request of a verified session (docs/decisions/215).

    django-otp loads the session's device by its id on every request to check that it still
    exists, belongs to the user and is confirmed. Here that check is made once and kept in
    the session as ``[user id, otp_version, device id]``; while the user row (read on every
    request anyway) still has that ``otp_version``, no device was saved or deleted since, so
    the check still holds and the device is loaded only if someone reads it. Any device
    write (an admin's reset in another session included) raises the version, and the next
    request checks again, as django-otp would."""

    def _verify_user_sync(self, request: HttpRequest, user: Any) -> Any:
        self._init_user_fields(user)
        if not user.is_authenticated:
            return user
        persistent_id = request.session.get(DEVICE_ID_SESSION_KEY)
        if not persistent_id:
            request.session.pop(sessions.OTP_DEVICE_CHECKED, None)
            return user
        stamp = [user.pk, user.otp_version, persistent_id]
        if request.session.get(sessions.OTP_DEVICE_CHECKED) == stamp:
            user.otp_device = SimpleLazyObject(lambda: self._device_from_persistent_id(persistent_id))
            return user
        device = self._finalize_device(request, user, self._device_from_persistent_id(persistent_id))
        user.otp_device = device
        if device is not None:
            request.session[sessions.OTP_DEVICE_CHECKED] = stamp
        else:
            request.session.pop(sessions.OTP_DEVICE_CHECKED, None)
        return user
