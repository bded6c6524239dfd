"""The bell in the API: ``GET /api/v1/notifications``, ``POST /api/v1/notifications/read``."""


from django.http import HttpRequest
from ninja import Router

from . import selectors, services
from .schemas import MarkReadIn, MarkReadOut, NotificationOut, NotificationsOut

router = Router(tags=["kerja fleksibel"])


@router.get("/notifications", response=NotificationsOut, summary="Notifikasi saya")
def notifications(request: HttpRequest, limit: int = 20) -> NotificationsOut:
    items = selectors.notification_list(actor=request.user, limit=limit)
    return NotificationsOut(
        unread=selectors.notification_unread_count(actor=request.user),
        items=[
            NotificationOut(
                id=n.pk,
                kind=n.kind,
                title=n.title,
                body=n.body,
                url=n.url,
                created_at=n.created_at,
                read_at=n.read_at,
            )
            for n in items
        ],
    )


@router.post("/notifications/read", response=MarkReadOut, summary="Tandai notifikasi sudah dibaca")
def notifications_read(request: HttpRequest, payload: MarkReadIn) -> MarkReadOut:
    return MarkReadOut(
        marked=services.notification_mark_read(actor=request.user, notification_id=payload.id)
    )
