"""Log in with a NIP (the username) or an email address."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.contrib.auth.backends import ModelBackend
from django.db.models import Q

from .models import User


class NipOrEmailBackend(ModelBackend):
    def authenticate(self, request: Any, username: str | None = None, password: str | None = None, **kwargs: Any) -> Any:
        if not username or not password:
            return None
        login = username.strip()
        candidates = list(User.objects.filter(Q(username=login) | Q(email__iexact=login))[:2])
        if len(candidates) != 1:
            # Unknown or ambiguous (one email on two accounts): run the hasher anyway (timing).
            User().set_password(password)
            return None
        user = candidates[0]
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' check, first of the backends: a locked account or address is refused
    before its password is looked at.

    An authentication without an HTTP request (the test client's ``login()``, a management
    command) has no address to count and no page to lock: axes would raise, so it is let
    through to the password check. Every login page passes its request (docs/decisions/150).
    """

    def authenticate(self, request: Any, username: str | None = None, password: str | None = None, **kwargs: Any) -> Any:
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
