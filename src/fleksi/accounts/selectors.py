from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .models import ApiToken, User


def api_token_list(*, actor: Any) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=actor).order_by("-created_at")


def user_get_by_login(*, login: str) -> User | None:
    return User.objects.filter(username=login).first()


def users_by_email(*, email: str) -> QuerySet[User]:
    """Active users with this email (case-insensitive), for the reset/activation email."""
    return User.objects.filter(email__iexact=email.strip(), is_active=True).exclude(email="")


def users_by_ids(*, user_ids: set[int] | list[int]) -> QuerySet[User]:
    return User.objects.filter(pk__in=list(user_ids)).select_related("employee__unit").prefetch_related("agency_roles")


def users_by_usernames(*, usernames: list[str]) -> QuerySet[User]:
    return User.objects.filter(username__in=usernames).select_related("employee__unit").prefetch_related("agency_roles")


def user_get(*, user_id: int) -> User | None:
    return User.objects.select_related("employee").prefetch_related("agency_roles").filter(pk=user_id).first()
