"""TODO docstring."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from fleksi.core import clock
from fleksi.core.errors import ApplicationError, ErrorCode, not_found

from .models import Notification


def notification_mark_read(*, actor: Any, notification_id: int | None = None) -> int:
    """Mark one (or, with None, every) notification of the actor as read; returns how many.
    Not audited: reading one's own bell changes nothing of record."""
    if not getattr(actor, "is_authenticated", False):
        raise ApplicationError(ErrorCode.UNAUTHENTICATED, _("Silakan masuk terlebih dahulu."))
    with transaction.atomic():
        qs = Notification.objects.filter(user_id=actor.pk)
        if notification_id is not None:
            if not qs.filter(pk=notification_id).exists():
                raise not_found(_("Notifikasi"))
            qs = qs.filter(pk=notification_id)
        return qs.filter(read_at__isnull=True).update(read_at=clock.now())
