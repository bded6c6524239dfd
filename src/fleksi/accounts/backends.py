"""Log in with a NIP (the username) or an email address."""

from __future__ import annotations

from typing import Any

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
