from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .models import ApiToken, User


def api_token_list(*, actor: Any) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=actor).order_by("-created_at")


def user_get_by_login(*, login: str) -> User | None:
    return User.objects.filter(username=login).first()
