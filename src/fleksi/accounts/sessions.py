"""Session rules (docs/decisions/152): an idle timeout, an absolute lifetime, the 2FA gate,
and re-authentication before sensitive actions.

The mechanics live here; which accounts need 2FA and an agency's idle timeout are known to
``fleksi.organisation`` (roles, agencies), whose middleware calls :func:`enforce`.
Times are read from ``fleksi.core.clock`` so tests can move them.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from fleksi.core import clock

AUTH_AT = "fleksi_auth_at"  # when the password was given (epoch seconds)
SEEN_AT = "fleksi_seen_at"  # the last request (epoch seconds, kept to the minute)
IDLE_MINUTES = "fleksi_idle_minutes"  # the agency's idle timeout, read once per session
REAUTH_AT = "fleksi_reauth_at"  # the last re-authentication
LOGIN_NOTICE = "fleksi_login_notice"  # why the session ended, for the login page
OTP_ENROLLED = "fleksi_otp_enrolled"  # [user id, otp_version, has an authenticator] (decision 215)
OTP_DEVICE_CHECKED = "fleksi_otp_checked"  # [user id, otp_version, device id]: see accounts/middleware.py

# Paths an account that still owes its second factor may open.
_OPEN_PREFIXES = ("/static/", "/favicon", "/manifest", "/sw.js")


def _now() -> float:
    return clock.now().timestamp()


def start(request: HttpRequest, user: Any = None) -> None:
    """Stamp a new login (Django's user_logged_in: the login form, the admin, force_login).
    The password just given counts as a re-authentication for the next few minutes."""
    now = _now()
    request.session[AUTH_AT] = now
    request.session[SEEN_AT] = now
    request.session[REAUTH_AT] = now
    user = user if user is not None else getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        request.session.pop(OTP_ENROLLED, None)
        otp_enrolled(request, user)


def otp_enrolled(request: HttpRequest, user: Any) -> bool:
    """Has the account a confirmed authenticator? Read once and kept in the session under
    the user and their ``otp_version``: a device added or removed in any session (enrolment,
    new recovery codes, an admin's reset) raises the version, and the next request of every
    session reads the devices again (docs/decisions/215)."""
    from .twofactor import has_confirmed_device

    key = [user.pk, user.otp_version]
    cached = request.session.get(OTP_ENROLLED)
    if isinstance(cached, list) and len(cached) == 3 and cached[:2] == key and isinstance(cached[2], bool):
        return cached[2]
    enrolled = has_confirmed_device(user)
    request.session[OTP_ENROLLED] = [*key, enrolled]
    return enrolled


def _end(request: HttpRequest, notice: str) -> HttpResponse:
    path = request.get_full_path()
    logout(request)  # flushes the session; the notice goes into the new one
    request.session[LOGIN_NOTICE] = notice
    if path.startswith("/api/"):
        return JsonResponse({"code": "session_expired", "message": notice, "details": {}}, status=401)
    target = f"{reverse('accounts:login')}?{urlencode({'next': path})}"
    if request.headers.get("HX-Request") == "true":
        # A fragment (the bell's poll): the whole page goes to the login page, not the bell.
        answer = HttpResponse(status=200)
        answer["HX-Redirect"] = f"{reverse('accounts:login')}?{urlencode({'next': _page_of(request)})}"
        return answer
    return HttpResponseRedirect(target)


def _page_of(request: HttpRequest) -> str:
    """The page an htmx request came from (HX-Current-URL), as a local path."""
    return safe_next(request, request.headers.get("HX-Current-URL"), default="/")


# htmx requests a page makes by itself (the notification bell polls every minute): they do
# not count as activity, or the idle timeout would never come.
PASSIVE_HX_TRIGGERS = frozenset({"bell"})


def _passive(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true" and request.headers.get("HX-Trigger", "") in PASSIVE_HX_TRIGGERS


def _otp_paths() -> tuple[str, ...]:
    return (
        reverse("accounts:otp_verify"),
        reverse("accounts:otp_enrol"),
        reverse("accounts:logout"),
        reverse("accounts:set_language"),
    )


def enforce(
    request: HttpRequest,
    *,
    idle_minutes: Callable[[], int],
    requires_2fa: Callable[[], bool],
) -> HttpResponse | None:
    """None to let the request through, or the answer that ends or gates the session."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not hasattr(request, "session"):
        return None
    session = request.session
    now = _now()
    auth_at = session.get(AUTH_AT)
    seen_at = session.get(SEEN_AT)
    if not isinstance(auth_at, int | float) or not isinstance(seen_at, int | float) or seen_at > now or auth_at > now:
        # A session from before these rules, or a clock that went back: start counting now.
        session[AUTH_AT] = auth_at = now if not isinstance(auth_at, int | float) or auth_at > now else auth_at
        session[SEEN_AT] = seen_at = now
    if now - auth_at > settings.FLEKSI_SESSION_MAX_HOURS * 3600:
        return _end(request, _("Sesi Anda sudah berlangsung %(hours)d jam dan diakhiri demi keamanan. Silakan masuk lagi.")
                    % {"hours": settings.FLEKSI_SESSION_MAX_HOURS})
    idle = session.get(IDLE_MINUTES)
    if not isinstance(idle, int):
        idle = int(idle_minutes())
        session[IDLE_MINUTES] = idle
    if now - seen_at > idle * 60:
        return _end(request, _("Anda keluar otomatis setelah %(minutes)d menit tanpa aktivitas. Silakan masuk lagi.")
                    % {"minutes": idle})
    if now - seen_at >= 60 and not _passive(request):
        session[SEEN_AT] = now  # written at most once a minute
    return _second_factor_gate(request, user, requires_2fa)


def _second_factor_gate(request: HttpRequest, user: Any, requires_2fa: Callable[[], bool]) -> HttpResponse | None:
    verified = getattr(user, "is_verified", None)
    if verified is not None and verified():
        return None
    path = request.path
    if path.startswith(_OPEN_PREFIXES) or path in _otp_paths():
        return None
    if otp_enrolled(request, user):
        target = "accounts:otp_verify"
        message = _("Masukkan kode dari aplikasi autentikator untuk melanjutkan.")
    elif settings.FLEKSI_REQUIRE_2FA and requires_2fa():
        target = "accounts:otp_enrol"
        message = _("Peran Anda wajib memakai verifikasi dua langkah. Daftarkan aplikasi autentikator dulu.")
    else:
        return None
    if path.startswith("/api/"):
        return JsonResponse({"code": "otp_required", "message": message, "details": {}}, status=403)
    if request.headers.get("HX-Request") == "true":
        return HttpResponse(status=204)  # a fragment (the bell) stays as it is
    return HttpResponseRedirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")


def login_notice(request: HttpRequest) -> str:
    """Why the last session ended (shown once on the login page)."""
    if not hasattr(request, "session"):
        return ""
    return str(request.session.pop(LOGIN_NOTICE, "") or "")


# ---- re-authentication --------------------------------------------------------------------


def reauth_fresh(request: HttpRequest) -> bool:
    at = request.session.get(REAUTH_AT) if hasattr(request, "session") else None
    if not isinstance(at, int | float):
        return False
    now = _now()
    return at <= now and now - at <= settings.FLEKSI_REAUTH_MINUTES * 60


def reauth_mark(request: HttpRequest) -> None:
    request.session[REAUTH_AT] = _now()


def safe_next(request: HttpRequest, candidate: str | None, default: str = "/") -> str:
    if not candidate:
        return default
    parts = urlsplit(candidate)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    if not path.startswith("/") or path.startswith("//"):
        return default
    if parts.netloc and not url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()}):
        return default
    return path


def reauth_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Before a sensitive action (API token creation, policy and settings changes, role
    changes): the password again, and the TOTP code when enrolled, at most
    ``FLEKSI_REAUTH_MINUTES`` ago. Reading (GET) is not gated. A POST is not replayed: the
    person comes back to the page they posted from and sends it again."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            request.method in ("GET", "HEAD", "OPTIONS")
            or user is None
            or not user.is_authenticated
            or reauth_fresh(request)
        ):
            return view(request, *args, **kwargs)
        back = safe_next(request, request.META.get("HTTP_REFERER"), default=request.path)
        messages.info(request, _("Demi keamanan, konfirmasi kata sandi Anda lalu kirim ulang formulirnya."))
        return HttpResponseRedirect(f"{reverse('accounts:reauth')}?{urlencode({'next': back})}")

    return wrapper
