"""Logging out clears the device (docs/decisions/117): the response always sends
``Clear-Site-Data: "cache"`` and adds ``"storage"`` only when the page said nothing waits in
the offline check-in queue (``device_queue=empty``, set by the phone page's script). Without
that word the IndexedDB queue is kept: an unsent check-in is never lost by a logout."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse


class LogoutView(auth_views.LogoutView):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        queue_empty = request.POST.get("device_queue") == "empty"
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"cache", "storage"' if queue_empty else '"cache"'
        return response
