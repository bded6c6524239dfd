"""The app's URLs plus views that fail on purpose, for the error page tests (the handlers
come along with the star import)."""

from django.core.exceptions import BadRequest, PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.http import require_http_methods

from fleksi.config.urls import *  # noqa: F403
from fleksi.config.urls import urlpatterns as app_urlpatterns


def forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied("tidak boleh")


def bad(request: HttpRequest) -> HttpResponse:
    raise BadRequest("rusak")


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("boom")


@require_http_methods(["POST"])
def post_only(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


urlpatterns = [
    path("uji/terlarang/", forbidden),
    path("uji/rusak/", bad),
    path("uji/galat/", boom),
    path("uji/kirim/", post_only),
    path("api/v1/uji/terlarang", forbidden),
    path("api/v1/uji/rusak", bad),
    path("api/v1/uji/galat", boom),
    path("api/v1/uji/kirim", post_only),
    *app_urlpatterns,
]
