"""The request workflow's notifications: who hears of which event, in which words.

Sending is the notification service's (``fleksi.notifications.services.notify``): the bell row
within the caller's transaction, the email (with an absolute link) after commit, each in the
recipient's language. A decided request settles its "awaiting your decision" notifications.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fleksi.core.humanize import date_range_text
from fleksi.notifications.models import Notification
from fleksi.notifications.services import Recipient, notifications_settle, notify
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
    return date_range_text(request.start_date, request.end_date)


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


# Notifications that wait for the recipient's decision: settled once the request is decided.
AWAITING = (SUBMITTED, FORWARDED, REMINDER)


def subject_of(request: FlexRequest) -> str:
    return f"request:{request.pk}"


def notify_request(
    *,
    request: FlexRequest,
    event: str,
    employees: Iterable[Employee],
    note: str = "",
    key: str = "",
    extra: dict[str, Any] | None = None,
) -> list[Notification]:
    """Notify these people (their login users) of a request's event, through the
    notification service: the bell now, the email after commit.

    ``employees`` should come with ``user`` selected (no query per recipient).
    """
    extra = extra or {}
    recipients = [
        Recipient(user=employee.user, email=_email_of(employee))
        for employee in employees
        if employee is not None and employee.user is not None
    ]
    return notify(
        recipients=recipients,
        kind=event,
        texts=lambda: _texts(event, request, note, extra),
        url=request_url(request.pk),
        key=key,
        subject=subject_of(request),
    )


def request_settled(request: FlexRequest) -> int:
    """The request was decided (or withdrawn): nobody is still asked to decide it."""
    return notifications_settle(subject=subject_of(request), kinds=AWAITING)
