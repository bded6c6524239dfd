"""The login lockout (django-axes) as Fleksi sees it: who an attempt counts against, the
client's address, the page a locked login gets, who is locked now, and the unlock.

docs/decisions/150: 10 failures on an account, or from an address, lock it for
``FLEKSI_LOCKOUT_MINUTES`` (15); the right password is refused meanwhile.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Q, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import User


def lockout_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """The key failures count against: the account's username when the typed NIP or email
    finds exactly one account (so NIP and email share one count), else the typed text,
    folded to lower case."""
    typed = ""
    if credentials:
        typed = str(credentials.get("username") or "")
    if not typed and request is not None:
        typed = str(request.POST.get("username", "") or "")
    typed = typed.strip()
    cache: dict[str, str] = getattr(request, "_fleksi_lockout_keys", None) or {}
    if typed in cache:
        return cache[typed]
    key = typed.lower()
    if typed:
        found = list(
            User.objects.filter(Q(username=typed) | Q(email__iexact=typed)).values_list("username", flat=True)[:2]
        )
        if len(found) == 1:
            key = found[0]
    cache[typed] = key
    if request is not None:
        request._fleksi_lockout_keys = cache  # type: ignore[attr-defined]
    return key


def client_ip(request: HttpRequest) -> str | None:
    """REMOTE_ADDR, or with ``FLEKSI_PROXY_COUNT = n`` proxies in front, the address the
    outermost trusted proxy saw (the n-th from the right of X-Forwarded-For). A client can
    prepend anything to that header, so only the hops the proxies added are believed."""
    count = int(getattr(settings, "FLEKSI_PROXY_COUNT", 0) or 0)
    remote = request.META.get("REMOTE_ADDR")
    if count <= 0:
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    if len(hops) < count:
        return remote
    return hops[-count]


def lockout_message() -> str:
    return _(
        "Terlalu banyak percobaan masuk yang gagal. Demi keamanan, akun atau alamat ini dikunci "
        "selama %(minutes)d menit; selama itu kata sandi yang benar pun ditolak. Coba lagi nanti, "
        "atau minta admin SDM instansi Anda membuka kuncinya."
    ) % {"minutes": settings.FLEKSI_LOCKOUT_MINUTES}


def lockout_response(request: HttpRequest, original_response: Any = None, credentials: Any = None) -> HttpResponse:
    """The login page again, with the lockout message (429), for Fleksi's and the admin's login."""
    from .forms import LoginForm

    form = LoginForm(request, data=None)
    return render(
        request,
        "accounts/login.html",
        {"form": form, "lockout": lockout_message(), "next": request.POST.get("next", "")},
        status=429,
    )


@dataclass(frozen=True)
class Lock:
    username: str
    failures: int
    last_attempt: dt.datetime
    until: dt.datetime


def _window_start() -> dt.datetime:
    # axes compares with django.utils.timezone (the real time), so must we.
    return timezone.now() - settings.AXES_COOLOFF_TIME


def locked_usernames(*, usernames: list[str] | None = None) -> list[Lock]:
    """Accounts locked now (failures within the cool-off reach the limit), newest first;
    ``usernames`` restricts the answer (None = every account)."""
    qs = AccessAttempt.objects.filter(attempt_time__gte=_window_start()).exclude(username__isnull=True)
    if usernames is not None:
        qs = qs.filter(username__in=usernames)
    rows = (
        qs.values("username")
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("-last")
    )
    return [
        Lock(username=r["username"], failures=r["failures"], last_attempt=r["last"],
             until=r["last"] + settings.AXES_COOLOFF_TIME)
        for r in rows
    ]


def is_locked(*, username: str) -> bool:
    return bool(locked_usernames(usernames=[username]))


def clear_lock(*, username: str) -> int:
    """Forget the failures counted against this account (every address). Returns the rows removed."""
    from axes.utils import reset

    return reset(username=username)
