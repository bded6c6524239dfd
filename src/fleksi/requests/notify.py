"""Notifications of the request workflow: an in-app row (the bell) and an email after commit.

Called by services inside their transaction: the rows are written with the transaction and
vanish with it; the emails leave only once it has committed (``transaction.on_commit``),
so a rolled-back decision never mails anyone. Each recipient gets the text in their own
language (``User.language``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fleksi.notifications.models import Notification
from fleksi.organisation.models import Employee

from .models import FlexRequest

logger = logging.getLogger(__name__)

SUBMITTED = "request_submitted"
FORWARDED = "request_forwarded"  # approved by the direct supervisor, now for the unit head
APPROVED = "request_approved"
REJECTED = "request_rejected"
RETURNED = "request_returned"
REVOKED = "request_revoked"
CANCELLED = "request_cancelled"
REMINDER = "request_reminder"


def request_url(request_id: int) -> str:
    """The page of a request (the web UI's ``requests:request_detail``)."""
    try:
        return reverse("requests:request_detail", args=[request_id])
    except NoReverseMatch:
        return f"/kerja-fleksibel/pengajuan/{request_id}/"


def _period(request: FlexRequest) -> str:
    if request.start_date == request.end_date:
        return request.start_date.isoformat()
    return f"{request.start_date.isoformat()} – {request.end_date.isoformat()}"


# (title, body) per event; formatted with id, name, period, note and days.
TEXTS = {
    SUBMITTED: (
        gettext_lazy("Pengajuan kerja fleksibel #%(id)s dari %(name)s"),
        gettext_lazy(
            "%(name)s mengajukan kerja fleksibel untuk %(period)s dan menunggu keputusan Anda."
        ),
    ),
    FORWARDED: (
        gettext_lazy("Pengajuan #%(id)s dari %(name)s diteruskan kepada Anda"),
        gettext_lazy(
            "Atasan langsung telah menyetujui pengajuan %(name)s untuk %(period)s; kini menunggu keputusan pimpinan unit."
        ),
    ),
    APPROVED: (
        gettext_lazy("Pengajuan #%(id)s disetujui"),
        gettext_lazy("Pengajuan kerja fleksibel Anda untuk %(period)s disetujui."),
    ),
    REJECTED: (
        gettext_lazy("Pengajuan #%(id)s ditolak"),
        gettext_lazy("Pengajuan kerja fleksibel Anda untuk %(period)s ditolak. Alasan: %(note)s"),
    ),
    RETURNED: (
        gettext_lazy("Pengajuan #%(id)s dikembalikan untuk perbaikan"),
        gettext_lazy(
            "Pengajuan kerja fleksibel Anda untuk %(period)s dikembalikan. Catatan: %(note)s"
        ),
    ),
    REVOKED: (
        gettext_lazy("Persetujuan pengajuan #%(id)s dicabut"),
        gettext_lazy(
            "Persetujuan kerja fleksibel Anda untuk %(period)s dicabut; hari yang belum lewat kembali ke kantor. Alasan: %(note)s"
        ),
    ),
    CANCELLED: (
        gettext_lazy("Pengajuan #%(id)s dibatalkan oleh %(name)s"),
        gettext_lazy("%(name)s membatalkan pengajuan kerja fleksibel untuk %(period)s."),
    ),
    REMINDER: (
        gettext_lazy("Pengingat: pengajuan #%(id)s dari %(name)s masih menunggu"),
        gettext_lazy(
            "Pengajuan kerja fleksibel %(name)s untuk %(period)s belum diputuskan sejak %(days)s hari."
        ),
    ),
}


def _texts(event: str, request: FlexRequest, note: str, extra: dict[str, Any]) -> tuple[str, str]:
    """(title, body) in the active language."""
    values = {
        "id": request.pk,
        "name": request.employee.name,
        "period": _period(request),
        "note": note,
        "days": extra.get("days", 0),
    }
    try:
        title_text, body_text = TEXTS[event]
    except KeyError:  # pragma: no cover - programming error
        raise ValueError(event) from None
    title, body = str(title_text) % values, str(body_text) % values
    if note and event in (APPROVED, CANCELLED):
        body += " " + _("Catatan: %(note)s") % values
    return title[:200], body


def _email_of(employee: Employee) -> str:
    user = employee.user
    return ((user.email if user else "") or employee.email or "").strip()


def notify_request(
    *,
    request: FlexRequest,
    event: str,
    employees: Iterable[Employee],
    note: str = "",
    key: str = "",
    extra: dict[str, Any] | None = None,
) -> list[Notification]:
    """Write one notification per person (their login user; skipping duplicates and, with
    ``key``, anyone already notified under that key) and queue the emails for after commit.

    ``employees`` should come with ``user`` selected (no query per recipient).
    """
    extra = extra or {}
    recipients: dict[int, Employee] = {}
    for employee in employees:
        user = employee.user if employee is not None else None
        if user is not None and user.is_active:
            recipients.setdefault(user.pk, employee)
    if not recipients:
        return []
    if key:
        already = set(
            Notification.objects.filter(user_id__in=list(recipients), key=key).values_list(
                "user_id", flat=True
            )
        )
        for user_id in already:
            recipients.pop(user_id, None)
    url = request_url(request.pk)
    rows: list[Notification] = []
    emails: list[EmailMessage] = []
    for employee in recipients.values():
        user = employee.user
        with translation.override(getattr(user, "language", None) or settings.LANGUAGE_CODE):
            title, body = _texts(event, request, note, extra)
        rows.append(Notification(user=user, kind=event, title=title, body=body, url=url, key=key))
        address = _email_of(employee)
        if address:
            emails.append(
                EmailMessage(subject=f"[Fleksi] {title}", body=f"{body}\n\n{url}\n", to=[address])
            )
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
