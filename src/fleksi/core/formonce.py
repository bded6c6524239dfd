"""One-time form tokens: a reload or a double click of a web form changes nothing twice.

Every state-changing ``<form method="post">`` carries ``{% form_once %}`` (a hidden random
UUID, ``FIELD``); tests/web/test_form_once.py fails when a template's POST form lacks it.
``FormOnceMiddleware`` (last in MIDDLEWARE, so its ``process_view`` runs after the CSRF check)
runs the view of a signed-in user's POST that carries a token inside one transaction that
first inserts ``FormSubmission(user, token)``:

- the first copy inserts the row, runs the view, and stores where its redirect went;
- a copy arriving later (a reload, the back button) finds the row: it is sent to the same
  place with a note, and the view does not run;
- copies arriving at the same time wait on the unique index (PostgreSQL) or the write lock
  (SQLite, IMMEDIATE transactions) until the first commits, then do as the later copy.

A user's tokens older than ``KEEP`` are deleted at their next submit, so the table stays
small without a scheduled job. An answer of 400 or more (a form with errors, a refusal) gives the token back, so the
corrected form can be sent again; an exception rolls the whole transaction back. POSTs
without a token (the API, which has idempotency keys; scripts; anonymous forms such as the
login) pass through unchanged, and so do htmx partial requests, which in Fleksi only read
(the live check of the request form also leaves the token out: ``hx-params``)
(docs/decisions/161).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import FormSubmission
from .views import error_page, is_api

FIELD = "_form_once"
# A user's used tokens are kept this long (then purged at their next submit): a page left open
# longer than that and sent twice is checked by the services again, as any new submit.
KEEP = dt.timedelta(days=7)


def new_token() -> str:
    return str(uuid.uuid4())


def _token(request: HttpRequest) -> uuid.UUID | None:
    raw = request.POST.get(FIELD, "")
    if not raw:
        return None
    try:
        return uuid.UUID(raw)
    except ValueError:
        return None


def _replay(request: HttpRequest, used: FormSubmission | None) -> HttpResponse:
    """The answer to a copy of a form already sent: where the first one went, or a page."""
    if used is not None and used.location:
        messages.info(request, _("Formulir ini sudah dikirim; tidak ada yang diproses dua kali."))
        return HttpResponseRedirect(used.location)
    return error_page(request, "form_once_used.html", 409)


class FormOnceMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        if request.method != "POST" or is_api(request):
            return None
        if request.headers.get("HX-Request") and not request.headers.get("HX-Boosted"):
            return None  # an htmx partial (the live check of a form) is a read: it uses no token
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        token = _token(request)
        if token is None:
            return None
        with transaction.atomic():
            try:
                with transaction.atomic():
                    used = FormSubmission.objects.create(
                        user=user, token=token, path=request.path[:500]
                    )
            except IntegrityError:
                # Another copy of this submit committed first (we waited for it here).
                first = FormSubmission.objects.filter(user=user, token=token).first()
                return _replay(request, first)
            FormSubmission.objects.filter(user=user, created_at__lt=timezone.now() - KEEP).delete()
            response: HttpResponse = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()  # a TemplateResponse: its errors count here
            if response.status_code >= 400:
                used.delete()  # refused or invalid: the corrected form may be sent again
            elif 300 <= response.status_code < 400 and response.get("Location"):
                used.location = response["Location"][:2000]
                used.save(update_fields=["location"])
            return response
