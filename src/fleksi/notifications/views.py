"""The bell, the notifications page, opening and marking notifications read."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from fleksi.core.http import parse_id, web_errors

from . import selectors, services


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "notifications/notifications.html",
        {"notifications": selectors.notification_list(actor=request.user, limit=100)},
    )


@login_required
@require_GET
def notification_bell(request: HttpRequest) -> HttpResponse:
    """The bell's unread count (htmx refreshes it; the page itself runs no query for it)."""
    count = selectors.notification_unread_count(actor=request.user)
    return render(request, "notifications/_bell.html", {"unread": count})


@login_required
@require_POST
@web_errors
def notification_read(request: HttpRequest) -> HttpResponse:
    raw = request.POST.get("id", "").strip()
    notification_id = parse_id(raw)
    if raw and notification_id is None:
        raise Http404
    services.notification_mark_read(actor=request.user, notification_id=notification_id)
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect("notifications:notifications")


@login_required
@require_GET
@web_errors
def notification_open(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Follow a notification's link; opening it marks it read."""
    target = services.notification_open(actor=request.user, notification_id=notification_id)
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect("notifications:notifications")
