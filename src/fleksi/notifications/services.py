"""The notification service every app calls: a row for the bell, an email after commit.

``notify`` writes the rows inside the caller's transaction (they vanish with it) and queues the
emails with ``transaction.on_commit``, so a rolled-back decision mails nobody. Each recipient
gets the texts in their own language (``User.language``); email links are absolute
(``settings.FLEKSI_SITE_URL``). Opening a notification marks it read; ``notifications_settle``
marks read what is no longer waiting for the user (a decided request).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from fleksi.core import clock
from fleksi.core.errors import ApplicationError, ErrorCode, not_found

from .models import Notification

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Recipient:
    """A user to notify and the address their email goes to ("" for none)."""

    user: Any
    email: str = ""


def absolute_url(path: str) -> str:
    """A link that works from an email client: the site's URL in front of an app path."""
    if not path or "://" in path:
        return path
    base = str(getattr(settings, "FLEKSI_SITE_URL", "") or "http://127.0.0.1:8000").rstrip("/")
    return base + (path if path.startswith("/") else "/" + path)


def notify(
    *,
    recipients: Iterable[Recipient],
    kind: str,
    texts: Callable[[], tuple[str, str]],
    url: str = "",
    key: str = "",
    subject: str = "",
) -> list[Notification]:
    """One notification per active user (duplicates skipped; with ``key``, anyone already
    notified under that key too), and their emails after commit.

    ``texts`` returns (title, body) in the active language; it is called once per recipient
    under their language.
    """
    people: dict[int, Recipient] = {}
    for recipient in recipients:
        user = recipient.user
        if user is not None and user.is_active:
            people.setdefault(user.pk, recipient)
    if key and people:
        already = Notification.objects.filter(user_id__in=list(people), key=key)
        for user_id in already.values_list("user_id", flat=True):
            people.pop(user_id, None)
    if not people:
        return []
    rows: list[Notification] = []
    emails: list[EmailMessage] = []
    link = absolute_url(url)
    for recipient in people.values():
        user = recipient.user
        with translation.override(getattr(user, "language", None) or settings.LANGUAGE_CODE):
            title, body = texts()
        title = title[:200]
        rows.append(
            Notification(user=user, kind=kind, title=title, body=body, url=url, key=key, subject=subject)
        )
        address = (recipient.email or "").strip()
        if address:
            text = f"{body}\n\n{link}\n" if link else f"{body}\n"
            emails.append(EmailMessage(subject=f"[Fleksi] {title}", body=text, to=[address]))
    created = Notification.objects.bulk_create(rows)
    if emails:
        transaction.on_commit(_sender(emails))
    return created


def _sender(emails: list[EmailMessage]) -> Callable[[], None]:
    def send() -> None:
        try:
            get_connection().send_messages(emails)
        except Exception:  # a mail server down must not break the workflow
            logger.exception("sending %d notification emails failed", len(emails))

    return send


def notifications_settle(*, subject: str, kinds: Sequence[str]) -> int:
    """Mark read every unread notification about ``subject`` of these kinds (e.g. "awaiting
    your decision" once the request is decided, by whomever). Returns how many."""
    return Notification.objects.filter(
        subject=subject, kind__in=list(kinds), read_at__isnull=True
    ).update(read_at=clock.now())


def _own(actor: Any) -> Any:
    if not getattr(actor, "is_authenticated", False):
        raise ApplicationError(ErrorCode.UNAUTHENTICATED, _("Silakan masuk terlebih dahulu."))
    return Notification.objects.filter(user_id=actor.pk)


def notification_mark_read(*, actor: Any, notification_id: int | None = None) -> int:
    """Mark one (or, with None, every) notification of the actor as read; returns how many.
    Not audited: reading one's own bell changes nothing of record."""
    with transaction.atomic():
        qs = _own(actor)
        if notification_id is not None:
            if not qs.filter(pk=notification_id).exists():
                raise not_found(_("Notifikasi"))
            qs = qs.filter(pk=notification_id)
        return qs.filter(read_at__isnull=True).update(read_at=clock.now())


def notification_open(*, actor: Any, notification_id: int) -> str:
    """Open one of the actor's notifications: it is marked read; returns where it points."""
    notification = _own(actor).filter(pk=notification_id).first()
    if notification is None:
        raise not_found(_("Notifikasi"))
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk).update(read_at=clock.now())
    return notification.url
