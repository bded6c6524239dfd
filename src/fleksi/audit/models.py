"""The append-only, hash-chained audit trail (see chain.py)."""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    # The actor's id as written (hashed); ``actor`` becomes NULL when the user is deleted,
    # which must not break the chain.
    actor_key = models.BigIntegerField(null=True, editable=False)
    agency_id = models.BigIntegerField(null=True, db_index=True)
    action = models.CharField(max_length=80)
    object_type = models.CharField(max_length=80, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    data = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    # Position in the chain (1, 2, 3, ...), the previous row's hash and this row's hash.
    seq = models.PositiveBigIntegerField(unique=True, editable=False)
    prev_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, editable=False)

    class Meta:
        verbose_name = _("peristiwa audit")
        verbose_name_plural = _("peristiwa audit")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"


class AuditChainHead(models.Model):
    """One row (pk=1): the chain's last ``seq`` and ``hash``. Every append locks it
    (SELECT ... FOR UPDATE), so concurrent writers queue up instead of forking the chain, and
    ``fleksi audit verify`` sees rows deleted from the end."""

    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("kepala rantai audit")
        verbose_name_plural = _("kepala rantai audit")

    def __str__(self) -> str:
        return f"#{self.seq} {self.hash[:12]}"
