"""The bell: one row per notification of a user. Email leaves after commit (services)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class Notification(models.Model):
    """An in-app notification (the bell); email goes out after commit as well."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # A notification that must be sent at most once (e.g. "remind:<request>:<date>"); "" = any.
    key = models.CharField(max_length=100, blank=True, default="")
    # What it is about (e.g. "request:12"): a decided request clears its "awaiting your
    # decision" notifications by this.
    subject = models.CharField(max_length=60, blank=True, default="", db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notif_user_unread")]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"], condition=~Q(key=""), name="notif_unique_key"
            ),
        ]

    def __str__(self) -> str:
        return self.title
