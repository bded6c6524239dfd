"""The session rules of accounts (idle timeout, absolute lifetime, the 2FA gate) with what
only the organisation knows: the agency's idle timeout and the roles that must use 2FA.
docs/decisions/152 and 153."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from fleksi.accounts import sessions

from .models import Employee
from .scoping import scope_for

# HR admins, the PPK, national monitors and system admins (issue 12).
ROLES_REQUIRING_2FA = frozenset({"hr_admin", "ppk", "national_monitor", "system_admin"})


def requires_2fa(user: Any) -> bool:
    if user.is_superuser or getattr(user, "is_national_monitor", False):
        return True
    return bool(ROLES_REQUIRING_2FA.intersection(scope_for(user).roles))


def idle_minutes(user: Any) -> int:
    """The idle timeout of the user's agency (their employee record's); accounts of no
    agency (system admins, monitors) take FLEKSI_SESSION_IDLE_MINUTES."""
    minutes = (
        Employee.objects.filter(user_id=user.pk).values_list("agency__session_idle_minutes", flat=True).first()
    )
    if minutes is None:
        # An HR admin or PPK without an employee record: their first agency's setting.
        from .models import AgencyRole

        minutes = (
            AgencyRole.objects.filter(user_id=user.pk)
            .order_by("agency_id")
            .values_list("agency__session_idle_minutes", flat=True)
            .first()
        )
    return int(minutes or settings.FLEKSI_SESSION_IDLE_MINUTES)


def remember_idle_minutes(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[sessions.IDLE_MINUTES] = idle_minutes(user)


class AccountSecurityMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            answer = sessions.enforce(
                request,
                idle_minutes=lambda: idle_minutes(user),
                requires_2fa=lambda: requires_2fa(user),
            )
            if answer is not None:
                return answer
        return self.get_response(request)
