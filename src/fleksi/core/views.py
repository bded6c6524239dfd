"""Error pages: in the app's layout, Indonesian first, a way home; JSON under /api/.

Wired in config/urls.py (handler400/403/404/500) and settings (CSRF_FAILURE_VIEW); the
405 page comes from ``fleksi.core.middleware.MethodNotAllowedMiddleware``. Under /api/ every
error keeps the one shape ``{"code", "message", "details"}`` (docs/decisions/083).
"""

from __future__ import annotations

import logging
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _

from .errors import ApplicationError, ErrorCode

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"


def is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


def error_json(code: ErrorCode, message: str, details: Any = None, *, status: int | None = None) -> JsonResponse:
    error = ApplicationError(code, message, details)
    return JsonResponse(error.as_dict(), status=status or error.status)


def error_page(
    request: HttpRequest | None, template: str, status: int, context: dict[str, Any] | None = None
) -> HttpResponse:
    """The page rendered with the request (menu, language, CSRF token) when possible; bare
    of the request if that fails, so that an error page never raises an error of its own."""
    tmpl = loader.get_template(template)
    try:
        body = tmpl.render(context or {}, request)
    except Exception:  # the request itself may be what is broken (a 500, a bad session)
        logger.exception("error page %s rendered without the request", template)
        body = tmpl.render(context or {})
    return HttpResponse(body, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api(request):
        return error_json(ErrorCode.INVALID_INPUT, _("Permintaan tidak dapat diproses."))
    return error_page(request, "400.html", 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api(request):
        return error_json(ErrorCode.PERMISSION_DENIED, _("Anda tidak berwenang membuka ini."))
    return error_page(request, "403.html", 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api(request):
        return error_json(ErrorCode.NOT_FOUND, _("Tidak ditemukan."))
    return error_page(request, "404.html", 404)


def server_error(request: HttpRequest) -> HttpResponse:
    if is_api(request):
        return error_json(ErrorCode.SERVER_ERROR, _("Terjadi kesalahan pada server. Coba lagi nanti."))
    # Rendered without the request: whatever failed may fail again (the database, a session).
    return HttpResponse(loader.get_template("500.html").render({}), status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    if is_api(request):
        return error_json(
            ErrorCode.PERMISSION_DENIED,
            _("Verifikasi CSRF gagal: muat ulang halaman lalu coba lagi."),
            {"reason": "csrf"},
        )
    return error_page(request, "403_csrf.html", 403)
