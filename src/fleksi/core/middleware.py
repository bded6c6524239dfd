"""HTTP-level guards that run before any view.

``RejectNulMiddleware`` refuses a NUL character (U+0000) anywhere the app reads text: the
path, the query string, form fields, the names of uploaded files, JSON bodies (also escaped as
``\\u0000``), the headers and the cookies it parses. PostgreSQL cannot store NUL in text and
several parsers choke on it, so a NUL used to surface as a 500 in whichever view met it
first; now every route answers 400 the same way (docs/decisions/082). The contents of
uploaded files are not text and are not inspected.

``MethodNotAllowedMiddleware`` turns the bare 405 of ``require_http_methods`` (and of the
API's routers) into the app's page, or the API's error shape under /api/.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Iterator
from importlib import import_module
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, QueryDict
from django.utils import translation
from django.utils.translation import gettext as _

from .errors import ApplicationError, ErrorCode
from .views import error_json, error_page, is_api

NUL = "\x00"
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _is_json(content_type: str) -> bool:
    return content_type == "application/json" or content_type.endswith("+json")


def _json_strings(value: Any) -> Iterator[str]:
    """Every string of a decoded JSON document, keys included."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            for key, child in item.items():
                yield key
                stack.append(child)
        elif isinstance(item, list):
            stack.extend(item)


def _has_nul_in_querydict(data: QueryDict) -> str | None:
    for key, values in data.lists():
        if NUL in key or any(NUL in v for v in values):
            return key.replace(NUL, "")
    return None


def find_nul(request: HttpRequest) -> tuple[str, str] | None:
    """(where, name) of the first NUL in what the app will read, or None."""
    if NUL in request.path_info or NUL in request.path:
        return "path", ""
    for key, value in request.META.items():
        if (key.startswith("HTTP_") or key in ("CONTENT_TYPE", "QUERY_STRING")) and isinstance(value, str) and NUL in value:
            return "header", key.removeprefix("HTTP_").replace("_", "-").lower()
    for key, value in request.COOKIES.items():
        if NUL in key or NUL in value:
            return "cookie", key.replace(NUL, "")
    name = _has_nul_in_querydict(request.GET)
    if name is not None:
        return "query", name
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return None
    if (request.content_type or "") == "multipart/form-data" and any(
        re.match(p, request.path_info) for p in getattr(settings, "FLEKSI_UPLOAD_AFTER_PERMISSION", ())
    ):
        return None  # the view checks the permission first, then calls find_nul_in_body
    return find_nul_in_body(request)


def find_nul_in_body(request: HttpRequest) -> tuple[str, str] | None:
    """(where, name) of the first NUL in the request's form or JSON body, or None."""
    content_type = request.content_type or ""
    if content_type in FORM_TYPES:
        if request.method == "POST":
            form = request.POST
            for key, files in request.FILES.lists():
                if any(NUL in (f.name or "") for f in files):
                    return "file", key
        else:  # PUT/PATCH with a form body: Django parses only POST's
            form = QueryDict(request.body, encoding=request.encoding)
        name = _has_nul_in_querydict(form)
        if name is not None:
            return "form", name
    elif _is_json(content_type):
        body = request.body
        if b"\x00" in body:
            return "json", ""
        if b"\\u0000" not in body.lower():
            return None  # the cheap test: no escaped NUL can hide in this body
        try:
            document = json.loads(body)
        except ValueError:
            return None  # not JSON at all: the view answers that
        if any(NUL in s for s in _json_strings(document)):
            return "json", ""
    return None


def nul_error(request: HttpRequest, where: str, name: str) -> ApplicationError:
    """The 400 of a NUL found by a view that reads its upload after its permission check."""
    return ApplicationError(
        ErrorCode.INVALID_INPUT,
        _("Masukan berisi karakter NUL (\\0) yang tidak diizinkan."),
        {"where": where, "name": name},
    )


class RejectNulMiddleware:
    """400 for a NUL anywhere in the request's text (see the module docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        found = find_nul(request)
        if found is None:
            return self.get_response(request)
        where, name = found
        with translation.override(_language(request, cookies_safe=where not in ("cookie", "header"))):
            message = _("Masukan berisi karakter NUL (\\0) yang tidak diizinkan.")
            details = {"where": where, "name": name}
            if is_api(request):
                return error_json(ErrorCode.INVALID_INPUT, message, details)
            return error_page(_home_bound(request), "400.html", 400, {"reason": message})


def _language(request: HttpRequest, *, cookies_safe: bool) -> str:
    """The user's chosen language (kept in the session), before the session middleware runs.
    A NUL in a cookie or header leaves the session unread: Indonesian."""
    if cookies_safe:
        key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        if key:
            store = import_module(settings.SESSION_ENGINE).SessionStore(key)
            language = store.get("fleksi_language")
            if language in ("id", "en"):
                return str(language)
    return settings.LANGUAGE_CODE


def _home_bound(request: HttpRequest) -> HttpRequest:
    """The request as the page sees it: its path and query (which hold the NUL) left out, so
    the language switch of the layout comes back home."""
    safe = copy.copy(request)
    safe.path = safe.path_info = "/"
    safe.META = {**request.META, "QUERY_STRING": ""}
    return safe


class MethodNotAllowedMiddleware:
    """The 405 of a view that refuses the method: the app's page (or the API's error shape)
    with the ``Allow`` header kept."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not isinstance(response, HttpResponseNotAllowed):
            return response
        allow = response.get("Allow", "")
        methods = [m.strip() for m in allow.split(",") if m.strip()]
        page: HttpResponse
        if is_api(request):
            page = error_json(
                ErrorCode.METHOD_NOT_ALLOWED,
                _("Metode %(method)s tidak diizinkan di sini.") % {"method": request.method},
                {"allowed": methods},
            )
        else:
            page = error_page(request, "405.html", 405, {"allowed": methods, "method": request.method})
        page["Allow"] = allow
        return page
