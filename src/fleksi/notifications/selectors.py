"""Reads of the actor's own notifications."""

from __future__ import annotations

from typing import Any

from .models import Notification


def notification_list(*, actor: Any, limit: int = 20) -> list[Notification]:
    if not getattr(actor, "is_authenticated", False):
        return []
    return list(
        Notification.objects.filter(user_id=actor.pk).order_by("-created_at", "-id")[
            : max(1, min(limit, 200))
        ]
    )


def notification_unread_count(*, actor: Any) -> int:
    if not getattr(actor, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user_id=actor.pk, read_at__isnull=True).count()
